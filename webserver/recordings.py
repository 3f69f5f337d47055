"""GET /reflect-recordings: every recording a clinic made for Listen (reflect/listen.py), of
every language, in one answer.

Every page of a server whose site has recordings asks for them once, as it loads, and every
page gets the same answer: neither a proxy's log (the address, the bytes sent) nor this server
can tell a reader's language, their screens or whether they listened. Read from the site folder
the server was started with, again after an edit (webserver/content_files); the answer is made
once per version of the files.
"""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path

from reflect.content import Content
from webserver.content_files import ContentFiles

PATH = "/reflect-recordings"


class Recordings:
    """The route's handler, for the content under root and a site folder (or none)."""

    def __init__(self, root: Path, site: str = "") -> None:
        self.files = ContentFiles(root, site)
        self.made: tuple[Content | None, bytes | None] | None = None
        self.lock = threading.Lock()

    def body(self) -> bytes | None:
        """The answer for the files as they are now, or None: no site, no recordings, or a
        site broken since the start (the app shows its calm page)."""
        with self.lock:
            content = self.files.current()
            if self.made is None or self.made[0] is not content:
                self.made = (content, self._make(content))
            return self.made[1]

    @staticmethod
    def _make(content: Content | None) -> bytes | None:
        if content is None or content.site is None:
            return None
        files = []
        for recording in content.site.recordings:
            try:
                data = Path(recording.path).read_bytes()
            except OSError:
                continue  # gone since the check: a voice reads that block instead
            files.append({"lang": recording.lang, "block": recording.block,
                          "sha": recording.text_sha256, "type": recording.media_type,
                          "data": base64.b64encode(data).decode("ascii")})
        return json.dumps(files).encode() if files else None

    def respond(self, request):
        """Not async: Starlette runs it in a thread, so reading files never holds up the
        other visitors' sessions."""
        from starlette.responses import Response

        body = self.body()
        if body is None:
            return Response(status_code=404)
        return Response(body, media_type="application/json",
                        headers={"cache-control": "no-store"})


def routes(root: Path, site: str) -> list:
    """The route for st.App(routes=...)."""
    from starlette.routing import Route

    return [Route(PATH, Recordings(root, site).respond, methods=["GET"])]
