"""POST /reflect-recordings: a clinic's recordings for Listen (reflect/listen.py), every one of
a language at once.

The language travels in the request's body, never in its address, and every visitor of a
language gets the same answer: neither a proxy's log nor this server can tell which screens or
which patterns a reader listened to. Read from the site folder the server was started with,
again after an edit (the fingerprint changes).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from reflect.content import ContentError, content_fingerprint, load_content
from reflect.listen import recordings_of

PATH = "/reflect-recordings"
MAX_BODY = 16  # a language code


class Recordings:
    """The route's handler, for the content under root and a site folder (or none)."""

    def __init__(self, root: Path, site: str = "") -> None:
        self.root, self.site = root, site or None
        self.loaded: tuple[tuple, object] | None = None

    def content(self):
        fingerprint = content_fingerprint(self.root, self.site)
        if self.loaded is None or self.loaded[0] != fingerprint:
            try:
                content = load_content(self.root, self.site)
            except ContentError:
                content = None  # the app shows its calm page; nothing to play
            self.loaded = (fingerprint, content)
        return self.loaded[1]

    async def respond(self, request):
        from starlette.responses import Response

        body = (await request.body())[:MAX_BODY + 1]
        lang = body.decode("ascii", "replace").strip()
        content = self.content() if self.site else None
        if content is None or len(body) > MAX_BODY or lang not in content.languages:
            return Response(status_code=404)
        files = []
        for recording in recordings_of(content, lang):
            try:
                data = Path(recording.path).read_bytes()
            except OSError:
                data = b""  # gone since the check: that block is read by a voice instead
            files.append({"type": recording.media_type,
                          "data": base64.b64encode(data).decode("ascii")})
        return Response(json.dumps(files), media_type="application/json",
                        headers={"cache-control": "no-store"})


def routes(root: Path, site: str) -> list:
    """The route for st.App(routes=...)."""
    from starlette.routing import Route

    return [Route(PATH, Recordings(root, site).respond, methods=["POST"])]
