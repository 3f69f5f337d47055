"""Build the reader's own summary to keep or print, as Markdown, HTML or PDF. Never a score."""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from reflect.content import Content
from reflect.cycle import cycle_in_words, cycle_size, cycle_svg, undescribed
from reflect.fonts import DEFAULT_FONT, FAMILY, Faces, add_pdf_fonts, font_files
from reflect.reflection import RecognisedPattern, Reflection, stages_marked
from reflect.render import clinic_heading, contacts_checked, helplines_in_full

NOTE_MAX_CHARS = 2000

# A token is what makes a served file's /media/ address unguessable: refuse short ones.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22,128}")
EXT_RE = re.compile(r"[a-z0-9]{1,8}")
HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*)$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

# Kept in a note: line breaks and tabs. Dropped: every other control character, and lone
# surrogates, which cannot be written as UTF-8 at all.
NOTE_KEEP = frozenset("\n\t")
NOTE_DROP_CATEGORIES = frozenset({"Cc", "Cs"})

PDF_TITLE_KEY = "summary.title"
PDF_MARGIN = 20.0
PDF_SIZES = MappingProxyType({1: 20.0, 2: 15.0, 3: 12.5, 4: 11.5, 5: 11.0, 6: 11.0})
PDF_BODY_SIZE = 11.0
PDF_META_SIZE = 9.5
PDF_LINE = 0.5  # millimetres of line height per point of font size
# The cycle picture's width on the page: its 17-unit labels come out at 11.4 pt, as large as
# the body text (85 mm / 360 units x 17 units x 2.835 pt per mm).
PDF_CYCLE_WIDTH = 85.0
# The file's own words after a marked stage, in the reader's voice ("I noticed this").
FILE_MARKED_KEY = "summary.cycle_marked"

HTML_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial,
  sans-serif; font-size: 1.0625rem; line-height: 1.6; color: #1a1a1a; background: #fff;
  max-width: 42rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2rem 0 .5rem; padding-top: .75rem;
  border-top: 1px solid #ccc; }
h3 { font-size: 1.12rem; margin: 1.5rem 0 .4rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.25rem 0 .3rem; }
p, li { margin: 0 0 .75rem; }
ul { padding-left: 1.4rem; }
.meta { color: #555; font-size: .92rem; }
.note { font: inherit; white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4;
  border-left: 4px solid #999; padding: .75rem 1rem; margin: 0 0 .75rem; }
.cycle { margin: 0 0 .75rem; }
.cycle svg { display: block; max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  li, .note, .cycle { break-inside: avoid; page-break-inside: avoid; }
  h2 { border-top-color: #999; }
  .meta { color: #333; }
  .note { background: none; border-left-color: #666; }
}
""".strip()


@dataclass(frozen=True)
class Summary:
    """What the reader chose to keep from their reflection, and the file's random code."""

    lang: str
    date: datetime.date
    token: str
    patterns: tuple[RecognisedPattern, ...]
    include_help: bool
    note: str
    include_provider_questions: bool
    include_talk_prompts: bool  # "To talk about together" under each kept pattern
    include_cycle: bool  # the cycle picture and its words, marked for kept patterns only


@dataclass(frozen=True)
class Format:
    """A download format: its file extension, type, the words on its button, its builder."""

    ext: str
    mime: str
    label_key: str  # a text key in questions.yaml
    build: Callable[[Content, Summary], bytes]


@dataclass(frozen=True)
class SummaryFile:
    """One built download: its format, bytes and file name."""

    format: Format
    data: bytes
    name: str


@dataclass(frozen=True)
class SummaryFiles:
    """The built files of one summary, one per format, and the choices they were built from.

    Defined here, not in app.py: a class defined in app.py is built again on every run and
    kept by every session (about 24 KiB each, measured with tracemalloc).
    """

    choices: tuple
    files: tuple[SummaryFile, ...]


@dataclass(frozen=True)
class _Block:
    """One piece of the document: a heading, paragraph, list, note, small print or picture
    (its SVG in text)."""

    kind: str
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()


def new_token() -> str:
    """Return a fresh random file code with 128 bits, to put inside every file served."""
    return secrets.token_hex(16)


def clean_note(note: str | None) -> str:
    """Return the note without control characters, trimmed and cut to NOTE_MAX_CHARS."""
    text = (note or "").replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        ch for ch in text
        if ch in NOTE_KEEP or unicodedata.category(ch) not in NOTE_DROP_CATEGORIES
    )
    return kept.strip()[:NOTE_MAX_CHARS].rstrip()


def build_summary(content: Content, reflection: Reflection, lang: str, chosen: Iterable[str], *,
                  date: datetime.date, token: str, include_help: bool = True, note: str = "",
                  include_provider_questions: bool = False, include_talk_prompts: bool = False,
                  include_cycle: bool = False) -> Summary:
    """Return the summary of the recognised patterns the reader chose, in the order asked."""
    if isinstance(chosen, str):
        raise TypeError("chosen must be a collection of pattern ids, not one string")
    if lang != reflection.lang or lang not in content.texts:
        raise ValueError(f"the summary language {lang!r} does not match the reflection")
    if not TOKEN_RE.fullmatch(token):
        raise ValueError("the token must be a random file code from new_token()")
    if isinstance(date, datetime.datetime):
        date = date.date()
    wanted = set(chosen)
    # Only what the reader recognised can be kept: an id from elsewhere is ignored.
    patterns = tuple(p for p in reflection.recognised if p.pattern_id in wanted)
    return Summary(lang=lang, date=date, token=token, patterns=patterns,
                   include_help=bool(include_help), note=clean_note(note),
                   include_provider_questions=bool(include_provider_questions),
                   include_talk_prompts=bool(include_talk_prompts),
                   include_cycle=bool(include_cycle))


def file_name(summary: Summary, ext: str, stem: str = "my-reflection") -> str:
    """Return a download name: a fixed stem from the content and the date, never anything the
    reader answered. The stem is cut down to ASCII letters, digits and dashes."""
    if not EXT_RE.fullmatch(ext):
        raise ValueError(f"not a file extension: {ext!r}")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")[:40] or "reflection"
    return f"{safe}-{summary.date.isoformat()}.{ext}"


def _flush(blocks: list[_Block], paragraph: list[str], items: list[str]) -> None:
    """Move the paragraph or list being collected into blocks."""
    if paragraph:
        blocks.append(_Block("paragraph", " ".join(paragraph)))
        paragraph.clear()
    if items:
        blocks.append(_Block("list", items=tuple(items)))
        items.clear()


def _parse(markdown: str, shift: int) -> list[_Block]:
    """Return the blocks of content Markdown, its headings moved down by shift levels."""
    blocks: list[_Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", markdown.strip()):
        for raw in chunk.splitlines():
            line = raw.strip()
            heading = HEADING_RE.match(line)
            if heading:
                _flush(blocks, paragraph, items)
                level = min(len(heading.group(1)) + shift, 6)
                blocks.append(_Block("heading", heading.group(2).strip(), level))
            elif line.startswith("- "):
                if paragraph:
                    _flush(blocks, paragraph, items)
                items.append(line[2:].strip())
            elif items:
                items[-1] = f"{items[-1]} {line}"
            else:
                paragraph.append(line)
        _flush(blocks, paragraph, items)
    return blocks


def _blocks(content: Content, summary: Summary) -> list[_Block]:
    """Return the whole document as blocks, so every format has the same content and order."""
    lang = summary.lang

    def text(key: str, **values: object) -> str:
        return content.text(lang, key, **values)

    def body(explanation_id: str, level: int) -> list[_Block]:
        return _parse(content.explanation(lang, explanation_id).body, level - 1)

    blocks = [
        _Block("heading", text("summary.title"), 1),
        _Block("paragraph", text("summary.not_a_diagnosis")),
        _Block("meta", text("summary.made_on", date=content.natural_date(lang, summary.date))),
        *([_Block("meta", text("welcome.offered_by", clinic=content.clinic_name(lang)))]
          if content.site else []),
        _Block("heading", text("summary.patterns_heading"), 2),
    ]
    for pattern in summary.patterns:
        level = content.answer(pattern.answer_id).recognition
        blocks.append(_Block("heading", pattern.title, 3))
        blocks.append(_Block("paragraph", text(f"summary.intro_{level}")))
        blocks += _parse(pattern.explanation.body, 2)
        if summary.include_talk_prompts:
            blocks.append(_Block("heading", text("counseling.talk_about_heading"), 4))
            blocks += _parse(text(f"patterns.{pattern.pattern_id}.talk_about"), 0)
    if not summary.patterns:
        blocks.append(_Block("paragraph", text("summary.none_chosen")))
    if summary.include_cycle:
        blocks += _cycle_blocks(content, summary)
    if summary.note:
        blocks.append(_Block("heading", text("summary.note_heading"), 2))
        blocks.append(_Block("note", summary.note))
    if summary.include_provider_questions:
        blocks.append(_Block("heading", text("summary.questions_heading"), 2))
        blocks += body("provider_questions", 2)
    if summary.include_help:
        blocks.append(_Block("heading", text("help.heading"), 2))
        blocks += body("help", 2)
    blocks.append(_Block("heading", text("close.heading"), 2))
    blocks += body("close", 2)
    blocks.append(_Block("heading", text("close.crisis_heading"), 2))
    blocks += _parse(helplines_in_full(content, lang, "crisis", links=False), 1)
    clinic = clinic_heading(content, lang)
    if clinic:  # a clinic's own contacts, after the crisis lines
        blocks.append(_Block("heading", clinic, 3))
        blocks += _parse(helplines_in_full(content, lang, "clinic", links=False), 1)
    blocks.append(_Block("heading", text("close.finding_heading"), 3))
    blocks += _parse(helplines_in_full(content, lang, "finding", links=False), 1)
    blocks.append(_Block("paragraph", contacts_checked(content, lang)))
    blocks.append(_Block("meta", text("summary.file_code", token=summary.token)))
    return blocks


def marked_stages(content: Content, summary: Summary) -> frozenset[str]:
    """Return the cycle stages of the patterns kept: a pattern left out marks nothing."""
    return stages_marked(content, (p.pattern_id for p in summary.patterns))


def _cycle_blocks(content: Content, summary: Summary) -> list[_Block]:
    """Return the cycle: heading, the picture and its words, in the file's own voice."""
    lang, marked = summary.lang, marked_stages(content, summary)
    blocks = [_Block("heading", content.text(lang, "cycle.heading"), 2),
              _Block("paragraph", content.text(lang, "cycle.intro")),
              _Block("picture", cycle_svg(content, lang, marked, note_key=FILE_MARKED_KEY))]
    if marked:
        blocks.append(_Block("paragraph", content.text(lang, "summary.cycle_legend")))
    blocks.append(_Block("heading", content.text(lang, "cycle.in_words"), 3))
    blocks.append(_Block("paragraph",
                         cycle_in_words(content, lang, marked, note_key=FILE_MARKED_KEY)))
    return blocks


def _fence(note: str) -> str:
    """Return a backtick fence longer than any backtick run in note, so nothing can close it."""
    longest = max((len(run) for run in re.findall(r"`+", note)), default=0)
    return "`" * max(3, longest + 1)


def summary_markdown(content: Content, summary: Summary) -> str:
    """Return the summary as a Markdown document, with the reader's note inert in a fence."""
    parts = []
    for block in _blocks(content, summary):
        if block.kind == "picture":
            continue  # Markdown has no picture of its own: the cycle's words follow it
        if block.kind == "heading":
            parts.append(f"{'#' * block.level} {block.text}")
        elif block.kind == "list":
            parts.append("\n".join(f"- {item}" for item in block.items))
        elif block.kind == "note":
            fence = _fence(block.text)
            parts.append(f"{fence}text\n{block.text}\n{fence}")
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def _plain(text: str) -> str:
    """Return inline content Markdown as plain text: bold marks dropped, links spelled out."""
    return BOLD_RE.sub(r"\1", LINK_RE.sub(r"\1 (\2)", text))


def _inline_html(text: str) -> str:
    """Return inline content Markdown as escaped HTML, with bold kept and no links."""
    escaped = html.escape(LINK_RE.sub(r"\1 (\2)", text), quote=True)
    return BOLD_RE.sub(r"<strong>\1</strong>", escaped)


def summary_html(content: Content, summary: Summary) -> str:
    """Return the summary as a standalone HTML5 page: every text escaped, no scripts or links."""
    title = html.escape(content.text(summary.lang, "summary.title"), quote=True)
    body = []
    for block in _blocks(content, summary):
        if block.kind == "heading":
            body.append(f"<h{block.level}>{_inline_html(block.text)}</h{block.level}>")
        elif block.kind == "list":
            items = "".join(f"<li>{_inline_html(item)}</li>" for item in block.items)
            body.append(f"<ul>{items}</ul>")
        elif block.kind == "note":
            body.append('<pre class="note" style="white-space:pre-wrap">'
                        f"{html.escape(block.text, quote=True)}</pre>")
        elif block.kind == "meta":
            body.append(f'<p class="meta">{_inline_html(block.text)}</p>')
        elif block.kind == "picture":
            # Inline, so the page fetches nothing (its policy is default-src 'none'); the
            # SVG is built by reflect/cycle.py, every text in it escaped.
            body.append(f'<div class="cycle">{block.text}</div>')
        else:
            body.append(f"<p>{_inline_html(block.text)}</p>")
    main = "\n".join(body)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(summary.lang, quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Belt and braces: even a slip in escaping could load or run nothing.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{HTML_STYLE}\n</style>\n</head>\n"
        f"<body>\n<main>\n{main}\n</main>\n</body>\n</html>\n"
    )


@dataclass(frozen=True)
class PdfDocument:
    """What a PDF shows, and nothing else: its language, title and blocks, all text. Small,
    so it can be handed to the process that makes PDFs (reflect/pdf_process.py)."""

    lang: str
    title: str
    blocks: tuple[_Block, ...]

    def to_json(self) -> str:
        return json.dumps({"lang": self.lang, "title": self.title,
                           "blocks": [[b.kind, b.text, b.level, list(b.items)]
                                      for b in self.blocks]}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PdfDocument:
        data = json.loads(text)
        return cls(str(data["lang"]), str(data["title"]), tuple(
            _Block(str(kind), str(body), int(level), tuple(str(i) for i in items))
            for kind, body, level, items in data["blocks"]))


def pdf_document(content: Content, summary: Summary) -> PdfDocument:
    """Return what the summary's PDF shows."""
    return PdfDocument(summary.lang, content.text(summary.lang, PDF_TITLE_KEY),
                       tuple(_blocks(content, summary)))


def summary_pdf(content: Content, summary: Summary, font_path: str | Path = DEFAULT_FONT) -> bytes:
    """Return the summary as a PDF with an embedded Unicode font; metadata holds no answers."""
    return render_pdf(pdf_document(content, summary), font_path)


def render_pdf(document: PdfDocument, font_path: str | Path = DEFAULT_FONT,
               faces: Faces | None = None) -> bytes:
    """Return the document as a PDF (summary_pdf, made from its words alone); faces, made
    ahead by reflect/fonts.faces_for_a_pdf, serve this one PDF."""
    # Imported here, not at the top: fpdf2 takes about 0.15 s to import, which every server
    # start paid before its first visitor; only the close screen needs it.
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_margins(PDF_MARGIN, PDF_MARGIN, PDF_MARGIN)
    pdf.set_auto_page_break(True, margin=PDF_MARGIN)
    # Named as the cycle picture asks for it first, so fpdf2 draws the picture's words in it.
    add_pdf_fonts(pdf, font_path, faces)
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.add_page()

    def printable(text: str) -> str:
        # A glyph the font lacks would be logged by fpdf2, with the reader's characters in it.
        cmap = pdf.current_font.cmap
        return "".join(ch if ch == "\n" or ord(ch) in cmap else "?" for ch in text)

    def write(text: str, size: float, style: str = "", padding: float = 0.0) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(PDF_MARGIN)
        pdf.multi_cell(0, size * PDF_LINE, printable(text), align="L", new_x="LMARGIN",
                       new_y="NEXT", fill=bool(padding), padding=padding)

    def picture_height(svg: str) -> float:
        width, height = cycle_size(svg)
        return height * PDF_CYCLE_WIDTH / width

    def picture(svg: str) -> None:
        # fpdf2 draws the SVG's shapes and words itself. It does not know <title> and <desc>
        # (it would log a warning for each); the cycle's words follow the picture anyway.
        if pdf.get_y() + picture_height(svg) > pdf.page_break_trigger:
            pdf.add_page()
        pdf.image(io.BytesIO(undescribed(svg).encode("utf-8")), x=PDF_MARGIN,
                  w=PDF_CYCLE_WIDTH)
        pdf.ln(2.5)

    blocks = document.blocks
    for number, block in enumerate(blocks):
        if block.kind == "heading":
            size = PDF_SIZES[block.level]
            # Keep a heading with the first lines under it rather than alone at a page's foot,
            # and with its picture when one comes just after its first paragraph.
            room = size * PDF_LINE * 4
            later = [b for b in blocks[number + 1:number + 3] if b.kind == "picture"]
            if later:
                room += picture_height(later[0].text) + PDF_BODY_SIZE * PDF_LINE * 3
            if pdf.get_y() + room > pdf.page_break_trigger:
                pdf.add_page()
            elif pdf.get_y() > PDF_MARGIN + 1:
                pdf.ln(size * 0.3)
            write(_plain(block.text), size, "B")
            pdf.ln(1.5)
        elif block.kind == "list":
            for item in block.items:
                pdf.set_font(FAMILY, "", PDF_BODY_SIZE)
                pdf.set_x(PDF_MARGIN)
                pdf.cell(6, PDF_BODY_SIZE * PDF_LINE, "•")
                pdf.multi_cell(0, PDF_BODY_SIZE * PDF_LINE, printable(_plain(item)),
                               align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            pdf.ln(1.5)
        elif block.kind == "note":
            pdf.set_fill_color(242, 242, 242)
            write(block.text.replace("\t", "    "), PDF_BODY_SIZE, padding=3)
            pdf.ln(2.5)
        elif block.kind == "picture":
            picture(block.text)
        elif block.kind == "meta":
            pdf.set_text_color(80, 80, 80)
            write(_plain(block.text), PDF_META_SIZE)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(2.5)
        else:
            write(_plain(block.text), PDF_BODY_SIZE)
            pdf.ln(2.5)
    return bytes(pdf.output())


def _html_bytes(content: Content, summary: Summary) -> bytes:
    return summary_html(content, summary).encode("utf-8")


# The download formats, in the order the close offers them. A new format is one row here
# (and its button's words under save. in questions.yaml).
FORMATS = (
    Format("html", "text/html", "save.download_html", _html_bytes),
    Format("pdf", "application/pdf", "save.download_pdf", summary_pdf),
)


def build_files(content: Content, summary: Summary, choices: tuple, stem: str, *,
                make_pdf: Callable[[PdfDocument], bytes] | None = None) -> SummaryFiles:
    """Build every format of a summary, each named from stem and the summary's date.

    make_pdf, when given, makes the PDF from its document instead of summary_pdf here: the
    server passes reflect/pdf_process's, which makes it in a process of its own."""
    def data(fmt: Format) -> bytes:
        if fmt.ext == "pdf" and make_pdf is not None:
            return make_pdf(pdf_document(content, summary))
        return fmt.build(content, summary)

    return SummaryFiles(choices, tuple(
        SummaryFile(fmt, data(fmt), file_name(summary, fmt.ext, stem)) for fmt in FORMATS))


def font_problem(font_path: str | Path | None = None) -> str | None:
    """Return why the PDF font (DEFAULT_FONT unless named) cannot be used, or None."""
    try:
        font_files(DEFAULT_FONT if font_path is None else font_path)
    except FileNotFoundError as missing:
        return str(missing)
    return None
