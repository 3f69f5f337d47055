"""A hundred visitors at once, each with their own answers, note, mode and language: none
ever sees another's, and afterwards nothing of them is on disk, in a log or under /media/."""

from __future__ import annotations

import asyncio
import tempfile
import time
import urllib.error
import uuid
from pathlib import Path

import pytest

from tests.browser_support import running_server
from tests.leak_scan import contents, files_changed_since
from tests.protocol import Session, fetch

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 100


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A personal server (a session is dropped 2 s after its tab goes) and a kiosk server,
    each with a private temporary folder of its own, scanned like the shared one."""
    logs = tmp_path_factory.mktemp("isolation")
    private = tmp_path_factory.mktemp("server-tmp")
    env = {"TMPDIR": str(private)}
    personal = ["bash", "scripts/serve.sh", "--server.port", "PORT",
                "--server.disconnectedSessionTTL", "2"]
    kiosk = personal + ["--", "--mode", "kiosk"]
    with running_server(personal, logs / "personal.log", env) as one, \
            running_server(kiosk, logs / "kiosk.log", env) as two:
        yield ({"personal": one, "kiosk": two}, [logs / "personal.log", logs / "kiosk.log"],
               private)


def plan(content, number: int) -> dict:
    """Session number's visitor: answers, mode, language and note all differ."""
    lang = "es" if number % 2 else "en"
    mode = ("counseling", "counseling", "personal", "personal", "kiosk")[number % 5]
    ids = [a.id for a in content.answers]
    code = number * 2 + 1  # a distinct combination of the 256 for each session
    answers = {p.id: ids[(code // 4 ** i) % 4] for i, p in enumerate(content.patterns)}
    note = f"NOTE-{number:03d}-{uuid.uuid4().hex[:12]}" if mode == "counseling" else ""
    return {"number": number, "lang": lang, "mode": mode, "answers": answers, "note": note}


async def act(acting: asyncio.Semaphore, click):
    async with acting:
        return await click


async def visit(servers: dict, content, visitor: dict, acting: asyncio.Semaphore) -> dict:
    """Walk one visitor through to the close; return all they were sent and downloaded."""
    lang, mode = visitor["lang"], visitor["mode"]
    text = lambda key: content.text(lang, key)  # noqa: E731
    url = servers["kiosk" if mode == "kiosk" else "personal"]
    query = "mode=counseling" if mode == "counseling" else ""
    async with Session(url, query=query, locale=f"{lang}-US") as tab:
        await act(acting, tab.press(text("welcome.start")))
        for pattern in content.patterns:
            answer = visitor["answers"][pattern.id]
            await act(acting, tab.choose(text(f"answers.{answer}.label")))
            await act(acting, tab.press(text("nav.next")))
        reflection = tab.screen.text()
        await act(acting, tab.press(text("reflection.next")))
        await act(acting, tab.press(text("help.next")))
        download = b""
        if mode != "kiosk":
            titles = [text(f"patterns.{p}.title") for p in sorted(recognised(content, visitor))]
            note = (text("save.note_label"), visitor["note"]) if visitor["note"] else None
            await act(acting, tab.tick_all(titles, note))
            download = await act(acting, tab.download(text("save.download_html")))
        return {**visitor, "reflection": reflection, "download": download.decode("utf-8"),
                "sent": "\n".join(tab.everything), "download_url": tab.last_download_url}


def recognised(content, visitor: dict) -> set[str]:
    return {p.id for p in content.patterns
            if content.answer(visitor["answers"][p.id]).recognition in ("fully", "sometimes")}


def test_a_hundred_concurrent_visitors_never_see_each_other_and_leave_nothing(servers,
                                                                              content):
    urls, logs, private = servers
    started = time.time()
    visitors = [plan(content, n) for n in range(SESSIONS)]
    assert len({tuple(v["answers"].values()) for v in visitors}) == SESSIONS

    async def everyone():
        # All hundred sessions are open at once and interleave; at most 25 clicks are in
        # flight at a time, as with visitors who read between clicks.
        acting = asyncio.Semaphore(25)
        return await asyncio.gather(*(visit(urls, content, v, acting) for v in visitors))

    results = asyncio.run(everyone())
    notes = {v["note"] for v in visitors if v["note"]}
    assert len(notes) == 40
    for result in results:
        lang = result["lang"]
        output = result["sent"] + result["download"]
        # 1. No other visitor's note, anywhere in what this one was sent or downloaded.
        assert [n for n in notes - {result["note"]} if n in output] == []
        # 2. The reflection shows exactly this visitor's own patterns.
        own = recognised(content, result)
        for pattern in content.patterns:
            first_line = content.explanation(lang, pattern.id).body.split("\n")[0]
            assert (first_line in result["reflection"]) == (pattern.id in own), \
                (result["number"], pattern.id)
        # 3. The download holds this visitor's own note and patterns, no one else's.
        if result["mode"] != "kiosk":
            assert result["note"] in result["download"]
            for pattern in content.patterns:
                first_line = content.explanation(lang, pattern.id).body.split("\n")[0]
                assert (first_line in result["download"]) == (pattern.id in own)

    # Nothing kept: no note in any file written since the test began (app folder, temporary
    # folder, home folder; the servers' logs are in the temporary folder), and the logs hold
    # no answer, note or query string.
    visits_done = time.time()
    changed = set(files_changed_since(started, [ROOT, Path(tempfile.gettempdir()),
                                                Path.home(), private])) | set(logs)
    leaks = [str(path) for path in changed
             if any(note.encode() in contents(path) for note in notes)]
    assert leaks == []
    traces = [a.id for a in content.answers] + ["answer:", "NOTE-", "mode=counseling", "?"]
    traces += [content.text(lang, f"answers.{a.id}.label") for lang in content.languages
               for a in content.answers]
    for log in logs:
        written = log.read_text(encoding="utf-8")
        assert [t for t in traces if t in written] == [], written[-2000:]

    # Downloads: the address holds a hash of content with a random code in it, and once
    # the session has ended (2 s after its tab went here), it serves nothing.
    addresses = [r["download_url"] for r in results if r["download_url"]]
    assert len(set(addresses)) == len(addresses)
    deadline = time.monotonic() + 60
    gone = set()
    while len(gone) < len(addresses) and time.monotonic() < deadline:
        for address in set(addresses) - gone:
            try:
                fetch(address)
            except urllib.error.HTTPError as error:
                error.close()
                if error.code == 404:
                    gone.add(address)
        time.sleep(1)
    assert len(gone) == len(addresses), f"{len(addresses) - len(gone)} downloads still served"
    print(f"\n{SESSIONS} sessions in {visits_done - started:.1f} s; {len(changed)} files "
          f"scanned; {len(addresses)} downloads gone {time.time() - visits_done:.1f} s later")
