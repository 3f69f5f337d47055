"""Content is tested like code: reading level, person-first words, accurate claims."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reflect.content import load_content
from tests.readability import grades, prose, readability

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content(ROOT)
MAX_GRADE = 8.0
# Screen texts shorter than this are labels (buttons, titles), not prose: a grade formula
# gives nonsense on two or three words.
MIN_PROSE_WORDS = 10

# Stigmatising, diagnostic or scoring words (NIDA "Words Matter"; the content rules).
BANNED = re.compile(
    r"\b(addicts?|abusers?|abuse|alcoholics?|junkies?|drunks?|clean|dirty|"
    r"you have an? \w*\s?(disorder|disease|problem)|disorders?|diagnose[sd]?|score[sd]?|"
    r"scoring|severity|severe|mild|moderate|high[- ]risk|low[- ]risk|"
    r"cures?|guaranteed?|fda[- ]approved|approved|rewires?|neuroplasticity)\b",
    re.IGNORECASE)
# The same in Spanish: person-first words (no "adicto", "alcohólico"), no scores or levels.
BANNED_ES = re.compile(
    r"\b(adict[oa]s?|drogadict[oa]s?|alcohólic[oa]s?|toxicóman[oa]s?|abusador(es|as?)?|"
    r"viciosos?|borrach[oa]s?|limpi[oa]s?|suci[oa]s?|trastornos?|diagnostic(a|ar|ado|ada)|"
    r"puntuaci(ón|ones)|puntajes?|gravedad|graves?|leves?|moderad[oa]s?|alto riesgo|"
    r"bajo riesgo|curas?|curar|garantiz\w*|aprobad[oa]s?|aprobó|neuroplasticidad)\b",
    re.IGNORECASE)
DIAGNOSIS = re.compile(r"\b(diagnosis|diagnóstico)\b", re.IGNORECASE)
ALLOWED_DIAGNOSIS = re.compile(r"\b(not a diagnosis|no es un diagnóstico)\b", re.IGNORECASE)
PHONE = re.compile(r"\b\d{3}\b|\d-\d{3}-\d{3}-\d{4}")


def explanation_bodies():
    for lang, by_id in CONTENT.explanations.items():
        for explanation_id, explanation in by_id.items():
            yield pytest.param(lang, explanation, id=f"{lang}/{explanation_id}")


def screen_prose():
    for lang, texts in CONTENT.texts.items():
        for key, text in texts.items():
            if len(text.split()) >= MIN_PROSE_WORDS:
                yield pytest.param(lang, text, id=f"{lang}:{key}")


def every_visible_text():
    """Every text a reader can see, except source lists, with where it comes from."""
    for lang, texts in CONTENT.texts.items():
        for key, text in texts.items():
            yield f"questions.yaml text.{lang}.{key}", text
    for lang, by_id in CONTENT.explanations.items():
        for explanation_id, explanation in by_id.items():
            yield f"explanations/{lang}/{explanation_id}.md", explanation.body
    for line in CONTENT.helplines.crisis + CONTENT.helplines.finding:
        for lang, words in line.text.items():
            yield f"helplines.yaml {line.id}.{lang}", f"{words.name} {words.short} {words.note}"


@pytest.mark.parametrize(("lang", "explanation"), list(explanation_bodies()))
def test_each_explanation_reads_at_or_below_grade_eight(lang, explanation):
    results = readability(prose(explanation.body), lang)
    assert all(passes for *_, passes in results), results


@pytest.mark.parametrize(("lang", "text"), list(screen_prose()))
def test_each_screen_text_reads_at_or_below_grade_eight(lang, text):
    results = readability(prose(text), lang)
    assert all(passes for *_, passes in results), results


def test_the_spanish_formulas_would_catch_hard_spanish():
    hard = ("Las personas con desregulación psicológica manifiestan frecuentemente "
            "comportamientos desadaptativos de automedicación que requieren una intervención "
            "terapéutica multidisciplinaria e individualizada.")
    assert not any(passes for *_, passes in readability(prose(hard), "es"))
    easy = "Mucha gente bebe para sentirse mejor. El alivio dura poco. Hablar ayuda."
    assert all(passes for *_, passes in readability(prose(easy), "es"))


def test_the_readability_check_would_catch_hard_prose():
    hard = ("Individuals experiencing psychological dysregulation frequently demonstrate "
            "maladaptive self-medication behaviours necessitating comprehensive "
            "multidisciplinary therapeutic intervention.")
    fk, smog = grades(prose(hard))
    assert fk > MAX_GRADE and smog > MAX_GRADE


def test_prose_leaves_out_headings_list_markers_links_and_sources():
    text = "## Heading\n\n- A [linked](https://x.org) item\n\nBody.\n\n## Sources\n\n- Cooper 1995."
    assert prose(text) == "A linked item. Body."


def test_no_stigmatising_diagnostic_or_scoring_words_anywhere():
    found = [(where, match.group(0)) for where, text in every_visible_text()
             for pattern in (BANNED, BANNED_ES) for match in pattern.finditer(text)]
    assert found == []


def test_diagnosis_appears_only_as_not_a_diagnosis():
    for where, text in every_visible_text():
        assert len(DIAGNOSIS.findall(text)) == len(ALLOWED_DIAGNOSIS.findall(text)), where


def test_the_word_list_would_catch_a_stigmatising_word():
    assert BANNED.search("A person who is an addict")
    assert BANNED.search("Your score is high")
    assert not BANNED.search("a person who drinks to cope")
    assert BANNED_ES.search("una persona adicta") and BANNED_ES.search("Es un alcohólico")
    assert BANNED_ES.search("Su puntuación es alta")
    assert not BANNED_ES.search("una persona que bebe para sobrellevar lo que siente")


def test_not_a_diagnosis_is_said_at_the_start_and_on_the_results():
    for lang, texts in CONTENT.texts.items():
        assert ALLOWED_DIAGNOSIS.search(texts["welcome.body"]), lang
        assert ALLOWED_DIAGNOSIS.search(texts["reflection.not_a_diagnosis"]), lang
        assert ALLOWED_DIAGNOSIS.search(texts["close.not_a_diagnosis"]), lang


def test_phone_numbers_live_only_in_the_help_line_file():
    for where, text in every_visible_text():
        if where.startswith("helplines.yaml"):
            continue
        assert not PHONE.search(text), where


def test_explanation_bodies_hold_no_numbers_that_could_read_as_a_count():
    for lang, by_id in CONTENT.explanations.items():
        for explanation_id, explanation in by_id.items():
            assert not re.search(r"\d", explanation.body), f"{lang}/{explanation_id}"


def test_each_explanation_ends_with_its_sources():
    for by_id in CONTENT.explanations.values():
        for explanation in by_id.values():
            assert explanation.sources, explanation.id


def test_tms_is_described_accurately_in_every_language():
    for lang in CONTENT.languages:
        help_text = CONTENT.explanation(lang, "help").body.lower()
        assert "tms" in help_text
        assert "cleared" in help_text or "autoriz" in help_text
        assert "being studied" in help_text or "estudi" in help_text
        assert "depression" in help_text or "depresión" in help_text
        assert "approved" not in help_text and "aprobad" not in help_text
        assert "cbt" in help_text or "cognitive behavioral" in help_text


def test_the_close_says_stopping_suddenly_can_be_dangerous_and_to_talk_first():
    for lang in CONTENT.languages:
        close = CONTENT.explanation(lang, "close").body.lower()
        assert "dangerous" in close or "peligroso" in close
        assert any(word in close for word in ("professional", "doctor", "profesional",
                                              "médico"))


def test_the_help_line_file_has_a_last_verified_date_and_the_required_contacts():
    raw = yaml.safe_load((ROOT / "helplines.yaml").read_text(encoding="utf-8"))
    assert "last_verified" in raw
    lines = {line.id: line for line in CONTENT.helplines.crisis}
    assert lines["lifeline_988"].phone == "988" and lines["lifeline_988"].sms == "988"
    assert lines["samhsa_helpline"].phone == "1-800-662-4357"
    assert lines["samhsa_helpline"].tty == "1-800-487-4889"
    assert lines["emergency"].phone == "911"
    assert lines["outside_us"].url == "https://findahelpline.com"


def test_no_phone_number_is_written_in_python_code():
    for path in [ROOT / "app.py", *sorted((ROOT / "reflect").glob("*.py"))]:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"988|911|662-4357|487-4889|findahelpline", code), path.name
