// Page upkeep that Streamlit has no option for. Loaded once per page, from this server's
// address (reflect/csp.py's SERVED: the first page asks for it before Streamlit's own script,
// webserver/middleware.py), it defines window.reflectPage. assets/page-run.js, which the app
// redraws whenever the screen, the language or the session's generation changes, calls it
// then, at once, so it runs again exactly then.
// It reads #reflect-page (data-script, page.js's own address, is for page-run.js):
// - data-lang: the language shown, for the lang attribute of the page (Streamlit hard-codes "en");
// - data-languages: the language codes in the order the language switch lists them, so each
//   option's name ("Español") carries its own lang attribute;
// - data-step: the screen; when it changes, focus moves to the new screen's main heading,
//   so keyboard and screen reader users start at the top of the new step, not lost;
// - the words and contacts of the bar at the top (help one tap away, and Quick exit);
// - data-history: "on" where the browser's Back and Forward move between screens;
// - data-about: "on" while "About this content" is drawn in place of the screen: focus moves
//   to its heading, and back to the control that opened it when it closes. Where history is
//   on, it has an entry of its own: Back closes it, Forward opens it again.
window.reflectPage = () => {
  const node = document.getElementById("reflect-page");
  if (!node) return;
  const data = node.dataset;
  document.documentElement.lang = data.lang;
  // What this page remembers between runs: its history entries, a held Download or Print,
  // whether the help list was open (nothing about the reader's answers).
  const HIST = window.reflectHistory || {
    pending: null, inflight: false, sentFor: null, sentValue: null, generation: data.generation,
    rewinding: false, exiting: false, noticeStep: null,
  };
  // Whether the screen is being read aloud, kept across runs (never what is read).
  const SPEECH = window.reflectSpeech || (window.reflectSpeech = {
    state: "idle", key: null, epoch: 0 });
  // The help lines sent in the page's first bytes (reflect/first_paint.py) are hidden once
  // the app draws; the app shows them itself, so take them out of the page.
  const first = document.getElementById("reflect-first");
  if (first) first.remove();
  const previous = window.reflectPageStep;
  window.reflectPageStep = data.step;
  const previousAbout = window.reflectPageAbout;
  window.reflectPageAbout = data.about;
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
    let lost = null;
    new MutationObserver(() => {
      const now = app.getAttribute("data-test-connection-state");
      if (now === last) return;
      const back = now === "CONNECTED" && last !== null;
      last = now;
      if (now === "CONNECTED") {
        clearTimeout(lost);
        lost = null;
        offline(false);
      } else if (lost === null) {
        // A moment's drop (a phone changing networks) says nothing; a longer one is told.
        lost = setTimeout(() => offline(true), 3000);
      }
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

  bar();
  listenUpkeep();
  loadRecordings();
  historyUpkeep();

  // Each language option's name carries its own lang attribute (WCAG 3.1.2, language of
  // parts). Streamlit draws the switch when it likes, so one watcher per page labels every
  // option as it appears: no polling, and no giving up on a slow machine. The same watcher
  // sees each run end (#reflect-run, drawn last with the run's number) for the history.
  if (!window.reflectLanguageWatch) {
    window.reflectLanguageWatch = true;
    let lastRun = runNumber();
    const label = () => {
      releaseDownload();
      const run = runNumber();
      if (run !== lastRun) {
        lastRun = run;
        reconcile();
      } else if (HIST.pending !== null && HIST.sentFor !== HIST.pending) {
        send();  // a screen Back or Forward asked for, waiting for the history radio
      }
      aboutUpkeep();  // "About this content" opened or closed by Forward or Back
      const page = document.getElementById("reflect-page");
      const codes = ((page && page.dataset.languages) || "").split(",");
      const options = document.querySelectorAll(".st-key-language [data-testid=stRadioOption]");
      options.forEach((option, index) => {
        if (codes[index] && option.getAttribute("lang") !== codes[index]) {
          option.setAttribute("lang", codes[index]);
        }
      });
    };
    new MutationObserver(label).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-test-script-state"] });
    label();
  }

  // ---- The bar: help one tap away on every screen, and Quick exit ----------------------------
  // Built once per page, outside Streamlit's own elements, so no run redraws or dims it and it
  // works while a run is going on. The app's scrolling area starts below it (app.css), so it
  // can never cover the control that has focus (WCAG 2.2, 2.4.11).
  function bar() {
    let box = document.getElementById("reflect-bar");
    if (!box) {
      box = document.createElement("div");
      box.id = "reflect-bar";
      box.className = "reflect-bar";
      box.setAttribute("role", "region");
      const row = document.createElement("div");
      row.className = "reflect-bar-row";
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.id = "reflect-help-toggle";
      toggle.className = "reflect-help-toggle";
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-controls", "reflect-help-list");
      const exit = document.createElement("button");
      exit.type = "button";
      exit.id = "reflect-quick-exit";
      exit.className = "reflect-quick-exit";
      exit.setAttribute("aria-keyshortcuts", "Alt+Shift+Q");
      exit.addEventListener("click", quickExit);
      const words = document.createElement("span");
      const arrow = document.createElement("span");
      arrow.className = "reflect-help-arrow";
      arrow.setAttribute("aria-hidden", "true");
      toggle.append(words, arrow);
      const listen = document.createElement("button");
      listen.type = "button";
      listen.id = "reflect-listen";
      listen.className = "reflect-listen";
      listen.setAttribute("aria-pressed", "false");
      listen.setAttribute("aria-controls", "reflect-listen-panel");
      // A speaker, and the word: on a phone the word is for screen readers only (app.css).
      const SVG = "http://www.w3.org/2000/svg";
      const icon = document.createElementNS(SVG, "svg");
      icon.setAttribute("viewBox", "0 0 24 24");
      icon.setAttribute("aria-hidden", "true");
      icon.setAttribute("focusable", "false");
      const shape = document.createElementNS(SVG, "path");
      shape.setAttribute("d", "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 "
        + "2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z");
      icon.append(shape);
      const word = document.createElement("span");
      word.className = "reflect-listen-word";
      listen.append(icon, word);
      listen.addEventListener("click", () => (SPEECH.state === "idle" ? startSpeech("screen")
        : stopSpeech(true)));
      row.append(toggle, listen);
      const list = document.createElement("div");
      list.id = "reflect-help-list";
      list.className = "reflect-help-list";
      list.hidden = true;
      const notice = document.createElement("p");
      notice.id = "reflect-reloaded";
      notice.className = "reflect-reloaded";
      notice.setAttribute("role", "status");
      notice.hidden = true;
      const lostLine = document.createElement("p");
      lostLine.id = "reflect-offline";
      lostLine.className = "reflect-reloaded";
      lostLine.setAttribute("role", "alert");
      lostLine.hidden = true;
      // While it reads: Pause (or Go on) and Stop, and what it is doing, said once.
      const panel = document.createElement("div");
      panel.id = "reflect-listen-panel";
      panel.className = "reflect-listen-panel";
      const pause = document.createElement("button");
      pause.type = "button";
      pause.id = "reflect-listen-pause";
      pause.addEventListener("click", pauseSpeech);
      const stop = document.createElement("button");
      stop.type = "button";
      stop.id = "reflect-listen-stop";
      stop.addEventListener("click", () => stopSpeech(true));
      const said = document.createElement("p");
      said.id = "reflect-listen-status";
      said.className = "reflect-listen-status";
      said.setAttribute("role", "status");
      panel.append(pause, stop);
      // In the row after Listen, so Tab goes Listen, Pause, Stop, then Quick exit; app.css
      // shows it on a line of its own under the row; the status line is under the row.
      row.append(panel, exit);
      box.append(row, said, lostLine, list, notice);
      toggle.addEventListener("click", () => openHelp(list.hidden));
      box.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !list.hidden) {
          openHelp(false);
          toggle.focus();
        }
      });
      document.body.prepend(box);
      // The scrolling area starts where the bar ends, whatever its height (a long word, the
      // open list, a larger text size).
      new ResizeObserver(() => document.documentElement.style.setProperty(
        "--reflect-bar-height", `${box.offsetHeight}px`)).observe(box);
      document.addEventListener("click", holdDownload, true);
      // Leaving or reloading the page stops the reading with it (a browser may otherwise
      // go on speaking an old page's words).
      window.addEventListener("pagehide", () => stopSpeech(false));
      document.addEventListener("keydown", (event) => {
        if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey
          && event.code === "KeyQ") {
          event.preventDefault();
          quickExit();
        }
      });
    }
    box.setAttribute("aria-label", data.barLabel);
    box.lang = data.lang;
    const toggle = document.getElementById("reflect-help-toggle");
    toggle.firstChild.textContent = data.helpLabel;
    const exit = document.getElementById("reflect-quick-exit");
    exit.textContent = data.quickExit;
    exit.hidden = !data.quickExitTo;
    document.querySelector("#reflect-listen .reflect-listen-word").textContent = data.listenLabel;
    document.getElementById("reflect-listen-stop").textContent = data.listenStop;
    if (previous !== undefined && previous !== data.step) openHelp(false);  // a new screen
    const list = document.getElementById("reflect-help-list");
    if (list.dataset.built !== data.help + data.links + data.listenCrisis) {
      list.dataset.built = data.help + data.links + data.listenCrisis;
      list.replaceChildren(helpList(JSON.parse(data.help), data.helpHeading, data.links === "on"));
    }
  }

  // The connection to the server is lost: say so in the reader's words, and open the crisis
  // lines (Streamlit's own dialog, written for developers, is turned off: the server answers
  // its host settings with blockErrorDialogs, webserver/middleware.NoErrorDialogs).
  function offline(lostNow) {
    const line = document.getElementById("reflect-offline");
    const page = document.getElementById("reflect-page");
    if (!line || !page) return;
    if (lostNow) {
      line.textContent = page.dataset.offlineNotice;
      line.hidden = false;
      HIST.helpWasOpen = !document.getElementById("reflect-help-list").hidden;
      openHelp(true);
    } else if (!line.hidden) {
      line.hidden = true;
      openHelp(Boolean(HIST.helpWasOpen));
    }
  }

  function openHelp(open) {
    document.getElementById("reflect-help-list").hidden = !open;
    document.getElementById("reflect-help-toggle").setAttribute("aria-expanded", String(open));
  }

  // The crisis lines, each way to reach them a link where the mode has links (tel:, sms:).
  function helpList(lines, title, links) {
    const part = document.createDocumentFragment();
    const heading = document.createElement("p");
    heading.className = "reflect-help-heading";
    heading.textContent = title;
    const items = document.createElement("ul");
    for (const line of lines) {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = `${line.name}: `;
      item.append(name);
      line.ways.forEach((way, index) => {
        if (index > 0) item.append(", ");
        item.append(`${way.words}\u00a0`);  // the word before a number stays with it
        const shown = links && /^(tel|sms):[0-9]+$|^https:\/\//.test(way.target)
          ? document.createElement("a") : document.createElement("span");
        if (shown.tagName === "A") {
          shown.href = way.target;
          if (way.target.startsWith("https:")) {
            // As the same link on the screen does: the reflection stays open in its own tab.
            shown.target = "_blank";
            shown.rel = "noopener noreferrer";
          }
        }
        shown.textContent = way.shown;
        item.append(shown);
        if (way.after) item.append(` ${way.after}`);
      });
      items.append(item);
    }
    // The crisis lines read aloud, on request only.
    const hear = document.createElement("button");
    hear.type = "button";
    hear.className = "reflect-listen-lines";
    hear.textContent = document.getElementById("reflect-page").dataset.listenCrisis;
    hear.addEventListener("click", () => startSpeech("lines"));
    part.append(heading, items, hear);
    return part;
  }

  // ---- Listen: the screen read aloud, privately --------------------------------------------
  // Only ever with a voice the browser says is on the device (localService), in the screen's
  // language, set on every utterance: never left to the browser's default, which may be a
  // network voice whose traffic this page could not even see. With none, it says so. Nothing
  // is spoken unless Listen (or "Listen to these lines") is pressed. A new screen, another
  // language, Start over, Quick exit and a kiosk's reset stop it at once. On a kiosk, speech
  // counts as a touch (assets/kiosk.js reads window.reflectSpeech).
  function listenUpkeep() {
    if (SPEECH.state !== "idle" && SPEECH.key !== speechKey()) stopSpeech(false);
    else showSpeech();
  }

  function speechKey() {
    const data = document.getElementById("reflect-page").dataset;
    return [data.step, data.lang, data.about, data.generation, data.visit].join("|");
  }

  function localVoice(voices, lang) {
    const base = (code) => String(code || "").toLowerCase().replace("_", "-").split("-")[0];
    const own = voices.filter((voice) => voice.localService === true);
    return own.find((voice) => String(voice.lang).toLowerCase() === lang.toLowerCase())
      || own.find((voice) => base(voice.lang) === base(lang)) || null;
  }

  function withVoices(synth, then) {
    const now = synth.getVoices();
    if (now.length) {
      then(now);
      return;
    }
    // Some browsers load their voices after the first ask.
    onEventOrAfter(synth, "voiceschanged", 1500, () => then(synth.getVoices()));
  }

  // Sentences, none too long for a voice that stops after a while on a long utterance.
  function pieces(text) {
    const out = [];
    for (const sentence of text.split(/(?<=[.!?:;])\s+/)) {
      let rest = sentence.trim();
      while (rest.length > 220) {
        const cut = Math.max(rest.lastIndexOf(", ", 220), rest.lastIndexOf(" ", 220));
        const at = cut > 40 ? cut + 1 : 220;
        out.push(rest.slice(0, at).trim());
        rest = rest.slice(at).trim();
      }
      if (rest) out.push(rest);
    }
    return out;
  }

  // A clinic's recordings (webserver/recordings.py): every one, of every language, fetched
  // once when the page loads, by every visitor alike, so neither the request nor its size
  // says anything of a reader (their language, their screens, whether they listened). Each
  // is found by its block, language and the fingerprint of the words it was made from.
  function loadRecordings() {
    const data = document.getElementById("reflect-page").dataset;
    if (data.listenRecorded !== "on" || window.reflectRecordings) return;
    window.reflectRecordings = { files: null };
    fetch(new URL("reflect-recordings", window.location.href), {
      cache: "no-store", credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : []))
      .then((files) => {
        const found = {};
        for (const file of files) {
          if (!file.data) continue;
          found[`${file.lang}|${file.block}|${file.sha}`] = URL.createObjectURL(new Blob(
            [Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0))], { type: file.type }));
        }
        window.reflectRecordings.files = found;
      })
      .catch(() => { window.reflectRecordings.files = {}; });
  }

  function recordingFor(lang, block) {
    const have = window.reflectRecordings && window.reflectRecordings.files;
    return have && block.audio ? have[`${lang}|${block.id}|${block.audio}`] || null : null;
  }

  function startSpeech(what) {
    const data = document.getElementById("reflect-page").dataset;
    const synth = window.speechSynthesis;
    const canSpeak = Boolean(synth) && typeof window.SpeechSynthesisUtterance === "function";
    const blocks = JSON.parse(what === "lines" ? data.listenLines : data.listen);
    const lang = data.lang;
    stopSpeech(false);  // one reading at a time: a press while one goes on starts anew
    const token = SPEECH.epoch;  // a stop (or a new screen) before it begins ends it
    SPEECH.state = "starting";
    SPEECH.key = speechKey();
    const begin = (voice) => {
      if (token !== SPEECH.epoch) return;
      // A recording where there is one for exactly these words, else the device's voice.
      const items = [];
      for (const block of blocks) {
        const url = recordingFor(lang, block);
        const words = voice ? pieces(block.text) : [];
        if (url) items.push({ url, words });
        else words.forEach((piece) => items.push({ words: [piece] }));
      }
      if (!items.length || (!voice && items.length < blocks.length)) {
        tell(canSpeak || items.length ? data.listenNoVoice : data.listenUnavailable);
        return;
      }
      if (canSpeak) {
        synth.resume();  // a synthesizer left paused would stay silent
        synth.cancel();
      }
      SPEECH.state = "reading";
      SPEECH.key = speechKey();
      showSpeech(data.listenReading);
      play(items, voice, token);
    };
    if (canSpeak) withVoices(synth, (voices) => begin(localVoice(voices, lang)));
    else begin(null);
  }

  // One after another: each recording (its words spoken instead if it cannot play), or each
  // sentence with the voice set on it. Each item moves on once, whatever fires.
  function play(items, voice, token) {
    let index = 0;
    const next = () => {
      if (token !== SPEECH.epoch) return;
      clearTimeout(SPEECH.watchdog);
      if (index >= items.length) {
        SPEECH.state = "idle";  // read to the end
        SPEECH.audio = null;
        SPEECH.utterance = null;
        showSpeech("");
        return;
      }
      const item = items[index];
      index += 1;
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        next();
      };
      if (item.url) {
        const audio = new Audio(item.url);
        SPEECH.audio = audio;
        const failed = () => {
          if (done || SPEECH.state === "paused") return;
          done = true;
          SPEECH.audio = null;
          if (voice && item.words.length) {
            items.splice(index, 0, ...item.words.map((piece) => ({ words: [piece] })));
          }
          next();
        };
        audio.onended = once;
        audio.onerror = failed;
        audio.play().catch(failed);
        return;
      }
      SPEECH.audio = null;
      const utterance = new window.SpeechSynthesisUtterance(item.words[0]);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.onend = once;
      utterance.onerror = once;
      SPEECH.utterance = utterance;  // held: an utterance no one holds may never say it ended
      // A voice that never says it ended moves on after a generous while, never hangs.
      SPEECH.watchdog = setTimeout(() => {
        if (SPEECH.state === "reading") once();
      }, 10000 + item.words[0].length * 150);
      window.speechSynthesis.speak(utterance);
    };
    next();
  }

  function pauseSpeech() {
    const data = document.getElementById("reflect-page").dataset;
    const synth = window.speechSynthesis;
    const audio = SPEECH.audio;
    if (SPEECH.state === "reading") {
      if (audio) audio.pause();
      else if (synth) synth.pause();
      clearTimeout(SPEECH.watchdog);
      SPEECH.state = "paused";
      showSpeech(data.listenPaused);
    } else if (SPEECH.state === "paused") {
      if (audio) audio.play().catch(() => {});
      else if (synth) synth.resume();
      SPEECH.state = "reading";
      showSpeech(data.listenReading);
    }
  }

  function stopSpeech(said) {
    SPEECH.epoch += 1;
    clearTimeout(SPEECH.watchdog);
    const was = SPEECH.state;
    SPEECH.state = "idle";
    if (SPEECH.audio) SPEECH.audio.pause();
    SPEECH.audio = null;
    SPEECH.utterance = null;
    if (window.speechSynthesis) {
      window.speechSynthesis.resume();
      window.speechSynthesis.cancel();
    }
    const page = document.getElementById("reflect-page");
    if (page) showSpeech(said && was !== "idle" ? page.dataset.listenStopped : undefined);
  }

  // Whether something is heard right now: what a kiosk counts as a touch. Only sound that is
  // playing counts, so a reading stuck without an end can never keep a kiosk from its reset.
  SPEECH.playing = () => {
    if (SPEECH.state !== "reading") return false;
    const audio = SPEECH.audio;
    if (audio) return !audio.paused && !audio.ended;
    const synth = window.speechSynthesis;
    return Boolean(synth && synth.speaking && !synth.paused);
  };

  // A message without reading (no voice, no speech at all): said in the status line.
  function tell(words) {
    SPEECH.state = "idle";
    showSpeech(words);
  }

  // The controls as the state is; words, when given, are said once in the status line, and
  // kept until the screen changes. The status line is always in the page (a live region
  // that appears with its words already in it is often not read out).
  function showSpeech(words) {
    const data = document.getElementById("reflect-page").dataset;
    const listen = document.getElementById("reflect-listen");
    if (!listen) return;
    const status = document.getElementById("reflect-listen-status");
    const pause = document.getElementById("reflect-listen-pause");
    const panel = document.getElementById("reflect-listen-panel");
    const active = SPEECH.state === "reading" || SPEECH.state === "paused";
    listen.setAttribute("aria-pressed", String(active));
    pause.textContent = SPEECH.state === "paused" ? data.listenResume : data.listenPause;
    const hadFocus = panel.contains(document.activeElement);
    pause.hidden = !active;
    document.getElementById("reflect-listen-stop").hidden = !active;
    panel.hidden = !active;
    if (hadFocus && !active) listen.focus();  // Stop, or the end: focus is not lost
    if (words !== undefined) {
      status.textContent = words;
      SPEECH.saidFor = speechKey();
    } else if (SPEECH.saidFor !== speechKey()) {
      status.textContent = "";
    }
  }
  window.reflectSpeechStop = () => stopSpeech(false);

  // Quick exit, in one handler: press the hidden button that tells the server, over the open
  // connection, to forget this session; take this visit's screens out of history; leave for
  // the neutral page, replacing this one. Entries a page pushed survive location.replace, so
  // first go back to the first of them, push one guard entry there (which drops every entry
  // ahead of it), step back onto the first and replace it: Back from the neutral page goes to
  // wherever the reader was before, and at most the one guard entry is left ahead.
  function quickExit() {
    const page = document.getElementById("reflect-page");
    const to = page && page.dataset.quickExitTo;
    if (!to || HIST.exiting) return;
    HIST.exiting = true;
    stopSpeech(false);
    const forget = document.querySelector(".st-key-reflect_forget button");
    if (forget) forget.click();
    const leave = () => window.location.replace(to);
    if (page.dataset.history !== "on") {
      leave();
      return;
    }
    const here = ours(history.state);
    traverse(here ? -here.depth : 0, () => {
      document.title = "";
      history.pushState(null, "", url());
      traverse(-1, leave);
    });
  }

  // Move through this page's own history entries, then go on (at once if there is nothing to
  // move, or after a moment if the browser does not say it moved).
  function traverse(delta, then) {
    if (delta === 0) {
      then();
      return;
    }
    onEventOrAfter(window, "popstate", 300, then);
    history.go(delta);
  }

  // Go on once: when target fires the event, or after ms if it never does.
  function onEventOrAfter(target, name, ms, then) {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      target.removeEventListener(name, go);
      then();
    };
    target.addEventListener(name, go);
    setTimeout(go, ms);
  }

  // ---- A download tapped straight after typing the note ----------------------------------
  // Streamlit sends a text area's words when it loses focus, and a tap on Download takes that
  // focus away: the tap would fetch the file made before the note arrived. Hold the tap until
  // the server has made the files with the note the reader sees (#reflect-files says which),
  // then press the same Download again.
  function noteSum(text) {
    let value = 0x811c9dc5;
    for (let index = 0; index < text.length; index += 1) {
      value ^= text.charCodeAt(index);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value.toString(16).padStart(8, "0");
  }

  function downloads() {
    return [...document.querySelectorAll("[data-testid=stDownloadButton] button")];
  }

  function holdDownload(event) {
    const button = event.target.closest && event.target.closest(
      "[data-testid=stDownloadButton] button, .print-button");
    if (!button || HIST.passing) return;
    const printing = button.classList.contains("print-button");
    const files = document.getElementById("reflect-files");
    const note = document.querySelector("[data-testid=stMain] [data-testid=stTextArea] textarea");
    const wanted = note ? noteSum(note.value) : null;
    if (!HIST.heldDownload && (!files || !note || wanted === files.dataset.noteSum)) {
      if (printing) printSummary();
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (document.activeElement === note) note.blur();  // Streamlit sends the note on blur
    HIST.heldDownload = { printing, index: downloads().indexOf(button), sum: wanted,
      until: Date.now() + 5000 };
    setTimeout(releaseDownload, 5100);
  }

  function releaseDownload() {
    const held = HIST.heldDownload;
    if (!held) return;
    const files = document.getElementById("reflect-files");
    const ready = files && files.dataset.noteSum === held.sum && idle();
    // Never while a run is going on: its end replaces the files, and a download begun from the
    // old button then fails or lacks the note. Past the deadline (the note never came), the
    // files of the run that has ended are given, whatever they hold.
    if (!ready && (Date.now() < held.until || !idle())) return;
    HIST.heldDownload = null;
    if (held.printing) {
      printSummary();
      return;
    }
    const button = downloads()[held.index];
    if (!button) return;
    HIST.passing = true;
    try {
      button.click();
    } finally {
      HIST.passing = false;
    }
  }

  // Print prints the web page download itself, in a frame of its own: what the reader chose
  // (patterns, help, note, questions), every page of it, and not the app's screen.
  function printSummary() {
    const files = document.getElementById("reflect-files");
    if (!files) {
      window.print();
      return;
    }
    const old = document.getElementById("reflect-printout");
    if (old) old.remove();
    const frame = document.createElement("iframe");
    frame.id = "reflect-printout";
    frame.className = "reflect-printout";
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    frame.title = "print";
    frame.addEventListener("load", () => {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    }, { once: true });
    const bytes = Uint8Array.from(atob(files.dataset.print), (letter) => letter.charCodeAt(0));
    frame.srcdoc = new TextDecoder().decode(bytes);
    document.body.append(frame);
  }

  // ---- Back and Forward between screens --------------------------------------------------
  // Each screen the reader moves to gets a history entry holding only its number and how far
  // it is from this page's first entry: no answer goes into the URL, history or storage. The
  // URL keeps a fragment ("#"), so Streamlit does not rerun on Back or Forward; this script
  // asks the server for the screen instead, through the hidden history radio, and the server
  // goes there only if the reader's own Next could have (reflect/flow.reachable).
  function ours(state) {
    const mark = state && state.reflect;
    return mark && Number.isInteger(mark.step) && Number.isInteger(mark.depth) ? mark : null;
  }

  // An entry for "About this content" also says so (about: true): the screen under it is
  // the same step, in the entry just before it.
  function entry(step, depth, about = false) {
    const mark = { step, depth };
    if (about) mark.about = true;
    return { reflect: mark };
  }

  function url() {
    return `${window.location.pathname}${window.location.search}#`;
  }

  function runNumber() {
    const run = document.getElementById("reflect-run");
    return Number((run && run.dataset.run) || 0);
  }

  // The history request the server has handled last, as the run that ended says.
  function answered() {
    const run = document.getElementById("reflect-run");
    return (run && run.dataset.answered) || "";
  }

  function historyUpkeep() {
    if (window.reflectHistory) return;
    window.reflectHistory = HIST;
    const before = ours(history.state);
    const kind = (performance.getEntriesByType("navigation")[0] || {}).type;
    if (data.history === "on") {
      // A reload (or a return to an entry of an earlier page) starts a new session: say so
      // once, in one calm line, if the reader had gone past the welcome.
      if (before && before.step > 0 && (kind === "reload" || kind === "back_forward")) {
        const notice = document.getElementById("reflect-reloaded");
        notice.textContent = data.reloadNotice;
        notice.hidden = false;
        HIST.noticeStep = data.step;
      }
      // Entries this page made before a reload are still this page's: keep counting them, so
      // Start over and Quick exit can take them out of history too.
      history.replaceState(entry(Number(data.step), before ? before.depth : 0), "", url());
      window.addEventListener("popstate", moved);
    }
  }

  // Runs after every run of the app: bring history and the server's screen together.
  function reconcile() {
    const page = document.getElementById("reflect-page");
    if (!page) return;
    const notice = document.getElementById("reflect-reloaded");
    if (notice && !notice.hidden && page.dataset.step !== HIST.noticeStep) notice.hidden = true;
    if (page.dataset.history !== "on" || HIST.exiting || HIST.rewinding || HIST.closingAbout) {
      return;
    }
    const step = Number(page.dataset.step);
    const here = ours(history.state);
    if (page.dataset.generation !== HIST.generation) {
      // Start over: take the reader's screens out of Back, back to this page's first entry.
      HIST.generation = page.dataset.generation;
      HIST.pending = null;
      HIST.inflight = false;
      if (here && here.depth > 0) {
        HIST.rewinding = true;
        history.go(-here.depth);
      } else {
        history.replaceState(entry(step, 0), "", url());
      }
      return;
    }
    if (HIST.inflight) {
      // Wait for the run that handled this very request: a run that began before it was sent
      // (or one another click started) says nothing about it.
      if (answered() !== HIST.sentValue) return;
      HIST.inflight = false;
    }
    if (HIST.pending !== null) {
      if (step === HIST.pending) {
        HIST.pending = null;
      } else if (HIST.sentFor !== HIST.pending) {
        send();  // Back or Forward again while the last one was on its way
      } else {
        // The server stayed where it was (that screen cannot be reached now): so does history.
        history.replaceState(entry(step, here ? here.depth : 0), "", url());
        HIST.pending = null;
      }
      return;
    }
    const about = page.dataset.about === "on";
    if (!here) {
      history.replaceState(entry(step, 0), "", url());
    } else if (here.step !== step) {
      history.pushState(entry(step, here.depth + 1, about), "", url());
    } else if (about && !here.about) {
      history.pushState(entry(step, here.depth + 1, true), "", url());  // opened
    } else if (!about && here.about) {
      // Closed by its own button: step back onto the screen's entry, so that Back from the
      // screen goes where it went before, and Forward opens "About this content" again.
      HIST.closingAbout = true;
      traverse(-1, () => {
        HIST.closingAbout = false;
        reconcile();
      });
    }
  }

  // Forward onto the entry of "About this content", or Back off it: press the button that
  // opens or closes it, once the run going on has ended.
  function aboutUpkeep() {
    if (HIST.aboutWanted === undefined || HIST.aboutWanted === null) return;
    const page = document.getElementById("reflect-page");
    if (!page) return;
    if ((page.dataset.about === "on") === HIST.aboutWanted) {
      HIST.aboutWanted = null;
      return;
    }
    if (!idle()) return;
    const button = document.querySelector(HIST.aboutWanted
      ? ".st-key-reflect_about_open button" : ".st-key-reflect_about_back button");
    if (!button) return;
    HIST.aboutWanted = null;
    button.click();
  }

  function moved(event) {
    if (HIST.exiting) return;
    const page = document.getElementById("reflect-page");
    const step = Number(page.dataset.step);
    const there = ours(event.state);
    if (HIST.closingAbout) return;  // the step back after closing "About this content"
    if (HIST.rewinding || !there) {
      HIST.rewinding = false;
      history.replaceState(entry(step, 0), "", url());
      return;
    }
    if (there.step === step) {
      HIST.pending = null;
      HIST.aboutWanted = Boolean(there.about);
      aboutUpkeep();
      return;
    }
    HIST.aboutWanted = null;  // another screen: going there closes "About this content"
    HIST.pending = there.step;
    HIST.sentFor = null;  // a new request, whatever was sent for an earlier one
    send();
  }

  // Ask the server for the screen Back or Forward wants, one request at a time. The hidden
  // radio lists every screen twice; choosing the copy it does not show makes every request a
  // change the server sees, and the value it handled comes back with the run (answered()).
  function send() {
    if (!idle() || HIST.inflight) return;  // sent when the run going on has ended (reconcile)
    const options = [...document.querySelectorAll(".st-key-reflect_history input[type=radio]")];
    if (options.length === 0) return;  // not drawn yet: the page watcher sends it when it is
    const screens = options.length / 2;
    if (HIST.pending < 0 || HIST.pending >= screens) {
      HIST.pending = null;
      return;
    }
    const shown = options.findIndex((option) => option.checked);
    const copy = shown >= screens ? 0 : 1;
    const value = HIST.pending + copy * screens;
    HIST.inflight = true;
    HIST.sentFor = HIST.pending;
    HIST.sentValue = String(value);
    options[value].click();
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
  // Leaving "About this content", it goes back to the control that opened it.
  function settled() {
    const notice = document.getElementById("reflect-restarted");
    if (notice) notice.querySelector("button").focus();
    else if (previous !== undefined && previous !== data.step) focusHeading();
    else if (previousAbout !== undefined && previousAbout !== data.about) {
      const opener = document.querySelector(".st-key-reflect_about_open button");
      if (data.about === "on" || !opener) focusHeading();
      else opener.focus();
    }
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
};
