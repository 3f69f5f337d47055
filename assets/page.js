// Page upkeep that Streamlit has no option for. The app redraws this script whenever the
// screen or the language changes, so it runs again exactly then. It reads #reflect-page:
// - data-lang: the language shown, for the lang attribute of the page (Streamlit hard-codes "en");
// - data-languages: the language codes in the order the language switch lists them, so each
//   option's name ("Español") carries its own lang attribute;
// - data-step: the screen; when it changes, focus moves to the new screen's main heading,
//   so keyboard and screen reader users start at the top of the new step, not lost.
(() => {
  const node = document.getElementById("reflect-page");
  if (!node) return;
  const data = node.dataset;
  document.documentElement.lang = data.lang;
  const previous = window.reflectPageStep;
  window.reflectPageStep = data.step;

  function idle() {
    const app = document.querySelector("[data-testid=stApp]");
    return app && app.getAttribute("data-test-script-state") === "notRunning";
  }

  function labelLanguages() {
    const codes = (data.languages || "").split(",");
    const options = document.querySelectorAll(".st-key-language [data-testid=stRadioOption]");
    options.forEach((option, index) => {
      if (codes[index]) option.setAttribute("lang", codes[index]);
    });
  }

  function focusHeading() {
    const heading = document.querySelector("[data-testid=stMain] h1");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    // Back to the top, where the crisis contacts and the new heading are.
    for (const box of [document.scrollingElement, document.querySelector("[data-testid=stMain]"),
      document.querySelector("[data-testid=stAppScrollToBottomContainer]")]) {
      if (box) box.scrollTop = 0;
    }
  }

  let tries = 0;
  const timer = setInterval(() => {
    tries += 1;
    if (!idle() && tries < 60) return;
    clearInterval(timer);
    labelLanguages();
    if (previous !== undefined && previous !== data.step) focusHeading();
  }, 50);
})();
