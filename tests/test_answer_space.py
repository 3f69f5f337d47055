"""Every combination of answers, in every language: each shows exactly the explanations of the
patterns the reader recognised, never a label or a count, and every path ends with the close.

The whole answer space runs through the core's own functions (the reflection, the cycle, the
summary); a few walks through the real app check that the screen shows what the core says.
"""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect import flow
from reflect.cycle import cycle_in_words
from reflect.reflection import build_reflection
from reflect.render import helplines_in_full
from reflect.summary import build_summary, summary_markdown

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LABEL_WORDS = re.compile(
    r"\b(score|scored|total|severity|severe|mild|moderate|high risk|low risk|"
    r"disorder|diagnosed|you are an?|you have an?|"
    r"puntuaci[oó]n|puntaje|gravedad|grave|leve|moderad[oa]|alto riesgo|bajo riesgo|"
    r"trastorno|diagnosticad[oa]|usted es una?|usted tiene una?)\b", re.IGNORECASE)
DAY = datetime.date(2026, 12, 2)


def combinations(content):
    """Every way to answer every question: len(answers) ** len(patterns) of them."""
    ids = [a.id for a in content.answers]
    for combination in itertools.product(ids, repeat=len(content.patterns)):
        yield dict(zip([p.id for p in content.patterns], combination, strict=True))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_combination_shows_exactly_the_recognised_patterns_and_ends_with_the_close(
        content, lang):
    showing = {a.id for a in content.answers if a.recognition in ("fully", "sometimes")}
    shows = {p.id: p.explanations for p in content.patterns}
    close = content.explanation(lang, "close").body
    crisis = helplines_in_full(content, lang, "crisis", links=False)
    seen = 0
    for answers in combinations(content):
        seen += 1
        reflection = build_reflection(content, answers, lang)
        recognised = {item.pattern_id for item in reflection.recognised}
        assert recognised == {p for p, a in answers.items() if a in showing}, answers
        assert reflection.none_recognised == (not recognised)
        for item in reflection.recognised:
            shown = shows[item.pattern_id][answers[item.pattern_id]]
            assert item.explanation == content.explanation(lang, shown)
        words = " ".join([item.title for item in reflection.recognised]
                         + [item.intro for item in reflection.recognised]
                         + [cycle_in_words(content, lang, reflection.marked_stages)])
        assert not LABEL_WORDS.search(words), answers
        assert not re.search(r"\d", words), answers
        # The take-home summary of that path, with everything kept: the close and the crisis
        # contacts always come with it, and it says it is not a diagnosis.
        summary = build_summary(content, reflection, lang, sorted(recognised), date=DAY,
                                token="0" * 32, include_help=True, note="",
                                include_provider_questions=True, include_talk_prompts=True,
                                include_cycle=True)
        markdown = summary_markdown(content, summary)
        assert close.split("\n")[0] in markdown
        assert crisis.split("\n")[0].lstrip("- ") in markdown
        assert content.text(lang, "summary.not_a_diagnosis") in markdown
        assert not LABEL_WORDS.search(markdown), answers
    assert seen == len(content.answers) ** len(content.patterns)
    assert flow.screens(content)[-1].kind == flow.CLOSE


def screen_text(at: AppTest) -> str:
    parts = [t.value for t in at.title] + [h.value for h in at.header]
    parts += [m.value for m in at.markdown] + [i.value for i in at.info]
    return "\n".join(parts)


@pytest.mark.parametrize(("lang", "answers"), [
    ("en", {"relief": "sounds_like_me", "escape": "not_really", "escalation": "sometimes",
            "loop": "rather_not_say"}),
    ("es", {"relief": "rather_not_say", "escape": "sometimes", "escalation": "not_really",
            "loop": "sounds_like_me"}),
])
def test_the_reflection_screen_shows_what_the_core_says_for_a_mixed_path(content, lang,
                                                                         answers):
    steps = {s.kind: i for i, s in enumerate(flow.screens(content))}
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    for pattern_id, answer_id in answers.items():
        at.session_state[f"answer:{pattern_id}"] = answer_id
    at.session_state["step"] = steps["reflection"]
    at.run()
    text = screen_text(at)
    expected = build_reflection(content, answers, lang)
    for pattern in content.patterns:
        first = content.explanation(lang, pattern.id).body.split("\n")[0]
        shown = pattern.id in {item.pattern_id for item in expected.recognised}
        assert (first in text) == shown, pattern.id
    assert content.text(lang, "reflection.not_a_diagnosis") in text


@pytest.mark.parametrize("answer", ["not_really", "rather_not_say"])
def test_none_of_these_and_rather_not_say_still_reach_the_close_by_clicking(content, answer):
    at = AppTest.from_file(APP, default_timeout=30).run()
    next(b for b in at.button if b.label == "Start the reflection").click().run()
    for _ in content.patterns:
        at.radio[-1].set_value(answer).run()
        next(b for b in at.button if b.label == "Next").click().run()
    assert at.title[0].value == content.text("en", "reflection.heading")
    next(b for b in at.button if b.label == content.text("en", "reflection.next")).click().run()
    next(b for b in at.button if b.label == content.text("en", "help.next")).click().run()
    assert at.title[0].value == content.text("en", "close.heading")
    close = screen_text(at)
    assert content.explanation("en", "close").body.split("\n")[0] in close
    for line in content.helplines.crisis:
        assert line.text["en"].name in close
