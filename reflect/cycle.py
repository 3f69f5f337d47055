"""Draw the self-medication cycle as an SVG picture with a text alternative."""

from __future__ import annotations

import math
from html import escape
from textwrap import wrap

from reflect.content import Content

WIDTH, HEIGHT = 560, 400
CENTER_X, CENTER_Y = WIDTH / 2, HEIGHT / 2 + 5
RADIUS_X, RADIUS_Y = 185, 160
BOX_W, BOX_H = 170, 78
LINE_CHARS = 20
INK = "#1f2328"
MARK_FILL = "#dbeafe"
PLAIN_FILL = "#ffffff"
ARROW = "#4b5563"


def _centers(count: int) -> list[tuple[float, float]]:
    """Return box centres around an ellipse, starting at the top and going clockwise."""
    return [
        (
            CENTER_X + RADIUS_X * math.sin(2 * math.pi * i / count),
            CENTER_Y - RADIUS_Y * math.cos(2 * math.pi * i / count),
        )
        for i in range(count)
    ]


def _edge_point(center, toward) -> tuple[float, float]:
    """Return where the line from center toward another point leaves the box."""
    dx, dy = toward[0] - center[0], toward[1] - center[1]
    scale = min(
        (BOX_W / 2 + 6) / abs(dx) if dx else math.inf,
        (BOX_H / 2 + 6) / abs(dy) if dy else math.inf,
    )
    return center[0] + dx * scale, center[1] + dy * scale


def cycle_svg(content: Content, lang: str, marked: frozenset[str] | set[str]) -> str:
    """Return the cycle as an SVG document; marked stages get a check mark and a thick border."""
    stages = content.cycle
    centers = _centers(len(stages))
    title = escape(content.text(lang, "cycle.image_label"))
    desc = escape(cycle_in_words(content, lang, marked))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="cycle-title cycle-desc">',
        f'<title id="cycle-title">{title}</title>',
        f'<desc id="cycle-desc">{desc}</desc>',
        '<defs><marker id="cycle-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>',
    ]
    for i, start in enumerate(centers):
        end = centers[(i + 1) % len(centers)]
        x1, y1 = _edge_point(start, end)
        x2, y2 = _edge_point(end, start)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{ARROW}" stroke-width="2.5" marker-end="url(#cycle-arrow)"/>'
        )
    for stage, (cx, cy) in zip(stages, centers, strict=True):
        is_marked = stage in marked
        label = content.text(lang, f"cycle_stages.{stage}.label")
        lines = wrap(("✓ " if is_marked else "") + label, LINE_CHARS)
        dashes = "" if is_marked else ' stroke-dasharray="6 4"'
        parts.append(
            f'<rect x="{cx - BOX_W / 2:.1f}" y="{cy - BOX_H / 2:.1f}" width="{BOX_W}" '
            f'height="{BOX_H}" rx="14" fill="{MARK_FILL if is_marked else PLAIN_FILL}" '
            f'stroke="{INK}" stroke-width="{5 if is_marked else 1.5}"{dashes}/>'
        )
        first_y = cy - (len(lines) - 1) * 10
        for n, line in enumerate(lines):
            parts.append(
                f'<text x="{cx:.1f}" y="{first_y + n * 20:.1f}" text-anchor="middle" '
                f'dominant-baseline="middle" font-family="sans-serif" font-size="16" '
                f'font-weight="{700 if is_marked else 400}" fill="{INK}">{escape(line)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def cycle_in_words(content: Content, lang: str, marked: frozenset[str] | set[str]) -> str:
    """Return the cycle as one line of text, naming the stages the reader recognised."""
    note = content.text(lang, "cycle.marked")
    words = []
    for stage in content.cycle:
        label = content.text(lang, f"cycle_stages.{stage}.label")
        words.append(f"{label} ({note})" if stage in marked else label)
    first = content.text(lang, f"cycle_stages.{content.cycle[0]}.label")
    return " → ".join(words + [first])
