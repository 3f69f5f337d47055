"""Draw the self-medication cycle as an SVG picture with a text alternative."""

from __future__ import annotations

import functools
import re
from html import escape

from reflect.content import Content
from reflect.fonts import FAMILY, text_width

# One column of boxes, top to bottom in the order of the loop, and an arrow up the right side
# back to the first: 360 wide, close to the 358 px column of a 390 px phone, so the picture is
# shown nearly at its own size there (a 560-wide ring was shrunk to 64%: 10 px labels) and at
# its own size on a desktop. Its height follows from the longest label.
WIDTH = 360
FONT_SIZE = 17
LINE_HEIGHT = 23
MARGIN = 6
BOX_X, BOX_W = MARGIN, 304
BOX_PAD_Y = 12
GAP = 34  # between two boxes, for the arrow from one to the next
LANE_X = 340  # where the arrow back to the first box goes up
BADGE_R = 12
BADGE_X = BOX_X + 14 + BADGE_R
# Every label starts after the check mark's place, so marked or not, the words line up.
TEXT_X = BADGE_X + BADGE_R + 10
TEXT_RIGHT = BOX_X + BOX_W - 14
TEXT_WIDTH = TEXT_RIGHT - TEXT_X
# The baseline sits this far below the middle of a line, for DejaVu Sans's capitals and
# lower case; set here, not left to dominant-baseline, which fpdf2 and some viewers ignore.
BASELINE_DROP = 0.36 * FONT_SIZE
ARROW_HEAD = 10

# A picture in an <img> cannot use the page's web fonts: only the fonts on the reader's own
# device. Labels are wrapped by DejaVu Sans's own letter widths (in bold, for every label,
# marked or not), the font the server and the PDF already have; the names after it are the
# usual sans-serif fonts of Android, Apple and Windows, whose letters are all narrower than
# DejaVu Sans's, so a line measured to fit in DejaVu Sans fits in each of them.
FONT_STACK = f"{FAMILY}, Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'Segoe UI', sans-serif"

INK = "#1f2328"
MARK_FILL = "#dbeafe"
PLAIN_FILL = "#ffffff"
ARROW = "#4b5563"


@functools.lru_cache(maxsize=256)
def _wrapped(text: str, width: float, size: float) -> tuple[str, ...]:
    # Kept per process: a stage's label is content, the same for every reader (about 18 ms
    # to measure the five labels of a picture, drawn on every run of the reflection screen).
    lines = _greedy(text, width, size)
    narrower = width - 2
    while narrower > width / 2 and len(_greedy(text, narrower, size)) == len(lines):
        lines = _greedy(text, narrower, size)
        narrower -= 2
    return tuple(lines)


def wrap_label(text: str, width: float = TEXT_WIDTH, size: float = FONT_SIZE) -> list[str]:
    """Return text in as few lines as fit width in bold DejaVu Sans, as even as they can be:
    "Stress, worry / or pain", never a last word alone on a line of its own."""
    return list(_wrapped(text, width, size))


def _greedy(text: str, width: float, size: float) -> list[str]:
    """Return text in lines no wider than width in bold DejaVu Sans, filling each in turn and
    breaking between words (inside a word only if it is wider than a whole line)."""
    def fits(line: str) -> bool:
        return text_width(line, size, bold=True) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fits(trial):
            line = trial
            continue
        if line:
            lines.append(line)
        while not fits(word) and len(word) > 1:
            cut = max([n for n in range(1, len(word)) if fits(word[:n])], default=1)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _arrow_down(x: float, top: float, bottom: float) -> str:
    """An arrow from top down to bottom at x, its head drawn as a shape (no marker)."""
    return (f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom - ARROW_HEAD + 1:.1f}" '
            f'stroke="{ARROW}" stroke-width="2.5"/>'
            f'<path d="M{x - 6:.1f},{bottom - ARROW_HEAD:.1f} L{x + 6:.1f},'
            f'{bottom - ARROW_HEAD:.1f} L{x:.1f},{bottom:.1f} z" fill="{ARROW}"/>')


def _arrow_back(bottom_y: float, top_y: float) -> str:
    """The arrow from the last box up the right side and into the first."""
    start, lane, r = BOX_X + BOX_W + 3, LANE_X, 12
    tip = BOX_X + BOX_W + 3
    return (f'<path d="M{start:.1f},{bottom_y:.1f} H{lane - r:.1f} '
            f'Q{lane:.1f},{bottom_y:.1f} {lane:.1f},{bottom_y - r:.1f} V{top_y + r:.1f} '
            f'Q{lane:.1f},{top_y:.1f} {lane - r:.1f},{top_y:.1f} H{tip + ARROW_HEAD - 1:.1f}" '
            f'fill="none" stroke="{ARROW}" stroke-width="2.5"/>'
            f'<path d="M{tip + ARROW_HEAD:.1f},{top_y - 6:.1f} L{tip + ARROW_HEAD:.1f},'
            f'{top_y + 6:.1f} L{tip:.1f},{top_y:.1f} z" fill="{ARROW}"/>')


def _check_mark(cy: float) -> str:
    """A drawn check mark in a dark circle: marked without colour alone, and without a font."""
    x = BADGE_X
    return (f'<circle class="check-mark" cx="{x}" cy="{cy:.1f}" r="{BADGE_R}" fill="{INK}"/>'
            f'<path d="M{x - 5.5:.1f},{cy + 0.5:.1f} L{x - 1.5:.1f},{cy + 4.5:.1f} '
            f'L{x + 6:.1f},{cy - 4.5:.1f}" fill="none" stroke="#ffffff" stroke-width="2.6" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def cycle_svg(content: Content, lang: str, marked: frozenset[str] | set[str], *,
              note_key: str = "cycle.marked") -> str:
    """Return the cycle as an SVG document; marked stages get a check mark, a thick border and
    a fill. note_key: the words in its description after a marked stage (cycle_in_words)."""
    stages = content.cycle
    lines = {stage: wrap_label(content.text(lang, f"cycle_stages.{stage}.label"))
             for stage in stages}
    box_h = max(len(each) for each in lines.values()) * LINE_HEIGHT + 2 * BOX_PAD_Y
    height = 2 * MARGIN + len(stages) * box_h + (len(stages) - 1) * GAP
    tops = [MARGIN + i * (box_h + GAP) for i in range(len(stages))]
    title = escape(content.text(lang, "cycle.image_label"))
    desc = escape(cycle_in_words(content, lang, marked, note_key=note_key))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="cycle-title cycle-desc">',
        f'<title id="cycle-title">{title}</title>',
        f'<desc id="cycle-desc">{desc}</desc>',
    ]
    middle_x = BOX_X + BOX_W / 2
    for top, below in zip(tops, tops[1:], strict=False):
        parts.append(_arrow_down(middle_x, top + box_h + 4, below - 4))
    parts.append(_arrow_back(tops[-1] + box_h / 2, tops[0] + box_h / 2))
    for stage, top in zip(stages, tops, strict=True):
        is_marked = stage in marked
        dashes = "" if is_marked else ' stroke-dasharray="6 4"'
        parts.append(
            f'<rect x="{BOX_X}" y="{top:.1f}" width="{BOX_W}" height="{box_h}" rx="12" '
            f'fill="{MARK_FILL if is_marked else PLAIN_FILL}" stroke="{INK}" '
            f'stroke-width="{5 if is_marked else 1.5}"{dashes}/>'
        )
        middle = top + box_h / 2
        if is_marked:
            parts.append(_check_mark(middle))
        first = middle - (len(lines[stage]) - 1) * LINE_HEIGHT / 2 + BASELINE_DROP
        for n, line in enumerate(lines[stage]):
            parts.append(
                f'<text x="{TEXT_X}" y="{first + n * LINE_HEIGHT:.1f}" '
                f'font-family="{escape(FONT_STACK)}" font-size="{FONT_SIZE}" '
                f'font-weight="{700 if is_marked else 400}" fill="{INK}">{escape(line)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def cycle_size(svg: str) -> tuple[float, float]:
    """Return the width and height of a picture from cycle_svg, in its own units."""
    view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if view is None:
        raise ValueError("not a picture from cycle_svg")
    return float(view.group(1)), float(view.group(2))


def undescribed(svg: str) -> str:
    """Return a picture from cycle_svg without its <title> and <desc>, for a drawing program
    that has no use for them (fpdf2); its words must then be given beside it."""
    return re.sub(r"<title\b[^>]*>[^<]*</title>|<desc\b[^>]*>[^<]*</desc>", "", svg)


def cycle_in_words(content: Content, lang: str, marked: frozenset[str] | set[str], *,
                   note_key: str = "cycle.marked") -> str:
    """Return the cycle as one line of text, naming the stages the reader recognised."""
    note = content.text(lang, note_key)
    words = []
    for stage in content.cycle:
        label = content.text(lang, f"cycle_stages.{stage}.label")
        words.append(f"{label} ({note})" if stage in marked else label)
    first = content.text(lang, f"cycle_stages.{content.cycle[0]}.label")
    return " → ".join(words + [first])
