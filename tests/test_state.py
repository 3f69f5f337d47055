"""Nothing shared between sessions: no mutable module state, no visitor data in any cache."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from streamlit.runtime.caching import cache_resource_api
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# Every module of the app: the entry points and each package.
CODE = [*sorted(ROOT.glob("*.py")),
        *(path for package in ("reflect", "ui", "webserver")
          for path in sorted((ROOT / package).glob("*.py")))]
MUTABLE_NODES = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
MUTABLE_CALLS = {"list", "dict", "set", "bytearray", "defaultdict", "deque", "Counter"}


def module_level_mutables(source: str) -> list[str]:
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            value = node.value
            call = isinstance(value, ast.Call) and getattr(value.func, "id", "") in MUTABLE_CALLS
            if isinstance(value, MUTABLE_NODES) or call:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
        if isinstance(node, ast.Global):
            found.append(f"line {node.lineno}: global")
    return found


@pytest.mark.parametrize("path", CODE, ids=[str(p.relative_to(ROOT)) for p in CODE])
def test_no_module_holds_mutable_state_that_sessions_would_share(path):
    assert module_level_mutables(path.read_text(encoding="utf-8")) == []


def test_the_state_check_would_catch_a_shared_list_or_a_global():
    assert module_level_mutables("VISITS = []\n")
    assert module_level_mutables("seen: dict = dict()\n")
    assert module_level_mutables("LIMITS = (1, 2)\nNAME = 'x'\n") == []


def test_the_scan_covers_every_package_of_the_app():
    scanned = {p.parent.name if p.parent != ROOT else p.name for p in CODE}
    assert {"app.py", "server.py", "reflect", "ui", "webserver"} <= scanned
    assert len(CODE) > 20


@pytest.mark.parametrize("path", CODE, ids=[str(p.relative_to(ROOT)) for p in CODE])
def test_no_module_caches_with_st_cache_data(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = {ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "st.cache_data" not in used


def cached_values() -> list:
    """Every value that st.cache_resource holds in this process right now."""
    values = []
    for by_function in list(cache_resource_api._resource_caches._function_caches.values()):
        for cache in list(by_function.values()):
            for entry in list(cache._mem_cache.values()):
                values.append(entry.value)
    return values


def walk_counseling_session_with(note: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["mode"] = "counseling"
    at.run()
    next(b for b in at.button if b.label == "Start the reflection").click().run()
    for answer in ("sounds_like_me", "rather_not_say", "sometimes", "not_really"):
        at.radio[-1].set_value(answer).run()
        next(b for b in at.button if b.label == "Next").click().run()
    next(b for b in at.button if b.label == "Ways people find help").click().run()
    next(b for b in at.button if b.label == "What to do next").click().run()
    at.checkbox[0].check().run()
    at.text_area[0].input(note).run()
    return at


def test_two_sessions_in_one_process_share_no_answer_note_or_mutated_cache(content):
    first = walk_counseling_session_with("FIRST-VISITOR-NOTE-7f3a")
    cached_before = [pickle.dumps(value) for value in cached_values()]
    assert cached_before, "the content and settings are cached once per process"
    second = walk_counseling_session_with("SECOND-VISITOR-NOTE-91c2")
    # No cached object holds what a visitor entered, and none was changed by a session.
    for value in cached_values():
        text = repr(value)
        assert "VISITOR-NOTE" not in text
    assert [pickle.dumps(value) for value in cached_values()] == cached_before
    # Each session holds only its own note and answers.
    assert first.text_area[0].value == "FIRST-VISITOR-NOTE-7f3a"
    assert second.text_area[0].value == "SECOND-VISITOR-NOTE-91c2"
    assert "SECOND" not in repr([first.session_state[k] for k in first.session_state])
    fresh = AppTest.from_file(APP, default_timeout=30).run()
    assert not [k for k in fresh.session_state if str(k).startswith(("answer:", "radio:", "note:"))]
    assert fresh.title[0].value == content.text("en", "welcome.heading")
