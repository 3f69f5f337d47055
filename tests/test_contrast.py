"""Colour contrast, computed from the theme and the stylesheets (WCAG 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_theme_and_stylesheet_colours_meet_aa_contrast():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    text, background = theme["textColor"], theme["backgroundColor"]
    primary, panel = theme["primaryColor"], theme["secondaryBackgroundColor"]
    # Text: 4.5:1 (WCAG 1.4.3), at every size, so the kiosk's large type passes a fortiori.
    assert contrast(text, background) >= 4.5
    assert contrast(text, panel) >= 4.5
    assert contrast("#ffffff", primary) >= 4.5  # primary buttons, the countdown button
    assert contrast(primary, background) >= 4.5  # links, the countdown number, focus rings
    css = "".join((ROOT / "assets" / name).read_text() for name in
                  ("app.css", "kiosk.css", "counseling.css"))
    # Borders that show a control's edge: 3:1 against the page (WCAG 1.4.11).
    for border in set(re.findall(r"border[^;]*?(#[0-9a-fA-F]{6})", css)):
        assert contrast(border, background) >= 3, border
    # Every text colour the stylesheets set, against white and the panel colour.
    for colour in set(re.findall(r"(?<!-)color:\s*(#[0-9a-fA-F]{6})", css)) - {"#ffffff"}:
        assert contrast(colour, background) >= 4.5, colour


def test_the_contrast_check_would_catch_streamlits_default_caption_grey():
    assert contrast("#828180", "#ffffff") < 4.5
