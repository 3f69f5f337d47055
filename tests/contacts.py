"""The contacts a test expects, read from the content under test, so a clinic's own
helplines.yaml passes the suite. (tests/test_content_gates.py pins the shipped US numbers.)"""

from __future__ import annotations

from reflect.content import Content, HelpLine
from reflect.render import contact_ways


def shown(content: Content, lines: tuple[HelpLine, ...] | None = None,
          lang: str = "en", web: bool = True) -> list[str]:
    """Every number and address a reader sees for these lines (the crisis lines by default);
    with web False, as the banner shows them (an address only where it is the only way)."""
    lines = content.helplines.crisis if lines is None else lines
    return [way.shown for line in lines for way in contact_ways(content, lang, line, web)]


def targets(content: Content, lines: tuple[HelpLine, ...] | None = None,
            lang: str = "en", web: bool = True) -> list[str]:
    """Every link target (tel:, sms:, https:) of these lines."""
    lines = content.helplines.crisis if lines is None else lines
    return [way.target for line in lines for way in contact_ways(content, lang, line, web)]


def first_phone(content: Content) -> str:
    """The first crisis line's phone number."""
    return next(line.phone for line in content.helplines.crisis if line.phone)


def plain(text: str) -> str:
    """Text with the no-break spaces and hyphens that keep a contact or date whole on a line
    (reflect/render.py) as ordinary ones, to compare wording."""
    return (text.replace("&nbsp;", " ").replace("\u00a0", " ")
            .replace("\u2011", "-"))
