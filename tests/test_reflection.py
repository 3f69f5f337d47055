"""Answers map to explanations, the cycle and nothing else."""

from __future__ import annotations

import re

from reflect import flow
from reflect.cycle import cycle_in_words, cycle_svg
from reflect.reflection import build_reflection


def test_a_recognised_pattern_shows_its_explanation_with_the_answers_intro(content):
    reflection = build_reflection(content, {"relief": "sounds_like_me"}, "en")
    (item,) = reflection.recognised
    assert item.pattern_id == "relief"
    assert item.explanation is content.explanation("en", "relief")
    assert item.intro == content.text("en", "answers.sounds_like_me.intro")


def test_sometimes_shows_the_explanation_with_a_softer_intro(content):
    reflection = build_reflection(content, {"escape": "sometimes"}, "en")
    (item,) = reflection.recognised
    assert item.explanation is content.explanation("en", "escape")
    assert item.intro == content.text("en", "answers.sometimes.intro")
    assert item.intro != content.text("en", "answers.sounds_like_me.intro")


def test_not_really_and_rather_not_say_show_nothing(content):
    reflection = build_reflection(
        content, {"relief": "not_really", "escape": "rather_not_say"}, "en")
    assert reflection.none_recognised
    assert reflection.marked_stages == frozenset()
    assert "escape" in reflection.not_shared and "relief" not in reflection.not_shared


def test_unknown_or_missing_answers_count_as_not_shared_and_show_nothing(content):
    reflection = build_reflection(content, {"relief": "<script>", "loop": None}, "en")
    assert reflection.none_recognised
    assert set(reflection.not_shared) == {"relief", "escape", "escalation", "loop"}


def test_recognised_patterns_keep_the_order_they_were_asked_in(content):
    answers = {"loop": "sometimes", "relief": "sounds_like_me", "escalation": "sometimes"}
    reflection = build_reflection(content, answers, "en")
    assert [i.pattern_id for i in reflection.recognised] == ["relief", "escalation", "loop"]


def test_the_cycle_marks_the_stages_of_recognised_patterns_only(content):
    reflection = build_reflection(content, {"escalation": "sounds_like_me"}, "en")
    assert reflection.marked_stages == frozenset({"fading"})
    svg = cycle_svg(content, "en", reflection.marked_stages)
    # One drawn check mark, and only the marked stage's words in bold beside it.
    assert svg.count('class="check-mark"') == 1
    bold = re.findall(r'font-weight="700"[^>]*>([^<]*)', svg)
    assert " ".join(bold) == content.text("en", "cycle_stages.fading.label")
    words = cycle_in_words(content, "en", reflection.marked_stages)
    assert words.count(content.text("en", "cycle.marked")) == 1


def test_the_cycle_picture_has_a_title_and_description_and_escapes_text(content):
    svg = cycle_svg(content, "en", frozenset())
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "check-mark" not in svg and 'font-weight="700"' not in svg
    for stage in content.cycle:
        label = content.text("en", f"cycle_stages.{stage}.label")
        assert label.split()[0] in svg


def test_the_flow_has_welcome_one_screen_per_pattern_reflection_help_and_close(content):
    kinds = [s.kind for s in flow.screens(content)]
    assert kinds == ["welcome"] + ["question"] * 4 + ["reflection", "help", "close"]
    numbers = [s.number for s in flow.screens(content) if s.kind == "question"]
    assert numbers == [1, 2, 3, 4]


def test_an_invalid_step_starts_at_the_welcome_screen(content):
    assert flow.clamp_step(3, content) == 3
    for bad in (-1, 99, "2", None, True, 2.0):
        assert flow.clamp_step(bad, content) == 0
