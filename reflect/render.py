"""Plain Markdown for help lines, shared by every screen and, later, by downloads."""

from __future__ import annotations

from dataclasses import dataclass

from reflect.content import OFFICIAL_PAGES, Content, HelpLine


def _display_url(url: str) -> str:
    """Return a short name for an address: its host without www."""
    return url.removeprefix("https://").split("/")[0].removeprefix("www.")


@dataclass(frozen=True)
class Way:
    """One way to reach a line: the words before, what is shown and linked, the words after."""

    words: str  # "Call", "Text AYUDA to"
    shown: str  # the number or the site's name
    target: str  # tel:, sms: or https:// and the number or address
    after: str = ""  # "and press 2"


def contact_ways(content: Content, lang: str, line: HelpLine, web: bool = True) -> list[Way]:
    """Return the ways to reach a line in one language, in order.

    A text word from the help-line file ("AYUDA") is shown in the words, never put into a
    pre-filled message: phones treat a message body differently. With web False, the web
    address is left out unless it is the only way to reach the line.
    """
    words = line.text[lang]
    ways = []
    # One number for calls and texts: "Call <number>, or text <number>", each a link (who cannot
    # speak can text in one tap), never "Call <n>, Text <n>"; a menu choice or a word to text
    # needs each said on its own.
    together = line.phone and line.phone == line.sms and not (
        words.call_after or words.text_word)
    if line.phone:
        ways.append(Way(content.text(lang, "contact.call"), line.phone,
                        "tel:" + line.phone.replace("-", ""), words.call_after or ""))
    if line.sms:
        if together:
            label = content.text(lang, "contact.or_text")
        elif words.text_word:
            label = content.text(lang, "contact.text_word", word=words.text_word)
        else:
            label = content.text(lang, "contact.text")
        ways.append(Way(label, line.sms, "sms:" + line.sms.replace("-", "")))
    if line.tty:
        ways.append(Way(content.text(lang, "contact.tty"), line.tty,
                        "tel:" + line.tty.replace("-", "")))
    if line.url and (web or not ways):
        ways.append(Way(content.text(lang, "contact.web"), _display_url(line.url), line.url))
    return ways


def contact_parts(content: Content, lang: str, line: HelpLine, links: bool = True,
                  web: bool = True) -> list[str]:
    """Return the ways to reach a line, such as 'Call' and a number, as Markdown pieces."""
    parts = []
    for way in contact_ways(content, lang, line, web):
        shown = f"[{way.shown}]({way.target})" if links else way.shown
        parts.append(" ".join(x for x in (way.words, shown, way.after) if x))
    return parts


def crisis_banner(content: Content, lang: str, links: bool = True) -> str:
    """Return the short crisis-contact line shown at the top of every screen."""
    lines = [
        f"**{line.text[lang].short}:** "
        f"{', '.join(contact_parts(content, lang, line, links, web=False))}"
        for line in content.helplines.crisis
    ]
    return f"**{content.text(lang, 'crisis.heading')}**  \n" + "  \n".join(lines)


def helplines_in_full(content: Content, lang: str, group: str = "crisis",
                      links: bool = True) -> str:
    """Return a Markdown list of every line in a group ('crisis' or 'finding'), with notes."""
    lines = content.helplines.crisis if group == "crisis" else content.helplines.finding
    items = []
    for line in lines:
        words = line.text[lang]
        contact = ", ".join(contact_parts(content, lang, line, links))
        items.append(f"- **{words.name}** — {contact}. {words.note}")
    return "\n".join(items)


def contacts_checked(content: Content, lang: str) -> str:
    """Return where the contacts come from, with a date only for a check on official pages."""
    helplines = content.helplines
    if helplines.checked_against == OFFICIAL_PAGES:
        return content.text(lang, "crisis.last_verified",
                            date=content.natural_date(lang, helplines.last_verified))
    return content.text(lang, "crisis.numbers_from")
