"""Server settings chosen by whoever starts the app, read in one place by one rule.

Each setting is one row of SETTINGS. Its value comes from the first of these that gives it:
1. the command line (the app's own arguments, after ``--``), or else the environment
   (``REFLECT_*``);
2. a clinic's own settings, when there are any: the settings block of the site folder's
   site.yaml (``--site DIR`` or ``REFLECT_SITE``; reflect/site.py), or a mapping given;
3. the shipped default.
A new setting is one new row.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from reflect.modes import MODES, PERSONAL


class SettingsError(ValueError):
    """A setting given at start-up is not valid; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """How this server behaves for every visitor."""

    mode: str = PERSONAL
    idle_seconds: int = 90
    countdown_seconds: int = 30
    close_return_seconds: int = 60
    metrics: bool = False
    allowed_origins: tuple[str, ...] = ()
    # Where Quick exit goes. A public page with nothing to do with health, no sign-in and no
    # ads, that opens fast on a phone: the US weather service's home page.
    quick_exit_to: str = "https://www.weather.gov/"
    # The file holding server.cookieSecret (a Kubernetes Secret mounted as a volume): only its
    # path is kept here, so printing the settings never prints the secret. Empty: Streamlit
    # makes a random secret of its own for this process.
    cookie_secret_file: str = ""
    # A clinic's own folder with its site.yaml (reflect/site.py); empty: the shipped content.
    site: str = ""


@dataclass(frozen=True)
class Setting:
    """One setting: where it is read from, and how its text becomes a value (or is refused)."""

    name: str
    env: str
    flag: str
    parse: Callable[[str, Setting], object]
    help: str


def _mode(text: str, setting: Setting) -> str:
    if text not in MODES:
        raise SettingsError(
            f"'{text}' is not a mode. Use one of: {', '.join(MODES)} "
            f"({setting.flag} on the command line after --, or {setting.env} in the "
            "environment).")
    return text


def _seconds(low: int, high: int) -> Callable[[str, Setting], int]:
    def parse(text: str, setting: Setting) -> int:
        try:
            number = int(text)
        except ValueError:
            raise SettingsError(f"{setting.flag} / {setting.env}: '{text}' is not a whole "
                                "number of seconds.") from None
        if not low <= number <= high:
            raise SettingsError(f"{setting.flag} / {setting.env}: {number} is outside {low} "
                                f"to {high} seconds.")
        return number
    return parse


def _on_off(text: str, setting: Setting) -> bool:
    if text not in ("on", "off"):
        raise SettingsError(f"{setting.flag} / {setting.env}: '{text}' is not on or off.")
    return text == "on"


ORIGIN_RE = re.compile(
    r"^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")


def _origins(text: str, setting: Setting) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in text.split(",") if part.strip())
    for origin in origins:
        if not ORIGIN_RE.match(origin):
            raise SettingsError(
                f"{setting.flag} / {setting.env}: '{origin}' is not an origin. Write "
                "scheme, host and port only, comma-separated, for example "
                "https://reflect.example.org,http://10.0.0.5:8080.")
    return origins


# An https address: a host, and a path without spaces, quotes or angle brackets.
EXIT_RE = re.compile(r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?(/[^\s<>\"'`\\]*)?$")


def _exit_page(text: str, setting: Setting) -> str:
    if not EXIT_RE.match(text):
        raise SettingsError(
            f"{setting.flag} / {setting.env}: '{text}' is not an https address of a public "
            "page, for example https://www.weather.gov/. Quick exit must not leave for a "
            "page that could be read or changed on the way.")
    return text


# Streamlit signs its cookies with server.cookieSecret; every replica needs the same one.
MIN_COOKIE_SECRET = 32
MAX_COOKIE_SECRET = 4096
GENERATE_COMMAND = "python -c 'import secrets; print(secrets.token_hex(32))'"


def read_cookie_secret(path: str, setting: Setting) -> str:
    """The secret in the file, without the line end a secret file often has.

    Raise SettingsError naming the setting, the file and the fix; never the secret.
    """
    where = f"{setting.flag} / {setting.env}"
    if not path:
        raise SettingsError(f"{where} names no file; give the path of the file holding "
                            "the cookie secret, or leave the setting out.")
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_COOKIE_SECRET + 1)
    except FileNotFoundError:
        raise SettingsError(f"{where}: there is no file {path}. Mount the cookie secret "
                            "there (deploy/k8s/deployment.yaml) or give the path where it "
                            "is.") from None
    except OSError as err:
        raise SettingsError(f"{where}: the file {path} cannot be read ({err.strerror}). "
                            "Let the app's user read it (for a Secret volume: defaultMode "
                            "0440 and the pod's fsGroup).") from None
    if len(raw) > MAX_COOKIE_SECRET:
        raise SettingsError(f"{where}: the file {path} is longer than {MAX_COOKIE_SECRET} "
                            "bytes, so it is not a cookie secret. Give the file holding "
                            "only the secret.")
    try:
        secret = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise SettingsError(f"{where}: the file {path} is not text. Put a random secret "
                            f"in it, for example from: {GENERATE_COMMAND}") from None
    if not secret:
        raise SettingsError(f"{where}: the file {path} is empty. Put a random secret of "
                            f"at least {MIN_COOKIE_SECRET} characters in it, for example "
                            f"from: {GENERATE_COMMAND}")
    if len(secret) < MIN_COOKIE_SECRET:
        raise SettingsError(f"{where}: the secret in {path} is too short (fewer than "
                            f"{MIN_COOKIE_SECRET} characters). Put a random one in it, for "
                            f"example from: {GENERATE_COMMAND}")
    return secret


def _secret_file(text: str, setting: Setting) -> str:
    read_cookie_secret(text, setting)  # refused now, at start, if it cannot be used
    return os.path.abspath(text)


def _site_folder(text: str, setting: Setting) -> str:
    from reflect.site import SITE_FILE, site_file

    if not text:
        return ""
    if not site_file(text).is_file():
        raise SettingsError(f"{setting.flag} / {setting.env}: there is no {SITE_FILE} in "
                            f"'{text}'. Give the folder that holds the clinic's {SITE_FILE} "
                            "(copy examples/clinic to start one).")
    return os.path.abspath(text)


SETTINGS = (
    Setting("mode", "REFLECT_MODE", "--mode", _mode,
            f"who the server is for: {', '.join(MODES)}"),
    Setting("idle_seconds", "REFLECT_IDLE_SECONDS", "--idle-seconds", _seconds(5, 3600),
            "kiosk: seconds without a touch before the countdown"),
    Setting("countdown_seconds", "REFLECT_COUNTDOWN_SECONDS", "--countdown-seconds",
            _seconds(3, 600), "kiosk: the countdown's length"),
    Setting("close_return_seconds", "REFLECT_CLOSE_RETURN_SECONDS", "--close-return-seconds",
            _seconds(5, 3600), "kiosk: seconds before the close goes back to the welcome"),
    Setting("metrics", "REFLECT_METRICS", "--metrics", _on_off,
            "on: serve Streamlit's /_stcore/metrics (off: 404 for everyone)"),
    Setting("allowed_origins", "REFLECT_ALLOWED_ORIGINS", "--allowed-origins", _origins,
            "origins besides the server's own that may open the app, comma-separated"),
    Setting("quick_exit_to", "REFLECT_QUICK_EXIT_TO", "--quick-exit-to", _exit_page,
            "the https page Quick exit leaves for (default: the US weather service)"),
    Setting("cookie_secret_file", "REFLECT_COOKIE_SECRET_FILE", "--cookie-secret-file",
            _secret_file, "a file holding server.cookieSecret, the same for every replica "
            f"(at least {MIN_COOKIE_SECRET} characters)"),
    Setting("site", "REFLECT_SITE", "--site", _site_folder,
            "a clinic's folder holding its site.yaml: name, contacts, services, kiosk "
            "message (see examples/clinic)"),
)
BY_NAME = MappingProxyType({setting.name: setting for setting in SETTINGS})
# The shipped defaults, from the dataclass itself, so there is one place for each.
DEFAULTS = MappingProxyType({name: getattr(Settings(), name) for name in BY_NAME})


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; the caller decides what to do
        usage = self.format_usage().strip().removeprefix("usage: ")
        raise SettingsError(f"{message}. Usage: {usage}")


def _parser() -> _Parser:
    parser = _Parser(prog="app.py", add_help=False)
    for setting in SETTINGS:
        parser.add_argument(setting.flag, dest=setting.name)
    return parser


def read_settings(argv: Sequence[str], environ: Mapping[str, str],
                  site: Mapping[str, object] | None = None) -> Settings:
    """Return the settings: command line, else environment, else site, else the defaults.

    Raise SettingsError, naming the setting and the fix, for anything invalid.
    """
    from reflect.site import SITE_SETTINGS

    args = _parser().parse_args(list(argv))
    if site is None:
        folder = args.site if args.site is not None else environ.get(BY_NAME["site"].env)
        if folder:
            site = _settings_of_site(BY_NAME["site"].parse(folder, BY_NAME["site"]))
    unknown = sorted(set(site or {}) - set(SITE_SETTINGS))
    if unknown:
        raise SettingsError(f"the site's settings name no setting a site may give: "
                            f"{', '.join(unknown)}; use: {', '.join(SITE_SETTINGS)}.")
    values = {}
    for setting in SETTINGS:
        given = getattr(args, setting.name)
        if given is None:
            given = environ.get(setting.env)
        if given is None and site and setting.name in site:
            given = site[setting.name]
            if isinstance(given, bool):  # YAML's yes/no for an on/off setting
                given = "on" if given else "off"
            elif isinstance(given, (list, tuple)):
                given = ",".join(str(part) for part in given)
            given = str(given)
        values[setting.name] = (DEFAULTS[setting.name] if given is None
                                else setting.parse(given, setting))
    return Settings(**values)


def _settings_of_site(folder: str) -> dict[str, object]:
    from reflect.content import ContentError
    from reflect.site import site_settings

    try:
        return site_settings(folder)
    except ContentError as err:
        raise SettingsError("the site folder's site.yaml has problems:\n"
                            + "\n".join(f"- {p}" for p in err.problems)) from None


def cookie_secret(settings: Settings) -> str | None:
    """The cookie secret from the settings' file, or None when no file is set."""
    if not settings.cookie_secret_file:
        return None
    return read_cookie_secret(settings.cookie_secret_file, BY_NAME["cookie_secret_file"])
