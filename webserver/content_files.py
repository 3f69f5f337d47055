"""The content the server's own routes read (the first page, the recordings), with a clinic's
site folder if one is set: loaded again only after an edit of the files (the fingerprint
changes), and None while they are broken (the app logs the problems and shows its calm page).
"""

from __future__ import annotations

from pathlib import Path

from reflect.content import Content, ContentError, content_fingerprint, load_content


class ContentFiles:
    """One route's view of the content under root and the site folder (or none)."""

    def __init__(self, root: Path, site: str | None = None) -> None:
        self.root, self.site = root, site or None
        self.loaded: tuple[tuple, Content | None] | None = None

    def current(self) -> Content | None:
        fingerprint = content_fingerprint(self.root, self.site)
        if self.loaded is None or self.loaded[0] != fingerprint:
            try:
                content = load_content(self.root, self.site)
            except ContentError:
                content = None
            self.loaded = (fingerprint, content)
        return self.loaded[1]
