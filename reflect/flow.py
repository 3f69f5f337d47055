"""The order of the screens a reader goes through."""

from __future__ import annotations

from dataclasses import dataclass

from reflect.content import Content

WELCOME = "welcome"
QUESTION = "question"
REFLECTION = "reflection"
HELP = "help"
CLOSE = "close"
KINDS = (WELCOME, QUESTION, REFLECTION, HELP, CLOSE)


@dataclass(frozen=True)
class Screen:
    """One screen of the flow; a question screen names its pattern and place."""

    kind: str
    pattern_id: str | None = None
    number: int = 0
    total: int = 0


def screens(content: Content) -> tuple[Screen, ...]:
    """Return every screen in order: welcome, one per pattern, reflection, help, close."""
    total = len(content.patterns)
    questions = tuple(
        Screen(QUESTION, p.id, number, total) for number, p in enumerate(content.patterns, 1)
    )
    return (Screen(WELCOME), *questions, Screen(REFLECTION), Screen(HELP), Screen(CLOSE))


def clamp_step(step: object, content: Content) -> int:
    """Return step as a valid screen index; anything else starts at the welcome screen."""
    if isinstance(step, int) and not isinstance(step, bool) and 0 <= step < len(screens(content)):
        return step
    return 0


def reachable(content: Content, step: int, answers: dict[str, str | None]) -> bool:
    """Say whether a reader may be on a screen: every question before it has an answer.

    The browser's Back and Forward ask for a screen by its number; this keeps them to the
    screens the reader's own Next could have reached.
    """
    all_screens = screens(content)
    if not 0 <= step < len(all_screens):
        return False
    return all(answers.get(screen.pattern_id) is not None
               for screen in all_screens[:step] if screen.kind == QUESTION)
