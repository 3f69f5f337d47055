"""Turn a reader's answers into their reflection: what to show, never a score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reflect.content import SHOWING_LEVELS, Content, Explanation


@dataclass(frozen=True)
class RecognisedPattern:
    """A pattern the reader recognised, with the words to show for it."""

    pattern_id: str
    answer_id: str
    title: str
    intro: str
    explanation: Explanation


@dataclass(frozen=True)
class Reflection:
    """What the reflection screen shows: recognised patterns only, in the order asked."""

    lang: str
    recognised: tuple[RecognisedPattern, ...]
    not_shared: tuple[str, ...]
    marked_stages: frozenset[str]

    @property
    def none_recognised(self) -> bool:
        """True when the reader recognised no pattern."""
        return not self.recognised


@dataclass(frozen=True)
class GivenAnswer:
    """One statement and what the reader chose for it (None: not answered), for an overview."""

    pattern_id: str
    title: str
    statement: str
    answer: str | None


def answers_given(content: Content, answers: Mapping[str, str | None],
                  lang: str) -> tuple[GivenAnswer, ...]:
    """Return every statement in the order asked, each with the answer's own words: "No, not
    really" and "I'd rather not say" as much as the rest. Words only, never a number."""
    known = {a.id for a in content.answers}
    return tuple(
        GivenAnswer(
            pattern_id=pattern.id,
            title=content.text(lang, f"patterns.{pattern.id}.title"),
            statement=content.text(lang, f"patterns.{pattern.id}.statement"),
            answer=(content.answer_label(lang, answers.get(pattern.id))
                    if answers.get(pattern.id) in known else None),
        )
        for pattern in content.patterns)


def build_reflection(content: Content, answers: Mapping[str, str | None], lang: str) -> Reflection:
    """Return the reflection for answers (pattern id -> answer id) in lang.

    A missing or unknown answer counts as not shared: it shows nothing and adds nothing up.
    """
    known = {a.id: a.recognition for a in content.answers}
    recognised = []
    not_shared = []
    for pattern in content.patterns:
        answer_id = answers.get(pattern.id)
        level = known.get(answer_id) if answer_id else None
        if level is None or level == "declined":
            not_shared.append(pattern.id)
            continue
        if level not in SHOWING_LEVELS:
            continue
        recognised.append(
            RecognisedPattern(
                pattern_id=pattern.id,
                answer_id=answer_id,
                title=content.text(lang, f"patterns.{pattern.id}.title"),
                intro=content.text(lang, f"answers.{answer_id}.intro"),
                explanation=content.explanation(lang, pattern.explanations[answer_id]),
            )
        )
    marked = stages_marked(content, [item.pattern_id for item in recognised])
    return Reflection(lang, tuple(recognised), tuple(not_shared), marked)


def stages_marked(content: Content, pattern_ids: Iterable[str]) -> frozenset[str]:
    """Return the cycle stages these patterns mark (the screen's recognised, or the file's
    kept ones)."""
    wanted = set(pattern_ids)
    return frozenset(stage for pattern in content.patterns if pattern.id in wanted
                     for stage in pattern.cycle_stages)
