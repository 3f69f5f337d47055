"""Hostile content files (tests/fixtures/hostile/): each one is refused with a clear message,
in bounded time, without running anything, and no raw HTML or script reaches a visitor."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
ROOT = Path(__file__).resolve().parent.parent
# A hang guard, not a speed goal: the loader must give up on its own well before this.
BOUND_SECONDS = 30

CASES = [
    # (hostile file, where it goes in the content folder, words the message must hold)
    ("invalid.yaml", "questions.yaml", ["questions.yaml: line", "YAML cannot be read"]),
    ("python_object.yaml", "questions.yaml", ["questions.yaml", "python/object"]),
    ("python_name.yaml", "questions.yaml", ["questions.yaml", "python/name"]),
    ("alias_bomb.yaml", "questions.yaml", ["questions.yaml: line 3",
                                           "YAML aliases (*name) are not allowed"]),
    ("alias_bomb.yaml", "helplines.yaml", ["helplines.yaml: line 3", "aliases"]),
    ("not_utf8.yaml", "questions.yaml", ["questions.yaml: (file): byte", "not UTF-8"]),
    ("script_in_markdown.md", "explanations/en/alpha.md",
     ["explanations/en/alpha.md", "contains raw HTML"]),
    ("javascript_link.md", "explanations/en/alpha.md",
     ["explanations/en/alpha.md", "script or data link"]),
    ("data_link.md", "explanations/en/alpha.md", ["explanations/en/alpha.md", "data link"]),
]


def check(folder: Path) -> subprocess.CompletedProcess:
    """Run the real content check on a folder, in its own process, with a hang guard."""
    return subprocess.run([sys.executable, "-m", "reflect", "check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=BOUND_SECONDS)


@pytest.mark.parametrize(("hostile", "target", "words"), CASES,
                         ids=[f"{c[0]}->{c[1]}" for c in CASES])
def test_each_hostile_file_is_refused_clearly_and_runs_nothing(content_copy, hostile, target,
                                                               words, tmp_path):
    shutil.copy(HOSTILE / hostile, content_copy / target)
    result = check(content_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    for word in words:
        assert word in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for folder in (ROOT, content_copy):
        assert not (folder / "HOSTILE_MARKER").exists()


def test_a_fifty_megabyte_file_is_refused_without_reading_it_all(content_copy):
    big = content_copy / "questions.yaml"
    with big.open("ab") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = check(content_copy)
    assert result.returncode == 1
    assert "questions.yaml: (file): the file is 52428800 bytes" in result.stderr


def test_a_missing_explanation_and_duplicate_ids_are_named(content_copy):
    (content_copy / "explanations" / "en" / "alpha.md").unlink()
    questions = content_copy / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("- id: beta", "- id: alpha", 1), encoding="utf-8")
    result = check(content_copy)
    assert result.returncode == 1
    assert "explanations/en/alpha.md: (file): the explanation is missing" in result.stderr
    assert "the id 'alpha' is used twice" in result.stderr


@pytest.mark.parametrize("hostile", ["script_in_markdown.md", "javascript_link.md"])
def test_a_visitor_never_sees_the_hostile_text_only_the_calm_page(real_content_copy, hostile):
    shutil.copy(HOSTILE / hostile, real_content_copy / "explanations" / "en" / "relief.md")
    at = AppTest.from_file(str(real_content_copy / "app.py"), default_timeout=30).run()
    assert at.title[0].value == "This app is not set up correctly"
    shown = "\n".join([m.value for m in at.markdown] + [h.proto.body for h in at.get("html")])
    assert "<script>fetch" not in shown and "javascript:" not in shown and "onerror" not in shown
    assert not at.exception
