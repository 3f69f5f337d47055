// Runs the page upkeep (assets/page.js) for the screen Streamlit has just drawn. The app
// redraws this script with #reflect-page whenever the screen, the language or the session's
// generation changes. page.js is loaded with the first page, so it is there and runs at once,
// in step with the screen; on a page that came without it, it is loaded from data-script
// first, and runs when it has loaded.
(() => {
  if (window.reflectPage) {
    window.reflectPage();
    return;
  }
  const node = document.getElementById("reflect-page");
  if (!node || window.reflectPageLoading) return;
  window.reflectPageLoading = true;
  const tag = document.createElement("script");
  tag.src = node.dataset.script;
  tag.addEventListener("load", () => window.reflectPage && window.reflectPage());
  document.head.append(tag);
})();
