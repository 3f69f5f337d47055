"""The page a proxy shows when no app process answers (deploy/nginx/reflect.conf's
error_page): calm words in every language of the content and the crisis lines, instead of a
bare "502 Bad Gateway". No script, no outside file: it must work with the app down.

Made from the content by ``python -m reflect unavailable-page``; the copy in
deploy/nginx/unavailable.html is checked against it by the tests, so a change to the help
lines shows up there too.
"""

from __future__ import annotations

import html

from reflect.content import Content
from reflect.render import contact_ways

STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;"
    "background:#fff;margin:0;padding:1rem;line-height:1.5;font-size:1.1rem}"
    "main{max-width:44rem;margin:0 auto}"
    "section{border:2px solid #1d4f7a;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}"
    "h1,h2{font-size:1.4rem;line-height:1.3;margin:0 0 .5rem}"
    "p{margin:0 0 .5rem}ul{margin:0;padding-left:1.25rem}li{margin:.25rem 0}"
    "a{color:#1d4f7a;text-decoration:underline;white-space:nowrap;padding:.25rem 0}"
)


def unavailable_page(content: Content) -> str:
    """Return the whole page: one section per language, the default language first."""
    languages = [content.default_language] + [code for code in content.languages
                                              if code != content.default_language]
    sections = []
    for number, lang in enumerate(languages):
        tag = "h1" if number == 0 else "h2"
        items = []
        for line in content.helplines.crisis:
            ways = ", ".join(
                # The word before a number stays with it; a link stays whole.
                "&nbsp;".join(part for part in (
                    html.escape(way.words),
                    f'<a href="{html.escape(way.target, quote=True)}">{html.escape(way.shown)}</a>')
                    if part) + (f" {html.escape(way.after)}" if way.after else "")
                for way in contact_ways(content, lang, line))
            items.append(f"<li><strong>{html.escape(line.text[lang].name)}:</strong> {ways}</li>")
        sections.append(
            f'<section lang="{html.escape(lang, quote=True)}">'
            f"<{tag}>{html.escape(content.text(lang, 'unavailable.heading'))}</{tag}>"
            f"<p>{html.escape(content.text(lang, 'unavailable.body'))}</p>"
            f"<p><strong>{html.escape(content.text(lang, 'crisis.heading'))}</strong></p>"
            f"<ul>{''.join(items)}</ul></section>")
    title = html.escape(content.text(content.default_language, "unavailable.heading"))
    return ("<!doctype html>\n"
            f'<html lang="{html.escape(content.default_language, quote=True)}"><head>'
            '<meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{STYLE}</style></head>"
            f"<body><main>{''.join(sections)}</main></body></html>\n")
