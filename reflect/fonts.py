"""DejaVu Sans: the font of the PDF download and the one the cycle picture is measured in."""

from __future__ import annotations

import copy
import functools
import io
import pickle
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

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


# fpdf2's add_font parses a font's tables again for every PDF, about 25 ms a face, and offers
# no way to reuse them; the close screen builds one PDF per visitor. So each face is parsed once
# per process here, and each PDF is given a copy that holds what a PDF changes as its own.
@dataclass(frozen=True)
class _ParsedFont:
    """A face as add_font parses it, kept for the process; never given to a PDF itself."""

    font: TTFFont  # its ttfont is None: each PDF unpickles one of its own
    pickled: bytes  # the fontTools font that add_font parsed

    def for_document(self, index: int) -> TTFFont:
        """Return the face for one PDF, its index-th font."""
        from fpdf.fonts import SubsetMap

        # Shared: the cmap, glyph ids, widths, names and metrics, which fpdf2 only reads.
        font = copy.copy(self.font)
        font.i = index
        # The PDF's subset is cut from the fontTools font in place as the file is written
        # (fpdf/output.py: Subsetter.subset(font.ttfont)), which then closes it, so each PDF
        # needs one of its own. Unpickling takes about a third of the time of parsing again;
        # copy.deepcopy takes two to three times as long. The bytes are our own, from _parse.
        font.ttfont = pickle.loads(self.pickled)  # noqa: S301
        font.subset = SubsetMap(font)  # the glyphs this PDF uses, and their codes in it
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None  # HarfBuzz, made if text is shaped, takes each use's size
        # A lookup of a character the font lacks adds it to the widths (a defaultdict), and the
        # PDF gives the descriptor its object number and its subset's name.
        font.cw = copy.copy(self.font.cw)
        font.desc = copy.copy(self.font.desc)
        return font


_parsing = threading.Lock()  # Streamlit runs each session's script in a thread of its own


def _parse(path: str, style: str) -> _ParsedFont | None:
    """Return the face parsed once per process, or None when add_font must parse it per PDF.
    The lock keeps the first parse to one thread; the cache keeps it for the process."""
    with _parsing:
        return _parse_once(path, style)


@functools.cache
def _parse_once(path: str, style: str) -> _ParsedFont | None:
    from fpdf import FPDF

    scratch = FPDF()
    scratch.add_font(FAMILY, style, path)
    (font,) = scratch.fonts.values()
    if font.color_font is not None or font.is_cid_keyed:
        # A colour font draws its glyphs with an object of its own for each PDF, and a
        # CID-keyed CFF font makes add_font raise the PDF's version: neither is copied.
        return None
    # fontTools reads the tables fpdf2 has not parsed yet when the PDF is written: from
    # memory, read through the handle add_font opened, so every copy reads the very file
    # parsed, never one put at its path since.
    opened = font.ttfont.reader.file
    opened.seek(0)
    font.ttfont.reader.file = io.BytesIO(opened.read())
    opened.close()
    pickled = pickle.dumps(font.ttfont, pickle.HIGHEST_PROTOCOL)
    font.ttfont = None
    return _ParsedFont(font, pickled)


Faces = tuple[tuple[str, "TTFFont"], ...]


def faces_for_a_pdf(font_path: str | Path = DEFAULT_FONT) -> Faces | None:
    """Make ahead the faces that add_pdf_fonts gives one new PDF, or None where a face is
    parsed per PDF. The PDF process makes them while it waits for its next document, so the
    reader who asks does not wait for the copy (about a fifth of a PDF's time)."""
    faces = []
    for index, (style, file) in enumerate(zip(("", "B"), font_files(font_path), strict=True),
                                          start=1):
        parsed = _parse(str(file.absolute()), style)
        if parsed is None:
            return None
        faces.append((parsed.font.fontkey, parsed.for_document(index)))
    return tuple(faces)


def add_pdf_fonts(pdf: FPDF, font_path: str | Path = DEFAULT_FONT,
                  faces: Faces | None = None) -> None:
    """Add the regular and bold faces to pdf under FAMILY, as add_font would, parsed once;
    faces, from faces_for_a_pdf, are used as they are, by one new PDF only."""
    if faces is not None and not pdf.fonts:
        for key, font in faces:
            pdf.fonts[key] = font
        return
    for style, file in zip(("", "B"), font_files(font_path), strict=True):
        path = str(file.absolute())  # one face for one file, whatever the working directory
        parsed = _parse(path, style)
        if parsed is None:
            pdf.add_font(FAMILY, style, path)
        else:
            pdf.fonts[parsed.font.fontkey] = parsed.for_document(len(pdf.fonts) + 1)


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
