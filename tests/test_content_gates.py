"""Content is tested like code: reading level, person-first words, accurate claims."""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
import yaml

from reflect.about import about_sections
from reflect.content import (
    OFFICIAL_PAGES,
    SCREEN_KEYS,
    ClinicalReview,
    ContentError,
    Site,
    load_content,
)
from reflect.first_paint import first_paint
from reflect.modes import MODES
from reflect.readability import grades, prose, readability, without_names
from reflect.render import contacts_checked, crisis_banner, helplines_in_full
from reflect.site import texts_of
from reflect.unavailable import unavailable_page
from reflect.words import (
    ALLOWED_DIAGNOSIS,
    BANNED,
    BANNED_ES,
    DIAGNOSIS,
    words_to_check,
)
from tests.contacts import plain

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content(ROOT)
# The same content with the sample clinic's site layered over it (examples/clinic): every gate
# on what a reader can see runs on what the site adds too.
CLINIC = load_content(ROOT, site=ROOT / "examples" / "clinic")
MAX_GRADE = 8.0
# Screen texts shorter than this are labels (buttons, titles), not prose: a grade formula
# gives nonsense on two or three words.
MIN_PROSE_WORDS = 10

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
    """Every text a reader can see, except source lists, with where it comes from; and every
    text the sample clinic's site adds."""
    for lang, texts in CONTENT.texts.items():
        for key, text in texts.items():
            yield f"questions.yaml text.{lang}.{key}", text
    for lang, by_id in CONTENT.explanations.items():
        for explanation_id, explanation in by_id.items():
            yield f"explanations/{lang}/{explanation_id}.md", explanation.body
    for line in CONTENT.helplines.crisis + CONTENT.helplines.finding:
        for lang, words in line.text.items():
            yield f"helplines.yaml {line.id}.{lang}", f"{words.name} {words.short} {words.note}"
    for key, _, text in texts_of(CLINIC.site, CLINIC.helplines.clinic):
        yield f"examples/clinic/site.yaml {key}", text


def help_line_notes():
    for line in CONTENT.helplines.crisis + CONTENT.helplines.finding:
        for lang, words in line.text.items():
            yield pytest.param(lang, words.note, id=f"{line.id}.{lang}")
    for line in CLINIC.helplines.clinic + CLINIC.site.services:
        for lang, words in line.text.items():
            yield pytest.param(lang, words.note, id=f"site:{line.id}.{lang}")
    for lang, message in CLINIC.site.kiosk_message.items():
        yield pytest.param(lang, message, id=f"site:kiosk_message.{lang}")


def scored(text: str, lang: str) -> list:
    """Score text as the gates do: its prose, without the names the data lists as unscored."""
    return readability(without_names(prose(text), CONTENT.reading_level_skips.get(lang, ())),
                       lang)


@pytest.mark.parametrize(("lang", "explanation"), list(explanation_bodies()))
def test_each_explanation_reads_at_or_below_grade_eight(lang, explanation):
    results = scored(explanation.body, lang)
    assert all(passes for *_, passes in results), results


@pytest.mark.parametrize(("lang", "text"), list(screen_prose()))
def test_each_screen_text_reads_at_or_below_grade_eight(lang, text):
    results = scored(text, lang)
    assert all(passes for *_, passes in results), results


RIVERBEND = {"en": "Riverbend Clinic (example)", "es": "Clínica Riverbend (ejemplo)"}


def about_screens():
    """The "About this content" screen as readers see it, in every mode: not reviewed yet
    (today), then reviewed, and with its next review late; run by no named clinic, and by one.
    Its texts are short, so each is scored as part of the whole screen, not alone."""
    done = ClinicalReview("Ana Ruiz", "LCSW", datetime.date(2027, 3, 15),
                          datetime.date(2028, 3, 15))
    reviewed = dataclasses.replace(CONTENT, about=dataclasses.replace(CONTENT.about, review=done))
    clinic = Site(folder="x", name=RIVERBEND)
    for lang in CONTENT.languages:
        for mode in MODES.values():
            for name, content, today in (("not reviewed", CONTENT, datetime.date(2027, 6, 1)),
                                         ("reviewed", reviewed, datetime.date(2027, 6, 1)),
                                         ("review late", reviewed, datetime.date(2029, 1, 1))):
                for site in (None, clinic):
                    shown = dataclasses.replace(content, site=site)
                    screen = "\n\n".join(
                        f"## {section.heading}\n\n" + "\n\n".join(section.paragraphs)
                        for section in about_sections(shown, lang, mode, today))
                    where = "clinic" if site else "no site"
                    yield pytest.param(lang, screen, id=f"{lang}:{mode.name}:{name}:{where}")


@pytest.mark.parametrize(("lang", "screen"), list(about_screens()))
def test_the_about_screen_reads_at_or_below_grade_eight(lang, screen):
    results = scored(screen, lang)
    assert all(passes for *_, passes in results), results


def test_the_about_screen_gate_scores_every_text_the_screen_shows():
    """Each paragraph the About screen can show, in each language, is in a screen scored above:
    a new part of the screen cannot slip past the reading level."""
    screens = [param.values for param in about_screens()]
    for lang in CONTENT.languages:
        scored_here = "\n".join(screen for in_lang, screen in screens if in_lang == lang)
        # Headings and the two controls are not prose; the review's words with their dates
        # are in every screen above already.
        texts = [CONTENT.text(lang, key) for key in SCREEN_KEYS
                 if key.startswith("about.") and not SCREEN_KEYS[key]
                 and not key.endswith("heading") and key not in ("about.link", "about.back")]
        texts.append(CONTENT.text(lang, "about.run_by", clinic=RIVERBEND[lang]))
        assert [text for text in texts if text not in scored_here] == [], lang
    modes = {param.id.split(":")[1] for param in about_screens()}
    assert modes == set(MODES)


@pytest.mark.parametrize(("lang", "note"), list(help_line_notes()))
def test_each_help_line_note_reads_at_or_below_grade_eight(lang, note):
    results = scored(note, lang)
    assert all(passes for *_, passes in results), results


def test_unscored_names_are_only_taken_out_of_the_score():
    text = "Pills such as benzodiazepines (Xanax or Valium) can be hard to stop."
    assert without_names(text, ["benzodiazepines", "Xanax", "Valium"]) == (
        "Pills such as can be hard to stop.")
    assert CONTENT.reading_level_skips["en"] and CONTENT.reading_level_skips["es"]


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
             for pattern in (BANNED, BANNED_ES)
             for match in pattern.finditer(words_to_check(text))]
    assert found == []


def test_accurate_safety_words_pass_the_word_lists_by_exact_phrase_only():
    for allowed in ("There are FDA-approved medicines for drinking problems.",
                    "Hay medicamentos aprobados por la FDA para la bebida.",
                    "Stopping all at once can be life-threatening."):
        assert not BANNED.search(words_to_check(allowed))
        assert not BANNED_ES.search(words_to_check(allowed))
    # Anything else stays blocked: TMS is cleared, never approved; no suicide as a crime.
    assert BANNED.search(words_to_check("TMS is FDA-approved for substance use."))
    assert BANNED.search(words_to_check("An approved cure."))
    assert BANNED_ES.search(words_to_check("La EMT está aprobada por la FDA."))
    assert BANNED.search("to commit suicide") and BANNED_ES.search("cometer suicidio")


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


def section(markdown: str, heading: str) -> str:
    """Return the part of an explanation under the '## ' heading that starts with heading."""
    parts = re.split(r"^## ", markdown, flags=re.MULTILINE)
    return next(part for part in parts if part.startswith(heading))


def test_tms_is_described_accurately_in_every_language():
    # Short and exact (issue 19): everyone goes home after each session, a course takes weeks,
    # its common side effects, used along with other care; named TMS for US readers.
    facts = {
        "en": ("TMS (transcranial magnetic stimulation)", "cleared", "being studied",
               "depression", "goes home after each session", "a course takes weeks",
               "five days a week", "headache", "seizures are rare", "along with other care"),
        "es": ("TMS (estimulación magnética transcraneal)", "autoriz", "se está estudiando",
               "depresión", "vuelven a casa después de cada sesión", "dura semanas",
               "cinco días a la semana", "dolor de cabeza", "convulsiones son raras",
               "junto con otra atención"),
    }
    for lang, (heading, *words) in facts.items():
        help_text = CONTENT.explanation(lang, "help").body.lower()
        tms = section(CONTENT.explanation(lang, "help").body, heading).lower()
        assert all(word in tms for word in words), [w for w in words if w not in tms]
        assert "approved" not in tms and "aprobad" not in tms
        assert "cbt" in help_text or "cognitive behavioral" in help_text


def test_medicines_are_named_as_fda_approved_and_stronger_than_tms_for_substance_use():
    for lang, phrase in (("en", "fda-approved medicines"),
                         ("es", "medicamentos aprobados por la fda")):
        help_text = CONTENT.explanation(lang, "help").body.lower()
        assert phrase in help_text
        assert help_text.index(phrase) < help_text.index("tms")  # medicines come first


def test_the_close_says_stopping_suddenly_can_be_dangerous_and_to_talk_first():
    for lang in CONTENT.languages:
        close = CONTENT.explanation(lang, "close").body.lower()
        assert "dangerous" in close or "peligroso" in close
        assert any(word in close for word in ("professional", "doctor", "profesional",
                                              "médico"))


def test_the_help_line_file_has_a_last_verified_date_and_the_required_contacts():
    raw = yaml.safe_load((ROOT / "helplines.yaml").read_text(encoding="utf-8"))
    assert "last_verified" in raw and "checked_against" in raw
    lines = {line.id: line for line in CONTENT.helplines.crisis}
    assert lines["lifeline_988"].phone == "988" and lines["lifeline_988"].sms == "988"
    assert lines["emergency"].phone == "911"
    assert lines["outside_us"].url == "https://findahelpline.com"
    # A referral and information line, not counseling: first under finding help.
    assert "samhsa_helpline" not in lines
    samhsa = CONTENT.helplines.finding[0]
    assert samhsa.id == "samhsa_helpline"
    assert samhsa.phone == "1-800-662-4357" and samhsa.tty == "1-800-487-4889"
    assert "not for counseling" in samhsa.text["en"].note
    assert "no para dar consejería" in samhsa.text["es"].note


# ---- safety words ----------------------------------------------------------------------------

# What each of the texts named in the issue must carry, as the data's phrases say it.
SAFETY_NEEDS = {
    "escalation": ["after a break", "overdose", "slow or stop your breathing", "naloxone",
                   "without a prescription", "don't use alone", "even as prescribed",
                   "seizures", "get medical help now", "never a reason to keep using"],
    "help": ["after a break", "overdose", "slow or stop your breathing", "naloxone",
             "don't use alone"],
    "close": ["even as prescribed", "seizures", "get medical help now",
              "never a reason to keep using"],
    "line:emergency": ["overdose", "can't be woken", "breathe slowly or not at all", "naloxone"],
    "line:lifeline_988": ["thinking about suicide", "worried about someone"],
    "escape": ["thoughts of suicide", "help works"],
}


def test_the_data_keeps_a_safety_phrase_for_every_danger_in_every_text_named():
    for text, needs in SAFETY_NEEDS.items():
        kept = {phrase for point in CONTENT.safety_points if text in point.texts
                for phrase in point.phrases["en"]}
        missing = [need for need in needs if not any(need in phrase for phrase in kept)]
        assert missing == [], text
    for point in CONTENT.safety_points:
        assert set(point.phrases) == set(CONTENT.languages), point.point


@pytest.mark.parametrize(("file", "drop", "where"), [
    ("explanations/es/escalation.md", "- **No consuma a solas.** ",
     "explanations/es/escalation.md"),
    ("explanations/en/help.md", " Don't use alone.", "explanations/en/help.md"),
    ("explanations/en/close.md", "seizures", "explanations/en/close.md"),
    ("explanations/es/escape.md", "pensamientos de suicidio", "explanations/es/escape.md"),
    ("helplines.yaml", " Dele naloxona si la tiene y quédese con la persona.",
     "helplines.yaml (emergency, es.note)"),
    ("helplines.yaml", "o envíe AYUDA al 988 en un mensaje de texto",
     "helplines.yaml (lifeline_988, es.note)"),
])
def test_a_text_that_drops_a_safety_phrase_is_refused_with_its_file_and_fix(
        real_content_copy, file, drop, where):
    path = real_content_copy / file
    original = path.read_text(encoding="utf-8")
    assert drop in original
    path.write_text(original.replace(drop, "", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(real_content_copy)
    message = str(caught.value)
    assert f"{where}: (safety words): the phrase" in message
    assert "questions.yaml safety_phrases[" in message and "clinician's review" in message


def test_a_safety_point_without_phrases_for_a_language_is_refused(real_content_copy):
    path = real_content_copy / "questions.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("    es: [no consuma a solas]\n", "", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"safety_phrases\[3\]\.es: this key is missing"):
        load_content(real_content_copy)


# ---- 988 in Spanish --------------------------------------------------------------------------


def test_the_spanish_988_text_route_is_shown_in_spanish_everywhere_beside_press_two():
    line = next(line for line in CONTENT.helplines.crisis if line.id == "lifeline_988")
    banner = plain(crisis_banner(CONTENT, "es"))
    # Mid-sentence, after the call: "envíe", not "Envíe".
    assert "Llame al [988](tel:988) y marque 2, envíe AYUDA al [988](sms:988)" in banner
    assert "envíe AYUDA al 988" in plain(crisis_banner(CONTENT, "es", links=False))  # kiosk
    first = plain(first_paint(CONTENT, "es").block)
    assert ('Llame al <a href="tel:988">988</a> y marque 2, envíe AYUDA al '
            '<a href="sms:988">988</a>') in first
    assert "envíe AYUDA al 988" in line.text["es"].note and "marque 2" in line.text["es"].note
    # The word is shown, never put in the link: phones fill in a message body differently.
    assert "sms:988?" not in banner and "body=" not in first
    # In English, one number to call or to text, each a link, with no Spanish word.
    english = plain(crisis_banner(CONTENT, "en"))
    assert "Call [988](tel:988), or text [988](sms:988)" in english and "AYUDA" not in english


# ---- contact words ---------------------------------------------------------------------------

# A contact line's parts: its ways ("Call 911", "Web findahelpline.com") and its sentences.
PART_SPLIT = re.compile(r"(?:^|[.,:]\s+|\s+—\s+)")
CALL_WORD = {"en": "Call", "es": "Llame"}


def every_contact_line(lang: str) -> list[str]:
    """Each line as the file, the kiosk and the close show it, one string per help line."""
    shown = []
    for group in ("crisis", "finding"):
        shown += helplines_in_full(CONTENT, lang, group, links=False).splitlines()
    shown += crisis_banner(CONTENT, lang, links=False).split("  \n")[1:]
    return [plain(line) for line in shown]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_contact_line_says_call_twice(lang):
    for line in every_contact_line(lang):
        parts = PART_SPLIT.split(line.replace("**", ""))
        starts = [part for part in parts if part.startswith(CALL_WORD[lang] + " ")]
        assert len(starts) <= 1, line


def test_one_number_for_calls_and_texts_is_said_once_in_every_place():
    """"Call 988, or text 988": one "Call", and a text link of its own (one tap to text)."""
    said = "Call 988, or text 988"
    assert said in plain(crisis_banner(CONTENT, "en", links=False))
    assert said in plain(helplines_in_full(CONTENT, "en", "crisis", links=False))
    first = plain(first_paint(CONTENT, "en").block)
    both = 'Call <a href="tel:988">988</a>, or text <a href="sms:988">988</a>'
    assert both in first and "Text <a" not in first
    assert both in plain(unavailable_page(CONTENT))
    for place in (crisis_banner(CONTENT, "en"), first):
        assert "Text" not in place


def test_the_spanish_words_for_one_number_to_call_or_text(real_content_copy):
    path = real_content_copy / "helplines.yaml"
    text = path.read_text(encoding="utf-8")
    for line in ("            call_after: y marque 2\n", "            text_word: AYUDA\n"):
        assert line in text
        text = text.replace(line, "", 1)
    path.write_text(text, encoding="utf-8")
    banner = plain(crisis_banner(load_content(real_content_copy), "es", links=False))
    assert "Llame al 988, o envíe un mensaje de texto al 988" in banner


@pytest.mark.parametrize(("lang", "tty", "web"), [
    ("en", "TTY (for Deaf or hard-of-hearing callers) 1-800-487-4889", "Web samhsa.gov"),
    ("es", "TTY (para personas sordas o con dificultades auditivas) 1-800-487-4889",
     "Web samhsa.gov"),
])
def test_the_tty_says_who_it_is_for_and_a_site_is_called_web(lang, tty, web):
    finding = plain(helplines_in_full(CONTENT, lang, "finding", links=False))
    assert tty in finding and web in finding
    everywhere = "\n".join([*every_contact_line(lang), first_paint(CONTENT, lang).block,
                            unavailable_page(CONTENT)])
    assert not re.search(r"\bOnline\b|\bEn línea\b", everywhere)
    assert "Web findahelpline.com" in plain(crisis_banner(CONTENT, lang, links=False))


# ---- honest dates ----------------------------------------------------------------------------


def test_readers_see_where_the_contacts_come_from_and_no_date_unchecked_on_official_pages():
    assert CONTENT.helplines.checked_against == "reference_file"
    day = CONTENT.helplines.last_verified
    for lang in CONTENT.languages:
        said = contacts_checked(CONTENT, lang)
        assert said == CONTENT.text(lang, "crisis.numbers_from")
        for date in (day.isoformat(), CONTENT.natural_date(lang, day)):
            assert date not in said
            assert date not in first_paint(CONTENT, lang).block


def test_a_check_on_the_official_pages_shows_its_date(real_content_copy):
    path = real_content_copy / "helplines.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "checked_against: reference_file", f"checked_against: {OFFICIAL_PAGES}"),
        encoding="utf-8")
    content = load_content(real_content_copy)
    assert content.helplines.last_verified == datetime.date(2026, 11, 27)
    assert plain(contacts_checked(content, "en")) == (
        "We checked each number on the web page of its service on November 27, 2026.")
    assert plain(contacts_checked(content, "es")) == (
        "Cada número se revisó en la página web de su servicio el 27 de noviembre de 2026.")


def test_an_unknown_kind_of_check_is_refused_with_the_choices(real_content_copy):
    path = real_content_copy / "helplines.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "checked_against: reference_file", "checked_against: yesterday"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"checked_against: 'yesterday' is not a known "
                                           r"value\. Fix: write official_pages only when"):
        load_content(real_content_copy)


def test_no_phone_number_is_written_in_python_code():
    for path in [ROOT / "app.py", *sorted((ROOT / "reflect").glob("*.py"))]:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"988|911|662-4357|487-4889|findahelpline", code), path.name


# ---- contacts kept whole on a line ----------------------------------------------------------


def test_a_contact_keeps_its_word_and_on_a_screen_its_hyphens_but_a_download_the_plain_number():
    """Issue 22.3: at 320 px "1-800-662-4357" broke at its hyphens on the kiosk close, and
    "Envíe AYUDA al" / "988" broke between the word and the number."""
    samhsa = "1-800-662-4357"
    on_screen = helplines_in_full(CONTENT, "en", "finding", links=False, on_screen=True)
    assert samhsa.replace("-", "\u2011") in on_screen and samhsa not in on_screen
    for lang in CONTENT.languages:
        for screen in (crisis_banner(CONTENT, lang), crisis_banner(CONTENT, lang, links=False)):
            # Every number or site follows its word with a no-break space, never a plain one.
            assert not re.search(r"\b(?:al|Call|text|Web) \[?(?:[0-9]|find)", screen), screen
        assert "al\u00a0[988](sms:988)" in crisis_banner(CONTENT, "es")
    # A download (the file's plain text) keeps the number a phone can dial when copied.
    in_file = helplines_in_full(CONTENT, "en", "finding", links=False)
    assert samhsa in in_file and "\u2011" not in in_file
    assert "\u00a0" in CONTENT.natural_date("en", datetime.date(2026, 11, 27))
