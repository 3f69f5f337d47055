"""What the page shows before the app has loaded: a private-reflection line and the crisis lines.

Put into the first HTML a visitor receives (webserver/middleware.py's FirstPaint, wired up in
webserver/app.py), so the help lines are readable at once on a slow phone, and with no JavaScript at
all. The words and numbers come from the same content files as the app. A stylesheet rule
hides the block as soon as the app has drawn anything, and assets/page.js then removes it; the
app shows the same lines itself at the top of every screen.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from reflect.content import Content
from reflect.render import contact_ways

BLOCK_ID = "reflect-first"
ICON_FILE = "favicon.svg"  # in assets/: the app's own icon, in the first page and every run


def icon_uri(root: Path) -> str:
    """Return the app's icon (assets/favicon.svg) as a data: address: in the first bytes, so
    no tab ever shows Streamlit's crown, and no request for it (img-src allows data:).
    "" for a folder without it (a copy of the content alone): the page keeps Streamlit's."""
    try:
        data = (Path(root) / "assets" / ICON_FILE).read_bytes()
    except OSError:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


# Readable without the app's stylesheets; every colour has at least 4.5:1 contrast on white
# (#1f2328 text, #1d4f7a links and border, as in .streamlit/config.toml). Hidden once Streamlit
# has drawn any element of the app.
STYLE = (
    f"#{BLOCK_ID}{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1f2328;background:#fff;max-width:44rem;margin:1rem auto;padding:1rem 1.25rem;"
    "border:2px solid #1d4f7a;border-radius:.5rem;line-height:1.5;font-size:1.05rem}"
    f"#{BLOCK_ID} .title{{font-size:1.3rem;font-weight:700}}"
    f"#{BLOCK_ID} p{{margin:0 0 .5rem}}"
    f"#{BLOCK_ID} ul{{margin:0;padding-left:1.25rem}}"
    f"#{BLOCK_ID} li{{margin:.25rem 0}}"
    f"#{BLOCK_ID} a{{color:#1d4f7a;text-decoration:underline;padding:.25rem 0;"
    "white-space:nowrap}}"
    f"#{BLOCK_ID} span{{white-space:nowrap}}"
    f"body:has([data-testid=stElementContainer]) #{BLOCK_ID}{{display:none}}"
)


# The same type as the block, for the words shown instead of the app with JavaScript off.
NOSCRIPT_STYLE = ("font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
                  "color:#1f2328;max-width:44rem;margin:1rem auto;padding:0 1.25rem;"
                  "line-height:1.5;font-size:1.05rem")


@dataclass(frozen=True)
class FirstPaint:
    """The language, page title and HTML to put into the first page."""

    lang: str
    title: str
    block: str
    noscript: str = ""  # what the page says with JavaScript off, in place of Streamlit's words
    icon: str = ""  # the app's icon as a data: address, in place of Streamlit's favicon.png
    # Addresses of the app's scripts to load with the page, before Streamlit's own (so they
    # are there for its first run: reflect/csp.py's RUNNERS).
    scripts: tuple[str, ...] = ()


def first_paint(content: Content, lang: str, links: bool = True, icon: str = "") -> FirstPaint:
    """Return the block for a language; on a kiosk (links False) the contacts are plain text."""
    items = []
    # The region's crisis lines, then a clinic's own contacts (its site.yaml), never instead.
    for line in content.helplines.crisis + content.helplines.clinic:
        contact = ", ".join(
            # The word before a number stays with it, and the number stays whole.
            "&nbsp;".join(x for x in (
                html.escape(way.words),
                f'<a href="{html.escape(way.target, quote=True)}">{html.escape(way.shown)}</a>'
                if links else f"<span>{html.escape(way.shown)}</span>") if x)
            + (f" {html.escape(way.after)}" if way.after else "")
            for way in contact_ways(content, lang, line))
        items.append(f"<li><strong>{html.escape(line.text[lang].name)}:</strong> {contact}</li>")
    title = content.text(lang, "app.title")
    # No headings: the app's own h1 comes after, and this block is gone by then (hidden by
    # the rule above, then removed by assets/page.js), so the page keeps one h1.
    block = (
        f'<section id="{BLOCK_ID}" lang="{html.escape(lang, quote=True)}" '
        f'aria-labelledby="{BLOCK_ID}-title"><style>{STYLE}</style>'
        f'<p id="{BLOCK_ID}-title" class="title">{html.escape(title)}</p>'
        f'<p>{html.escape(content.text(lang, "loading.note"))}</p>'
        f'<p><strong>{html.escape(content.text(lang, "crisis.heading"))}</strong></p>'
        f'<ul>{"".join(items)}</ul>'
        "</section>"
    )
    noscript = (f'<p lang="{html.escape(lang, quote=True)}" style="{NOSCRIPT_STYLE}">'
                f'{html.escape(content.text(lang, "loading.noscript"))}</p>')
    return FirstPaint(lang, title, block, noscript, icon)
