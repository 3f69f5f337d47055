"""What "Listen" reads (reflect/listen.py, issue 24): each screen's words in order, in blocks,
in every mode and language; the crisis lines only on request, numbers digit by digit."""

from __future__ import annotations

import datetime

import pytest

from reflect import flow
from reflect.listen import crisis_block, said, said_name, screen_blocks, spoken
from reflect.modes import MODES
from reflect.reflection import build_reflection

TODAY = datetime.date(2027, 6, 1)
ANSWERS = {"relief": "sounds_like_me", "escape": "not_really", "escalation": "rather_not_say",
           "loop": "sometimes"}


def blocks_of(content, lang, kind, mode="personal", answers=ANSWERS, about=False):
    screen = next(s for s in flow.screens(content) if s.kind == kind)
    reflection = build_reflection(content, answers, lang)
    return screen_blocks(content, lang, screen, MODES[mode], reflection, answers, about=about,
                         today=TODAY)


def test_spoken_words_have_no_marks_links_or_sources_and_each_line_ends_a_sentence():
    text = ("## Heading\n\n- A [linked](https://x.org) *item*\n\nBody\u00a0text.\n\n"
            "## Sources\n\n- X")
    assert spoken(text) == "Heading. A linked item. Body text."


def test_a_number_is_said_digit_by_digit_with_a_pause_at_each_dash():
    assert said("555-0100") == "5 5 5, 0 1 0 0"
    assert said_name("The 555 Line, since 1999") == "The 5 5 5 Line, since 1999"
    assert said("1-555-010-0199") == "1, 5 5 5, 0 1 0, 0 1 9 9"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_screen_has_words_to_read_and_none_is_a_score(content, mode, lang):
    for screen in flow.screens(content):
        reflection = build_reflection(content, ANSWERS, lang)
        blocks = screen_blocks(content, lang, screen, MODES[mode], reflection, ANSWERS,
                               today=TODAY)
        assert blocks and all(b.text.strip() for b in blocks), screen
        for block in blocks:
            assert "*" not in block.text and "](" not in block.text, (screen, block.id)
            assert not any(word in block.text.lower() for word in ("score", "puntaje")), block


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_question_reads_its_statement_then_every_answer_in_order(content, lang):
    screen = next(s for s in flow.screens(content) if s.kind == flow.QUESTION)
    (block,) = screen_blocks(content, lang, screen, MODES["personal"])
    assert block.id == f"question.{screen.pattern_id}"
    parts = [content.text(lang, "question.progress", number=1, total=len(content.patterns)),
             content.text(lang, f"patterns.{screen.pattern_id}.statement"),
             *(content.answer_label(lang, a.id) for a in content.answers)]
    places = [block.text.index(spoken(part).rstrip(".")) for part in parts]
    assert places == sorted(places)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reflection_reads_each_recognised_pattern_and_nothing_of_the_others(content, lang):
    blocks = blocks_of(content, lang, flow.REFLECTION)
    ids = [b.id for b in blocks]
    reflection = build_reflection(content, ANSWERS, lang)
    assert ids == ["reflection", *(f"explanation.{p.explanation.id}"
                                   for p in reflection.recognised), "cycle"]
    assert len(reflection.recognised) == 2  # relief and loop: "Yes" and "Sometimes"
    escape = content.text(lang, "patterns.escape.title")
    assert escape not in blocks[1].text and escape not in blocks[2].text
    # The counselor and client hear every statement with the answer given, in words.
    counseling = blocks_of(content, lang, flow.REFLECTION, "counseling")[0].text
    for pid in ANSWERS:
        assert spoken(content.text(lang, f"patterns.{pid}.statement")).rstrip(".") in counseling
    assert content.answer_label(lang, "not_really") in counseling


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_close_ends_with_the_crisis_lines_which_the_help_list_also_reads_on_request(
        content, lang):
    close, lines = blocks_of(content, lang, flow.CLOSE)
    assert (close.id, lines.id) == ("close", "crisis")
    assert spoken(content.text(lang, "close.not_a_diagnosis")) in close.text
    assert lines.text.startswith(spoken(content.text(lang, "close.crisis_heading")))
    asked = crisis_block(content, lang)  # from Help now, on any screen
    assert asked.text.startswith(spoken(content.text(lang, "crisis.heading")))
    for line in content.helplines.crisis:
        for block in (lines, asked):
            assert said_name(line.text[lang].name) in block.text
            if line.phone:
                assert said(line.phone) in block.text
                assert line.text[lang].name not in close.text


@pytest.mark.parametrize("mode", list(MODES))
def test_about_reads_its_own_sections_for_the_mode(content, mode):
    (block,) = blocks_of(content, "en", flow.WELCOME, mode, about=True)
    assert block.id == "about"
    assert block.text.startswith(content.text("en", "about.heading"))
    assert spoken(content.text("en", MODES[mode].who_sees)) in block.text
