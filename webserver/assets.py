"""GET /reflect-assets/<name>: the app's page and kiosk scripts (reflect/csp.py's SERVED), as
files, so a run sends a short <script src> instead of their whole text (ui/parts.run_script).

Read once per process, the same text reflect/csp.script_text gives the app. An address with
the current fingerprint (?v=) may be kept for a year: a new text has a new address. Any other
address gets the current text with no-cache. Nothing here is about a reader.
"""

from __future__ import annotations

from pathlib import Path

from reflect import csp

CACHE_FOR_A_YEAR = "public, max-age=31536000, immutable"


class Assets:
    """The route's handler, for the scripts under root."""

    def __init__(self, root: Path) -> None:
        self.files = {}
        for name in csp.SERVED:
            text = csp.script_text(str(root), name)
            self.files[name] = (text.encode("utf-8"), csp.fingerprint(text))

    async def respond(self, request):
        from starlette.responses import Response

        found = self.files.get(request.path_params["name"])
        if found is None:
            return Response(status_code=404)
        body, version = found
        current = request.query_params.get("v") == version
        return Response(body, media_type="text/javascript; charset=utf-8",
                        headers={"cache-control": CACHE_FOR_A_YEAR if current else "no-cache",
                                 "etag": f'"{version}"'})


def routes(root: Path) -> list:
    """The route for st.App(routes=...)."""
    from starlette.routing import Route

    return [Route(csp.ASSETS_PATH + "/{name}", Assets(root).respond, methods=["GET"])]
