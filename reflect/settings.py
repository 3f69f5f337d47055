"""Server settings chosen by whoever starts the app: the mode and the kiosk's timers."""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

PERSONAL, COUNSELING, KIOSK = "personal", "counseling", "kiosk"
MODES = (PERSONAL, COUNSELING, KIOSK)

# Each setting: environment variable, command-line flag, default, and for numbers a range.
ENV_MODE = "REFLECT_MODE"
# For operators: Streamlit's /_stcore/metrics (off: 404 for everyone), and origins other than
# the server's own that may open the app's WebSocket (for example a proxy's public address).
ENV_METRICS, METRICS_FLAG = "REFLECT_METRICS", "--metrics"
ENV_ORIGINS, ORIGINS_FLAG = "REFLECT_ALLOWED_ORIGINS", "--allowed-origins"
ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
NUMBERS = MappingProxyType({
    "idle_seconds": ("REFLECT_IDLE_SECONDS", "--idle-seconds", 90, (5, 3600)),
    "countdown_seconds": ("REFLECT_COUNTDOWN_SECONDS", "--countdown-seconds", 30, (3, 600)),
    "close_return_seconds": ("REFLECT_CLOSE_RETURN_SECONDS", "--close-return-seconds", 60,
                             (5, 3600)),
})


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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; the caller decides what to do
        usage = self.format_usage().strip().removeprefix("usage: ")
        raise SettingsError(f"{message}. Usage: {usage}")


def _parser() -> _Parser:
    parser = _Parser(prog="app.py", add_help=False)
    parser.add_argument("--mode")
    parser.add_argument(METRICS_FLAG, dest="metrics")
    parser.add_argument(ORIGINS_FLAG, dest="allowed_origins")
    for name, (_, flag, _, _) in NUMBERS.items():
        parser.add_argument(flag, dest=name)
    return parser


def read_settings(argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
    """Return the settings from script arguments (``-- --mode kiosk``) or the environment.

    A command-line flag wins over the environment. Raise SettingsError for anything invalid.
    """
    args = _parser().parse_args(list(argv))
    mode = args.mode if args.mode is not None else environ.get(ENV_MODE, PERSONAL)
    if mode not in MODES:
        raise SettingsError(
            f"'{mode}' is not a mode. Use one of: {', '.join(MODES)} "
            f"(--mode on the command line after --, or {ENV_MODE} in the environment).")
    values = {}
    for name, (env, flag, default, (low, high)) in NUMBERS.items():
        raw = getattr(args, name)
        raw = raw if raw is not None else environ.get(env, str(default))
        try:
            number = int(raw)
        except ValueError:
            raise SettingsError(f"{flag} / {env}: '{raw}' is not a whole number of "
                                "seconds.") from None
        if not low <= number <= high:
            raise SettingsError(f"{flag} / {env}: {number} is outside {low} to {high} seconds.")
        values[name] = number
    metrics = args.metrics if args.metrics is not None else environ.get(ENV_METRICS, "off")
    if metrics not in ("on", "off"):
        raise SettingsError(f"{METRICS_FLAG} / {ENV_METRICS}: '{metrics}' is not on or off.")
    raw = args.allowed_origins if args.allowed_origins is not None else environ.get(
        ENV_ORIGINS, "")
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if not ORIGIN_RE.match(origin):
            raise SettingsError(
                f"{ORIGINS_FLAG} / {ENV_ORIGINS}: '{origin}' is not an origin. Write "
                "scheme, host and port only, comma-separated, for example "
                "https://reflect.example.org,http://10.0.0.5:8080.")
    return Settings(mode=mode, metrics=metrics == "on", allowed_origins=origins, **values)


def session_mode(settings: Settings, requested: str | None) -> str:
    """Return the mode for one session: a kiosk stays a kiosk whatever a visitor asks for.

    A personal server offers counseling mode (for example through ``?mode=counseling``);
    nothing a visitor sends can turn a server into a kiosk or out of one.
    """
    if settings.mode == KIOSK:
        return KIOSK
    if requested in (PERSONAL, COUNSELING):
        return requested
    return settings.mode
