"""Plain Markdown for help lines, shared by every screen and, later, by downloads."""

from __future__ import annotations

from reflect.content import Content, HelpLine


def _display_url(url: str) -> str:
    """Return a short name for an address: its host without www."""
    return url.removeprefix("https://").split("/")[0].removeprefix("www.")


def contact_ways(line: HelpLine, web: bool = True) -> list[tuple[str, str, str]]:
    """Return the ways to reach a line as (word key, shown text, link target), in order.

    With web False, the web address is left out unless it is the only way to reach the line.
    """
    ways = []
    if line.phone:
        ways.append(("contact.call", line.phone, "tel:" + line.phone.replace("-", "")))
    if line.sms:
        ways.append(("contact.text", line.sms, "sms:" + line.sms.replace("-", "")))
    if line.tty:
        ways.append(("contact.tty", line.tty, "tel:" + line.tty.replace("-", "")))
    if line.url and (web or not ways):
        ways.append(("contact.web", _display_url(line.url), line.url))
    return ways


def contact_parts(content: Content, lang: str, line: HelpLine, links: bool = True,
                  web: bool = True) -> list[str]:
    """Return the ways to reach a line, such as 'Call' and a number, as Markdown pieces."""
    return [f"{content.text(lang, key)} {f'[{text}]({target})' if links else text}"
            for key, text, target in contact_ways(line, web)]


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


def last_verified(content: Content, lang: str) -> str:
    """Return the sentence saying when the contacts were last checked."""
    return content.text(lang, "crisis.last_verified",
                        date=content.helplines.last_verified.isoformat())
