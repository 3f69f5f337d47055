"""Measure the reading level of content prose the way the content gates do.

Run ``python -m tests.readability`` for a table of every explanation's grades.
"""

import re

import textstat

SOURCES_HEADING = re.compile(r"^#{1,6}\s+(sources|fuentes)\b", re.IGNORECASE | re.MULTILINE)


def prose(markdown: str) -> str:
    """Return the prose of a Markdown text: no headings, list markers, links or sources."""
    cut = SOURCES_HEADING.search(markdown)
    if cut:
        markdown = markdown[: cut.start()]
    sentences = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = re.sub(r"^([-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"[*_`>]", "", line).strip()
        # A list item or a line without an end mark still ends a thought.
        if line and line[-1] not in ".!?:;":
            line += "."
        sentences.append(line)
    return " ".join(sentences)


def grades(text: str, lang: str = "en") -> tuple[float, float]:
    """Return (Flesch-Kincaid grade, SMOG index) for plain text."""
    textstat.set_lang(lang)
    return textstat.flesch_kincaid_grade(text), textstat.smog_index(text)


if __name__ == "__main__":
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "explanations"
    print(f"{'file':40} {'FK':>5} {'SMOG':>5}")
    for path in sorted(root.rglob("*.md")):
        fk, smog = grades(prose(path.read_text(encoding="utf-8")), path.parent.name)
        print(f"{str(path.relative_to(root)):40} {fk:5.1f} {smog:5.1f}")
