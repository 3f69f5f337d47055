"""Plain Markdown for help lines, shared by every screen and, later, by downloads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reflect.content import OFFICIAL_PAGES, Content, HelpLine

# A contact stays whole on a line, even at 320 px: the word before it stays with it ("Call"
# and the number) by a no-break space, and on a screen a number shown as plain text (a kiosk has
# no links; a link is kept whole by app.css) keeps its hyphens by non-breaking ones. Never in
# a download: a number copied from a file into a phone must be the plain one.
NO_BREAK_SPACE = "\u00a0"
NO_BREAK_HYPHEN = "\u2011"


def whole(number: str) -> str:
    """Return a number as shown in plain text on a screen, never broken at its hyphens."""
    return number.replace("-", NO_BREAK_HYPHEN)


def numbers_kept_with_words(text: str) -> str:
    """Return a sentence whose numbers stay with the word before each of them."""
    return re.sub(r" (?=[0-9])", NO_BREAK_SPACE, text)


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
        if ways and label[:1].isupper() and label[1:2].islower():
            # After a call, mid-sentence: "Call <number> and press 2, text HELP to <number>".
            label = label[0].lower() + label[1:]
        ways.append(Way(label, line.sms, "sms:" + line.sms.replace("-", "")))
    if line.tty:
        ways.append(Way(content.text(lang, "contact.tty"), line.tty,
                        "tel:" + line.tty.replace("-", "")))
    if line.url and (web or not ways):
        ways.append(Way(content.text(lang, "contact.web"), _display_url(line.url), line.url))
    return ways


def contact_parts(content: Content, lang: str, line: HelpLine, links: bool = True,
                  web: bool = True, on_screen: bool = False) -> list[str]:
    """Return the ways to reach a line, such as 'Call' and a number, as Markdown pieces.

    on_screen: drawn on a screen, where a plain number must not break at its hyphens."""
    parts = []
    for way in contact_ways(content, lang, line, web):
        if links:
            shown = f"[{way.shown}]({way.target})"
        else:
            shown = whole(way.shown) if on_screen else way.shown
        part = f"{way.words}{NO_BREAK_SPACE}{shown}" if way.words else shown
        parts.append(f"{part} {way.after}" if way.after else part)
    return parts


def crisis_banner(content: Content, lang: str, links: bool = True) -> str:
    """Return the short crisis-contact line shown at the top of every screen."""
    lines = [
        f"**{line.text[lang].short}:** "
        f"{', '.join(contact_parts(content, lang, line, links, web=False, on_screen=True))}"
        for line in content.helplines.crisis
    ]
    return f"**{content.text(lang, 'crisis.heading')}**  \n" + "  \n".join(lines)


def helplines_in_full(content: Content, lang: str, group: str = "crisis",
                      links: bool = True, on_screen: bool = False) -> str:
    """Return a Markdown list of every line in a group, with notes: 'crisis', 'finding', or
    'clinic' (a clinic's own contacts, from its site.yaml; "" without any)."""
    lines = {"crisis": content.helplines.crisis, "finding": content.helplines.finding,
             "clinic": content.helplines.clinic}[group]
    items = []
    for line in lines:
        words = line.text[lang]
        contact = ", ".join(contact_parts(content, lang, line, links, on_screen=on_screen))
        items.append(f"- **{words.name}** — {contact}. {numbers_kept_with_words(words.note)}")
    return "\n".join(items)


def contacts_checked(content: Content, lang: str) -> str:
    """Return where the contacts come from, with a date only for a check on official pages."""
    helplines = content.helplines
    if helplines.checked_against == OFFICIAL_PAGES:
        said = content.text(lang, "crisis.last_verified",
                            date=content.natural_date(lang, helplines.last_verified))
    else:
        said = content.text(lang, "crisis.numbers_from")
    site = content.site
    if site and (helplines.clinic or site.services):
        # The app's makers never checked these: say whose they are.
        said += " " + content.text(lang, "crisis.clinic_numbers_from",
                                   clinic=site.name[lang])
    return said


def clinic_heading(content: Content, lang: str) -> str | None:
    """The heading above a clinic's own contacts ("Contact <clinic>"), or None without any."""
    name = content.clinic_name(lang)
    if not name or not content.helplines.clinic:
        return None
    return content.text(lang, "close.clinic_heading", clinic=name)
