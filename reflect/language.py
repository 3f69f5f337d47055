"""Choose a session's language from what the browser prefers; each session keeps its own."""

from __future__ import annotations

import re
from collections.abc import Iterable

# One entry of an Accept-Language header or a navigator.language value: "es-US;q=0.8".
_ENTRY = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")
MAX_HEADER_CHARS = 512


def preferences(value: str | None) -> list[str]:
    """Return the language tags in a locale or Accept-Language value, most wanted first.

    Anything malformed is skipped; a very long value is cut, so junk costs nothing.
    """
    if not value:
        return []
    ranked = []
    for position, part in enumerate(value[:MAX_HEADER_CHARS].split(",")):
        match = _ENTRY.match(part)
        if not match or match.group(1) == "*":
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if weight > 0:
            ranked.append((-weight, position, match.group(1).replace("_", "-")))
    return [tag for _, _, tag in sorted(ranked)]


def pick_language(wanted: Iterable[str], available: Iterable[str], default: str) -> str:
    """Return the first wanted language the content has, matching "es-US" to "es"."""
    codes = {code.lower(): code for code in available}
    for tag in wanted:
        tag = tag.lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in codes:
                return codes[candidate]
    return default
