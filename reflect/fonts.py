"""DejaVu Sans: the font of the PDF download and the one the cycle picture is measured in."""

from __future__ import annotations

import functools
from pathlib import Path

DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_PACKAGE = "fonts-dejavu-core"
FAMILY = "DejaVu Sans"  # the name the PDF registers it under, and the picture asks for first


def font_files(font_path: str | Path) -> tuple[Path, Path]:
    """Return the regular and bold font files, or raise naming the package that has them."""
    regular = Path(font_path)
    bold = regular.with_name(f"{regular.stem}-Bold{regular.suffix}")
    for path in (regular, bold):
        if not path.is_file():
            raise FileNotFoundError(
                f"The PDF font {path} is missing. Install the Debian package {FONT_PACKAGE} "
                f"(apt-get install {FONT_PACKAGE}), or pass font_path to a TrueType font "
                "with its -Bold file beside it."
            )
    return regular, bold


@functools.cache
def _advances(path: str) -> tuple[dict[int, int], int, int]:
    """Return a font's advance width per character, its missing glyph's width, units per em."""
    # fontTools comes with fpdf2; imported here, as fpdf2 is, so a server start does not pay.
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        hmtx = font["hmtx"]
        widths = {code: hmtx[name][0] for code, name in font.getBestCmap().items()}
        return widths, hmtx[".notdef"][0], font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False,
               font_path: str | Path = DEFAULT_FONT) -> float:
    """Return the width of text set in the font at size, from its own advance widths."""
    regular, heavy = font_files(font_path)
    widths, missing, per_em = _advances(str(heavy if bold else regular))
    return sum(widths.get(ord(ch), missing) for ch in text) * size / per_em
