"""Every combination of answers, through the real app: each path ends with the close."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect import flow

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LABEL_WORDS = re.compile(
    r"\b(score|scored|total|severity|severe|mild|moderate|high risk|low risk|"
    r"disorder|diagnosed|you are an?|you have an?|"
    r"puntuaci[oó]n|puntaje|gravedad|grave|leve|moderad[oa]|alto riesgo|bajo riesgo|"
    r"trastorno|diagnosticad[oa]|usted es una?|usted tiene una?)\b", re.IGNORECASE)


def screen_text(at: AppTest, banner: bool = True) -> str:
    """The text of the screen; with banner False, without the crisis banner and source lists.

    Those two hold numbers by design (phone numbers, years of publication).
    """
    markdown = [m.value for m in at.markdown]
    assert markdown[0].startswith(("**Need help now?**", "**¿Necesita ayuda ahora?**"))
    if not banner:
        markdown = [m for m in markdown[1:]
                    if not all(line.startswith("- ") for line in m.splitlines())]
    parts = [t.value for t in at.title] + [h.value for h in at.header]
    parts += markdown + [i.value for i in at.info]
    return "\n".join(parts)


def all_answer_combinations(content):
    ids = [a.id for a in content.answers]
    return list(itertools.product(ids, repeat=len(content.patterns)))


def test_the_answer_space_is_every_combination_of_four_answers(content):
    assert len(all_answer_combinations(content)) == 4 ** 4


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_combination_shows_exactly_the_recognised_explanations_and_ends_with_the_close(
        content, lang):
    steps = {s.kind: i for i, s in enumerate(flow.screens(content))}
    recommendation = content.explanation(lang, "close").body.split("\n")[0]
    crisis_names = [line.text[lang].name for line in content.helplines.crisis]
    showing = {a.id for a in content.answers if a.recognition in ("fully", "sometimes")}
    first_lines = {p.id: content.explanation(lang, p.id).body.split("\n")[0]
                   for p in content.patterns}
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    for combination in all_answer_combinations(content):
        answers = dict(zip([p.id for p in content.patterns], combination, strict=True))
        for pattern_id, answer_id in answers.items():
            at.session_state[f"answer:{pattern_id}"] = answer_id
        at.session_state["step"] = steps["reflection"]
        at.run()
        assert not at.exception
        text = screen_text(at)
        body = screen_text(at, banner=False)
        for pattern_id, answer_id in answers.items():
            shown = first_lines[pattern_id] in text
            assert shown == (answer_id in showing), (combination, pattern_id)
        if not showing & set(combination):
            assert content.text(lang, "reflection.none_recognised").split("\n")[0] in text
        assert content.text(lang, "reflection.not_a_diagnosis") in text
        assert not LABEL_WORDS.search(body), combination
        assert not re.search(r"\d", body), (combination, re.findall(r".{20}\d.{20}", body))
        # The reflection always leads on, and the close always holds the recommendation.
        assert [b.label for b in at.button if b.label == content.text(lang, "reflection.next")]
        at.session_state["step"] = steps["close"]
        at.run()
        close = screen_text(at)
        assert recommendation in close
        assert all(name in close for name in crisis_names)
        assert "911" in close and "988" in close


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
    assert content.explanation("en", "close").body.split("\n")[0] in screen_text(at)
