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
  // The help lines sent in the page's first bytes (reflect/first_paint.py) are hidden once
  // the app draws; the app shows them itself, so take them out of the page.
  const first = document.getElementById("reflect-first");
  if (first) first.remove();
  const previous = window.reflectPageStep;
  window.reflectPageStep = data.step;
  // The server keeps a session while this page lives. A different session under the same
  // page means the server restarted (or the page was away too long): say so plainly.
  const visit = window.reflectPageVisit;
  window.reflectPageVisit = data.visit;
  if (visit !== undefined && visit !== data.visit) showRestartNotice();

  // After the connection comes back, ask for one run at once (the hidden "sync" button):
  // Streamlit would otherwise leave the old screen up until the next click, even when the
  // server behind it has restarted and forgotten it. The run shows which session answers.
  const app = document.querySelector("[data-testid=stApp]");
  if (app && !window.reflectConnectionWatch) {
    window.reflectConnectionWatch = true;
    let last = app.getAttribute("data-test-connection-state");
    new MutationObserver(() => {
      const now = app.getAttribute("data-test-connection-state");
      if (now === last) return;
      const back = now === "CONNECTED" && last !== null;
      last = now;
      const sync = document.querySelector(".st-key-reflect_sync button");
      if (back && sync) sync.click();
    }).observe(app, { attributes: true, attributeFilter: ["data-test-connection-state"] });
  }

  function showRestartNotice() {
    if (document.getElementById("reflect-restarted")) return;
    const panel = document.createElement("div");
    panel.id = "reflect-restarted";
    panel.className = "reflect-restarted";
    panel.setAttribute("role", "alert");
    const words = document.createElement("p");
    words.textContent = data.restartNotice;
    const again = document.createElement("button");
    again.type = "button";
    again.textContent = data.restartButton;
    again.addEventListener("click", () => window.location.replace(window.location.pathname
      + window.location.search));
    panel.appendChild(words);
    panel.appendChild(again);
    document.body.appendChild(panel);
    again.focus();
  }

  function idle() {
    const app = document.querySelector("[data-testid=stApp]");
    return !app || app.getAttribute("data-test-script-state") === "notRunning";
  }

  // Each language option's name carries its own lang attribute (WCAG 3.1.2, language of
  // parts). Streamlit draws the switch when it likes, so one watcher per page labels every
  // option as it appears: no polling, and no giving up on a slow machine.
  if (!window.reflectLanguageWatch) {
    window.reflectLanguageWatch = true;
    const label = () => {
      const page = document.getElementById("reflect-page");
      const codes = ((page && page.dataset.languages) || "").split(",");
      const options = document.querySelectorAll(".st-key-language [data-testid=stRadioOption]");
      options.forEach((option, index) => {
        if (codes[index] && option.getAttribute("lang") !== codes[index]) {
          option.setAttribute("lang", codes[index]);
        }
      });
    };
    new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
    label();
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

  // Focus moves once the run that drew this screen has finished, when the heading is there.
  function settled() {
    const notice = document.getElementById("reflect-restarted");
    if (notice) notice.querySelector("button").focus();
    else if (previous !== undefined && previous !== data.step) focusHeading();
  }
  if (idle()) {
    settled();
  } else {
    const watch = new MutationObserver(() => {
      if (!idle()) return;
      watch.disconnect();
      settled();
    });
    watch.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
  }
})();
