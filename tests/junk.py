"""Junk a visitor might put in the address or send over the wire."""

JUNK_VALUES = (
    "x" * 100_000,
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00%ff%fe",
    "ʕ•ᴥ•ʔ \u202e\u0000 漢字 🙂",
    "javascript:alert(1)",
    "kiosk",
    "counseling<b>",
)
