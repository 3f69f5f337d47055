"""About this content: the review fields are checked, and the screen's words say who wrote the
content and whether a licensed clinician has reviewed it, with dates in each language's words;
then what happens to the answers, who sees the screen in the reader's mode, downloads, and who
runs the app (a clinic by name, or whoever runs it)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from reflect.about import about_paragraphs, about_sections
from reflect.content import SCREEN_KEYS, ClinicalReview, ContentError, Site, load_content
from reflect.modes import COUNSELING, KIOSK, MODES, PERSONAL
from tests.contacts import plain

EMPTY = "clinical_review: {reviewer: null, credential: null, reviewed_on: null, next_review: null}"
DONE = ("clinical_review: {reviewer: Ana Ruiz, credential: LCSW, reviewed_on: 2027-03-15, "
        "next_review: 2028-03-15}")
TODAY = datetime.date(2027, 6, 1)


def with_review(folder, review: str):
    path = folder / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    assert EMPTY in text, "the fixture no longer holds an empty review"
    path.write_text(text.replace(EMPTY, review, 1), encoding="utf-8")
    return folder


def problems_of(folder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return caught.value.problems


# ---- the fields, as the content gives them -------------------------------------------------


def test_the_real_content_has_no_review_yet_and_says_so_in_every_language(content):
    assert content.about.review == ClinicalReview()
    for lang in content.languages:
        said = about_paragraphs(content, lang, TODAY)
        assert said[-1] == content.text(lang, "about.not_reviewed")
    assert about_paragraphs(content, "en", TODAY)[-1] == (
        "A licensed clinician has not yet reviewed this content.")


def test_a_full_review_loads_with_its_dates(content_copy):
    review = load_content(with_review(content_copy, DONE)).about.review
    assert review == ClinicalReview("Ana Ruiz", "LCSW", datetime.date(2027, 3, 15),
                                    datetime.date(2028, 3, 15))
    assert review.done


def test_quoted_iso_dates_count_as_dates(content_copy):
    review = load_content(with_review(content_copy, (
        'clinical_review: {reviewer: Ana Ruiz, credential: LCSW, reviewed_on: "2027-03-15", '
        'next_review: "2028-03-15"}'))).about.review
    assert review.reviewed_on == datetime.date(2027, 3, 15)
    assert review.next_review == datetime.date(2028, 3, 15)


def test_empty_quotes_are_an_empty_review(content_copy):
    review = load_content(with_review(content_copy, (
        'clinical_review: {reviewer: "", credential: " ", reviewed_on: "", next_review: ""}'
    ))).about.review
    assert review == ClinicalReview() and not review.done


@pytest.mark.parametrize(("value", "shown"), [
    ("15/03/2027", "'15/03/2027'"), ("2027-02-30", "'2027-02-30'"), ("March 2027", "'March 2027'"),
    ("20270315", "'20270315'"), ("2027-3-15", "'2027-3-15'"),
])
def test_a_review_date_not_written_as_yyyy_mm_dd_is_refused_with_the_fix(content_copy, value,
                                                                        shown):
    folder = with_review(content_copy, DONE.replace("reviewed_on: 2027-03-15",
                                                    f'reviewed_on: "{value}"'))
    assert problems_of(folder) == [
        f"questions.yaml: about.clinical_review.reviewed_on: {shown} is not a date. Fix: write "
        "the date as YYYY-MM-DD (for example 2027-03-15), or leave it empty."]


@pytest.mark.parametrize("next_review", ["2027-03-15", "2026-12-01"])
def test_a_next_review_not_after_the_review_is_refused(content_copy, next_review):
    folder = with_review(content_copy, DONE.replace("next_review: 2028-03-15",
                                                    f"next_review: {next_review}"))
    assert problems_of(folder) == [
        f"questions.yaml: about.clinical_review.next_review: {next_review} is not after "
        "reviewed_on (2027-03-15). Fix: write a next review date later than the review itself."]


@pytest.mark.parametrize(("review", "missing"), [
    (DONE.replace("credential: LCSW", "credential: null"), "credential"),
    (DONE.replace("reviewer: Ana Ruiz", "reviewer: null"), "reviewer"),
    (DONE.replace("credential: LCSW", 'credential: ""'), "credential"),
])
def test_a_reviewer_without_a_credential_or_the_reverse_is_refused(content_copy, review,
                                                                   missing):
    (problem,) = problems_of(with_review(content_copy, review))
    assert problem.startswith(
        f"questions.yaml: about.clinical_review.{missing}: the reviewer and the credential go "
        f"together, and this one is empty. Fix: write the {missing} too")
    assert "or leave both empty until a licensed clinician has reviewed" in problem


@pytest.mark.parametrize("name", ["reviewed_on", "next_review"])
def test_a_reviewer_without_both_dates_is_refused(content_copy, name):
    review = DONE.replace(f"{name}: 2027-03-15", f"{name}: null").replace(
        f"{name}: 2028-03-15", f"{name}: null")
    assert problems_of(with_review(content_copy, review)) == [
        f"questions.yaml: about.clinical_review.{name}: a review needs this date. Fix: write "
        "the day of the review in reviewed_on and the day of the next one in next_review, as "
        "YYYY-MM-DD."]


def test_a_date_without_a_reviewer_is_refused(content_copy):
    review = EMPTY.replace("reviewed_on: null", "reviewed_on: 2027-03-15")
    assert problems_of(with_review(content_copy, review)) == [
        "questions.yaml: about.clinical_review.reviewed_on: a date without a reviewer. Fix: "
        "write the reviewer and the credential too, or leave the date empty."]


def test_a_missing_review_field_or_about_block_is_named(content_copy):
    (problem,) = problems_of(with_review(content_copy, EMPTY.replace(", next_review: null", "")))
    assert problem == ("questions.yaml: about.clinical_review.next_review: this key is missing. "
                       "Fix: add 'next_review:'.")
    path = content_copy / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("about:\n"), text.index("text:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems_of(content_copy) == [
        "questions.yaml: about: this key is missing. Fix: add 'about:'."]


def test_a_reviewer_written_as_markup_is_refused(content_copy):
    review = DONE.replace("reviewer: Ana Ruiz", 'reviewer: "<b>Ana</b>"')
    (problem,) = problems_of(with_review(content_copy, review))
    assert problem.startswith("questions.yaml: about.clinical_review.reviewer: contains raw HTML")


# ---- dates in words ------------------------------------------------------------------------


def test_the_review_dates_are_written_as_the_files_dates_are(content):
    """One list of month names for the whole content: summary.months and summary.date_format."""
    from reflect.about import shown_date

    assert plain(shown_date(content, "en", datetime.date(2027, 3, 5))) == "March 5, 2027"
    spanish = shown_date(content, "es", datetime.date(2026, 11, 27))
    assert plain(spanish) == "27 de noviembre de 2026"


# ---- what the screen says ------------------------------------------------------------------


def reviewed(content, next_review: datetime.date):
    review = ClinicalReview("Ana Ruiz", "LCSW", datetime.date(2027, 3, 15), next_review)
    return dataclasses.replace(content, about=dataclasses.replace(content.about, review=review))


def test_a_review_is_shown_with_its_dates_in_words_in_every_language(content):
    done = reviewed(content, datetime.date(2028, 3, 15))
    assert plain(about_paragraphs(done, "en", TODAY)[-1]) == (
        "Ana Ruiz, LCSW, reviewed this content on March 15, 2027. "
        "The next review is planned for March 15, 2028.")
    assert plain(about_paragraphs(done, "es", TODAY)[-1]) == (
        "Ana Ruiz, LCSW, revisó este contenido el 15 de marzo de 2027. "
        "La próxima revisión está prevista para el 15 de marzo de 2028.")


def test_a_review_past_its_next_date_says_it_is_due(content):
    late = reviewed(content, datetime.date(2027, 5, 31))
    assert plain(about_paragraphs(late, "en", TODAY)[-1]).endswith(
        "The next review was planned for May 31, 2027, and it has not been done yet.")
    assert plain(about_paragraphs(late, "es", TODAY)[-1]).endswith(
        "La próxima revisión estaba prevista para el 31 de mayo de 2027 y todavía no se ha "
        "hecho.")
    on_the_day = reviewed(content, TODAY)
    assert "is planned for June 1, 2027" in plain(about_paragraphs(on_the_day, "en", TODAY)[-1])


def test_the_screen_says_who_wrote_the_content_and_where_its_sources_are(content):
    for lang in content.languages:
        first = about_paragraphs(content, lang, TODAY)[0]
        assert first == content.text(lang, "about.written_by")
        # It names the heading the sources are under, in that language's words.
        assert f'"{content.text(lang, "reflection.sources")}"' in first
    assert "The people who make this app wrote these words" in content.text(
        "en", "about.written_by")


def test_reflect_check_says_whether_the_content_has_been_reviewed(capsys, content_copy):
    import reflect.__main__ as cli

    assert cli.main(["check"]) == 0
    assert "no clinical review yet (questions.yaml about.clinical_review is empty)" in (
        capsys.readouterr().out)
    assert cli.main(["check", str(with_review(content_copy, DONE))]) == 0
    assert ("reviewed by Ana Ruiz, LCSW, on 2027-03-15, next review 2028-03-15"
            in capsys.readouterr().out)


# ---- privacy, who sees what, and who runs it -------------------------------------------------

RIVERBEND = Site(folder="x", name={"en": "Riverbend Clinic (example)",
                                   "es": "Clínica Riverbend (ejemplo)"})
WHO_SEES = {PERSONAL: "about.who_personal", COUNSELING: "about.who_counseling",
            KIOSK: "about.who_kiosk"}


def sections(content, lang: str, mode: str) -> dict[str, tuple[str, ...]]:
    """The screen's sections for a reader in mode, by heading, in order."""
    return {s.heading: s.paragraphs for s in about_sections(content, lang, MODES[mode], TODAY)}


def said(content, lang: str, mode: str) -> str:
    return "\n".join(p for ps in sections(content, lang, mode).values() for p in ps)


def test_every_mode_names_a_text_for_who_sees_its_screen():
    assert {name: mode.who_sees for name, mode in MODES.items()} == WHO_SEES
    for key in WHO_SEES.values():
        assert SCREEN_KEYS[key] == ()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("mode", [PERSONAL, COUNSELING, KIOSK])
def test_the_screen_says_who_sees_the_screen_in_the_readers_mode_only(content, mode, lang):
    headings = list(sections(content, lang, mode))
    expected = ["about.content_heading", "about.answers_heading", "about.who_heading",
                "about.downloads_heading", "about.runner_heading"]
    if mode == KIOSK:
        expected.remove("about.downloads_heading")  # a kiosk offers no downloads
    assert headings == [content.text(lang, key) for key in expected]
    assert sections(content, lang, mode)[content.text(lang, "about.who_heading")] == (
        content.text(lang, WHO_SEES[mode]),)
    text = said(content, lang, mode)
    for other in set(WHO_SEES) - {mode}:
        assert content.text(lang, WHO_SEES[other]) not in text
    # What came first stays first: who wrote the content, then its review.
    assert sections(content, lang, mode)[headings[0]] == about_paragraphs(content, lang, TODAY)


def test_the_answers_words_are_the_privacy_facts_on_a_phone_or_computer(content):
    for mode in (PERSONAL, COUNSELING):
        text = said(content, "en", mode)
        assert content.text("en", "about.answers") in text
        assert content.text("en", "about.answers_kiosk") not in text
        assert content.text("en", "about.downloads") in text
    words = content.text("en", "about.answers")
    for fact in ("go to the server that runs this app", "in its memory for this visit only",
                 "not written to a disk", "staff cannot look them up",
                 'gone at once when you press "Start over"',
                 "if you close this page, they are gone within about two minutes"):
        assert fact in words.replace("They", "they").replace("If", "if"), fact
    spanish = content.text("es", "about.answers")
    for fact in ("van al servidor donde funciona esta aplicación",
                 "memoria solo durante esta visita", "no se escriben en un disco",
                 "el personal no puede consultarlas", "se borran enseguida",
                 "se borran en unos dos minutos"):
        assert fact in spanish.lower(), fact


def test_the_downloads_words_say_the_file_stays_and_to_delete_it_on_a_shared_computer(content):
    words = content.text("en", "about.downloads")
    for fact in ("stays on the device you saved it to", "cannot delete it",
                 "on a shared or public computer, delete the file",
                 "browser's list of downloads"):
        assert fact in words.replace("On a", "on a"), fact
    spanish = content.text("es", "about.downloads")
    for fact in ("queda en el dispositivo donde lo guardó", "no lo puede borrar",
                 "computadora compartida o pública, borre el archivo",
                 "lista de descargas del navegador"):
        assert fact in spanish, fact


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_kiosk_says_it_forgets_the_visitor_by_itself_and_has_no_downloads(content, lang):
    text = said(content, lang, KIOSK)
    assert content.text(lang, "about.answers_kiosk") in text
    assert content.text(lang, "about.answers") not in text
    assert content.text(lang, "about.downloads") not in text
    kiosk = content.text(lang, "about.answers_kiosk").lower()
    assert "two minutes" not in kiosk and "dos minutos" not in kiosk  # it resets itself
    assert ("no downloads here" in kiosk) or ("no hay descargas" in kiosk)
    assert ("soon after you stop using the screen" in kiosk) or (
        "poco después de que deja de usar la pantalla" in kiosk)
    who = content.text(lang, "about.who_kiosk").lower()
    assert ("people nearby may see it" in who) or ("quienes estén cerca podrían verla" in who)
    assert ("clears itself" in who) or ("se borra sola" in who)


def test_each_mode_says_only_what_is_true_of_who_sees_the_screen(content):
    personal = content.text("en", "about.who_personal")
    assert "only here, on your screen" in personal and "no one is watching" in personal.lower()
    counseling = content.text("en", "about.who_counseling")
    # The counselor sees the screen, and the reflection shows every answer (answers_overview).
    assert MODES[COUNSELING].answers_overview and "with each answer you gave" in counseling
    assert "No one else is watching" in counseling and "No one is watching" not in counseling
    assert "you choose what goes in the take-home file" in counseling
    kiosk = content.text("en", "about.who_kiosk")
    assert "watching" not in kiosk  # people nearby may see a kiosk's screen
    for lang in content.languages:
        for key in ("about.who_personal", "about.who_counseling", "about.answers_kiosk"):
            words = content.text(lang, key).lower()
            assert "no one will contact you" in words or "nadie se va a comunicar" in words, key


def test_with_a_clinics_site_the_screen_names_the_clinic_and_what_it_looks_after(content):
    clinic = dataclasses.replace(content, site=RIVERBEND)
    for lang in clinic.languages:
        (runner,) = sections(clinic, lang, PERSONAL)[clinic.text(lang, "about.runner_heading")]
        assert runner == (clinic.text(lang, "about.run_by", clinic=RIVERBEND.name[lang]) + " "
                          + clinic.text(lang, "about.runner_duties"))
        assert runner.startswith(RIVERBEND.name[lang])
        assert clinic.text(lang, "about.run_by_unnamed") not in runner
    (english,) = sections(clinic, "en", KIOSK)[clinic.text("en", "about.runner_heading")]
    assert english == (
        "Riverbend Clinic (example) runs this app here. They make sure its help lines and local "
        "contacts are right. They look after the computers it runs on, and their network. They "
        "answer questions about privacy. The app gives them no way to look up your answers.")
    (spanish,) = sections(clinic, "es", KIOSK)[clinic.text("es", "about.runner_heading")]
    assert spanish.startswith("Clínica Riverbend (ejemplo) administra esta aplicación aquí. ")


def test_without_a_site_the_screen_says_the_same_of_whoever_runs_the_app(content):
    assert content.clinic_name("en") is None
    for lang in content.languages:
        for mode in MODES:
            (runner,) = sections(content, lang, mode)[content.text(lang, "about.runner_heading")]
            assert runner == (content.text(lang, "about.run_by_unnamed") + " "
                              + content.text(lang, "about.runner_duties"))
    (english,) = sections(content, "en", PERSONAL)[content.text("en", "about.runner_heading")]
    assert english.startswith("Whoever runs this app is in charge of it. They make sure its "
                              "help lines and local contacts are right.")
