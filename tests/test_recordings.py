"""A clinic's recordings for Listen (issue 24, item 3): checked by `reflect check --site` (a
known block and language, a playable file by its signature, the size limit, the words it was
recorded from), chosen only for exactly the words on the screen, and sent all at once per
language, the language in the request's body."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from reflect import flow
from reflect.__main__ import main as reflect_main
from reflect.content import load_content
from reflect.listen import recordable, screen_blocks, with_recordings
from reflect.modes import MODES
from reflect.site import MAX_RECORDING_BYTES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clinic"


def wav(samples: int = 800) -> bytes:
    """A short WAV file of silence: 8 kHz, 16-bit, mono."""
    data = b"\0\0" * samples
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
            + b"data" + struct.pack("<I", len(data)) + data)


def welcome_sha(folder: Path, mode: str = "kiosk", lang: str = "en") -> str:
    content = load_content(ROOT, site=folder)
    screen = flow.screens(content)[0]
    (block,) = screen_blocks(content, lang, screen, MODES[mode])
    from reflect.listen import text_hash

    return text_hash(block.text)


def with_recording(folder: Path, entry: str, data: bytes = b"", name: str = "welcome.wav"):
    (folder / "recordings").mkdir(exist_ok=True)
    (folder / "recordings" / name).write_bytes(data or wav())
    site = folder / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "recordings:\n" + entry,
                    encoding="utf-8")


def entry(block="welcome", lang="en", file="recordings/welcome.wav", sha="0" * 64) -> str:
    return (f"  - block: {block}\n    lang: {lang}\n    file: {file}\n"
            f"    text_sha256: \"{sha}\"\n")


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-clinic"
    shutil.copytree(EXAMPLE, target)
    return target


def check(folder: Path, capsys) -> tuple[int, str]:
    status = reflect_main(["check", "--site", str(folder)])
    out = capsys.readouterr()
    return status, out.out + out.err


def test_a_recording_of_the_words_as_they_are_passes_and_is_chosen_for_them(site_copy, capsys):
    sha = welcome_sha(site_copy)
    with_recording(site_copy, entry(sha=sha))
    status, said = check(site_copy, capsys)
    assert status == 0 and "Warning" not in said, said
    content = load_content(ROOT, site=site_copy)
    (recording,) = content.site.recordings
    assert (recording.block, recording.lang, recording.media_type) == ("welcome", "en",
                                                                       "audio/wav")
    screen = flow.screens(content)[0]
    kiosk = screen_blocks(content, "en", screen, MODES["kiosk"])
    personal = screen_blocks(content, "en", screen, MODES["personal"])
    assert with_recordings(content, "en", kiosk)[0]["audio"] == sha
    # The personal welcome's words differ (its privacy line): a voice reads them instead.
    assert "audio" not in with_recordings(content, "en", personal)[0]
    assert "audio" not in with_recordings(content, "es", kiosk)[0]


@pytest.mark.parametrize(("kind", "recording", "data", "expected"), [
    ("block", entry(block="reflection"), b"", "recordings[0].block: 'reflection' is not a "
     "block Listen reads"),
    ("language", entry(lang="fr"), b"", "recordings[0].lang: 'fr' is not a language of the "
     "content"),
    ("format", entry(), b"\xff\xd8\xff\xe0 a JPEG", "is not an Ogg Opus, MP3 or WAV file"),
    ("size", entry(), b"RIFF\0\0\0\0WAVE" + b"\0" * MAX_RECORDING_BYTES, "more than "
     f"{MAX_RECORDING_BYTES}"),
    ("missing", entry(file="recordings/gone.wav"), b"", "there is no file 'recordings/gone.wav'"),
    ("outside", entry(file="../welcome.wav"), b"", "there is no file '../welcome.wav'"),
    ("fingerprint", entry(sha="not-a-hash"), b"", "text_sha256: expected the words' "
     "fingerprint"),
    ("old crisis lines", entry(block="crisis", sha="0" * 64), b"", "made from crisis "
     "lines that have changed since"),
])
def test_each_kind_of_broken_recording_is_refused_with_its_key_and_fix(site_copy, capsys, kind,
                                                                       recording, data,
                                                                       expected):
    with_recording(site_copy, recording, data)
    status, said = check(site_copy, capsys)
    assert status == 1, (kind, said)
    assert any(expected in line and "site.yaml: recordings[0]" in line and "Fix:" in line
               for line in said.splitlines()), (kind, said)


def test_a_recording_of_old_words_is_a_warning_and_never_played(site_copy, capsys):
    with_recording(site_copy, entry(sha="a" * 64))
    status, said = check(site_copy, capsys)
    assert status == 0, said
    assert "Warning: " in said and "recorded from words that have changed since" in said
    content = load_content(ROOT, site=site_copy)
    screen = flow.screens(content)[0]
    assert "audio" not in with_recordings(
        content, "en", screen_blocks(content, "en", screen, MODES["kiosk"]))[0]


def test_listen_texts_prints_each_block_with_the_fingerprint_a_recording_names(capsys):
    assert reflect_main(["listen-texts", "--site", str(EXAMPLE), "--lang", "es"]) == 0
    printed = capsys.readouterr().out
    content = load_content(ROOT, site=EXAMPLE)
    for block, texts in recordable(content, "es").items():
        assert f"- block: {block}\n  lang: es\n" in printed
        for sha in texts:
            assert f"text_sha256: {sha}" in printed
    assert "lang: en" not in printed
    assert "reflection" not in recordable(content, "es")  # made of a reader's answers


@pytest.mark.parametrize(("recording", "expected"), [
    (entry(lang="[en]"), "recordings[0].lang: '['en']' is not a language"),
    (entry(block="[welcome]"), "recordings[0].block: '['welcome']' is not a block"),
    (entry(file="''"), "recordings[0].file: there is no file ''"),
    (entry(file="recordings"), "recordings[0].file: there is no file 'recordings'"),
])
def test_odd_values_in_a_recording_are_named_never_a_traceback(site_copy, capsys, recording,
                                                               expected):
    with_recording(site_copy, recording)
    status, said = check(site_copy, capsys)
    assert status == 1 and expected in said and "Traceback" not in said, said
