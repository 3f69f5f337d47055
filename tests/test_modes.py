"""Who starts the server chooses the mode; a visitor can only ask for counseling."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect.modes import COUNSELING, KIOSK, MODES, PERSONAL, page_stylesheets, session_mode
from reflect.settings import Settings, SettingsError, read_settings

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def test_personal_is_the_default_with_the_default_timers():
    assert read_settings([], {}) == Settings(PERSONAL, 90, 30, 60)


def test_the_environment_sets_the_mode_and_a_flag_wins_over_it():
    assert read_settings([], {"REFLECT_MODE": "counseling"}).mode == COUNSELING
    assert read_settings(["--mode", "personal"], {"REFLECT_MODE": "counseling"}).mode == PERSONAL


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        (["--mode", "bogus"], {}, "'bogus' is not a mode. Use one of: personal, counseling, kiosk"),
        ([], {"REFLECT_MODE": "Kiosk "}, "'Kiosk ' is not a mode"),
        (["--idle-seconds", "soon"], {}, "'soon' is not a whole number of seconds"),
        (["--countdown-seconds", "0"], {}, "0 is outside 3 to 600 seconds"),
        (["--colour", "red"], {}, "unrecognized arguments: --colour red"),
    ],
)
def test_invalid_settings_are_refused_with_a_clear_message(argv, environ, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_settings(argv, environ)


def test_a_kiosk_session_stays_a_kiosk_whatever_is_asked():
    for requested in (None, "personal", "counseling", "kiosk", "<x>", 3):
        assert session_mode(KIOSK, requested) is MODES[KIOSK]


def test_a_personal_server_offers_counseling_but_never_kiosk():
    assert session_mode(PERSONAL, "counseling") is MODES[COUNSELING]
    assert session_mode(PERSONAL, "kiosk") is MODES[PERSONAL]
    assert session_mode(PERSONAL, "../../etc/passwd") is MODES[PERSONAL]


def test_each_mode_is_one_row_and_drawing_never_names_one():
    """A mode's differences are its row; the Streamlit and server layers never name a mode."""
    import ast

    assert set(MODES) == {PERSONAL, COUNSELING, KIOSK}
    names = set(MODES)
    for path in sorted((ROOT / "ui").glob("*.py")) + sorted((ROOT / "webserver").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = [node.value for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and node.value in names]
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names if alias.name in ("PERSONAL", "COUNSELING", "KIOSK")]
        assert named == [] and imported == [], path.name


def test_a_clinics_settings_come_after_the_command_line_and_environment():
    site = {"mode": "kiosk", "idle_seconds": 45, "quick_exit_to": "https://a.example/"}
    assert read_settings([], {}, site) == Settings(KIOSK, 45, 30, 60,
                                                   quick_exit_to="https://a.example/")
    assert read_settings([], {"REFLECT_MODE": "counseling"}, site).mode == COUNSELING
    assert read_settings(["--idle-seconds", "20"], {"REFLECT_IDLE_SECONDS": "30"},
                         site).idle_seconds == 20
    with pytest.raises(SettingsError, match="name no setting a site may give: colour"):
        read_settings([], {}, {"colour": "red"})
    # Who may reach the server and what it shows of itself stay with whoever starts it.
    with pytest.raises(SettingsError, match="may give: allowed_origins, metrics"):
        read_settings([], {}, {"metrics": True, "allowed_origins": ["https://a.example"]})
    with pytest.raises(SettingsError, match="'soon' is not a whole number"):
        read_settings([], {}, {"idle_seconds": "soon"})


def test_the_serve_script_refuses_an_invalid_mode_before_starting_streamlit():
    result = subprocess.run(["bash", "scripts/serve.sh", "--server.port", "1", "--",
                             "--mode", "bogus"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "The app cannot start: 'bogus' is not a mode" in result.stderr
    assert "Traceback" not in result.stderr


def settings_command(*args: str, environ: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "reflect", "settings", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **(environ or {})})


@pytest.mark.parametrize("args", [
    ("--mode", "kiosk", "--idle-seconds", "45", "--countdown-seconds", "12",
     "--close-return-seconds", "20"),
    ("--", "--mode", "kiosk", "--idle-seconds", "45", "--countdown-seconds", "12",
     "--close-return-seconds", "20"),
    ("--server.port", "8600", "--", "--mode", "kiosk", "--idle-seconds", "45",
     "--countdown-seconds", "12", "--close-return-seconds", "20"),
])
def test_the_settings_command_takes_the_servers_own_arguments_and_prints_every_setting(args):
    result = settings_command(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["mode: kiosk", "idle_seconds: 45",
                                          "countdown_seconds: 12", "close_return_seconds: 20",
                                          "metrics: off", "allowed_origins: none",
                                          "quick_exit_to: https://www.weather.gov/",
                                          "cookie_secret_file: none", "site: none"]


def test_the_settings_command_reads_the_environment_and_refuses_what_the_server_refuses():
    result = settings_command(environ={"REFLECT_MODE": "counseling"})
    assert result.stdout.splitlines()[0] == "mode: counseling"
    assert "idle_seconds: 90" in result.stdout.splitlines()
    for args, message in ((("--mode", "bogus"), "'bogus' is not a mode"),
                          (("--colour", "red"), "unrecognized arguments: --colour red")):
        result = settings_command(*args)
        assert result.returncode == 2
        assert f"The app cannot start: {message}" in result.stderr
        assert "Usage: usage" not in result.stderr and "Traceback" not in result.stderr


def walk_to(at: AppTest, screen: str, answer: str = "sounds_like_me") -> AppTest:
    labels = {"reflection": 4, "close": 4}
    next(b for b in at.button if b.label == "Start the reflection").click().run()
    for _ in range(labels[screen]):
        at.radio[-1].set_value(answer).run()
        next(b for b in at.button if b.label == "Next").click().run()
    if screen == "close":
        next(b for b in at.button if b.label == "Ways people find help").click().run()
        next(b for b in at.button if b.label == "What to do next").click().run()
    return at


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_counseling_mode_shows_talk_about_prompts_for_each_recognised_pattern(content):
    at = walk_to(start({"mode": "counseling"}), "reflection")
    subheaders = [s.value for s in at.subheader]
    assert subheaders.count("To talk about together") == 4
    text = "\n".join(m.value for m in at.markdown)
    for pattern in content.patterns:
        assert content.text("en", f"patterns.{pattern.id}.talk_about") in text


def test_personal_mode_shows_no_prompts(content):
    at = walk_to(start(), "reflection")
    assert "To talk about together" not in [s.value for s in at.subheader]


def test_the_welcome_switch_turns_counseling_on_for_this_session_only():
    at = start()
    assert at.session_state["mode"] == PERSONAL
    at.toggle[0].set_value(True).run()
    assert at.session_state["mode"] == COUNSELING
    other = start()
    assert other.session_state["mode"] == PERSONAL


def test_a_kiosk_request_in_the_url_leaves_a_personal_server_personal():
    at = start({"mode": "kiosk"})
    assert at.session_state["mode"] == PERSONAL
    assert at.button(key="reflect_forget")  # the button the bar's Quick exit presses


def test_the_close_offers_choices_all_unticked_and_downloads_in_personal_mode(content):
    at = walk_to(start(), "close")
    labels = [c.label for c in at.checkbox]
    assert labels == [content.text("en", f"patterns.{p.id}.title") for p in content.patterns] + [
        content.text("en", "save.include_cycle"), content.text("en", "save.include_help"),
        content.text("en", "save.include_questions")]
    assert not any(c.value for c in at.checkbox)  # the provider questions too (issue 19.3)
    assert not at.text_area
    assert len(at.get("download_button")) == 2


def test_counseling_adds_provider_questions_and_a_note(content):
    at = walk_to(start({"mode": "counseling"}), "close")
    labels = [c.label for c in at.checkbox]
    assert content.text("en", "save.include_questions") in labels
    # A counselor's default: the questions are ticked at first.
    assert next(c for c in at.checkbox
                if c.label == content.text("en", "save.include_questions")).value
    assert at.text_area[0].label == content.text("en", "save.note_label")


def test_nothing_recognised_offers_only_the_cycle_and_the_help_sections_to_keep(content):
    at = walk_to(start(), "close", answer="not_really")
    assert [c.label for c in at.checkbox] == [content.text("en", "save.include_cycle"),
                                              content.text("en", "save.include_help"),
                                              content.text("en", "save.include_questions")]


def test_quick_exit_forgets_the_whole_session_at_once(content):
    at = walk_to(start(), "reflection")
    assert [k for k in at.session_state if str(k).startswith("answer:")]
    at.button(key="reflect_forget").click().run()  # pressed by assets/page.js on Quick exit
    assert not [k for k in at.session_state if str(k).startswith("answer:")]
    assert at.title[0].value == content.text("en", "welcome.heading")

@pytest.mark.parametrize("address", [
    "http://www.weather.gov/", "https://localhost/", "javascript:alert(1)", "www.weather.gov",
    "https://user:secret@example.org/", "https://example.org/\"><script>", "https://exa mple.org/",
])
def test_quick_exit_leaves_only_for_an_https_page_of_a_public_host(address):
    with pytest.raises(SettingsError, match="is not an https address"):
        read_settings(["--quick-exit-to", address], {})


def test_quick_exit_goes_to_a_neutral_page_the_operator_can_set():
    assert read_settings([], {}).quick_exit_to == "https://www.weather.gov/"
    given = {"REFLECT_QUICK_EXIT_TO": "https://www.bbc.co.uk/weather"}
    assert read_settings([], given).quick_exit_to == "https://www.bbc.co.uk/weather"
    assert read_settings([], {}, site={"quick_exit_to": "https://example.org/"}).quick_exit_to \
        == "https://example.org/"


def test_only_the_kiosk_keeps_history_out_of_the_browser_and_has_no_quick_exit():
    assert [m.name for m in MODES.values() if not m.history] == [KIOSK]
    assert [m.name for m in MODES.values() if not m.quick_exit] == [KIOSK]
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert at.radio(key="reflect_history") and at.button(key="reflect_forget")


def test_a_kiosk_draws_no_history_radio_and_no_quick_exit(monkeypatch):
    monkeypatch.setenv("REFLECT_MODE", "kiosk")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not [
        r for r in at.radio if r.key == "reflect_history"]
    assert not [b for b in at.button if b.key == "reflect_forget"]


def walk_with(at: AppTest, answers: list[str]) -> AppTest:
    next(b for b in at.button if b.label == "Start the reflection").click().run()
    for answer in answers:
        at.radio[-1].set_value(answer).run()
        next(b for b in at.button if b.label == "Next").click().run()
    return at


MIXED = ["sounds_like_me", "not_really", "rather_not_say", "sometimes"]


def test_a_counseling_reflection_opens_with_every_statement_and_the_answer_given(content):
    """"No, not really" and "I'd rather not say" are there too, in words, before anything else."""
    at = walk_with(start({"mode": "counseling"}), MIXED)
    headers = [h.value for h in at.header]
    assert headers[0] == "Your answers, one by one"
    # The overview's statements come first: every pattern, in the order asked.
    titles = [content.text("en", f"patterns.{p.id}.title") for p in content.patterns]
    assert [s.value for s in at.subheader][:4] == titles
    text = "\n".join(m.value for m in at.markdown)
    for pattern, answer in zip(content.patterns, MIXED, strict=True):
        statement = content.text("en", f"patterns.{pattern.id}.statement")
        label = content.text("en", f"answers.{answer}.label")
        assert f"{statement}\n\nYou chose: **{label}**" in text


def test_a_personal_reflection_has_no_overview_but_names_what_was_not_answered(content):
    at = walk_with(start(), MIXED)
    assert "Your answers, one by one" not in [h.value for h in at.header]
    text = "\n".join(m.value for m in at.markdown)
    assert "You chose:" not in text
    not_shared = content.text("en", "reflection.some_not_shared")
    assert f"{not_shared}\n\n- {content.text('en', 'patterns.escalation.title')}" in text


def test_the_page_carries_app_css_and_only_the_sheet_no_session_can_leave():
    assert page_stylesheets("personal") == ("app.css",)
    # A counseling session can be switched to personal, whose screens have no counseling.css.
    assert page_stylesheets("counseling") == ("app.css",)
    assert page_stylesheets("kiosk") == ("app.css", "kiosk.css")
