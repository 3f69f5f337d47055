"""What server.py gives st.App: the middleware, the help lines for the first page, the
download sweep and the calm page for errors. Checked once, at start.

Imported by server.py (and by the tests' own entry points), never by app.py or reflect/.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

from reflect import csp
from reflect.content import ContentError, load_content
from reflect.first_paint import FirstPaint, first_paint, icon_uri
from reflect.language import pick_language, preferences
from reflect.modes import MODES, page_stylesheets
from reflect.settings import Settings, SettingsError, cookie_secret, read_settings
from reflect.summary import font_problem
from webserver import assets, internals, recordings
from webserver.content_files import ContentFiles
from webserver.middleware import middleware
from webserver.sweep import lifespan_for


def stop(message: str) -> None:
    """Stop the start with a clear message and exit status 2, before any URL is printed."""
    print(f"The app cannot start: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


# Streamlit reads its options from STREAMLIT_* variables when its command line starts, after
# check_settings: the cookie secret from the file goes there, never onto a command line.
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"  # noqa: S105 - a variable name


def check_settings(app_args: list[str]) -> Settings:
    """Return the app's settings, or stop the start with a clear message.

    A cookie secret file's secret is put in this process's environment for Streamlit.
    """
    try:
        settings = read_settings(app_args, os.environ)
        secret = cookie_secret(settings)
    except SettingsError as err:
        stop(str(err))
        raise  # not reached: stop() exits
    if secret is not None:
        if os.environ.get(COOKIE_SECRET_ENV, secret) != secret:
            stop(f"both REFLECT_COOKIE_SECRET_FILE and {COOKIE_SECRET_ENV} give a cookie "
                 f"secret; keep only the file (unset {COOKIE_SECRET_ENV}).")
        os.environ[COOKIE_SECRET_ENV] = secret
    return settings


def check_cookie_secret(settings: Settings) -> None:
    """Inside the running server: Streamlit signs with the file's secret, or the start stops
    (as when `streamlit run server.py` is started directly: Streamlit read its options before
    the file's secret could be given to it)."""
    from streamlit import config

    secret = cookie_secret(settings)
    if secret is not None and config.get_option("server.cookieSecret") != secret:
        stop("Streamlit is not using the secret in REFLECT_COOKIE_SECRET_FILE. Start the app "
             "with python -m webserver (scripts/serve.sh), which gives it to Streamlit, not "
             "with streamlit run server.py.")


def check_site(root: Path, settings: Settings) -> None:
    """A clinic's site folder, when one is set, must load with the content, or the start
    stops with every problem (file, key, fix). Broken later, the app shows its calm page."""
    if not settings.site:
        return
    try:
        load_content(root, settings.site)
    except ContentError as err:
        stop(f"the site folder {settings.site} or the content has "
             f"{len(err.problems)} problem(s):\n" + "\n".join(f"- {p}" for p in err.problems))


def check_start() -> None:
    """What must hold before the first visitor: Streamlit's insides, the PDF font."""
    try:
        internals.check()
    except internals.InternalsChanged as err:
        stop(str(err))
    problem = font_problem()
    if problem:
        stop(problem)


def content_security_policy(root: Path) -> str:
    """The policy for every response: hashes of the app's scripts and of the inline script in
    Streamlit's own page, made now from the exact texts the pages will carry."""
    from streamlit.file_util import get_static_dir

    try:
        page = (Path(get_static_dir()) / "index.html").read_text(encoding="utf-8")
        return csp.app_policy(root, page)
    except (OSError, UnicodeDecodeError) as err:
        stop(f"a page script could not be read ({err}); reinstall the app's files.")
        raise  # not reached: stop() exits


class FirstPage:
    """The help lines for the first page, in the language a request asks for.

    Read from the same content files as the app, again after an edit (webserver/content_files).
    While the files are broken it returns None: the page is served unchanged and the app shows
    its own calm page. Where the mode has no links, the contacts are plain text.
    """

    def __init__(self, root: Path, links: bool, site: str = "") -> None:
        self.files, self.links = ContentFiles(root, site), links
        self.icon = icon_uri(root)  # read once: every page request carries it
        try:  # a folder with the content alone (no assets/) has none to load
            self.scripts = tuple(csp.script_url(str(root), name) for name in csp.RUNNERS)
        except OSError:
            self.scripts = ()

    def __call__(self, accept_language: str) -> FirstPaint | None:
        content = self.files.current()
        if content is None:
            return None
        lang = pick_language(preferences(accept_language), content.languages,
                             content.default_language)
        return dataclasses.replace(first_paint(content, lang, links=self.links, icon=self.icon),
                                   scripts=self.scripts)


def options(root: Path) -> dict:
    """Check the settings and the start, then return the keyword arguments for st.App."""
    from ui.cached import asset, set_sheets_in_page
    from ui.main import calm_page_for

    # Also a backstop for `streamlit run server.py` started directly.
    settings = check_settings(sys.argv[1:])
    check_cookie_secret(settings)
    check_start()
    check_site(root, settings)
    page = FirstPage(root, links=MODES[settings.mode].links, site=settings.site)
    # The stylesheets every session draws go into every page, and no run sends them again.
    sheets = page_stylesheets(settings.mode)
    try:
        styles = "\n".join(asset(str(root), name) for name in sheets)
    except OSError:  # a folder with the content alone (no assets/): none to send
        styles, sheets = "", ()
    set_sheets_in_page(sheets)
    return {"middleware": middleware(content_security_policy(root), page,
                                     metrics=settings.metrics,
                                     allowed_origins=settings.allowed_origins, styles=styles),
            "routes": recordings.routes(root, settings.site) + assets.routes(root),
            "lifespan": lifespan_for(MODES[settings.mode].downloads),
            "on_script_error": calm_page_for(root)}
