"""Every text in every language; each session chooses its own; switching loses nothing."""

from __future__ import annotations

import datetime
import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from reflect.content import ContentError, load_content
from reflect.language import pick_language, preferences
from reflect.reflection import build_reflection
from reflect.summary import build_summary, file_name, summary_html, summary_pdf
from tests import contacts

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# Texts that are the same word in both languages on purpose.
SAME_IN_EVERY_LANGUAGE = {"contact.web"}


def test_every_language_has_every_text_explanation_and_help_line(content):
    assert set(content.languages) == {"en", "es"}
    english = set(content.texts["en"])
    for lang in content.languages:
        assert set(content.texts[lang]) == english, lang
        assert set(content.explanations[lang]) == set(content.explanations["en"]), lang
        for line in content.helplines.crisis + content.helplines.finding:
            assert lang in line.text, (line.id, lang)


def test_no_spanish_text_is_english_left_untranslated(content):
    same = {key for key, text in content.texts["es"].items() if text == content.texts["en"][key]}
    assert same == SAME_IN_EVERY_LANGUAGE
    for explanation_id, explanation in content.explanations["es"].items():
        assert explanation.body != content.explanation("en", explanation_id).body
        assert explanation.sources_heading == "Fuentes"


def test_the_spanish_help_lines_say_how_to_reach_help_in_spanish(content):
    lines = {line.id: line.text["es"]
             for line in content.helplines.crisis + content.helplines.finding}
    assert "marque 2" in lines["lifeline_988"].note
    assert "envíe AYUDA al 988" in lines["lifeline_988"].note
    assert "español" in lines["samhsa_helpline"].note


EMERGENCY_NOTE_ES = next(line.split("note: ", 1)[1] for line in (ROOT / "helplines.yaml").read_text(
    encoding="utf-8").splitlines() if line.strip().startswith('note: "Para cuando usted'))


@pytest.mark.parametrize(("remove", "where"), [
    (("questions.yaml", "\n      next: Siguiente\n"), "text.es.nav.next"),
    (("helplines.yaml", "\n          es:\n            name: Servicios de emergencia\n"
                        "            short: Emergencias\n"
                        f"            note: {EMERGENCY_NOTE_ES}\n"),
     "regions.us.crisis[1].text.es"),
])
def test_a_missing_spanish_text_is_refused_by_name_not_filled_from_english(real_content_copy,
                                                                           remove, where):
    name, text = remove
    path = real_content_copy / name
    original = path.read_text(encoding="utf-8")
    assert text in original
    path.write_text(original.replace(text, "\n", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(real_content_copy)
    assert where in str(caught.value) and name in str(caught.value)


def test_a_missing_spanish_explanation_is_refused_with_its_path(real_content_copy):
    (real_content_copy / "explanations" / "es" / "loop.md").unlink()
    with pytest.raises(ContentError, match=r"explanations/es/loop\.md"):
        load_content(real_content_copy)


def test_a_third_language_is_a_data_only_change(real_content_copy, content):
    """Follow the README's steps for Portuguese with copied English text: the app runs it."""
    root = real_content_copy
    questions = (root / "questions.yaml").read_text(encoding="utf-8")
    english = questions[questions.index("\n  en:\n", questions.index("\ntext:")):
                        questions.index("\n  es:\n", questions.index("\ntext:"))]
    questions = questions.replace("  es: Español\n", "  es: Español\n  pt: Português\n", 1)
    questions += english.replace("\n  en:\n", "\n  pt:\n", 1).rstrip("\n") + "\n"
    # Each safety point, the time frames and each part kept in proportion list their words in
    # the new language too (copied English here).
    questions = re.sub(r"\n( +)en: ([\[{].*[\]}])\n", r"\n\1en: \2\n\1pt: \2\n", questions)
    (root / "questions.yaml").write_text(questions, encoding="utf-8")
    shutil.copytree(root / "explanations" / "en", root / "explanations" / "pt")
    helplines = (root / "helplines.yaml").read_text(encoding="utf-8")
    helplines = re.sub(r"(\n(\s+)en:\n(?:\2  .*\n)+)",
                       lambda m: m.group(1) + m.group(1).replace("en:", "pt:", 1), helplines)
    (root / "helplines.yaml").write_text(helplines, encoding="utf-8")
    loaded = load_content(root)
    assert list(loaded.languages) == ["en", "es", "pt"]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=30).run()
    assert [o for o in at.radio(key="language").options] == ["English", "Español", "Português"]
    at.radio(key="language").set_value("pt").run()
    assert at.session_state["lang"] == "pt" and not at.exception


@pytest.mark.parametrize(("value", "expected"), [
    ("es-US", "es"), ("es", "es"), ("es-MX,es;q=0.9,en;q=0.8", "es"), ("en-GB", "en"),
    ("fr-FR,es;q=0.5", "es"), ("fr-FR", "en"), ("", "en"), (None, "en"),
    ("en;q=0.1,es;q=0.9", "es"), ("x" * 5000, "en"), ("<script>,../../etc", "en"),
    ("es;q=abc,en", "en"), ("*", "en"), ("ES_us", "es"),
])
def test_the_browser_language_picks_a_content_language(value, expected):
    assert pick_language(preferences(value), ["en", "es"], "en") == expected


def start(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if lang:
        at.session_state["lang"] = lang
    return at.run()


def press(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_switching_language_mid_way_keeps_every_answer(content):
    at = press(start(), "Start the reflection")
    at.radio[-1].set_value("sounds_like_me").run()
    press(at, "Next")
    at.radio[-1].set_value("sometimes").run()
    at.radio(key="language").set_value("es").run()  # the language switch, on every screen
    assert at.title[0].value == "Pregunta 2 de 4"
    assert at.radio[-1].value == "sometimes"
    assert at.radio[-1].format_func("sometimes") == "A veces, o en parte"
    press(at, "Atrás")
    assert at.radio[-1].value == "sounds_like_me"
    press(at, "Siguiente")
    press(at, "Siguiente")
    at.radio[-1].set_value("not_really").run()
    press(at, "Siguiente")
    at.radio[-1].set_value("rather_not_say").run()
    press(at, "Siguiente")
    assert at.title[0].value == content.text("es", "reflection.heading")
    text = "\n".join(m.value for m in at.markdown)
    assert content.explanation("es", "relief").body.split("\n")[0] in text
    assert content.explanation("es", "escape").body.split("\n")[0] in text
    assert content.explanation("es", "loop").body.split("\n")[0] not in text
    at.radio(key="language").set_value("en").run()
    assert at.title[0].value == content.text("en", "reflection.heading")
    assert content.explanation("en", "escape").body.split("\n")[0] in \
        "\n".join(m.value for m in at.markdown)


def test_each_session_keeps_its_own_language():
    spanish = start()
    spanish.radio(key="language").set_value("es").run()
    english = start()
    assert spanish.title[0].value == "Una reflexión privada sobre cómo afronta lo difícil"
    assert english.title[0].value == "A private reflection on coping"
    spanish.run()
    assert spanish.session_state["lang"] == "es"


def test_every_spanish_screen_is_in_spanish_to_the_close(content):
    at = press(start("es"), "Empezar la reflexión")
    for _ in content.patterns:
        at.radio[-1].set_value("sometimes").run()
        press(at, "Siguiente")
    press(at, content.text("es", "reflection.next"))
    press(at, content.text("es", "help.next"))
    assert at.title[0].value == "Hable con un profesional"
    text = contacts.plain("\n".join(m.value for m in at.markdown))
    phone = contacts.first_phone(content)
    assert "¿Necesita ayuda ahora?" in text and f"Llame al [{phone}](tel:{phone})" in text
    assert all(line.text["es"].name in text
               for line in content.helplines.crisis + content.helplines.finding)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Descargar como página web", "Descargar como PDF"]


def test_a_kiosk_offers_the_language_switch_past_its_welcome_too(monkeypatch):
    monkeypatch.setenv("REFLECT_MODE", "kiosk")
    at = start()
    assert [r.label for r in at.radio] == ["Language"]
    at.radio[0].set_value("es").run()
    press(at, "Empezar la reflexión")
    assert [r.label for r in at.radio][0] == "Idioma"
    assert at.radio[-1].label.startswith("En los últimos meses, cuando me sentí con nervios")


def test_the_spanish_summary_and_pdf_are_in_spanish_with_their_accents(content):
    answers = {"relief": "sounds_like_me", "escape": "not_really", "escalation": "not_really",
               "loop": "sometimes"}
    reflection = build_reflection(content, answers, "es")
    summary = build_summary(content, reflection, "es", ["loop"], date=datetime.date(2026, 11, 27),
                            token="0" * 32, include_help=True, note="Mañana: hablar del sueño.")
    page = summary_html(content, summary)
    assert '<html lang="es">' in page
    assert "Esto no es un diagnóstico" in page and "Un ciclo que siempre vuelve" in page
    assert "Alivio emocional" not in page
    pages = PdfReader(BytesIO(summary_pdf(content, summary))).pages
    pdf = " ".join(page.extract_text() for page in pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Esto no es un diagnóstico" in pdf and "Mañana: hablar del sueño." in pdf
    assert "Línea Nacional de Ayuda de SAMHSA" in pdf
    assert file_name(summary, "pdf", content.text("es", "summary.file_name")) == \
        "mi-reflexion-2026-11-27.pdf"
