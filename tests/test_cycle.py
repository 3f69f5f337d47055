"""The cycle picture is readable where it is read (issue 22.5): its labels fit their boxes by
the font's own letter widths in every language, and are large enough on a phone's column."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

import pytest
from fontTools.ttLib import TTFont

from reflect.cycle import cycle_svg

SVG = "{http://www.w3.org/2000/svg}"
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
# The column a 390 px phone gives the picture (measured in Chromium: 390 less 2 × 16 px), and
# the smallest label size we accept there.
PHONE_COLUMN = 358
DESKTOP_COLUMN = 704
MIN_LABEL_PX = 14


@functools.cache
def _font(bold: bool):
    with TTFont(f"{FONT_DIR}/DejaVuSans{'-Bold' if bold else ''}.ttf") as font:
        hmtx = font["hmtx"]
        return ({code: hmtx[name][0] for code, name in font.getBestCmap().items()},
                hmtx[".notdef"][0], font["head"].unitsPerEm)


def measured(text: str, size: float, bold: bool) -> float:
    """The width of text in DejaVu Sans, from the font's own advance widths."""
    advances, missing, per_em = _font(bold)
    return sum(advances.get(ord(ch), missing) for ch in text) * size / per_em


def boxes_and_labels(svg: str):
    root = ET.fromstring(svg)  # noqa: S314 (the app's own picture, not a stranger's file)
    return root, list(root.iter(f"{SVG}rect")), list(root.iter(f"{SVG}text"))


MARKS = {"none": frozenset(), "all": None}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("marks", sorted(MARKS))
def test_every_label_line_fits_inside_its_box_by_the_fonts_own_letter_widths(
        content, lang, marks):
    marked = frozenset(content.cycle) if MARKS[marks] is None else MARKS[marks]
    _, rects, texts = boxes_and_labels(cycle_svg(content, lang, marked))
    assert len(texts) >= len(content.cycle)
    for text in texts:
        x, y = float(text.get("x")), float(text.get("y"))
        size = float(text.get("font-size"))
        bold = text.get("font-weight") in ("700", "bold")
        width = measured(text.text, size, bold)
        left = {"middle": x - width / 2, "end": x - width}.get(text.get("text-anchor"), x)
        box = next(r for r in rects
                   if float(r.get("x")) <= x <= float(r.get("x")) + float(r.get("width"))
                   and float(r.get("y")) <= y <= float(r.get("y")) + float(r.get("height")))
        # Inside the border's inner edge, with a little room to spare (kerning, hinting).
        inner = float(box.get("stroke-width")) / 2 + 2
        assert left >= float(box.get("x")) + inner, (lang, text.text, left)
        assert left + width <= float(box.get("x")) + float(box.get("width")) - inner, (
            lang, text.text, round(left + width, 1),
            float(box.get("x")) + float(box.get("width")) - inner)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("column", [PHONE_COLUMN, DESKTOP_COLUMN])
def test_labels_are_at_least_14_px_where_the_picture_is_shown(content, lang, column):
    root, _, texts = boxes_and_labels(cycle_svg(content, lang, frozenset(content.cycle)))
    view_width = float(root.get("viewBox").split()[2])
    shown_width = min(float(root.get("width")), column)  # an image never grows past its size
    smallest = min(float(t.get("font-size")) for t in texts) * shown_width / view_width
    assert smallest >= MIN_LABEL_PX, f"labels are {smallest:.1f} px in a {column} px column"


def test_the_label_font_is_one_whose_widths_were_measured_first_in_its_stack(content):
    _, _, texts = boxes_and_labels(cycle_svg(content, "en", frozenset()))
    families = {t.get("font-family") for t in texts}
    assert len(families) == 1
    first = re.split(r"\s*,\s*", families.pop())[0].strip("'\"")
    assert first == "DejaVu Sans"
