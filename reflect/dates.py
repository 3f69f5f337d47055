"""Dates in a reader's words: "March 15, 2027", "15 de marzo de 2027"."""

from __future__ import annotations

import datetime
from collections.abc import Sequence


def natural_date(value: datetime.date | str, pattern: str, month_names: Sequence[str]) -> str:
    """Return a date (or an ISO YYYY-MM-DD string) written with the pattern of a language
    ("{month} {day}, {year}") and its twelve month names, January first."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if len(month_names) != 12:
        raise ValueError(f"expected 12 month names, got {len(month_names)}")
    return pattern.format(day=value.day, month=month_names[value.month - 1], year=value.year)
