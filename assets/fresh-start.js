// A kiosk visitor has been forgotten (ui/kiosk.py, fresh_start): clear the browser's storage
// and load the page anew in place, so the next visitor gets new inputs and Back has nothing
// to return to.
try {
  sessionStorage.clear();
  localStorage.clear();
} catch (e) {}
window.location.replace(window.location.pathname);
