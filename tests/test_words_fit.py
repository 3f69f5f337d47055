"""Words that fit each reader (issue 19): the welcome tells the truth about privacy in each
mode, the close ends differently per mode and per outcome, and the content gates that keep
statements timed and TMS in proportion refuse an edit that breaks them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect.content import ContentError, load_content

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
LANGS = ("en", "es")


def start(monkeypatch, mode: str, lang: str) -> AppTest:
    monkeypatch.setenv("REFLECT_MODE", "kiosk" if mode == "kiosk" else "personal")
    at = AppTest.from_file(APP, default_timeout=30)
    if mode == "counseling":
        at.query_params["mode"] = "counseling"
    at.session_state["lang"] = lang
    return at.run()


def to_close(at: AppTest, content, lang: str, answer: str) -> AppTest:
    def press(label: str) -> None:
        next(b for b in at.button if b.label == label).click().run()

    press(content.text(lang, "welcome.start"))
    for _ in content.patterns:
        at.radio(key=next(r.key for r in at.radio if str(r.key).startswith("radio:"))) \
            .set_value(answer).run()
        press(content.text(lang, "nav.next"))
    press(content.text(lang, "reflection.next"))
    press(content.text(lang, "help.next"))
    assert at.title[0].value == content.text(lang, "close.heading") and not at.exception
    return at


def shown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", ["personal", "counseling", "kiosk"])
def test_the_welcome_says_exactly_what_happens_to_the_answers_in_each_mode(
        monkeypatch, content, mode, lang):
    text = shown(start(monkeypatch, mode, lang))
    mine, other = ("welcome.privacy_kiosk", "welcome.privacy") if mode == "kiosk" else (
        "welcome.privacy", "welcome.privacy_kiosk")
    assert content.text(lang, mine) in text
    assert content.text(lang, other) not in text
    assert content.text(lang, "welcome.end") in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_privacy_words_say_the_server_holds_answers_for_the_visit_only(content, lang):
    """The facts of content-facts.md, in each language: not "sent anywhere", not "saved"."""
    facts = {
        "en": ("server that runs this app", "memory for this visit only",
               "nothing is written down or saved", "no one is watching", "no one will contact you",
               "gone at once", "within about two minutes", "stays on the device"),
        "es": ("servidor donde funciona esta aplicación", "memoria solo durante esta visita",
               "no se escribe ni se guarda nada", "nadie está mirando",
               "nadie se va a comunicar con usted",
               "se borran enseguida", "en unos dos minutos", "queda en el dispositivo"),
    }[lang]
    words = content.text(lang, "welcome.privacy").lower()
    assert [fact for fact in facts if fact not in words] == []
    kiosk = content.text(lang, "welcome.privacy_kiosk").lower()
    assert "memoria" in kiosk or "memory" in kiosk
    assert "two minutes" not in kiosk and "dos minutos" not in kiosk  # a kiosk resets itself


@pytest.mark.parametrize("lang", LANGS)
def test_a_personal_close_offers_the_questions_unticked_and_says_the_page_can_close(
        monkeypatch, content, lang):
    at = to_close(start(monkeypatch, "personal", lang), content, lang, "sounds_like_me")
    text = shown(at)
    for key in ("close.bring", "close.script", "close.done"):
        assert content.text(lang, key) in text, key
    assert content.text(lang, "close.tell") not in text
    questions = next(c for c in at.checkbox
                     if c.label == content.text(lang, "save.include_questions"))
    assert questions.value is False
    # "you can close this page now" comes last, after the save section.
    assert text.index(content.text(lang, "close.done")) > text.index(
        content.text(lang, "save.intro"))


@pytest.mark.parametrize("lang", LANGS)
def test_a_kiosk_close_has_nothing_to_bring_and_sends_the_reader_to_the_person_there(
        monkeypatch, content, lang):
    at = to_close(start(monkeypatch, "kiosk", lang), content, lang, "sounds_like_me")
    text = shown(at)
    assert content.text(lang, "close.tell") in text
    assert content.text(lang, "close.script") in text
    for key in ("close.bring", "close.bring_none", "close.done"):
        assert content.text(lang, key) not in text, key
    assert not re.search(r"\bbring\b|\blleve\b", text, re.IGNORECASE)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", ["personal", "counseling"])
def test_with_nothing_recognised_the_close_does_not_ask_which_patterns_felt_true(
        monkeypatch, content, mode, lang):
    at = to_close(start(monkeypatch, mode, lang), content, lang, "not_really")
    text = shown(at)
    assert content.text(lang, "close.bring_none") in text
    assert content.text(lang, "close.bring") not in text
    assert "which patterns" not in text and "qué patrones" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_close_covers_cost_privacy_and_a_line_to_say_without_kindly_suggesting(
        content, lang):
    close = content.explanation(lang, "close").body
    words = {"en": ("free or low-cost", "insurance", "SAMHSA", "private"),
             "es": ("gratis o de bajo costo", "seguro", "SAMHSA", "privad")}[lang]
    assert [w for w in words if w not in close] == []
    assert "kindly" not in close.lower() and "le invitamos" not in close.lower()
    assert content.text(lang, "close.script").count('"') == 2  # one line to say, quoted


@pytest.mark.parametrize("lang", LANGS)
def test_the_kiosk_qr_code_opens_the_page_named_for_the_readers_language(
        monkeypatch, content, lang):
    """helplines.yaml kiosk_qr_url: one page per language (issue 19.6), drawn on the close."""
    from reflect.kiosk import address_as_text

    assert dict(content.helplines.kiosk_qr_urls) == {"en": "https://988lifeline.org",
                                                     "es": "https://988lifeline.org"}
    at = to_close(start(monkeypatch, "kiosk", lang), content, lang, "sounds_like_me")
    site = address_as_text(content.helplines.kiosk_qr_url(lang))
    assert content.text(lang, "kiosk.qr_body", site=site) in shown(at)


# ---- The gates, from data ----------------------------------------------------------------

def edited(root: Path, old: str, new: str, file: str = "questions.yaml") -> Path:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_the_real_statements_each_name_a_time_frame(content):
    for lang in content.languages:
        hint = content.text(lang, "question.hint").lower()
        for pattern in content.patterns:
            said = f"{content.text(lang, f'patterns.{pattern.id}.statement')} {hint}".lower()
            assert any(frame in said for frame in content.time_frames[lang]), (lang, pattern.id)


def test_a_statement_without_a_time_frame_is_refused(real_content_copy):
    root = edited(real_content_copy, "statement: In the past few months, I needed to drink",
                  "statement: I needed to drink")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert ("questions.yaml: text.en.patterns.escalation.statement: the statement names no "
            "time frame") in str(caught.value)


def test_a_time_frame_in_the_hint_covers_every_statement(content_copy):
    """The fixture's statements name no time; its hint does, and that counts for each."""
    assert load_content(content_copy).time_frames == {"en": ("the past month",)}
    edited(content_copy, "hint: Pick one for the past month.", "hint: Pick one.")
    with pytest.raises(ContentError, match="alpha.statement: the statement names no time frame"):
        load_content(content_copy)


def test_time_frames_are_required_for_every_language(real_content_copy):
    root = edited(real_content_copy, "  es: [en los últimos meses]\n", "")
    with pytest.raises(ContentError, match=r"time_frames\.es: this key is missing"):
        load_content(root)


def test_tms_longer_than_the_medicines_is_refused(real_content_copy):
    longer = ("TMS uses magnetic pulses over the scalp. " +
              "Some people find it helps them. " * 40)
    root = edited(real_content_copy, "TMS uses magnetic pulses over the scalp.", longer,
                  "explanations/en/help.md")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert ("explanations/en/help.md: ## TMS (transcranial magnetic stimulation): "
            in str(caught.value))
    assert "not fewer than the" in str(caught.value)


def test_a_renamed_heading_of_a_part_kept_in_proportion_is_named(real_content_copy):
    root = edited(real_content_copy, "## Medicamentos que ayudan", "## Medicinas",
                  "explanations/es/help.md")
    with pytest.raises(ContentError, match="## Medicamentos que ayudan: this heading is missing"):
        load_content(root)


def test_the_real_help_page_keeps_tms_shorter_than_the_medicines(content):
    from reflect.content import _words_under

    for lang, (tms, medicines) in {
            "en": ("TMS (transcranial magnetic stimulation)", "Medicines that help"),
            "es": ("TMS (estimulación magnética transcraneal)", "Medicamentos que ayudan")}.items():
        body = content.explanation(lang, "help").body
        assert 0 < _words_under(body, tms) < _words_under(body, medicines)
