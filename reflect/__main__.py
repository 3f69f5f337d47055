"""Check the content (``python -m reflect check``) or the server settings (``settings``), or
print the page a proxy shows while the app is down (``unavailable-page``)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from reflect.content import ContentError, load_content
from reflect.settings import SettingsError, read_settings
from reflect.summary import font_problem

DEFAULT_ROOT = Path(__file__).resolve().parent.parent
# Shorter texts are names and labels, where a reading-level formula means nothing.
MIN_PROSE_WORDS = 10


def check_settings(app_args: list[str]) -> int:
    """Validate the settings the app will read; print them or a clear message."""
    try:
        settings = read_settings(app_args, os.environ)
    except SettingsError as err:
        print(f"The app cannot start: {err}", file=sys.stderr)
        return 2
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if isinstance(value, bool):
            value = "on" if value else "off"
        elif isinstance(value, tuple):
            value = ", ".join(value) or "none"
        elif value == "":
            value = "none"
        print(f"{field.name}: {value}")
    return 0


def review_status(content) -> str:
    """Say who reviewed the content and when, or that no licensed clinician has yet."""
    review = content.about.review
    if not review.done:
        return "no clinical review yet (questions.yaml about.clinical_review is empty)"
    return (f"reviewed by {review.reviewer}, {review.credential}, on "
            f"{review.reviewed_on.isoformat()}, next review {review.next_review.isoformat()}")


def site_reading_problems(content) -> list[str]:
    """The reading level of every text of ten words or more that the site adds, by the same
    formulas and limits as the content's own (reflect/readability.py)."""
    from reflect.readability import OTHER_LANGUAGES, RULES, prose, readability, without_names
    from reflect.site import site_file, texts_of

    label = str(site_file(content.site.folder))
    problems = []
    for key, lang, text in texts_of(content.site, content.helplines.clinic):
        plain = without_names(prose(text), content.reading_level_skips.get(lang, ()))
        # Whether a higher score is harder, for each formula that gates lang.
        harder = {name: higher for name, _, _, higher in RULES.get(lang, OTHER_LANGUAGES)}
        if len(plain.split()) < MIN_PROSE_WORDS:
            continue
        for formula, score, limit, passes in readability(plain, lang):
            if not passes:
                side = "at most" if harder[formula] else "at least"
                problems.append(f"{label}: {key}: reads too hard ({formula} {score}, "
                                f"{side} {limit}). Fix: use shorter sentences and everyday "
                                "words.")
    return problems


def print_listen_texts(content, only: str | None) -> None:
    """Each block a clinic may record, per language and for each way it is read: its id, the
    modes that read it so, the text_sha256 to write beside the file in site.yaml, and the
    words to read."""
    from reflect.listen import recordable
    from reflect.modes import MODES

    for lang in content.languages:
        if only and lang != only:
            continue
        texts = recordable(content, lang)
        read_in = {mode.name: recordable(content, lang, (mode,)) for mode in MODES.values()}
        for block, found in texts.items():
            for sha, words in found.items():
                modes = ", ".join(name for name, by in read_in.items()
                                  if sha in by.get(block, {}))
                print(f"- block: {block}\n  lang: {lang}\n  text_sha256: {sha}\n"
                      f"  # read in: {modes}\n  # {words}\n")


def site_summary(content) -> str:
    site, helplines = content.site, content.helplines
    logo = (f"logo {site.logo.media_type.split('/')[1].split('+')[0].upper()}, "
            f"{len(site.logo.data)} bytes" if site.logo else "no logo")
    return (f"Site OK: {site.name[content.default_language]} ({site.folder}): "
            f"{len(helplines.clinic)} contacts after the region's "
            f"{len(helplines.crisis)} crisis lines, "
            f"{len(site.services)} local services, "
            f"{'a kiosk message' if site.kiosk_message else 'no kiosk message'}, {logo}, "
            f"help-line region {helplines.region}.")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m reflect", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate questions.yaml, helplines.yaml "
                                "and explanations/")
    check.add_argument("folder", nargs="?", type=Path, default=DEFAULT_ROOT,
                       help="the folder holding the content (default: this project)")
    check.add_argument("--site", type=Path, default=None,
                       help="also check a clinic's site folder (its site.yaml and logo), "
                       "layered over the content as the app will show it")
    settings = commands.add_parser(
        "settings", help="check the server settings, given as the app takes them after -- "
        "(--mode, --idle-seconds, --countdown-seconds, --close-return-seconds, --metrics, "
        "--allowed-origins, --cookie-secret-file: a path, never the secret) or as REFLECT_* "
        "variables; prints every setting in effect, exits 2 if invalid")
    settings.add_argument("app_args", nargs=argparse.REMAINDER)
    texts = commands.add_parser(
        "listen-texts", help="print the words Listen reads in each block a clinic may record, "
        "with the text_sha256 a recording of them names in site.yaml")
    texts.add_argument("folder", nargs="?", type=Path, default=DEFAULT_ROOT,
                       help="the folder holding the content (default: this project)")
    texts.add_argument("--site", type=Path, default=None, help="a clinic's site folder")
    texts.add_argument("--lang", default=None, help="one language only (default: every one)")
    page = commands.add_parser(
        "unavailable-page", help="print the page nginx shows while no app process answers "
        "(save it as deploy/nginx/unavailable.html)")
    page.add_argument("folder", nargs="?", type=Path, default=DEFAULT_ROOT,
                      help="the folder holding the content (default: this project)")
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["settings"] and not {"-h", "--help"} & set(argv[1:]):
        # The server's own arguments, read exactly as the app reads them (argparse here would
        # take --mode for an option of its own and refuse it). As with scripts/serve.sh,
        # Streamlit's options may come first; the app's own then follow --.
        app_args = argv[1:]
        return check_settings(app_args[app_args.index("--") + 1:] if "--" in app_args
                              else app_args)
    args = parser.parse_args(argv)
    site = getattr(args, "site", None)
    try:
        content = load_content(args.folder, site)
    except ContentError as err:
        problems = list(err.problems)
    else:
        problems = site_reading_problems(content) if site else []
    if args.command == "listen-texts":
        if problems:
            print("The content has problems; run `python -m reflect check`.", file=sys.stderr)
            return 1
        print_listen_texts(content, args.lang)
        return 0
    if args.command == "unavailable-page":
        if problems:
            print("The content has problems; run `python -m reflect check`.", file=sys.stderr)
            return 1
        from reflect.unavailable import unavailable_page

        sys.stdout.write(unavailable_page(content))
        return 0
    font = font_problem()  # the PDF download needs it; found now, not on a reader's close
    if font:
        problems.append(font)
    if problems:
        print(f"The content has {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    if site:
        for warning in content.site.warnings:
            print(f"Warning: {warning}")
        print(site_summary(content))
    lines = (len(content.helplines.crisis) + len(content.helplines.finding)
             - (len(content.site.services) if content.site else 0))  # the shipped ones
    print(
        f"Content OK: {len(content.patterns)} patterns, {len(content.answers)} answers, "
        f"languages {', '.join(content.languages)}, {lines} help lines "
        f"(last verified {content.helplines.last_verified.isoformat()} against "
        f"{content.helplines.checked_against}; readers see that date only for official_pages), "
        f"{len(content.safety_points)} safety points in place; {review_status(content)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
