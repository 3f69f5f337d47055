"""The server's privacy and safety settings are the ones promised in the README."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_telemetry_is_off():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_the_server_address_is_set_and_uploads_are_minimal():
    assert CONFIG["server"]["address"]
    assert CONFIG["server"]["maxUploadSize"] == 1


def test_messages_are_bounded_and_the_agent_api_is_off():
    # 1 MB a client message (the longest thing a reader sends is a 2,000-character note);
    # 2 MB any message, read by the WebSocket server before Streamlit's own check.
    assert CONFIG["server"]["maxWidgetStateSize"] == 1
    assert CONFIG["server"]["maxMessageSize"] == 2
    assert CONFIG["server"]["enableAgentApi"] is False


def test_the_start_prints_a_set_address_instead_of_looking_up_this_machines():
    # Unset, Streamlit asks a public service for the machine's address to print its URLs.
    assert CONFIG["browser"]["serverAddress"] == "localhost"


def test_no_error_details_links_menu_or_deploy_button_reach_a_visitor():
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["showErrorLinks"] is False
    assert CONFIG["client"]["toolbarMode"] == "minimal"


def test_the_app_never_reruns_a_visitors_session_because_a_file_changed():
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False


def test_no_full_garbage_collection_after_every_run():
    # Streamlit's hidden default ran gc.collect() after each run: most of our time per click
    # (bench/interaction.py). Python's generational collector still runs.
    assert CONFIG["runner"]["postScriptGC"] is False


def test_the_core_package_never_imports_streamlit():
    modules = [f"reflect.{p.stem}" for p in sorted((ROOT / "reflect").glob("*.py"))
               if p.stem != "__main__"]
    code = f"import sys, {', '.join(modules)}; print('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


def test_a_dropped_session_is_forgotten_within_the_two_minutes_the_privacy_text_promises(
        content):
    assert CONFIG["server"]["disconnectedSessionTTL"] == 120
    promised = {("en", "quick_exit.about"): "cleared within two minutes",
                ("es", "quick_exit.about"): "se borran en menos de dos minutos",
                ("en", "reload.notice"): "forgets them within two minutes",
                ("es", "reload.notice"): "las olvida en menos de dos minutos"}
    for (lang, key), words in promised.items():
        assert words in content.text(lang, key)
