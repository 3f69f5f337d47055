"""Draw every screen of every mode, in every language, at a phone's and a laptop's size, as PNG
files for a person to look at (issue 22, "How to check it"):

    .venv/bin/python -m tests.gallery OUT                       # the gallery, and OUT/index.html
    .venv/bin/python -m tests.gallery --readme docs/screens     # only README's three pictures
    .venv/bin/python -m tests.gallery OUT --readme docs/screens # both

Run it from the project's folder after `bash scripts/setup.sh --test`. It starts one real
server per server mode (a personal server serves counseling too, through ?mode=counseling; a
kiosk needs its own, REFLECT_MODE=kiosk), walks each screen in real Chromium and waits for
each to be drawn (the run it started has ended, the new heading is there), never for a fixed
time. The servers are stopped at the end, whatever happens.

The gallery's files are full-page: the whole screen, however long. Short red marks at both
edges show where the first screen ends (the viewport's height), so what needs a scroll shows.
README's three are viewport-size, so they stay small.

A new kind of screen in reflect/flow.py or a new mode in reflect/modes.py must be added here:
tests/test_gallery.py fails until it is.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reflect import flow
from reflect.content import Content, load_content
from reflect.modes import KIOSK, MODES, PERSONAL
from tests.browser_support import ROOT

SIZES = ((390, 844), (1280, 800))
# Each mode in reflect/modes.py, and how the gallery reaches it: the mode of the server it
# runs on (REFLECT_MODE) and the query the page is opened with.
MODE_ROUTES = {
    "personal": (PERSONAL, ""),
    "counseling": (PERSONAL, "?mode=counseling"),
    "kiosk": (KIOSK, ""),
}
# The answers given to the questions, in turn: two recognise their pattern (so the reflection
# has explanations to show), one does not, one is declined (the "not answered" line).
ANSWERS = ("sounds_like_me", "not_really", "sometimes", "rather_not_say")
# Each kind of screen: the text key of its heading, and of the button that leaves it forward.
HEADINGS = {
    flow.WELCOME: "welcome.heading",
    flow.QUESTION: "question.progress",
    flow.REFLECTION: "reflection.heading",
    flow.HELP: "help.heading",
    flow.CLOSE: "close.heading",
}
FORWARD = {
    flow.WELCOME: "welcome.start",
    flow.QUESTION: "nav.next",
    flow.REFLECTION: "reflection.next",
    flow.HELP: "help.next",
    flow.CLOSE: None,
}
ABOUT = "about"  # "About this content": drawn in place of any screen, not a step of the flow
# README's pictures: file name, (mode, language, size), and the shot of that walk.
README = (
    ("phone-question.png", ("personal", "en", (390, 844)), "question-1"),
    ("counseling-reflection.png", ("counseling", "en", (1280, 800)), "reflection"),
    ("kiosk-close.png", ("kiosk", "en", (1280, 800)), "close"),
)


@dataclass(frozen=True)
class Shot:
    """One picture of a walk: its name in the file name, the kind of screen it shows (a kind
    in reflect/flow.py, or ABOUT), and for a question screen, which one."""

    name: str
    kind: str
    number: int = 0


def shots(content: Content) -> tuple[Shot, ...]:
    """Every picture of one walk, in order: each screen of reflect/flow.py, and on the way the
    bar's help list opened, a question's "choose an answer" warning and "About this content".
    """
    found: list[Shot] = []
    for screen in flow.screens(content):
        if screen.kind == flow.QUESTION:
            if screen.number == 1:
                found.append(Shot("question-1-no-answer", flow.QUESTION, 1))
            found.append(Shot(f"question-{screen.number}", flow.QUESTION, screen.number))
        else:
            found.append(Shot(screen.kind, screen.kind))
        if screen.kind == flow.WELCOME:
            found.append(Shot("welcome-help-list", flow.WELCOME))
    found.append(Shot(ABOUT, ABOUT))
    return tuple(found)


def file_name(mode: str, lang: str, size: tuple[int, int], number: int, shot: Shot) -> str:
    return f"{mode}-{lang}-{size[0]}x{size[1]}-{number:02d}-{shot.name}.png"


# ---- Drawing --------------------------------------------------------------------------------

# The whole page, however long: the app scrolls inside stMain, below the bar (page.js), so the
# page's own height is the viewport's. This is the height that shows all of stMain.
PAGE_HEIGHT = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  return Math.ceil(main.getBoundingClientRect().top + main.scrollHeight); }"""
# Drawn in full: every picture loaded (the cycle, the QR code), the page's fonts too.
SETTLED = ("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
           " && document.fonts.status === 'loaded'")


class Walk:
    """One reader's way through one mode, in one language, at one size."""

    def __init__(self, browser, url: str, mode: str, lang: str, size: tuple[int, int],
                 content: Content) -> None:
        self.mode, self.lang, self.size, self.content = mode, lang, size, content
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           locale="en-US")
        self.page = self.context.new_page()
        self.url = url

    def text(self, key: str, **values: object) -> str:
        return self.content.text(self.lang, key, **values)

    def drawn(self, heading: str) -> None:
        """Wait until the screen with this heading is drawn in full."""
        from tests.browser_support import IDLE

        self.page.wait_for_function("(words) => document.querySelector('h1')?.innerText"
                                    " === words", arg=heading)
        self.page.wait_for_selector(IDLE)
        if MODES[self.mode].downloads and heading == self.text("close.heading"):
            # The downloads are drawn a moment after the rest of the close.
            self.page.wait_for_function(
                "() => document.querySelectorAll('.st-key-reflect_save button').length === 3")
        self.page.wait_for_function(SETTLED)

    def press(self, key: str) -> None:
        from tests.browser_support import press

        press(self.page, self.text(key))

    def start(self) -> None:
        from tests.browser_support import choose, open_app

        open_app(self.page, self.url + "/" + MODE_ROUTES[self.mode][1])
        if self.lang != self.content.default_language:  # a click on the chosen one runs nothing
            choose(self.page, self.content.languages[self.lang])
            self.page.wait_for_function("(lang) => document.documentElement.lang === lang",
                                        arg=self.lang)
        self.drawn(self.text("welcome.heading"))

    def full_page(self, path: Path) -> None:
        """Write the whole screen, with a mark at each edge where the first screen ends."""
        from PIL import Image, ImageDraw

        width, height = self.size
        page = self.page
        try:
            for _ in range(3):  # a taller window can change the layout a little: measure again
                wanted = max(height, page.evaluate(PAGE_HEIGHT))
                if wanted == page.viewport_size["height"]:
                    break
                page.set_viewport_size({"width": width, "height": wanted})
                page.wait_for_function("(h) => window.innerHeight === h", arg=wanted)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() =>"
                              " requestAnimationFrame(r)))")
            page.screenshot(path=path, animations="disabled")
        finally:
            page.set_viewport_size({"width": width, "height": height})
        with Image.open(path) as image:
            picture = image.convert("RGB")
        if picture.height > height:
            draw = ImageDraw.Draw(picture)
            for x in (0, width - 14):
                draw.rectangle([x, height - 2, x + 13, height + 1], fill=(220, 0, 0))
        picture.save(path, optimize=True)

    def at_viewport(self, path: Path) -> None:
        """Write the first screen only, in few colours: a small file for README."""
        from PIL import Image

        self.page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
        self.page.screenshot(path=path, animations="disabled")
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=64)
        small.save(path, optimize=True)

    def walk(self, each: Callable[[Shot], None]) -> None:
        """Go through every shot of shots(), calling each(shot) when it is on the screen."""
        from tests.browser_support import choose

        page = self.page
        answers = iter(ANSWERS * len(self.content.patterns))
        total = len(self.content.patterns)
        self.start()
        here = (flow.WELCOME, 0)  # the screen of the flow on display
        for shot in shots(self.content):
            if shot.kind != ABOUT and (shot.kind, shot.number) != here:
                self.press(FORWARD[here[0]])  # on to the screen of this shot
                here = (shot.kind, shot.number)
            if shot.name == "welcome-help-list":
                page.locator("#reflect-help-toggle").click()  # page.js: no run
                page.wait_for_selector("#reflect-help-list", state="visible")
                page.mouse.move(1, 1)
                each(shot)
                page.locator("#reflect-help-toggle").click()
                page.wait_for_selector("#reflect-help-list", state="hidden")
                continue
            if shot.kind == ABOUT:
                self.press("about.link")
                self.drawn(self.text("about.heading"))
                page.wait_for_function("() => document.activeElement.tagName === 'H1'")
            elif shot.name == "question-1-no-answer":
                self.drawn(self.text("question.progress", number=1, total=total))
                self.press("nav.next")  # with no answer: the warning, on the same screen
                page.get_by_text(self.text("nav.choose_an_answer")).wait_for()
            elif shot.kind == flow.QUESTION:
                choose(page, self.content.answer_label(self.lang, next(answers)))
                self.drawn(self.text("question.progress", number=shot.number, total=total))
            else:
                self.drawn(self.text(HEADINGS[shot.kind]))
            # The pointer off every control: a button drawn under the last click's place
            # would show its hover colour, which a reader's screen does not.
            page.mouse.move(1, 1)
            each(shot)

    def close(self) -> None:
        self.context.close()


@contextlib.contextmanager
def servers(needed: set[str], logs: Path) -> Iterator[dict[str, str]]:
    """One real server per server mode needed, each stopped at the end, whatever happens."""
    from tests.browser_support import running_server

    with contextlib.ExitStack() as stack:
        urls = {}
        for server_mode in sorted(needed):
            urls[server_mode] = stack.enter_context(running_server(
                ["bash", "scripts/serve.sh", "--server.port", "PORT"],
                logs / f"{server_mode}.log", env={"REFLECT_MODE": server_mode}))
        yield urls


def write_index(out: Path, files: list[tuple[str, str, str]]) -> None:
    """A page that shows every picture in a grid, each with its caption, grouped by walk."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, name, caption in files:
        groups.setdefault(group, []).append((name, caption))
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
             "<title>Screen gallery</title><style>",
             "body{font-family:sans-serif;margin:1rem;background:#eee}",
             ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));"
             "gap:1rem;align-items:start}",
             "figure{margin:0;background:#fff;padding:.5rem;border:1px solid #ccc}",
             "img{width:100%;height:auto;border:1px solid #ddd}",
             "figcaption{font-size:.8rem;word-break:break-all}</style>",
             "<h1>Screen gallery</h1><p>Every screen of every mode, full page. The red marks "
             "at the edges show where the first screen ends: below them needs a scroll. "
             "Click a picture for its full size.</p>"]
    for group, items in groups.items():
        parts.append(f"<h2>{html.escape(group)}</h2><div class='grid'>")
        for name, caption in items:
            link = html.escape(name, quote=True)
            parts.append(f"<figure><a href='{link}'><img src='{link}' loading='lazy' alt=''>"
                         f"</a><figcaption>{html.escape(caption)}</figcaption></figure>")
        parts.append("</div>")
    (out / "index.html").write_text("\n".join(parts) + "\n", encoding="utf-8")


def draw(out: Path | None, readme: Path | None) -> int:
    """Draw the gallery into out and/or README's three pictures into readme; return how many
    files were written."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS

    content = load_content(ROOT)
    walks = [(mode, lang, size) for mode in MODE_ROUTES for lang in content.languages
             for size in SIZES]
    wanted_readme = {where: (name, shot) for name, where, shot in README}
    if out is None:  # README's pictures only: just the walks they come from
        walks = [w for w in walks if w in wanted_readme]
    for folder in (out, readme):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    logs = Path(tempfile.mkdtemp(prefix="gallery-logs-"))
    written: list[tuple[str, str, str]] = []
    count = 0
    try:
        needed = {MODE_ROUTES[mode][0] for mode, _, _ in walks}
        with servers(needed, logs) as urls, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                for where in walks:
                    mode, lang, size = where
                    walk = Walk(browser, urls[MODE_ROUTES[mode][0]], mode, lang, size, content)
                    numbers = iter(range(1, 1000))
                    group = f"{mode}, {lang}, {size[0]}x{size[1]}"

                    def each(shot: Shot, walk=walk, where=where, numbers=numbers,
                             group=group) -> None:
                        nonlocal count
                        number = next(numbers)
                        if out is not None:
                            name = file_name(*where, number, shot)
                            walk.full_page(out / name)
                            written.append((group, name, name.removesuffix(".png")))
                            count += 1
                            print(f"{out / name}", flush=True)
                        if (readme is not None and where in wanted_readme
                                and wanted_readme[where][1] == shot.name):
                            path = readme / wanted_readme[where][0]
                            walk.at_viewport(path)
                            count += 1
                            print(f"{path}", flush=True)

                    try:
                        walk.walk(each)
                    finally:
                        walk.close()
            finally:
                browser.close()
    except BaseException:
        print(f"The servers' logs are kept in {logs}", file=sys.stderr)
        raise
    shutil.rmtree(logs, ignore_errors=True)
    if out is not None:
        write_index(out, written)
        count += 1
        print(f"{out / 'index.html'}", flush=True)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.gallery", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path,
                        help="the folder for the gallery's PNG files and index.html")
    parser.add_argument("--readme", type=Path, metavar="FOLDER",
                        help="also write README's three pictures here (e.g. docs/screens)")
    args = parser.parse_args(argv)
    if args.out is None and args.readme is None:
        parser.error("name a folder for the gallery, or --readme FOLDER, or both")
    started = time.monotonic()
    count = draw(args.out, args.readme)
    print(f"{count} files in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
