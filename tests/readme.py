"""The README's sections and the commands in them, for tests that follow its steps."""

from __future__ import annotations

import re
import textwrap

# A fenced block, at any indent (a block inside a numbered step is indented with it).
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w*)\n(?P<body>.*?)^(?P=indent)```$",
                   re.MULTILINE | re.DOTALL)


def section(text: str, title: str) -> str:
    """The section under `## title`, up to the next heading of that level."""
    start = re.search(rf"^## {re.escape(title)}\n", text, re.MULTILINE)
    assert start, f"the README has no section '## {title}'"
    end = re.search(r"^## ", text[start.end():], re.MULTILINE)
    return text[start.end():start.end() + end.start()] if end else text[start.end():]


def blocks(text: str, lang: str = "sh") -> list[str]:
    """The fenced blocks of a language, in order, dedented; a shell line continued with a
    backslash is joined to the next."""
    found = []
    for match in FENCE.finditer(text):
        if match["lang"] == lang:
            body = textwrap.dedent(match["body"]).strip()
            found.append(re.sub(r"\\\n\s*", "", body) if lang == "sh" else body)
    return found
