"""`python -m reflect.pdf_worker FONT`: the process that makes the take-home PDFs.

Started and spoken to by reflect/pdf_process.py, never by hand. It reads one document at a
time from standard input (a 4-byte big-endian length, then PdfDocument.to_json in UTF-8) and
writes back one answer (a status byte, b"+" for a PDF or b"-" for none, a 4-byte length, then
the PDF). It writes nothing anywhere else: no file, no log of what a document says (a failed
PDF is named by its error's type alone, on standard error). It holds nothing of a document
once it has answered (the memory is Python's to reuse, not wiped), only the parsed fonts, and
it ends when its standard input closes, that is, when the server that started it ends,
however it ends.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from reflect.fonts import faces_for_a_pdf
from reflect.summary import PdfDocument, _Block, render_pdf

LENGTH = 4
MAX_DOCUMENT = 4 * 1024 * 1024  # far above the fullest summary (about 40 KB of JSON)
OK, FAILED = b"+", b"-"
# Made once at start, so the first reader's PDF does not wait for fpdf2's import and the fonts.
WARM = PdfDocument("en", "", (_Block("paragraph", "Aa"),))


def read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    """Return size bytes, or None when the stream ends first."""
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(requests: BinaryIO, answers: BinaryIO, font_path: str) -> None:
    render_pdf(WARM, font_path)
    # The next PDF's fonts are copied before each wait, while no reader waits for them.
    while answer_one(requests, answers, font_path, faces_for_a_pdf(font_path)):
        pass


def answer_one(requests: BinaryIO, answers: BinaryIO, font_path: str, faces) -> bool:
    """Read one document and answer it; False when the input has ended (or is not ours).
    A function of its own, so nothing of the document or its PDF is still held while the
    worker waits for the next one."""
    head = read_exactly(requests, LENGTH)
    if head is None:
        return False
    size = int.from_bytes(head, "big")
    if size > MAX_DOCUMENT:
        return False  # not from our server: stop, and the server makes its PDFs itself
    body = read_exactly(requests, size)
    if body is None:
        return False
    try:
        pdf = render_pdf(PdfDocument.from_json(body.decode("utf-8")), font_path, faces)
    except Exception as err:  # the server makes this PDF itself, and logs its error there
        print(f"reflect.pdf_worker: a PDF failed ({type(err).__name__})", file=sys.stderr)
        answers.write(FAILED + (0).to_bytes(LENGTH, "big"))
    else:
        answers.write(OK + len(pdf).to_bytes(LENGTH, "big") + pdf)
    answers.flush()
    return True


def main(argv: list[str]) -> None:
    # The answers go down a copy of standard output; anything a library prints goes to
    # standard error instead, so it can never be taken for part of a PDF.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Unbuffered: no read-ahead buffer keeps a copy of a document's last bytes.
    serve(sys.stdin.buffer.raw, answers, argv[0])


if __name__ == "__main__":
    main(sys.argv[1:])
