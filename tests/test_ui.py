"""The layers hold their shape: names the assets rely on still used on both sides, content text
written only through ui/text.py, Streamlit's insides named in one checked place, and the start
and `reflect check` finding a missing PDF font before a reader does."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import reflect.__main__ as reflect_cli
from reflect import summary
from ui import hooks
from webserver import app as webserver_app
from webserver import internals

ROOT = Path(__file__).resolve().parent.parent
ASSETS = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "assets").iterdir()}
DRAWING = {path: path.read_text(encoding="utf-8")
           for path in [*sorted((ROOT / "ui").glob("*.py")), ROOT / "reflect" / "first_paint.py"]}
NAMES = {name: value for name, value in vars(hooks).items()
         if name.isupper() and isinstance(value, str)}


def in_asset(value: str, asset: str) -> bool:
    """Say whether an asset uses a name: an id or class as written, a key as st-key-<key>."""
    written = f"st-key-{value}" if value in hooks.KEYS else value
    return re.search(rf"(?<![\w-]){re.escape(written)}(?![\w-])", ASSETS[asset]) is not None


def unused_in_assets() -> list[str]:
    return [f"{value} in {asset}" for value, assets in hooks.READ_BY.items()
            for asset in assets if not in_asset(value, asset)]


def test_every_name_the_assets_rely_on_is_still_used_there():
    assert unused_in_assets() == []


def test_every_name_the_assets_rely_on_is_still_drawn_by_the_python_side():
    drawn = "\n".join(DRAWING.values())
    for name, value in NAMES.items():
        used = (f"hooks.{name}" in drawn or f"BLOCK_ID = \"{value}\"" in drawn)
        assert used, f"ui/hooks.py {name} ({value}) is drawn by nothing"
        assert value in hooks.READ_BY or value in hooks.SCRIPT_OF, name


def test_every_data_attribute_a_script_reads_is_sent_and_read():
    for element, names in hooks.DATA.items():
        script = ASSETS[hooks.SCRIPT_OF[element]] + ASSETS.get(
            hooks.RUNNER_OF.get(element, ""), "")
        for name in names:
            camel = re.sub(r"-(\w)", lambda m: m.group(1).upper(), name)
            assert re.search(rf"\b(data|dataset)\.{camel}\b", script), (element, name)


def test_the_hooks_check_would_catch_a_renamed_name(monkeypatch):
    monkeypatch.setitem(ASSETS, "kiosk.css", ASSETS["kiosk.css"].replace(
        "st-key-kiosk_qr", "kiosk-qr"))  # the slip that left the QR code without its border
    assert unused_in_assets() == ["kiosk_qr in kiosk.css"]


def test_a_wrong_data_attribute_is_refused_when_drawn():
    from ui.parts import data_attributes

    with pytest.raises(ValueError, match="ui/hooks.py"):
        data_attributes(hooks.KIOSK, {"wait": "5"})


# ---- content text goes through ui/text.py --------------------------------------------------

WRITERS = {"markdown", "info", "warning", "error", "success", "write", "caption", "text"}
# ui/text.py is the writer; ui/calm.py writes only its own fixed, link-free words.
ALLOWED = {"text.py", "calm.py"}


def direct_writes(source: str) -> list[str]:
    return [f"line {node.lineno}: st.{node.func.attr}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITERS and ast.unparse(node.func.value) == "st"]


@pytest.mark.parametrize("path", sorted((ROOT / "ui").glob("*.py")), ids=lambda p: p.name)
def test_drawing_writes_content_text_only_through_ui_text(path):
    if path.name in ALLOWED:
        return
    assert direct_writes(path.read_text(encoding="utf-8")) == []


def test_the_writer_check_would_catch_a_direct_markdown_call():
    assert direct_writes("import streamlit as st\nst.markdown('[x](https://x.org)')\n")


# ---- Streamlit's insides -------------------------------------------------------------------


def test_every_streamlit_internal_the_server_relies_on_is_there():
    assert internals.missing() == []
    internals.check()


def test_a_missing_internal_is_named_in_one_clear_message(monkeypatch):
    monkeypatch.setattr(internals, "INTERNALS", (
        *internals.INTERNALS,
        ("streamlit.runtime.runtime", "Runtime", "_gone_in_an_upgrade", "a test"),
        ("streamlit.runtime.no_such_module", "Thing", "x", "another test")))
    with pytest.raises(internals.InternalsChanged) as caught:
        internals.check()
    message = str(caught.value)
    assert "streamlit.runtime.runtime.Runtime._gone_in_an_upgrade (a test)" in message
    assert "streamlit.runtime.no_such_module.Thing.x (another test)" in message


def test_only_webserver_internals_touches_streamlits_private_parts():
    private = re.compile(r"\._(session_mgr|files_by_session_and_coord)\b")
    for path in [*ROOT.glob("*.py"), *(ROOT / "ui").glob("*.py"),
                 *(ROOT / "webserver").glob("*.py"), *(ROOT / "reflect").glob("*.py")]:
        if path.name != "internals.py":
            assert not private.search(path.read_text(encoding="utf-8")), path


# ---- the PDF font --------------------------------------------------------------------------


def test_the_content_check_finds_a_missing_pdf_font(monkeypatch, capsys):
    monkeypatch.setattr(summary, "DEFAULT_FONT", "/nowhere/DejaVuSans.ttf")
    assert reflect_cli.main(["check"]) == 1
    error = capsys.readouterr().err
    assert "The PDF font /nowhere/DejaVuSans.ttf is missing" in error
    assert "fonts-dejavu-core" in error


def test_the_start_stops_with_a_clear_message_when_the_pdf_font_is_missing(monkeypatch,
                                                                          capsys):
    monkeypatch.setattr(summary, "DEFAULT_FONT", "/nowhere/DejaVuSans.ttf")
    with pytest.raises(SystemExit) as stopped:
        webserver_app.check_start()
    assert stopped.value.code == 2
    assert "The app cannot start: The PDF font" in capsys.readouterr().err


def test_with_the_font_in_place_the_start_goes_on():
    assert summary.font_problem() is None
    webserver_app.check_start()


# ---- one layer per package -----------------------------------------------------------------


def test_the_top_level_holds_only_the_two_short_entry_points():
    assert sorted(p.name for p in ROOT.glob("*.py")) == ["app.py", "server.py"]
    for name in ("app.py", "server.py"):
        code = [line for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith(("#", '"""'))
                and not line.startswith(" ")]
        assert len(code) <= 8, (name, code)


def test_only_ui_state_reads_or_writes_the_session_state():
    for path in [*ROOT.glob("*.py"), *(ROOT / "ui").glob("*.py"),
                 *(ROOT / "webserver").glob("*.py")]:
        if path != ROOT / "ui" / "state.py":
            assert "session_state" not in path.read_text(encoding="utf-8"), path
