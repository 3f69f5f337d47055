"""Listen (issue 24) in real Chromium, with the browser's speech API replaced by a recorder in
the page: headless Chromium has no voices, and a recorder can say which voice each utterance
was given. The recorder offers a network voice first (as a browser's default may be) and a
voice on the device for each language; every utterance must carry the device's own.

Checked on every screen of every mode in both languages: what is spoken is the screen's own
words, in the order the screen shows them, in its language. Then Pause, Go on and Stop; a new
screen, Start over, Quick exit and a kiosk's reset stop it; on a kiosk it counts as a touch;
without a voice on the device it says so and reads nothing; and nothing is said unless asked.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from reflect.listen import said_name
from tests.browser_support import choose, open_app, press, running_server
from tests.test_browser_design import in_language

pytestmark = pytest.mark.browser

# The speech API as a recorder. window.__speechHold keeps every utterance "speaking" until
# window.__endAll(); otherwise each ends at once, in order. window.__voices may replace the
# voices before the page loads.
RECORDER = """(() => {
  const spoken = [], calls = [];
  window.__spoken = spoken;
  window.__calls = calls;
  const record = (name) => { calls.push(name); if (window.recordCall) window.recordCall(name); };
  const voices = () => window.__voices || [
    {name: "Network English", lang: "en-US", localService: false, default: true},
    {name: "Network Spanish", lang: "es-US", localService: false, default: false},
    {name: "Device English", lang: "en-US", localService: true, default: false},
    {name: "Device Spanish", lang: "es-ES", localService: true, default: false}];
  let queue = [], paused = false;
  const synth = {
    get speaking() { return queue.length > 0; },
    get paused() { return paused; },
    get pending() { return queue.length > 1; },
    getVoices: () => voices().slice(),
    addEventListener() {}, removeEventListener() {},
    speak(u) {
      record("speak");
      spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name,
                   local: Boolean(u.voice && u.voice.localService),
                   page: document.documentElement.lang});
      queue.push(u);
      if (!window.__speechHold) setTimeout(() => {
        const done = queue.shift();
        if (done && done.onend) done.onend({});
      }, 0);
    },
    cancel() { record("cancel"); queue = []; paused = false; },
    pause() { record("pause"); paused = true; },
    resume() { record("resume"); paused = false; },
  };
  // Utterances that vanish without saying they ended (a voice that hangs, or Chrome's
  // collected utterance): the reading looks on, but nothing is heard.
  window.__dropAll = () => { queue = []; };
  window.__endAll = () => {
    const q = queue;
    queue = [];
    q.forEach((u) => u.onend && u.onend({}));
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = "";
                                                      this.voice = null; };
})();"""

HOLD = "window.__speechHold = true;"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("listen") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    log = tmp_path_factory.mktemp("listen") / "kiosk.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT", "--", "--mode",
                         "kiosk", "--idle-seconds", "5", "--countdown-seconds", "3"],
                        log) as url:
        yield url


def listening_page(browser, url: str, size=(390, 844), before: str = "") -> Page:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(before + RECORDER)
    page = context.new_page()
    open_app(page, url)
    return page


# The screen's words in document order, as a reader sees them: every text in the app's main
# area (the crisis box, the language switch and the controls aside) and each picture's alt.
SCREEN_WORDS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const skip = '.st-key-reflect_banner, .st-key-language, .st-key-reflect_history, button, '
    + 'script, style, [hidden], [data-testid=stExpander] summary';
  const out = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === 1) {
      if (node.tagName === 'IMG' && node.alt && !node.closest(skip)) out.push(node.alt);
      continue;
    }
    if (node.parentElement.closest(skip)) continue;
    out.push(node.textContent);
  }
  return out.join(' '); }"""


def words(text: str) -> list[str]:
    """The words, a number digit by digit (Listen says "9 8 8" where the screen shows 988)."""
    plain = text.replace("\u00a0", " ").replace("\u2011", "-").lower()
    out = []
    for word in re.findall(r"[\w'’]+", plain):
        out += list(word) if word.isdigit() else [word]
    return out


def in_order_on_screen(spoken: list[str], screen: str) -> list[str]:
    """The utterances not found, in order, as a run of the screen's own words."""
    shown, at, missing = words(screen), 0, []
    for sentence in spoken:
        said = words(sentence)
        found = next((i for i in range(at, len(shown) - len(said) + 1)
                      if shown[i:i + len(said)] == said), None)
        if found is None:
            missing.append(sentence)
        else:
            at = found + len(said)
    return missing


def listen_to_screen(page: Page) -> list[dict]:
    page.evaluate("() => { window.__spoken.length = 0; }")
    page.locator("#reflect-listen").click()
    page.wait_for_function("() => window.__spoken.length > 0 "
                           "&& window.reflectSpeech.state === 'idle'")
    return page.evaluate("() => window.__spoken.slice()")


def check_heard(page: Page, lang: str, where: str) -> list[str]:
    heard = listen_to_screen(page)
    assert all(u["local"] and u["voice"] == f"Device {'English' if lang == 'en' else 'Spanish'}"
               for u in heard), (where, heard)
    assert all(u["lang"].startswith(lang) and u["page"] == lang for u in heard), (where, heard)
    texts = [u["text"] for u in heard]
    assert in_order_on_screen(texts, page.evaluate(SCREEN_WORDS)) == [], where
    return texts


def walk(page: Page, content, lang: str, mode: str):
    """From the welcome to the close and About, yielding each screen's name once drawn."""
    text = lambda key: content.text(lang, key)  # noqa: E731
    yield "welcome"
    press(page, text("welcome.start"))
    for answer in ("sounds_like_me", "not_really", "rather_not_say", "sometimes"):
        yield f"question, before {answer}"
        choose(page, content.answer_label(lang, answer))
        press(page, text("nav.next"))
    yield "reflection"
    press(page, text("reflection.next"))
    yield "help"
    press(page, text("help.next"))
    yield "close"
    if mode != "kiosk":
        press(page, text("about.link"))
        yield "about"


@pytest.mark.parametrize("mode", ["personal", "counseling", "kiosk"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_screen_is_read_in_its_own_words_in_order_with_a_voice_on_the_device(
        browser, server, kiosk, content, mode, lang):
    url = kiosk if mode == "kiosk" else server + ("/?mode=counseling"
                                                 if mode == "counseling" else "")
    page = listening_page(browser, url)
    in_language(page, lang)
    heard = {}
    for screen in walk(page, content, lang, mode):
        heard[screen] = check_heard(page, lang, screen)
    assert heard["welcome"][0] == content.text(lang, "welcome.heading") + "."
    first = content.text(lang, "reflection.not_a_diagnosis").split(".")[0]
    assert any(first in t for t in heard["reflection"]), heard["reflection"]
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_crisis_lines_are_read_only_when_asked_from_the_help_list(browser, server,
                                                                      content, lang):
    page = listening_page(browser, server)
    in_language(page, lang)
    page.locator(".reflect-help-toggle").click()
    hear = page.get_by_role("button", name=content.text(lang, "listen.crisis"), exact=True)
    hear.click()
    page.wait_for_function("() => window.__spoken.length > 0 "
                           "&& window.reflectSpeech.state === 'idle'")
    heard = " ".join(u["text"] for u in page.evaluate("() => window.__spoken"))
    for line in content.helplines.crisis:
        assert said_name(line.text[lang].name) in heard
    assert "9 8 8" in heard  # said digit by digit
    page.context.close()


def state(page: Page) -> dict:
    return page.evaluate("""() => ({state: window.reflectSpeech.state,
      pressed: document.getElementById('reflect-listen').getAttribute('aria-pressed'),
      pause: document.getElementById('reflect-listen-pause').innerText,
      pauseShown: !document.getElementById('reflect-listen-pause').hidden,
      status: document.getElementById('reflect-listen-status').innerText,
      calls: window.__calls.slice()})""")


def test_pause_go_on_and_stop_and_the_state_is_said(browser, server, content):
    page = listening_page(browser, server, before=HOLD)
    page.locator("#reflect-listen").click()
    now = state(page)
    assert (now["state"], now["pressed"], now["status"]) == (
        "reading", "true", content.text("en", "listen.reading"))
    page.get_by_role("button", name=content.text("en", "listen.pause"), exact=True).click()
    now = state(page)
    assert (now["state"], now["pause"], now["status"], now["calls"][-1]) == (
        "paused", content.text("en", "listen.resume"), content.text("en", "listen.paused"),
        "pause")
    page.get_by_role("button", name=content.text("en", "listen.resume"), exact=True).click()
    assert state(page)["calls"][-1] == "resume" and state(page)["state"] == "reading"
    page.get_by_role("button", name=content.text("en", "listen.stop"), exact=True).click()
    now = state(page)
    assert (now["state"], now["pressed"], now["pauseShown"], now["status"],
            now["calls"][-1]) == ("idle", "false", False, content.text("en", "listen.stopped"),
                                  "cancel")
    page.context.close()


@pytest.mark.parametrize("how", ["next screen", "start over", "language"])
def test_a_new_screen_start_over_or_another_language_stops_the_speech_at_once(
        browser, server, content, how):
    page = listening_page(browser, server, before=HOLD)
    if how == "start over":
        press(page, content.text("en", "welcome.start"))
    page.locator("#reflect-listen").click()
    assert state(page)["state"] == "reading"
    if how == "next screen":
        press(page, content.text("en", "welcome.start"))
    elif how == "start over":
        press(page, content.text("en", "nav.start_over"))  # nothing kept: at once
        page.wait_for_function("() => document.querySelector('h1')?.innerText === "
                               f"{content.text('en', 'welcome.heading')!r}")
    else:
        in_language(page, "es")
    now = state(page)
    assert now["state"] == "idle" and now["pressed"] == "false", now
    assert now["calls"][-1] == "cancel" and now["status"] == "", now
    page.context.close()


def test_quick_exit_stops_the_speech_before_leaving(browser, server):
    calls = []
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.expose_function("recordCall", lambda name: calls.append(name))
    context.add_init_script(HOLD + RECORDER)
    context.route("https://www.weather.gov/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<p>weather</p>"))
    page = context.new_page()
    open_app(page, server)
    page.locator("#reflect-listen").click()
    page.wait_for_function("() => window.reflectSpeech.state === 'reading'")
    page.locator(".reflect-quick-exit").click()
    page.wait_for_url("https://www.weather.gov/**")
    assert "speak" in calls and "cancel" in calls[calls.index("speak"):], calls
    context.close()


def test_on_a_kiosk_speech_counts_as_a_touch_and_the_reset_stops_it(browser, kiosk, content):
    calls = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.expose_function("recordCall", lambda name: calls.append(name))
    context.add_init_script(HOLD + RECORDER)
    page = context.new_page()
    open_app(page, kiosk)
    press(page, content.text("en", "welcome.start"))
    choose(page, content.answer_label("en", "sometimes"))  # the visitor now holds an answer
    page.locator("#reflect-listen").click()
    started = page.evaluate("() => Date.now()")
    # The kiosk waits 5 s for a touch. Two seconds past that, while it reads: no countdown.
    page.wait_for_function("(t) => Date.now() > t + 7000", arg=started, timeout=15000)
    assert page.locator("#kiosk-idle").is_hidden()
    assert state(page)["state"] == "reading"
    # Paused, it is not reading: the countdown comes, and its reset stops the speech first.
    page.get_by_role("button", name=content.text("en", "listen.pause"), exact=True).click()
    page.wait_for_selector("#kiosk-idle", state="visible", timeout=15000)
    page.wait_for_function("() => document.querySelector('h1')?.innerText === "
                           f"{content.text('en', 'welcome.heading')!r}", timeout=20000)
    assert "cancel" in calls[calls.index("pause"):], calls
    context.close()


def test_without_a_voice_on_the_device_it_says_so_and_reads_nothing(browser, server, content):
    network_only = ("window.__voices = [{name: 'Network English', lang: 'en-US', "
                    "localService: false, default: true}];")
    page = listening_page(browser, server, before=network_only)
    page.locator("#reflect-listen").click()
    page.wait_for_function("(w) => document.getElementById('reflect-listen-status')"
                           ".innerText === w", arg=content.text("en", "listen.no_voice"))
    assert "speak" not in page.evaluate("() => window.__calls")
    assert state(page)["state"] == "idle"
    page.context.close()


def test_listen_is_reached_and_pressed_by_keyboard_and_silent_until_pressed(browser, server,
                                                                            content):
    page = listening_page(browser, server, before=HOLD)
    press(page, content.text("en", "welcome.start"))
    choose(page, content.answer_label("en", "sometimes"))
    assert page.evaluate("() => window.__calls") == []  # nothing said unless asked
    page.locator("body").focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "reflect-listen":
            break
    assert page.evaluate("() => document.activeElement.id") == "reflect-listen"
    page.keyboard.press("Enter")
    now = state(page)
    assert now["state"] == "reading" and now["pressed"] == "true"
    assert page.get_by_role("status").filter(
        has_text=content.text("en", "listen.reading")).count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "reflect-listen-pause"
    page.context.close()


# Audio as a recorder too: headless Chromium has no sound device, and the test asks which file
# was played, not how it sounds.
AUDIO_RECORDER = """(() => {
  window.__played = [];
  HTMLMediaElement.prototype.play = function () {
    window.__played.push({src: this.src, type: this.src.startsWith('blob:') ? 'blob' : 'url'});
    setTimeout(() => this.dispatchEvent(new Event('ended')), 0);
    return Promise.resolve();
  };
  HTMLMediaElement.prototype.pause = function () {};
})();"""


def test_a_recording_in_the_site_is_played_instead_and_fetched_without_saying_which(
        browser, tmp_path, content):
    """The kiosk's welcome in English is recorded: Listen plays it, not a voice. The page
    fetched every recording as it loaded, before anyone pressed anything, with nothing of the
    reader in the request. Where nothing is recorded (a question), the device's voice reads."""
    import shutil

    from reflect.content import load_content
    from tests.test_recordings import EXAMPLE, ROOT, entry, welcome_sha, with_recording

    site = tmp_path / "my-clinic"
    shutil.copytree(EXAMPLE, site)
    with_recording(site, entry(sha=welcome_sha(site)))
    clinic = load_content(ROOT, site=site)
    log = tmp_path / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT", "--", "--mode",
                         "kiosk", "--site", str(site)], log) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(RECORDER + AUDIO_RECORDER)
        asked = []
        context.on("request", lambda r: asked.append((r.method, r.url, r.post_data))
                   if "recordings" in r.url else None)
        page = context.new_page()
        open_app(page, url)
        # Fetched as the page loads, by every visitor alike: nothing of a reader in it.
        page.wait_for_function("() => window.reflectRecordings?.files")
        assert asked == [("GET", f"{url}/reflect-recordings", None)]
        page.locator("#reflect-listen").click()
        page.wait_for_function("() => window.__played.length > 0 "
                               "&& window.reflectSpeech.state === 'idle'")
        assert [p["type"] for p in page.evaluate("() => window.__played")] == ["blob"]
        assert page.evaluate("() => window.__spoken.length") == 0
        press(page, clinic.text("en", "welcome.start"))
        heard = listen_to_screen(page)
        assert heard and all(u["local"] for u in heard)
        assert len(page.evaluate("() => window.__played")) == 1  # nothing recorded here
        assert len(asked) == 1  # fetched once for the page
        context.close()


def test_a_reading_that_never_ends_never_keeps_a_kiosk_from_its_reset(browser, kiosk, content):
    """Only sound that plays counts as a touch: a voice that goes silent without saying it
    ended (the reading still looks on) lets the countdown come and the reset forget."""
    page = listening_page(browser, kiosk, size=(1280, 800), before=HOLD)
    press(page, content.text("en", "welcome.start"))
    choose(page, content.answer_label("en", "sometimes"))
    page.locator("#reflect-listen").click()
    page.wait_for_function("() => window.reflectSpeech.state === 'reading'")
    page.evaluate("() => window.__dropAll()")
    page.wait_for_selector("#kiosk-idle", state="visible", timeout=20000)
    page.wait_for_function("() => document.querySelector('h1')?.innerText === "
                           f"{content.text('en', 'welcome.heading')!r}", timeout=20000)
    page.context.close()
