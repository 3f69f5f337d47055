"""The summary a reader keeps: only what they chose, never a score, their note always inert."""

from __future__ import annotations

import dataclasses
import datetime
import html
import io
import logging
import re
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from reflect import fonts
from reflect import summary as s
from reflect.cycle import cycle_in_words, wrap_label
from reflect.reflection import build_reflection
from reflect.render import contacts_checked
from tests.conftest import ROOT

DAY = datetime.date(2026, 12, 3)
ALL_SEEN = {"relief": "sounds_like_me", "escape": "sometimes",
            "escalation": "sounds_like_me", "loop": "sometimes"}
HOSTILE = ("<script>alert(1)</script> **bold** [x](javascript:alert(1)) \x00\x07"
           " ````` fence ``` <img src=x onerror=alert(1)>\n~~~\n" + "A" * 100_000)
SCORE_WORDS = re.compile(r"\b(score|scores|scored|total|severity|severe|points|percent|rating)\b",
                         re.IGNORECASE)


def make(content, answers=None, chosen=("relief", "escape", "escalation", "loop"), **kw):
    """Build a summary for answers, keeping the chosen pattern ids."""
    reflection = build_reflection(content, ALL_SEEN if answers is None else answers, "en")
    kw.setdefault("token", s.new_token())
    return s.build_summary(content, reflection, "en", chosen, date=DAY, **kw)


class _Text(HTMLParser):
    """Collects the text a browser would show, leaving out the style sheet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Drop all white space, so a line wrapped in the PDF still matches."""
    return re.sub(r"\s+", "", text)


def all_formats(content, summary) -> dict[str, str]:
    """The reader-visible text of the summary in each format, white space removed."""
    return {
        "markdown": squash(s.summary_markdown(content, summary)),
        "html": squash(html_text(s.summary_html(content, summary))),
        "pdf": squash(pdf_text(s.summary_pdf(content, summary))),
    }


def first_sentence(content, explanation_id: str) -> str:
    return content.explanation("en", explanation_id).body.split(". ")[0]


def assert_in_all(formats: dict[str, str], needle: str) -> None:
    for name, text in formats.items():
        assert squash(needle) in text, f"{needle!r} is missing from the {name}"


def assert_in_none(formats: dict[str, str], needle: str) -> None:
    for name, text in formats.items():
        assert squash(needle) not in text, f"{needle!r} should not be in the {name}"


def test_only_patterns_the_reader_chose_and_recognised_appear_in_every_format(content):
    answers = {"relief": "sounds_like_me", "escape": "sometimes",
               "escalation": "not_really", "loop": "rather_not_say"}
    summary = make(content, answers, chosen=["escape", "escalation", "loop", "no_such_id"])
    assert [p.pattern_id for p in summary.patterns] == ["escape"]
    formats = all_formats(content, summary)
    assert_in_all(formats, first_sentence(content, "escape"))
    assert_in_all(formats, content.text("en", "patterns.escape.title"))
    assert_in_all(formats, content.text("en", "summary.intro_sometimes"))
    assert_in_none(formats, content.text("en", "answers.sometimes.intro"))
    for left_out in ("relief", "escalation", "loop"):
        assert_in_none(formats, first_sentence(content, left_out))
        assert_in_none(formats, content.text("en", f"patterns.{left_out}.title"))


# Speaking to the reader ("you", "your"; "usted") in a text that is theirs to keep.
SECOND_PERSON = {"en": re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE),
                 "es": re.compile(r"\b(usted|ustedes)\b", re.IGNORECASE)}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_file_says_in_the_first_person_how_well_each_pattern_fits(content, lang):
    reflection = build_reflection(content, ALL_SEEN, lang)
    summary = s.build_summary(content, reflection, lang, list(ALL_SEEN), date=DAY,
                              token=s.new_token())
    markdown = s.summary_markdown(content, summary)
    for pattern in summary.patterns:
        level = content.answer(pattern.answer_id).recognition
        heading = f"### {pattern.title}\n\n"
        intro = markdown[markdown.index(heading) + len(heading):].split("\n\n")[0]
        # The file's own words, not the screen's ("You said ..."), which change on their own.
        assert intro == content.text(lang, f"summary.intro_{level}")
        assert not SECOND_PERSON[lang].search(intro), intro
    assert {content.answer(p.answer_id).recognition for p in summary.patterns} == {
        "fully", "sometimes"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_files_own_words_never_speak_to_the_reader(content, lang):
    said = {key: text for key, text in content.texts[lang].items()
            if key.startswith("summary.")}
    assert "summary.intro_fully" in said and "summary.intro_sometimes" in said
    assert [key for key, text in said.items() if SECOND_PERSON[lang].search(text)] == []


def test_chosen_patterns_keep_the_order_they_were_asked_in(content):
    summary = make(content, chosen=iter(["loop", "relief", "escalation"]))
    assert [p.pattern_id for p in summary.patterns] == ["relief", "escalation", "loop"]
    markdown = s.summary_markdown(content, summary)
    where = [markdown.index(first_sentence(content, p)) for p in ("relief", "escalation", "loop")]
    assert where == sorted(where)


def test_a_single_string_is_refused_rather_than_read_as_letters(content):
    with pytest.raises(TypeError):
        make(content, chosen="relief")


def test_with_no_pattern_chosen_the_summary_says_so_and_shows_no_explanation(content):
    formats = all_formats(content, make(content, chosen=()))
    assert_in_all(formats, content.text("en", "summary.none_chosen"))
    assert content.text("en", "summary.none_chosen").startswith("I didn't add any patterns")
    for pattern in ("relief", "escape", "escalation", "loop"):
        assert_in_none(formats, first_sentence(content, pattern))


def test_the_safety_texts_and_the_file_code_are_in_every_format(content):
    summary = make(content, chosen=("relief",), include_help=False)
    formats = all_formats(content, summary)
    assert_in_all(formats, content.text("en", "summary.not_a_diagnosis"))
    assert_in_all(formats, content.text("en", "close.heading"))
    assert_in_all(formats, first_sentence(content, "close"))
    assert_in_all(formats, content.text("en", "close.crisis_heading"))
    assert_in_all(formats, contacts_checked(content, "en"))
    assert_in_all(formats, content.text("en", "summary.made_on", date="December 3, 2026"))
    for line in content.helplines.crisis + content.helplines.finding:
        assert_in_all(formats, line.text["en"].name)
        for number in (line.phone, line.sms, line.tty):
            if number:
                assert_in_all(formats, number)
    assert_in_all(formats, content.text("en", "close.finding_heading"))
    assert_in_all(formats, content.text("en", "summary.file_code", token=summary.token))


# What the file code is, said truthfully: picked at random (new_token), nothing about the reader.
FILE_CODE_IS = {"en": ("random", "nothing about me"), "es": ("al azar", "nada sobre mí")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_file_code_is_explained_in_small_print_beside_it(content, lang):
    reflection = build_reflection(content, ALL_SEEN, lang)
    summary = s.build_summary(content, reflection, lang, ["relief"], date=DAY,
                              token=s.new_token())
    page = s.summary_html(content, summary)
    small = re.findall(r'<p class="meta">([^<]*)</p>', page)
    line = next(text for text in small if summary.token in text)
    said = html.unescape(line).split(summary.token, 1)[1]
    assert len(said.split()) >= 8, line  # a sentence, not a bare code
    for words in FILE_CODE_IS[lang]:
        assert words in said, line
    reader = PdfReader(io.BytesIO(s.summary_pdf(content, summary)))
    pages = [squash(p.extract_text()) for p in reader.pages]
    assert any(summary.token in text and squash(said) in text for text in pages)


@pytest.mark.parametrize(("lang", "day", "said"), [
    ("en", datetime.date(2026, 11, 27), "Made on November 27, 2026."),
    ("en", datetime.date(2027, 1, 5), "Made on January 5, 2027."),
    ("es", datetime.date(2026, 11, 27), "Creada el 27 de noviembre de 2026."),
    ("es", datetime.date(2027, 1, 5), "Creada el 5 de enero de 2027."),
])
def test_the_file_says_its_date_as_people_write_it_in_its_language(content, lang, day, said):
    reflection = build_reflection(content, ALL_SEEN, lang)
    summary = s.build_summary(content, reflection, lang, ["relief"], date=day,
                              token=s.new_token())
    formats = all_formats(content, summary)
    assert_in_all(formats, said)
    assert_in_none(formats, day.isoformat())


def test_month_names_come_from_the_content_never_from_the_machine_locale():
    for path in sorted((ROOT / "reflect").glob("*.py")):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"\bimport locale\b|strftime|%B|%b\b", code), path.name


def test_the_help_section_appears_only_when_the_reader_keeps_it(content):
    kept = all_formats(content, make(content, include_help=True))
    left_out = all_formats(content, make(content, include_help=False))
    for needle in (first_sentence(content, "help"), "TMS (transcranial magnetic stimulation)"):
        assert_in_all(kept, needle)
        assert_in_none(left_out, needle)


def test_provider_questions_appear_only_when_the_reader_asks_for_them(content):
    asked = all_formats(content, make(content, include_provider_questions=True))
    not_asked = all_formats(content, make(content))
    for needle in (content.text("en", "summary.questions_heading"),
                   first_sentence(content, "provider_questions")):
        assert_in_all(asked, needle)
        assert_in_none(not_asked, needle)


def prompts(content, pattern_id: str, lang: str = "en") -> list[str]:
    """A pattern's "To talk about together" questions, one by one."""
    text = content.text(lang, f"patterns.{pattern_id}.talk_about")
    return [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]


def test_a_counseling_file_holds_the_talk_prompts_under_each_kept_pattern_only(content):
    summary = make(content, chosen=("relief", "loop"), include_talk_prompts=True)
    formats = all_formats(content, summary)
    assert_in_all(formats, content.text("en", "counseling.talk_about_heading"))
    for kept in ("relief", "loop"):
        assert len(prompts(content, kept)) == 3
        for prompt in prompts(content, kept):
            assert_in_all(formats, prompt)
    for left_out in ("escape", "escalation"):
        for prompt in prompts(content, left_out):
            assert_in_none(formats, prompt)
    # Each pattern's questions follow its own explanation, before the next pattern.
    for name, text in formats.items():
        order = [text.index(squash(needle)) for needle in (
            first_sentence(content, "relief"), prompts(content, "relief")[0],
            content.text("en", "patterns.loop.title"), first_sentence(content, "loop"),
            prompts(content, "loop")[-1])]
        assert order == sorted(order), name


def test_a_file_without_the_talk_prompts_as_in_personal_mode_holds_none(content):
    formats = all_formats(content, make(content, include_talk_prompts=False))
    assert_in_none(formats, content.text("en", "counseling.talk_about_heading"))
    for pattern in content.patterns:
        for prompt in prompts(content, pattern.id):
            assert_in_none(formats, prompt)


def picture_lines(content, lang: str) -> list[str]:
    """The lines of words the cycle picture draws in its boxes."""
    return [line for stage in content.cycle
            for line in wrap_label(content.text(lang, f"cycle_stages.{stage}.label"))]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_kept_cycle_is_drawn_in_the_pdf_with_its_words_beside_it(content, lang):
    reflection = build_reflection(content, ALL_SEEN, lang)
    summary = s.build_summary(content, reflection, lang, ["escalation"], date=DAY,
                              token=s.new_token(), include_cycle=True)
    text = pdf_text(s.summary_pdf(content, summary))
    assert squash(content.text(lang, "cycle.heading")) in squash(text)
    words = cycle_in_words(content, lang, {"fading"}, note_key="summary.cycle_marked")
    assert squash(words) in squash(text)
    assert squash(content.text(lang, "summary.cycle_legend")) in squash(text)
    # The picture's own words, drawn by fpdf2 from the SVG: each line of a box on its own.
    lines = {line.strip() for line in text.splitlines()}
    missing = [line for line in picture_lines(content, lang) if line not in lines]
    assert missing == [], f"the picture in the PDF lacks {missing}"


def test_a_kept_cycle_is_an_inline_picture_in_the_web_page_with_its_words(content):
    summary = make(content, chosen=("escalation",), include_cycle=True)
    page = s.summary_html(content, summary)
    (picture,) = re.findall(r'<div class="cycle">(<svg .*?</svg>)</div>', page, re.S)
    assert 'role="img"' in picture and "<title" in picture and "<desc" in picture
    for line in picture_lines(content, "en"):
        assert f">{html.escape(line, quote=True)}</text>" in picture
    words = cycle_in_words(content, "en", {"fading"}, note_key="summary.cycle_marked")
    assert f"<p>{html.escape(words, quote=True)}</p>" in page


def test_the_files_cycle_marks_only_the_stages_of_the_patterns_kept(content):
    """All four were recognised; only "escalation" is kept, so only its stage is marked: the
    picture tells nothing of a pattern the reader left out."""
    summary = make(content, chosen=("escalation",), include_cycle=True)
    page = s.summary_html(content, summary)
    assert page.count('class="check-mark"') == 1
    note = content.text("en", "summary.cycle_marked")
    assert note == "I noticed this"
    marked = f"{content.text('en', 'cycle_stages.fading.label')} ({note})"
    (picture,) = re.findall(r'<div class="cycle">.*?</div>', page, re.S)
    # Once in the words under the picture, and once in the picture's own description.
    for text in (html_text(page.replace(picture, "")), pdf_text(s.summary_pdf(content, summary)),
                 html_text(picture)):
        assert squash(text).count(squash(f"({note})")) == 1
        assert squash(marked) in squash(text)
    nothing_kept = s.summary_html(content, make(content, chosen=(), include_cycle=True))
    assert "check-mark" not in nothing_kept
    assert content.text("en", "summary.cycle_legend") not in nothing_kept


def test_the_cycle_is_in_no_format_unless_the_reader_keeps_it(content):
    summary = make(content, include_cycle=False, include_talk_prompts=True)
    formats = all_formats(content, summary)
    words = cycle_in_words(content, "en", s.marked_stages(content, summary),
                           note_key="summary.cycle_marked")
    for needle in (content.text("en", "cycle.heading"), content.text("en", "cycle.in_words"),
                   words, content.text("en", "summary.cycle_legend")):
        assert_in_none(formats, needle)
    assert "<svg" not in s.summary_html(content, summary)
    lines = {line.strip() for line in pdf_text(s.summary_pdf(content, summary)).splitlines()}
    assert [line for line in picture_lines(content, "en") if line in lines] == []


def test_drawing_the_cycle_in_the_pdf_warns_of_nothing(content, caplog):
    caplog.set_level(logging.DEBUG)
    s.summary_pdf(content, make(content, include_cycle=True, include_talk_prompts=True))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not [r for r in caplog.records if r.name.startswith("fpdf.svg")]


def test_sources_are_left_out_of_every_format(content):
    formats = all_formats(content, make(content, include_provider_questions=True))
    for source in content.explanation("en", "relief").sources[:1] + content.explanation(
            "en", "help").sources[:1]:
        assert_in_none(formats, source[:40])


def test_two_tokens_differ_and_carry_at_least_128_random_bits():
    first, second = s.new_token(), s.new_token()
    assert first != second
    for token in (first, second):
        assert len(token) == 32
        assert int(token, 16).bit_length() <= 128
    assert len({s.new_token() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "token", ["", "short", "a" * 21, "<script>" * 4, "a b" * 10, "a" * 32 + "\n"])
def test_a_short_or_odd_token_is_refused(content, token):
    with pytest.raises(ValueError):
        make(content, token=token)


def test_a_hostile_note_is_cut_to_the_limit_and_loses_its_control_characters(content):
    summary = make(content, note=HOSTILE)
    assert len(summary.note) == s.NOTE_MAX_CHARS
    assert "\x00" not in summary.note and "\x07" not in summary.note
    assert summary.note.startswith("<script>alert(1)</script> **bold** [x](javascript:alert(1))")
    assert "\n~~~\n" in summary.note


def test_a_note_keeps_its_line_breaks_and_tabs_but_no_other_control_character():
    assert s.clean_note("one\r\ntwo\tthree\x1b[31m\x7f\u0085\ud800 ") == "one\ntwo\tthree[31m"


def test_a_hostile_note_is_only_escaped_text_in_the_html(content):
    summary = make(content, note=HOSTILE)
    page = s.summary_html(content, summary)
    for tag in ("<script", "<img", "<a "):
        assert tag not in page.lower()
    match = re.search(r'<pre class="note" style="white-space:pre-wrap">(.*?)</pre>', page, re.S)
    assert match and match.group(1) == html.escape(summary.note, quote=True)
    assert html.unescape(match.group(1)) == summary.note
    outside = page.replace(match.group(0), "").lower()
    for attribute in ("href=", "src=", "onerror=", "javascript:"):
        assert attribute not in outside


def test_a_hostile_note_is_inert_inside_a_code_fence_in_the_markdown(content):
    summary = make(content, note=HOSTILE)
    markdown = s.summary_markdown(content, summary)
    heading = f"## {content.text('en', 'summary.note_heading')}\n\n"
    after = markdown[markdown.index(heading) + len(heading):]
    opening, rest = after.split("\n", 1)
    fence = opening.removesuffix("text")
    assert set(fence) == {"`"}
    longest_run = max(len(run) for run in re.findall(r"`+", summary.note))
    assert len(fence) > longest_run
    inside, closing = rest.split(f"\n{fence}\n", 1)
    assert inside == summary.note
    # Nothing of the note leaks outside its fence.
    outside = markdown.replace(inside, "")
    for piece in ("<script", "javascript:", "<img", "](javascript"):
        assert piece not in outside


def test_a_hostile_note_is_in_the_pdf(content):
    summary = make(content, note=HOSTILE)
    text = squash(pdf_text(s.summary_pdf(content, summary)))
    assert squash("<script>alert(1)</script> **bold** [x](javascript:alert(1))") in text
    assert "A" * 500 in text


def test_the_pdf_font_renders_dashes_and_accents(content):
    note = "Mañana — más tarde, señor. Ça va? Über. “Quotes” and ‘apostrophes’."
    text = pdf_text(s.summary_pdf(content, make(content, note=note)))
    assert note in text
    assert "—" in text and "ñ" in text and "á" in text


def test_a_character_the_font_lacks_is_replaced_and_never_logged(content, caplog):
    caplog.set_level(logging.DEBUG)
    data = s.summary_pdf(content, make(content, note="ok 中文 ok"))
    assert "中" not in caplog.text
    assert squash("ok ?? ok") in squash(pdf_text(data))


GREEK = "Ωμέγα ψυχή"
CYRILLIC = "Жизнь щедра"


def embedded_fonts(data: bytes) -> dict[str, tuple[frozenset[int], int]]:
    """Each font subset the PDF embeds: the characters its cmap maps, and its glyph count."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cid_font = font["/DescendantFonts"][0].get_object()
            subset = cid_font["/FontDescriptor"].get_object()["/FontFile2"].get_data()
            with TTFont(io.BytesIO(subset)) as parsed:
                found[font["/BaseFont"]] = (frozenset(parsed.getBestCmap()),
                                            parsed["maxp"].numGlyphs)
    return found


def embedded_characters(data: bytes) -> frozenset[int]:
    return frozenset().union(*(chars for chars, _ in embedded_fonts(data).values()))


def letters(text: str) -> frozenset[int]:
    return frozenset(ord(ch) for ch in text if not ch.isspace())


def test_a_pdf_embeds_no_glyph_that_only_another_readers_pdf_used(content):
    token = s.new_token()  # the same file code, so the two plain files use the same letters
    plain_first = s.summary_pdf(content, make(content, note="plain words", token=token))
    greek = s.summary_pdf(content, make(content, note=GREEK))
    plain_after = s.summary_pdf(content, make(content, note="plain words", token=token))
    assert GREEK in pdf_text(greek)
    assert letters(GREEK) <= embedded_characters(greek)
    # The same subsets, glyph for glyph, as if the Greek reader had never been here.
    assert embedded_fonts(plain_after) == embedded_fonts(plain_first)
    assert not letters(GREEK) & embedded_characters(plain_after)
    assert "Ω" not in pdf_text(plain_after)


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The font files fpdf2 parses from now on, in a process that has built no PDF yet."""
    fonts._parse_once.cache_clear()  # where reflect/fonts keeps them
    parsed = []
    parse = TTFFont.__init__

    def counted(font, fpdf, font_file_path, *args, **kwargs):
        parsed.append(Path(font_file_path).name)
        parse(font, fpdf, font_file_path, *args, **kwargs)

    monkeypatch.setattr(TTFFont, "__init__", counted)
    return parsed


ONCE_EACH = {"DejaVuSans.ttf": 1, "DejaVuSans-Bold.ttf": 1}


def test_pdfs_built_in_two_threads_at_once_each_hold_only_their_readers_words(content, parses):
    # Both threads may be the first to need the fonts.
    start = threading.Barrier(2)

    def build(note: str) -> list[bytes]:
        start.wait(timeout=30)
        return [s.summary_pdf(content, make(content, note=f"{note} {n}")) for n in range(3)]

    with ThreadPoolExecutor(2) as pool:
        greek, cyrillic = pool.map(build, (GREEK, CYRILLIC))
    for built, own, other in ((greek, GREEK, CYRILLIC), (cyrillic, CYRILLIC, GREEK)):
        for number, data in enumerate(built):
            text = pdf_text(data)
            assert f"{own} {number}" in text
            assert other.split()[0] not in text
            assert not letters(other) & embedded_characters(data)
    assert Counter(parses) == ONCE_EACH


def test_the_pdf_fonts_are_parsed_once_per_process(content, parses):
    for note in ("first reader", "second reader", GREEK):
        assert note in pdf_text(s.summary_pdf(content, make(content, note=note)))
    # Each face once, for three PDFs.
    assert Counter(parses) == ONCE_EACH


def test_a_missing_font_names_the_package_to_install(content, tmp_path):
    with pytest.raises(FileNotFoundError, match="fonts-dejavu-core"):
        s.summary_pdf(content, make(content), font_path=tmp_path / "DejaVuSans.ttf")
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="DejaVuSans-Bold.ttf.*fonts-dejavu-core"):
        s.summary_pdf(content, make(content), font_path=tmp_path / "DejaVuSans.ttf")


def test_the_pdf_metadata_holds_the_title_and_nothing_the_reader_answered(content):
    summary = make(content, note="private words", include_cycle=True,
                   include_talk_prompts=True)
    reader = PdfReader(io.BytesIO(s.summary_pdf(content, summary)))
    assert reader.metadata.title == content.text("en", "summary.title") == "My reflection"
    everything = " ".join(str(v) for v in reader.metadata.values())
    for pattern in content.patterns:
        assert pattern.id not in everything
        assert content.text("en", f"patterns.{pattern.id}.title") not in everything
        assert prompts(content, pattern.id)[0] not in everything
    for stage in content.cycle:
        assert content.text("en", f"cycle_stages.{stage}.label") not in everything
    assert "private words" not in everything


def test_the_html_is_a_standalone_page_that_loads_and_runs_nothing(content):
    page = s.summary_html(content, make(content, include_provider_questions=True,
                                        include_cycle=True, include_talk_prompts=True))
    assert "<svg " in page  # the cycle, drawn inline: it fetches nothing
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page
    assert f"<title>{content.text('en', 'summary.title')}</title>" in page
    assert "@media print" in page
    for loader in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
                   "javascript:"):
        assert loader not in page.lower()
    assert "<strong>" in page and "**" not in page


def test_the_file_name_holds_only_the_date(content):
    kept = make(content, chosen=("relief", "loop"))
    other = make(content, answers={"escape": "sounds_like_me"}, chosen=("escape",))
    ids = [p.id for p in content.patterns] + [a.id for a in content.answers]
    for ext in ("md", "html", "pdf"):
        name = s.file_name(kept, ext)
        assert name == f"my-reflection-{DAY.isoformat()}.{ext}"
        assert name == s.file_name(other, ext)
        for answer_id in ids:
            assert answer_id not in name


@pytest.mark.parametrize("ext", ["", "../pdf", "pdf ", "pdf\n", "PDF"])
def test_an_odd_file_extension_is_refused(content, ext):
    with pytest.raises(ValueError):
        s.file_name(make(content), ext)


def test_no_number_appears_outside_the_date_the_file_code_and_the_help_lines(content):
    summary = make(content, include_help=True, include_provider_questions=True)
    markdown = s.summary_markdown(content, summary)
    crisis = f"## {content.text('en', 'close.crisis_heading')}"
    verified = contacts_checked(content, "en")
    start, end = markdown.index(crisis), markdown.index(verified) + len(verified)
    rest = markdown[:start] + markdown[end:]
    rest = rest.replace(content.natural_date("en", DAY), "").replace(summary.token, "")
    assert first_sentence(content, "help") in rest and len(rest) > 5000
    assert re.findall(r".{0,30}\d.{0,30}", rest) == []


def test_no_words_of_scoring_appear_in_any_format(content):
    summary = make(content, include_help=True, include_provider_questions=True)
    for text in (s.summary_markdown(content, summary),
                 html_text(s.summary_html(content, summary)),
                 pdf_text(s.summary_pdf(content, summary))):
        assert SCORE_WORDS.findall(text) == []


def test_a_summary_cannot_be_changed_after_it_is_built(content):
    summary = make(content)
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.note = "changed"  # type: ignore[misc]


def test_the_summary_module_never_imports_streamlit():
    code = "import sys, reflect.summary; sys.exit('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
