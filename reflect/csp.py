"""The scripts the app puts on its pages, and the Content-Security-Policy that lets exactly
those run.

Streamlit's st.html(..., unsafe_allow_javascript=True) re-creates each <script> as a new
element with the same text or address, so a hash of that text lets an inline one run, and
'self' one the server serves (SERVED, at script_url); a header nonce could not reach
content that arrives over the WebSocket. Every script the app adds is a file in assets/ named
in SCRIPTS, read once per process by script_text: the hashes in the policy (built at start by
webserver/app.py) and the text the pages get (ui/parts.run_script) are the same string, so an
edited asset or a Streamlit upgrade changes the hash with the text at the next start, and can
never be blocked without anyone noticing. The scripts carry no per-session data: what they need
comes in data attributes.

Pure: no Streamlit here.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

# Every script any page of the app adds, each a file in assets/.
SCRIPTS = ("page.js", "page-run.js", "kiosk.js", "not-set-up.js", "fresh-start.js")
# Of those, the ones a page loads from this server (script-src 'self') instead of receiving
# their text in every run: the page and kiosk scripts, redrawn on every new screen, are 45 KB
# that the server would otherwise send again and again. Their address carries a fingerprint of
# their text (script_url), so a browser keeps one copy per version and runs it from there.
SERVED = ("page.js", "kiosk.js")
# A served script that must run in step with each screen, and the short inline script the app
# sends in its place, which runs it at once (a script loaded by its address runs later, when
# it has been fetched). The first page asks for the served one before Streamlit's own script.
RUNNERS = MappingProxyType({"page.js": "page-run.js"})
ASSETS_PATH = "/reflect-assets"

# What the page needs and nothing broader. Streamlit's styling (emotion) writes inline
# styles: style-src 'unsafe-inline'. Its protobuf decoder compiles WebAssembly:
# 'wasm-unsafe-eval', which allows no JavaScript eval. Pictures are SVG data addresses
# (the kiosk's QR code, the cycle picture) and blob addresses; Streamlit's fonts are its own
# files or data addresses; the only connection is back to this server (its WebSocket
# included). No plug-ins, no <base>, no form posted anywhere, never framed by another site.
DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    # A clinic's recordings for Listen, fetched from this server and played from memory.
    ("media-src", "'self' blob:"),
    ("connect-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),
)

# An inline script in an HTML page: a <script> with no src, and its exact text.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>",
                            re.IGNORECASE | re.DOTALL)


class ScriptError(ValueError):
    """A script the app would add is not one the policy can let run."""


@functools.cache
def script_text(root: str, name: str) -> str:
    """The text of one of the app's scripts, read from assets/ once per process."""
    if name not in SCRIPTS:
        raise ScriptError(f"assets/{name} is not in reflect/csp.py's SCRIPTS: the "
                          "Content-Security-Policy would block it")
    return (Path(root) / "assets" / name).read_text(encoding="utf-8")


def fingerprint(text: str) -> str:
    """A short fingerprint of a served script's text, for its address."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.cache
def script_url(root: str, name: str) -> str:
    """The address of one of the SERVED scripts, the fingerprint of its text included. Made
    once per process, like the text it comes from: every run asks for it."""
    if name not in SERVED:
        raise ScriptError(f"assets/{name} is not in reflect/csp.py's SERVED")
    return f"{ASSETS_PATH}/{name}?v={fingerprint(script_text(root, name))}"


def script_hash(text: str) -> str:
    """The policy's source expression for an inline script with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script in an HTML page (as a browser hashes it)."""
    # The HTML parser turns CR LF and lone CR into LF before the text is hashed.
    return [text.replace("\r\n", "\n").replace("\r", "\n")
            for text in _INLINE_SCRIPT.findall(page)]


def policy(scripts: Iterable[str]) -> str:
    """The whole policy, letting run exactly the inline scripts with these texts."""
    hashes = sorted({script_hash(text) for text in scripts})
    parts = []
    for name, sources in DIRECTIVES:
        if name == "script-src" and hashes:
            sources = f"{sources} {' '.join(hashes)}"
        parts.append(f"{name} {sources}")
    return "; ".join(parts)


def app_policy(root: str | Path, page: str) -> str:
    """The policy for the app in root, served with this page (Streamlit's index.html): the
    hashes of the scripts sent inline; the SERVED ones come from 'self'."""
    return policy([script_text(str(root), name) for name in SCRIPTS if name not in SERVED]
                  + inline_scripts(page))
