// Kiosk idle watch. Drawn on every kiosk screen; installs itself once per page load.
// Each tick it reads its settings and words from #reflect-kiosk, which the app redraws on
// every screen, so a new screen brings its own timers without a second watcher.
// After the wait with no touch, key or scroll, a countdown offers "I'm still here". At zero
// it presses the app's own "Start over", which on a kiosk forgets the session on the server
// and then reloads the page fresh (see ui/state.py forget_visitor, and assets/fresh-start.js).
(() => {
  if (window.reflectKioskWatch) return;
  const EVENTS = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"];
  const state = { last: Date.now(), counting: false, announced: null, resetting: false };
  window.reflectKioskWatch = state;

  // Built node by node: Streamlit's sanitiser drops a script whose text looks like markup.
  function make(tag, className, parent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    parent.appendChild(node);
    return node;
  }
  const panel = make("div", "kiosk-idle", document.body);
  panel.id = "kiosk-idle";
  panel.hidden = true;
  const box = make("div", "kiosk-idle-box", panel);
  box.setAttribute("role", "group");
  box.setAttribute("aria-labelledby", "kiosk-idle-heading");
  const heading = make("p", "kiosk-idle-heading", box);
  heading.id = "kiosk-idle-heading";
  const count = make("p", "kiosk-idle-count", box);
  count.setAttribute("aria-hidden", "true");
  // The sentence on screen says the same number as the big one, every second.
  const sentence = make("p", "kiosk-idle-body", box);
  sentence.id = "kiosk-idle-body";
  // Screen readers hear a separate, visually hidden status: once at the start and once at
  // ten seconds, not every second. It stays in the page, so it is known before it speaks.
  const status = make("p", "kiosk-idle-live", document.body);
  status.id = "kiosk-idle-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const button = make("button", "kiosk-idle-button", box);
  button.type = "button";

  function config() {
    const node = document.getElementById("reflect-kiosk");
    if (!node) return null;
    const data = node.dataset;
    return {
      wait: data.wait === "" ? null : Number(data.wait),
      countdown: Number(data.countdown),
      heading: data.heading,
      body: data.body,
      bodyOne: data.bodyOne,
      stillHere: data.stillHere,
    };
  }

  function hide() {
    state.counting = false;
    state.announced = null;
    panel.hidden = true;
    status.textContent = "";
  }

  function active(event) {
    state.last = Date.now();
    // A touch on the panel itself hides it on its click, not on the touch: hidden at once,
    // the tap would fall through to whatever lies under "I'm still here" (Start, Next).
    if (state.counting && !(event && panel.contains(event.target))) hide();
  }

  function reset() {
    state.resetting = true;
    hide();
    if (window.reflectSpeechStop) window.reflectSpeechStop();  // the next visitor hears nothing
    const startOver = document.querySelector(".st-key-start_over button");
    if (startOver) startOver.click();
    // If the server cannot be reached, forget in the browser anyway; the server drops the
    // session when its time to reconnect has passed.
    setTimeout(() => window.reflectKioskFresh && window.reflectKioskFresh(), 4000);
  }

  function tick() {
    if (state.resetting) return;
    const settings = config();
    if (!settings || settings.wait === null) {
      state.last = Date.now();
      if (state.counting) hide();
      return;
    }
    // The screen read aloud counts as a touch: no countdown while it is heard (only while
    // sound plays: a reading stuck without an end never keeps the kiosk from its reset).
    const speech = window.reflectSpeech;
    if (speech && speech.playing && speech.playing()) state.last = Date.now();
    const idle = (Date.now() - state.last) / 1000;
    if (idle < settings.wait) return;
    const left = Math.max(0, Math.ceil(settings.wait + settings.countdown - idle));
    if (left <= 0) {
      reset();
      return;
    }
    if (!state.counting) {
      state.counting = true;
      heading.textContent = settings.heading;
      button.textContent = settings.stillHere;
      panel.hidden = false;
    }
    const words = left === 1 ? settings.bodyOne : settings.body.replace("{seconds}", String(left));
    count.textContent = String(left);
    sentence.textContent = words;
    // Speak at the start and once more at ten seconds.
    const speak = state.announced === null || (left <= 10 && state.announced > 10);
    if (speak) {
      state.announced = left;
      status.textContent = words;
    }
  }

  // The "fresh start": forget what this browser holds for the page, then load it anew in
  // place, so Back has no earlier screen to return to.
  window.reflectKioskFresh = () => {
    try { window.speechSynthesis.cancel(); } catch (error) { /* no speech here */ }
    try { window.sessionStorage.clear(); } catch (error) { /* storage may be blocked */ }
    try { window.localStorage.clear(); } catch (error) { /* storage may be blocked */ }
    window.location.replace(window.location.pathname);
  };

  panel.addEventListener("click", () => {
    state.last = Date.now();
    hide();
  });
  for (const name of EVENTS) document.addEventListener(name, active, { capture: true, passive: true });
  setInterval(tick, 250);
})();
