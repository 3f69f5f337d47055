"""Server settings chosen by whoever starts the app: the mode and the kiosk's timers."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

PERSONAL, COUNSELING, KIOSK = "personal", "counseling", "kiosk"
MODES = (PERSONAL, COUNSELING, KIOSK)

# Each setting: environment variable, command-line flag, default, and for numbers a range.
ENV_MODE = "REFLECT_MODE"
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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; the caller decides what to do
        usage = self.format_usage().strip().removeprefix("usage: ")
        raise SettingsError(f"{message}. Usage: {usage}")


def _parser() -> _Parser:
    parser = _Parser(prog="app.py", add_help=False)
    parser.add_argument("--mode")
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
    return Settings(mode=mode, **values)


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
