"""Load and validate the app's content: questions, explanations and help lines.

Everything a reader sees comes from data files. The loader reads them with YAML's safe
loader only, checks every cross-reference, and raises one ContentError that names each
problem's file, key and fix, so a counselor can edit the wording without reading Python.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

QUESTIONS_FILE = "questions.yaml"
HELPLINES_FILE = "helplines.yaml"
EXPLANATIONS_DIR = "explanations"

# Explanations every language needs besides one per pattern.
FIXED_EXPLANATIONS = ("help", "close", "provider_questions")

# How an answer counts: only "fully" and "sometimes" may show an explanation.
RECOGNITION_LEVELS = ("fully", "sometimes", "not_recognised", "declined")
SHOWING_LEVELS = ("fully", "sometimes")

# Larger files are refused before parsing: real content is a few kilobytes.
MAX_FILE_BYTES = 256 * 1024

# The wording of every screen. Each key must exist in every language, with exactly these
# {placeholders}; unknown keys are refused so a typo cannot hide a missing text.
SCREEN_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "app.title": (),
    "language.label": (),
    "welcome.heading": (),
    "welcome.body": (),
    "welcome.privacy": (),
    "welcome.privacy_kiosk": (),
    "welcome.end": (),
    "welcome.start": (),
    "welcome.offered_by": ("clinic",),
    "nav.back": (),
    "nav.next": (),
    "nav.start_over": (),
    "nav.start_over_ask": (),
    "nav.start_over_no": (),
    "nav.start_over_yes": (),
    "nav.choose_an_answer": (),
    "question.progress": ("number", "total"),
    "question.hint": (),
    "reflection.heading": (),
    "reflection.not_a_diagnosis": (),
    "reflection.none_recognised": (),
    "reflection.some_not_shared": (),
    "reflection.sources": (),
    "reflection.next": (),
    "cycle.heading": (),
    "cycle.intro": (),
    "cycle.marked_legend": (),
    "cycle.marked": (),
    "cycle.in_words": (),
    "cycle.image_label": (),
    "help.heading": (),
    "help.next": (),
    "close.heading": (),
    "close.crisis_heading": (),
    "close.finding_heading": (),
    "close.clinic_heading": ("clinic",),
    "close.not_a_diagnosis": (),
    "close.bring": (),
    "close.bring_none": (),
    "close.tell": (),
    "close.script": (),
    "close.done": (),
    "crisis.heading": (),
    "loading.note": (),
    "loading.noscript": (),
    "crisis.last_verified": ("date",),
    "crisis.numbers_from": (),
    "crisis.clinic_numbers_from": ("clinic",),
    "contact.call": (),
    "contact.or_text": (),
    "contact.text": (),
    "contact.text_word": ("word",),
    "contact.tty": (),
    "contact.web": (),
    "save.heading": (),
    "save.intro": (),
    "save.include_help": (),
    "save.include_questions": (),
    "save.include_cycle": (),
    "save.note_label": (),
    "save.download_html": (),
    "save.download_pdf": (),
    "save.print": (),
    "counseling.switch_label": (),
    "counseling.talk_about_heading": (),
    "counseling.overview_heading": (),
    "counseling.overview_intro": (),
    "counseling.overview_answer": ("answer",),
    "counseling.overview_unanswered": (),
    "kiosk.idle_heading": (),
    "kiosk.idle_body": ("seconds",),
    "kiosk.idle_body_one": (),
    "kiosk.still_here": (),
    "kiosk.close_return": ("seconds",),
    "kiosk.qr_heading": (),
    "kiosk.qr_body": ("site",),
    "kiosk.qr_alt": ("site",),
    "kiosk.resetting": (),
    "restart.notice": (),
    "restart.start_again": (),
    "quick_exit.label": (),
    "quick_exit.about": (),
    "bar.label": (),
    "bar.help": (),
    "listen.label": (),
    "listen.pause": (),
    "listen.resume": (),
    "listen.stop": (),
    "listen.crisis": (),
    "listen.reading": (),
    "listen.paused": (),
    "listen.stopped": (),
    "listen.no_voice": (),
    "listen.unavailable": (),
    "reload.notice": (),
    "offline.notice": (),
    "unavailable.heading": (),
    "unavailable.body": (),
    "summary.title": (),
    "summary.file_name": (),
    "summary.not_a_diagnosis": (),
    "summary.made_on": ("date",),
    "summary.date_format": ("day", "month", "year"),
    "summary.file_code": ("token",),
    "summary.patterns_heading": (),
    "summary.none_chosen": (),
    "summary.note_heading": (),
    "summary.questions_heading": (),
    "summary.cycle_legend": (),
    "summary.cycle_marked": (),
    # The file's own first-person words for how well a kept pattern fits ("I said ..."), one
    # per answer level that shows a pattern; the screen's answers.<id>.intro speak to the reader.
    **{f"summary.intro_{level}": () for level in SHOWING_LEVELS},
    "about.link": (),
    "about.heading": (),
    "about.written_by": (),
    "about.not_reviewed": (),
    "about.reviewed": ("reviewer", "credential", "date"),
    "about.next_review": ("date",),
    "about.review_due": ("date",),
    # What happens to the answers (a kiosk's own words), who sees the screen in each mode
    # (modes.Mode.who_sees names the key), downloads, and who runs the app (a clinic's name
    # from its site, or no name).
    "about.content_heading": (),
    "about.answers_heading": (),
    "about.answers": (),
    "about.answers_kiosk": (),
    "about.who_heading": (),
    "about.who_personal": (),
    "about.who_counseling": (),
    "about.who_kiosk": (),
    "about.downloads_heading": (),
    "about.downloads": (),
    "about.runner_heading": (),
    "about.run_by": ("clinic",),
    "about.run_by_unnamed": (),
    "about.runner_duties": (),
    "about.back": (),
})
# Not one text but a list: the month names, January to December, that dates are written with
# (Content.natural_date), so no machine locale is needed.
MONTHS_KEY, MONTH_COUNT = "summary.months", 12
PATTERN_TEXT_KEYS = ("title", "statement", "talk_about")
ANSWER_TEXT_KEYS = ("label",)
ANSWER_INTRO_KEY = "intro"
CYCLE_TEXT_KEYS = ("label",)
HELPLINE_TEXT_KEYS = ("name", "short", "note")
# Optional words for one language: after the number to call ("y marque 2"), and the word to
# text ("AYUDA"): shown beside the number, never put into a pre-filled message.
HELPLINE_EXTRA_KEYS = ("call_after", "text_word")
# What the numbers in helplines.yaml were last checked against. Readers see "checked on <date>"
# only for a check against each service's official page.
OFFICIAL_PAGES, REFERENCE_FILE = "official_pages", "reference_file"
CHECKED_AGAINST = (OFFICIAL_PAGES, REFERENCE_FILE)
LINE_PREFIX = "line:"  # in safety_phrases: a help line's note, as line:<id>

ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!]")
UNSAFE_LINK_RE = re.compile(r"\b(javascript|data|vbscript|file)\s*:", re.IGNORECASE)
SOURCES_RE = re.compile(r"^##\s+\S.*$", re.MULTILINE)
HEADING_LINE_RE = re.compile(r"^#{2,6}\s+(\S.*?)\s*$")
URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+(/[^\s<>\"']*)?$")
PHONE_RE = re.compile(r"^[0-9][0-9-]{1,19}$")
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# The clinical review in questions.yaml (about.clinical_review): empty until a licensed
# clinician fills it in, and then complete.
REVIEW_KEYS = ("reviewer", "credential", "reviewed_on", "next_review")


class ContentError(Exception):
    """The content files are broken; each problem names its file, key and fix."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Answer:
    """One answer option and how it counts."""

    id: str
    recognition: str


@dataclass(frozen=True)
class Pattern:
    """One coping pattern, the explanation each answer shows, and its parts of the cycle."""

    id: str
    explanations: dict[str, str]
    cycle_stages: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """One Markdown explanation: the text a reader sees and the sources it rests on."""

    id: str
    body: str
    sources_heading: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class HelpLineText:
    """A help line's wording in one language."""

    name: str
    short: str
    note: str
    call_after: str | None = None
    text_word: str | None = None


@dataclass(frozen=True)
class HelpLine:
    """One way to reach help: numbers and address from the help-line file."""

    id: str
    phone: str | None
    sms: str | None
    tty: str | None
    url: str | None
    text: dict[str, HelpLineText]


@dataclass(frozen=True)
class HelpLines:
    """The crisis contacts and treatment finders for one region."""

    region: str
    last_verified: datetime.date
    crisis: tuple[HelpLine, ...]
    finding: tuple[HelpLine, ...]
    kiosk_qr: HelpLine | None = None  # the line whose web page a kiosk offers as a QR code
    checked_against: str = REFERENCE_FILE  # OFFICIAL_PAGES: readers may see last_verified
    # Per language, the page the kiosk's QR code opens instead of kiosk_qr's own url.
    kiosk_qr_urls: dict[str, str] = field(default_factory=dict)
    # A clinic's own contacts (its site.yaml): shown after the region's crisis lines, never
    # in their place.
    clinic: tuple[HelpLine, ...] = ()

    def kiosk_qr_url(self, lang: str) -> str | None:
        """The page a kiosk's QR code opens for a reader of lang, or None for no code."""
        if lang in self.kiosk_qr_urls:
            return self.kiosk_qr_urls[lang]
        return self.kiosk_qr.url if self.kiosk_qr else None


@dataclass(frozen=True)
class SafetyPoint:
    """Safety words that must stay in named texts: an explanation id, or line:<id> for a
    help line's note. Each language lists phrases that must all appear in each of them."""

    point: str
    texts: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class ClinicalReview:
    """Who reviewed the content, and when; every field None until a clinician has."""

    reviewer: str | None = None
    credential: str | None = None
    reviewed_on: datetime.date | None = None
    next_review: datetime.date | None = None

    @property
    def done(self) -> bool:
        return self.reviewer is not None


@dataclass(frozen=True)
class About:
    """What the "About this content" screen says beyond its wording: the review."""

    review: ClinicalReview


@dataclass(frozen=True)
class Logo:
    """A clinic's logo from its site folder: the file's bytes, PNG or SVG, and its alt text."""

    data: bytes
    media_type: str  # "image/png" or "image/svg+xml"
    alt: dict[str, str]


@dataclass(frozen=True)
class Recording:
    """A clinic's recording of one block of Listen's words (reflect/listen.py) in a language."""

    block: str
    lang: str
    path: str  # the file, inside the site folder
    media_type: str  # audio/ogg, audio/mpeg or audio/wav
    text_sha256: str  # the words it was recorded from


@dataclass(frozen=True)
class Site:
    """What a clinic's site.yaml adds to the content beyond its help lines (reflect/site.py):
    its name and logo, and the kiosk's message, each per language."""

    folder: str
    name: dict[str, str]
    kiosk_message: dict[str, str] = field(default_factory=dict)
    logo: Logo | None = None
    # Its local services, which the content shows first among the ways of finding help.
    services: tuple[HelpLine, ...] = ()
    recordings: tuple[Recording, ...] = ()
    # What `reflect check --site` says without refusing the site (a recording of old words).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything the app shows, validated."""

    default_language: str
    languages: dict[str, str]
    answers: tuple[Answer, ...]
    patterns: tuple[Pattern, ...]
    cycle: tuple[str, ...]
    texts: dict[str, dict[str, str]]
    explanations: dict[str, dict[str, Explanation]]
    helplines: HelpLines
    safety_points: tuple[SafetyPoint, ...] = ()
    # Per language, names (of medicines, say) that reading-level scores leave out.
    reading_level_skips: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per language, the phrases of which each statement (with the hint) names one.
    time_frames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per language, the twelve month names, January first.
    months: dict[str, tuple[str, ...]] = field(default_factory=dict)
    about: About = field(default_factory=lambda: About(ClinicalReview()))
    site: Site | None = None  # a clinic's own site folder, when one is set (--site)

    def clinic_name(self, lang: str) -> str | None:
        """The name of the clinic running the app, in lang, or None without a site."""
        return self.site.name[lang] if self.site else None

    def text(self, lang: str, key: str, **values: object) -> str:
        """Return the text for key in lang, with its {placeholders} filled."""
        text = self.texts[lang][key]
        return text.format(**values) if values else text

    def natural_date(self, lang: str, day: datetime.date) -> str:
        """Return a date as people write it in lang ("November 27, 2026")."""
        # No-break spaces: a date never breaks across lines ("November 27," / "2026").
        return self.text(lang, "summary.date_format", day=day.day,
                         month=self.months[lang][day.month - 1],
                         year=day.year).replace(" ", "\u00a0")

    def answer_label(self, lang: str, answer_id: str) -> str:
        """Return an answer's words in a language (a radio's format_func)."""
        return self.text(lang, f"answers.{answer_id}.label")

    def answer(self, answer_id: str) -> Answer:
        """Return the answer option with this id."""
        return next(a for a in self.answers if a.id == answer_id)

    def explanation(self, lang: str, explanation_id: str) -> Explanation:
        """Return an explanation in lang."""
        return self.explanations[lang][explanation_id]


class _Problems:
    """Collects problems so an editor sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, key: str, problem: str, fix: str) -> None:
        self.items.append(f"{file}: {key}: {problem}. Fix: {fix}.")

    def language_missing(self, file: str, key: str, lang: str, languages) -> None:
        """A text without its words in one language of the content (key names that text)."""
        self.add(file, f"{key}.{lang}", "this language is missing",
                 f"add the words in '{lang}' too: every language of the content "
                 f"({', '.join(languages)}) needs them")

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader, refusing a key written twice in one mapping."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"the key {key!r} is written twice",
                key_node.start_mark,
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


class _NotADate(yaml.constructor.ConstructorError):
    """A value written like a date that is no day of the calendar (2027-02-30)."""


def _construct_date(loader, node):
    """YAML's own date reading, with the line named when the day does not exist: PyYAML
    raises a bare ValueError there, which would carry no file, line or fix."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        raise _NotADate(None, None, f"'{node.value}' is not a day of the calendar",
                        node.start_mark) from None


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


def _read_text(path: Path, label: str, problems: _Problems) -> str | None:
    try:
        size = path.stat().st_size
    except OSError:
        problems.add(label, "(file)", "the file is missing", f"create {label}")
        return None
    if size > MAX_FILE_BYTES:
        problems.add(
            label, "(file)", f"the file is {size} bytes, more than {MAX_FILE_BYTES}",
            "keep content files short; check that the right file was saved here",
        )
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        problems.add(
            label, "(file)", f"byte {err.start} is not UTF-8 text",
            "save the file as UTF-8 in your editor",
        )
        return None


def _read_yaml(path: Path, label: str, problems: _Problems) -> object:
    text = _read_text(path, label, problems)
    if text is None:
        return None
    try:
        # Content never needs anchors and aliases (&name, *name); refusing them keeps an
        # "alias bomb" from growing a small file into billions of items.
        for event in yaml.parse(text, Loader=_UniqueKeyLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                problems.add(label, f"line {mark.line + 1}, column {mark.column + 1}",
                             "YAML aliases (*name) are not allowed in content",
                             "write the text out in full instead of referring to an anchor")
                return None
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader
    except _NotADate as err:
        mark = err.problem_mark
        problems.add(label, f"line {mark.line + 1}, column {mark.column + 1}", err.problem,
                     "write a real date as YYYY-MM-DD (for example 2027-03-15)")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problems.add(
            label, where, f"YAML cannot be read ({err.problem or err.context})",
            "check the indentation and quotes on that line; "
            "put text with a colon in quotes; tags such as !!python are not allowed",
        )
    except yaml.YAMLError as err:
        problems.add(label, "(file)", f"YAML cannot be read ({err})", "fix the YAML syntax")
    return None


def _mapping(value, label, key, problems, required=(), optional=()) -> dict | None:
    """Return value if it is a mapping with exactly the allowed keys, else record why not."""
    if not isinstance(value, dict):
        problems.add(label, key, f"expected a mapping of keys, found {_kind(value)}",
                     "write it as 'name: value' lines indented under it")
        return None
    for name in required:
        if name not in value:
            problems.add(label, f"{key}.{name}" if key else name, "this key is missing",
                         f"add '{name}:'")
    allowed = set(required) | set(optional)
    if not allowed:
        return value
    for name in value:
        if name not in allowed:
            problems.add(label, f"{key}.{name}" if key else str(name), "unknown key",
                         "remove it or correct the spelling; "
                         f"allowed: {', '.join(sorted(allowed))}")
    return value


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _text(value, label, key, problems, placeholders=()) -> str | None:
    if isinstance(value, bool):
        problems.add(label, key, "expected text, found yes/no",
                     "put the text in quotes: YAML reads Yes, No, On and Off as true or false")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(label, key, f"expected text, found {_kind(value)}",
                     "write the text after the colon (in quotes if it has a colon)")
        return None
    _check_inert(value, label, key, problems)
    try:
        found = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        problems.add(label, key, "a { or } is not closed",
                     "write {{ or }} for a literal brace, or close the placeholder")
        return None
    if found != set(placeholders):
        want = ", ".join("{" + p + "}" for p in placeholders) or "no placeholders"
        problems.add(label, key, f"placeholders {sorted(found) or 'none'} do not match",
                     f"use exactly {want}")
        return None
    return value.strip()


def _check_inert(value: str, label: str, key: str, problems: _Problems) -> None:
    if RAW_HTML_RE.search(value):
        problems.add(label, key, "contains raw HTML",
                     "write plain text or Markdown, without <tags>")
    if UNSAFE_LINK_RE.search(value):
        problems.add(label, key, "contains a script or data link",
                     "link only to https:// addresses")


def _id(value, label, key, problems) -> str | None:
    if not isinstance(value, str) or not ID_RE.match(value):
        problems.add(label, key, f"expected an id, found {value!r}",
                     "use lower-case letters, digits and _ (for example: escape)")
        return None
    return value


def _ids_unique(items, label, key, problems) -> None:
    seen = set()
    for item in items:
        if item in seen:
            problems.add(label, key, f"the id '{item}' is used twice", "give each one its own id")
        seen.add(item)


def _flatten(value, prefix="") -> dict[str, object]:
    if isinstance(value, dict):
        flat: dict[str, object] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def _load_questions(root: Path, problems: _Problems):
    label = QUESTIONS_FILE
    data = _read_yaml(root / label, label, problems)
    if data is None:
        return None
    top = _mapping(data, label, "", problems,
                   required=("default_language", "languages", "answers", "patterns",
                             "cycle", "text", "safety_phrases", "time_frames", "about"),
                   optional=("reading_level_skips", "in_proportion"))
    if top is None or any(k not in top for k in ("languages", "answers", "patterns", "cycle")):
        return None

    languages = _mapping(top["languages"], label, "languages", problems) or {}
    for code, name in languages.items():
        if not isinstance(code, str) or not LANG_RE.match(code):
            problems.add(label, f"languages.{code}", "not a language code",
                         "use a code such as en or es")
        _text(name, label, f"languages.{code}", problems)
    default_language = top.get("default_language")
    if default_language not in languages:
        problems.add(label, "default_language", f"'{default_language}' is not in languages",
                     "name one of the languages listed under languages")

    answers = []
    if not isinstance(top["answers"], list) or not top["answers"]:
        problems.add(label, "answers", "expected a list of answer options",
                     "list them with '- id:'")
    else:
        for i, raw in enumerate(top["answers"]):
            key = f"answers[{i}]"
            item = _mapping(raw, label, key, problems, required=("id", "counts_as"))
            if item is None:
                continue
            answer_id = _id(item.get("id"), label, f"{key}.id", problems)
            level = item.get("counts_as")
            if level not in RECOGNITION_LEVELS:
                problems.add(label, f"{key}.counts_as", f"'{level}' is not a known value",
                             f"use one of {', '.join(RECOGNITION_LEVELS)}")
            elif answer_id:
                answers.append(Answer(answer_id, level))
    _ids_unique([a.id for a in answers], label, "answers", problems)
    answer_levels = {a.id: a.recognition for a in answers}

    cycle = []
    if not isinstance(top["cycle"], list) or not top["cycle"]:
        problems.add(label, "cycle", "expected a list of stage ids", "list them with '- stage_id'")
    else:
        for i, raw in enumerate(top["cycle"]):
            stage = _id(raw, label, f"cycle[{i}]", problems)
            if stage:
                cycle.append(stage)
    _ids_unique(cycle, label, "cycle", problems)

    patterns = []
    if not isinstance(top["patterns"], list) or not top["patterns"]:
        problems.add(label, "patterns", "expected a list of patterns", "list them with '- id:'")
    else:
        for i, raw in enumerate(top["patterns"]):
            key = f"patterns[{i}]"
            item = _mapping(raw, label, key, problems,
                            required=("id", "explanations", "cycle_stages"))
            if item is None:
                continue
            pattern_id = _id(item.get("id"), label, f"{key}.id", problems)
            shown = _mapping(item.get("explanations"), label, f"{key}.explanations", problems)
            explanations = {}
            for answer_id, explanation_id in (shown or {}).items():
                where = f"{key}.explanations.{answer_id}"
                if answer_id not in answer_levels:
                    problems.add(label, where, f"'{answer_id}' is not an answer id",
                                 f"use one of {', '.join(answer_levels)}")
                elif answer_levels[answer_id] not in SHOWING_LEVELS:
                    problems.add(label, where, f"the answer '{answer_id}' does not recognise "
                                 "the pattern, so it cannot show an explanation",
                                 "map only answers that count as fully or sometimes")
                if _id(explanation_id, label, where, problems):
                    explanations[answer_id] = explanation_id
            for answer_id, level in answer_levels.items():
                if level in SHOWING_LEVELS and shown is not None and answer_id not in shown:
                    problems.add(label, f"{key}.explanations", f"no explanation for the answer "
                                 f"'{answer_id}'", f"add '{answer_id}: <explanation id>'")
            stages = item.get("cycle_stages")
            if not isinstance(stages, list) or not stages:
                problems.add(label, f"{key}.cycle_stages", "expected a list of cycle stage ids",
                             f"name one or more of: {', '.join(cycle)}")
                stages = []
            for stage in stages:
                if stage not in cycle:
                    problems.add(label, f"{key}.cycle_stages", f"'{stage}' is not a cycle stage",
                                 f"use one of {', '.join(cycle)}")
            if pattern_id:
                patterns.append(Pattern(pattern_id, explanations, tuple(stages)))
    _ids_unique([p.id for p in patterns], label, "patterns", problems)

    texts, months = _load_texts(top.get("text"), languages, answers, patterns, cycle, problems)
    return (default_language, dict(languages), tuple(answers), tuple(patterns), tuple(cycle),
            texts, top, months)


def _required_text_keys(answers, patterns, cycle) -> dict[str, tuple[str, ...]]:
    keys = dict(SCREEN_KEYS)
    for pattern in patterns:
        for name in PATTERN_TEXT_KEYS:
            keys[f"patterns.{pattern.id}.{name}"] = ()
    for answer in answers:
        for name in ANSWER_TEXT_KEYS:
            keys[f"answers.{answer.id}.{name}"] = ()
        if answer.recognition in SHOWING_LEVELS:
            keys[f"answers.{answer.id}.{ANSWER_INTRO_KEY}"] = ()
    for stage in cycle:
        for name in CYCLE_TEXT_KEYS:
            keys[f"cycle_stages.{stage}.{name}"] = ()
    return keys


def _load_texts(raw, languages, answers, patterns, cycle, problems):
    """Return the screen texts and the month names, each by language."""
    label = QUESTIONS_FILE
    by_language = _mapping(raw, label, "text", problems, optional=tuple(languages)) or {}
    required = _required_text_keys(answers, patterns, cycle)
    texts: dict[str, dict[str, str]] = {}
    months: dict[str, tuple[str, ...]] = {}
    for lang in languages:
        if lang not in by_language:
            problems.add(label, f"text.{lang}", f"no text for the language '{lang}'",
                         f"add a 'text: {lang}:' section with every key the other languages have")
            continue
        flat = _flatten(by_language[lang]) if isinstance(by_language[lang], dict) else {}
        if not flat:
            problems.add(label, f"text.{lang}", "expected a mapping of screen texts",
                         "copy the English section and translate each value")
        texts[lang] = {}
        for key, placeholders in required.items():
            where = f"text.{lang}.{key}"
            if key not in flat:
                problems.add(label, where, "this text is missing", f"add '{key.split('.')[-1]}:' "
                             "with its wording (see the same key in the default language)")
                continue
            value = _text(flat[key], label, where, problems, placeholders)
            if value is not None:
                texts[lang][key] = value
        for key in flat:
            if key not in required and key != MONTHS_KEY:
                problems.add(label, f"text.{lang}.{key}", "unknown key",
                             "remove it or correct the spelling (ids must match the lists above)")
        names = _months(flat.get(MONTHS_KEY), label, f"text.{lang}.{MONTHS_KEY}", problems)
        if names:
            months[lang] = names
    return texts, months


def _months(value, label, key, problems) -> tuple[str, ...] | None:
    """Return the twelve month names, January first, or None after adding a problem."""
    fix = (f"list the {MONTH_COUNT} month names of this language, January to December, as "
           "'months: [January, February, ...]' under summary")
    if value is None:
        problems.add(label, key, f"the {MONTH_COUNT} month names are missing", fix)
        return None
    if not isinstance(value, list):
        problems.add(label, key, f"expected a list of the {MONTH_COUNT} month names, "
                     f"found {_kind(value)}", fix)
        return None
    if len(value) != MONTH_COUNT:
        problems.add(label, key, f"expected {MONTH_COUNT} month names, January to December, "
                     f"found {len(value)}", fix)
        return None
    names = [_text(name, label, f"{key}[{i}]", problems) for i, name in enumerate(value)]
    return None if None in names else tuple(names)


def _parse_explanation(text: str, explanation_id: str, label: str,
                       problems: _Problems) -> Explanation | None:
    headings = list(SOURCES_RE.finditer(text))
    if not headings:
        problems.add(label, "Sources", "no sources section",
                     "end the file with a '## Sources' heading and a '- ' list of sources")
        return None
    last = headings[-1]
    body = text[: last.start()].strip()
    sources = tuple(
        line.strip()[2:].strip()
        for line in text[last.end():].splitlines()
        if line.strip().startswith("- ") and line.strip()[2:].strip()
    )
    if not body:
        problems.add(label, "(body)", "the explanation is empty",
                     "write the explanation above the sources heading")
    if not sources:
        problems.add(label, "Sources", "the sources list is empty", "list each source as '- ...'")
    if body.startswith("# ") or "\n# " in body:
        problems.add(label, "(body)", "a top-level '# ' heading",
                     "leave it out: the title comes from questions.yaml; use '## ' inside")
    _check_inert(text, label, "(body)", problems)
    return Explanation(explanation_id, body, last.group(0).lstrip("#").strip(), sources)


def _load_explanations(root, languages, patterns, problems) -> dict[str, dict[str, Explanation]]:
    needed = {eid for p in patterns for eid in p.explanations.values()} | set(FIXED_EXPLANATIONS)
    folder = root / EXPLANATIONS_DIR
    result: dict[str, dict[str, Explanation]] = {}
    if not folder.is_dir():
        problems.add(EXPLANATIONS_DIR, "(folder)", "the folder is missing",
                     f"create {EXPLANATIONS_DIR}/<language>/ with one .md file per explanation")
        return result
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir() or entry.name not in languages:
            problems.add(f"{EXPLANATIONS_DIR}/{entry.name}", "(folder)",
                         "not a folder for a language listed in questions.yaml",
                         "add the language to 'languages' in questions.yaml, or remove this")
    for lang in languages:
        result[lang] = {}
        lang_dir = folder / lang
        present = {p.stem for p in lang_dir.glob("*.md")} if lang_dir.is_dir() else set()
        if lang_dir.is_dir():
            for other in sorted(lang_dir.iterdir()):
                if other.suffix != ".md" and not other.name.startswith("."):
                    problems.add(f"{EXPLANATIONS_DIR}/{lang}/{other.name}", "(file)",
                                 "not a Markdown file", "explanations end in .md; remove this")
        for explanation_id in sorted(needed):
            label = f"{EXPLANATIONS_DIR}/{lang}/{explanation_id}.md"
            if explanation_id not in present:
                problems.add(label, "(file)", "the explanation is missing",
                             f"write {label}, or change the id in questions.yaml")
                continue
            text = _read_text(root / label, label, problems)
            if text is not None:
                parsed = _parse_explanation(text, explanation_id, label, problems)
                if parsed:
                    result[lang][explanation_id] = parsed
        for orphan in sorted(present - needed):
            problems.add(f"{EXPLANATIONS_DIR}/{lang}/{orphan}.md", "(file)",
                         "no pattern in questions.yaml uses this explanation",
                         "map an answer to it in questions.yaml, or remove the file")
    return result


def _contact(item, label, key, field, pattern, problems) -> str | None:
    value = item.get(field)
    if value is None:
        return None
    value = str(value) if isinstance(value, int) and field != "url" else value
    if not isinstance(value, str) or not pattern.match(value):
        fix = ("an https:// address" if field == "url"
               else "digits and dashes in quotes, for example \"1-800-555-0100\"")
        problems.add(label, f"{key}.{field}", f"'{value}' is not valid", f"write {fix}")
        return None
    return value


def parse_line(entry, label: str, key: str, languages, problems: _Problems) -> HelpLine | None:
    """One help line (id, phone, sms, tty, url and its words per language), from the help-line
    file or a clinic's site.yaml: the same fields and checks for both."""
    item = _mapping(entry, label, key, problems, required=("id", "text"),
                    optional=("phone", "sms", "tty", "url"))
    if item is None:
        return None
    line_id = _id(item.get("id"), label, f"{key}.id", problems)
    phone = _contact(item, label, key, "phone", PHONE_RE, problems)
    sms = _contact(item, label, key, "sms", PHONE_RE, problems)
    tty = _contact(item, label, key, "tty", PHONE_RE, problems)
    url = _contact(item, label, key, "url", URL_RE, problems)
    if all(item.get(f) is None for f in ("phone", "sms", "tty", "url")):
        problems.add(label, key, "no way to reach this line",
                     "add at least one of phone, sms, tty or url")
    by_lang = _mapping(item.get("text"), label, f"{key}.text", problems,
                       optional=tuple(languages or ())) if languages is not None else (
        item.get("text") if isinstance(item.get("text"), dict) else {})
    text = {}
    for lang in (languages if languages is not None else by_lang or {}):
        if isinstance(by_lang, dict) and lang not in by_lang:
            problems.language_missing(label, f"{key}.text", lang, languages)
            continue
        words = _mapping((by_lang or {}).get(lang), label, f"{key}.text.{lang}", problems,
                         required=HELPLINE_TEXT_KEYS, optional=HELPLINE_EXTRA_KEYS)
        if words is None:
            continue
        parts = [_text(words.get(n), label, f"{key}.text.{lang}.{n}", problems)
                 for n in HELPLINE_TEXT_KEYS]
        extra = {n: _text(words[n], label, f"{key}.text.{lang}.{n}", problems)
                 for n in HELPLINE_EXTRA_KEYS if n in words}
        if extra.get("call_after") is not None and phone is None:
            problems.add(label, f"{key}.text.{lang}.call_after", "this line has no phone",
                         "add a phone, or remove call_after")
        if extra.get("text_word") is not None and sms is None:
            problems.add(label, f"{key}.text.{lang}.text_word", "this line has no sms",
                         "add an sms number, or remove text_word")
        if all(parts):
            text[lang] = HelpLineText(*parts, **extra)
    return HelpLine(line_id, phone, sms, tty, url, text) if line_id else None


def parse_lines(raw, label: str, where: str, languages, problems: _Problems,
                required: bool = True) -> tuple[HelpLine, ...]:
    """A list of help lines under one key, each id once."""
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.add(label, where, "expected a list of help lines", "list them with '- id:'")
        return ()
    lines = [line for i, entry in enumerate(raw)
             if (line := parse_line(entry, label, f"{where}[{i}]", languages, problems))]
    _ids_unique([line.id for line in lines], label, where, problems)
    return tuple(lines)


def _load_helplines(root: Path, languages, problems: _Problems,
                    region_from: tuple[str, str, str] | None = None) -> HelpLines | None:
    """Load the help lines; with languages None, take whatever languages the file has.

    region_from: (file, key, region) when a clinic's site names the region, else the file's
    default_region."""
    label = HELPLINES_FILE
    data = _read_yaml(root / label, label, problems)
    if data is None:
        return None
    top = _mapping(data, label, "", problems,
                   required=("last_verified", "verified_against", "checked_against",
                             "default_region", "regions"))
    if top is None:
        return None
    checked_against = top.get("checked_against")
    if checked_against not in CHECKED_AGAINST:
        problems.add(label, "checked_against", f"'{checked_against}' is not a known value",
                     f"write {OFFICIAL_PAGES} only when every number was checked on the "
                     f"service's own page on last_verified, else {REFERENCE_FILE}")
    verified = top.get("last_verified")
    if not isinstance(verified, datetime.date) or isinstance(verified, datetime.datetime):
        problems.add(label, "last_verified", f"expected a date, found {verified!r}",
                     "write the date you checked every number, as YYYY-MM-DD")
        verified = None
    _text(top.get("verified_against"), label, "verified_against", problems)
    regions = _mapping(top.get("regions"), label, "regions", problems) or {}
    region = top.get("default_region")
    if region_from is not None:
        region = region_from[2]
        if region not in regions:
            problems.add(region_from[0], region_from[1], f"'{region}' is not a region of "
                         f"{label}", f"name one of: {', '.join(map(str, regions)) or 'none'}")
            return None
    if region not in regions:
        problems.add(label, "default_region", f"'{region}' is not under regions",
                     "name one of the regions listed under regions")
        return None
    where = f"regions.{region}"
    lists = _mapping(regions[region], label, where, problems, required=("crisis", "finding_help"),
                     optional=("kiosk_qr", "kiosk_qr_url"))
    if lists is None:
        return None
    groups = {group: parse_lines(lists.get(group), label, f"{where}.{group}", languages,
                                 problems) for group in ("crisis", "finding_help")}
    kiosk_qr = None
    if "kiosk_qr" in lists:
        named = lists["kiosk_qr"]
        kiosk_qr = next((line for line in groups["crisis"] + groups["finding_help"]
                         if line.id == named), None)
        if kiosk_qr is None or not kiosk_qr.url:
            problems.add(label, f"{where}.kiosk_qr",
                         f"'{named}' is not the id of a help line with a url",
                         "name the id of a line under crisis or finding_help that has a url")
            kiosk_qr = None
    qr_urls = {}
    if "kiosk_qr_url" in lists:
        key = f"{where}.kiosk_qr_url"
        # Every key a language of the content (not checked when only the lines are loaded).
        raw = (_mapping(lists["kiosk_qr_url"], label, key, problems, optional=tuple(languages))
               if languages is not None else lists["kiosk_qr_url"])
        for lang, address in (raw.items() if isinstance(raw, dict) else ()):
            if isinstance(address, str) and URL_RE.match(address):
                qr_urls[lang] = address
            else:
                problems.add(label, f"{key}.{lang}", "expected an https address",
                             "write the page's full address, starting with https://")
    if verified is None or checked_against not in CHECKED_AGAINST:
        return None
    return HelpLines(region, verified, groups["crisis"], groups["finding_help"], kiosk_qr,
                     checked_against, qr_urls)


def load_content(root: Path | str, site: Path | str | None = None,
                 region_from: tuple[str, str, str] | None = None) -> Content:
    """Load and validate the content under root; raise ContentError listing every problem.

    site: a clinic's folder with its site.yaml, layered over the content (reflect/site.py).
    """
    if site:
        from reflect.site import load_with_site  # it loads the content itself, then layers

        return load_with_site(root, site)
    root = Path(root)
    problems = _Problems()
    questions = _load_questions(root, problems)
    languages = questions[1] if questions else {}
    helplines = _load_helplines(root, languages, problems, region_from)
    explanations = (
        _load_explanations(root, languages, questions[3], problems) if questions else {}
    )
    safety = reading_skips = time_frames = about = None
    if questions:
        top = questions[6]
        safety = _load_safety_phrases(top.get("safety_phrases"), languages, explanations,
                                      helplines, problems)
        reading_skips = _load_reading_skips(top.get("reading_level_skips", {}), languages,
                                            problems)
        time_frames = _load_time_frames(top.get("time_frames"), languages, questions[3],
                                        questions[5], problems)
        _check_proportions(top.get("in_proportion", []), languages, explanations, problems)
        if "about" in top:  # a missing block is reported already
            about = _load_about(top["about"], languages, problems)
    problems.raise_if_any()
    default_language, languages, answers, patterns, cycle, texts, _, months = questions
    return Content(default_language, languages, answers, patterns, cycle, texts,
                   explanations, helplines, safety, reading_skips, time_frames=time_frames,
                   months=months, about=about)


def _normal(text: str) -> str:
    """Return text as phrases are matched: lower case, one space, no emphasis marks."""
    text = text.replace("\u2019", "'").replace("*", "").replace("_", " ")
    return " ".join(text.lower().split())


def _load_safety_phrases(raw, languages, explanations, helplines,
                         problems: _Problems) -> tuple[SafetyPoint, ...]:
    """Check that each safety point's phrases are in its texts, in every language."""
    label, where = QUESTIONS_FILE, "safety_phrases"
    if not isinstance(raw, list) or not raw:
        problems.add(label, where, "expected a list of safety points",
                     "list each with '- point:', 'texts:' and its phrases per language")
        return ()
    lines = {} if helplines is None else {
        line.id: line for line in helplines.crisis + helplines.finding}
    points = []
    for i, entry in enumerate(raw):
        key = f"{where}[{i}]"
        item = _mapping(entry, label, key, problems, required=("point", "texts", *languages))
        if item is None:
            continue
        point = _text(item.get("point"), label, f"{key}.point", problems)
        names = item.get("texts")
        if not isinstance(names, list) or not names or not all(
                isinstance(n, str) for n in names):
            problems.add(label, f"{key}.texts", "expected a list of text names",
                         f"name explanation ids, or {LINE_PREFIX}<id> for a help line's note")
            continue
        phrases = {}
        for lang in languages:
            found = item.get(lang)
            if not isinstance(found, list) or not found or not all(
                    isinstance(f, str) and f.strip() for f in found):
                problems.add(label, f"{key}.{lang}", "expected a list of phrases",
                             "list the words that must stay, as '- words'")
                continue
            phrases[lang] = tuple(found)
            for name in names:
                if name.startswith(LINE_PREFIX):
                    line = lines.get(name.removeprefix(LINE_PREFIX))
                    if line is None:
                        problems.add(label, f"{key}.texts", f"'{name}' names no help line",
                                     "use the id of a line in helplines.yaml")
                        continue
                    words = line.text.get(lang)
                    text = words.note if words else ""
                    place = f"{HELPLINES_FILE} ({line.id}, {lang}.note)"
                else:
                    explanation = explanations.get(lang, {}).get(name)
                    if explanation is None:
                        if explanations.get(lang):  # a missing file is reported already
                            problems.add(label, f"{key}.texts", f"'{name}' names no explanation",
                                         "use the id of a file in explanations/<language>/")
                        continue
                    text = explanation.body
                    place = f"{EXPLANATIONS_DIR}/{lang}/{name}.md"
                normal = _normal(text)
                for phrase in found:
                    if _normal(phrase) not in normal:
                        problems.add(place, "(safety words)",
                                     f"the phrase '{phrase}' is missing; it carries the safety "
                                     f"point \"{point}\" ({label} {key}.{lang})",
                                     "put the words back; change them only with a clinician's "
                                     f"review, in the text and in {label} together")
        if point:
            points.append(SafetyPoint(point, tuple(names), phrases))
    return tuple(points)


def _load_reading_skips(raw, languages, problems: _Problems) -> dict[str, tuple[str, ...]]:
    label, where = QUESTIONS_FILE, "reading_level_skips"
    skips = _mapping(raw, label, where, problems, optional=tuple(languages))
    result = {}
    for lang, words in (skips or {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            problems.add(label, f"{where}.{lang}", "expected a list of words",
                         "list each name as '- word'")
            continue
        result[lang] = tuple(words)
    return result


def _load_time_frames(raw, languages, patterns, texts,
                      problems: _Problems) -> dict[str, tuple[str, ...]]:
    """Check that each statement, read with the hint shown beside it, names a time frame."""
    label, where = QUESTIONS_FILE, "time_frames"
    frames = _mapping(raw, label, where, problems, required=tuple(languages)) or {}
    result = {}
    for lang in languages:
        phrases = frames.get(lang)
        if not isinstance(phrases, list) or not phrases or not all(
                isinstance(p, str) and p.strip() for p in phrases):
            if lang in frames:
                problems.add(label, f"{where}.{lang}", "expected a list of phrases",
                             "list each time frame as '- in the past few months'")
            continue
        result[lang] = tuple(phrases)
        words = texts.get(lang, {})
        hint = words.get("question.hint", "")
        for pattern in patterns:
            key = f"patterns.{pattern.id}.statement"
            if key not in words:
                continue  # reported as missing already
            said = _normal(f"{words[key]} {hint}")
            if not any(_normal(phrase) in said for phrase in phrases):
                problems.add(label, f"text.{lang}.{key}", "the statement names no time frame",
                             f"say when, with one of {where}.{lang} (for example "
                             f"'{phrases[0]}'), in the statement or in question.hint")
    return result


def _words_under(body: str, heading: str) -> int | None:
    """Count the words under a '## heading' of an explanation, up to the next heading."""
    lines = body.splitlines()
    wanted = _normal(heading)
    for i, line in enumerate(lines):
        found = HEADING_LINE_RE.match(line)
        if found and _normal(found.group(1)) == wanted:
            rest = []
            for after in lines[i + 1:]:
                if HEADING_LINE_RE.match(after):
                    break
                rest.append(after)
            return len(" ".join(rest).split())
    return None


def _check_proportions(raw, languages, explanations, problems: _Problems) -> None:
    """Check that each part kept in proportion is shorter than the part it is weighed against."""
    label, where = QUESTIONS_FILE, "in_proportion"
    if not isinstance(raw, list):
        problems.add(label, where, "expected a list",
                     "list each with '- point:', 'text:' and per language 'shorter:' and "
                     "'longer:' headings")
        return
    for i, entry in enumerate(raw):
        key = f"{where}[{i}]"
        item = _mapping(entry, label, key, problems, required=("point", "text", *languages))
        if item is None:
            continue
        name = item.get("text")
        for lang in languages:
            pair = _mapping(item.get(lang), label, f"{key}.{lang}", problems,
                            required=("shorter", "longer"))
            explanation = explanations.get(lang, {}).get(name) if isinstance(name, str) else None
            if pair is None or explanation is None:
                if pair is not None and explanations.get(lang):
                    problems.add(label, f"{key}.text", f"'{name}' names no explanation",
                                 "use the id of a file in explanations/<language>/")
                continue
            place = f"{EXPLANATIONS_DIR}/{lang}/{name}.md"
            counts = {}
            for side in ("shorter", "longer"):
                counts[side] = _words_under(explanation.body, str(pair[side]))
                if counts[side] is None:
                    problems.add(place, f"## {pair[side]}", "this heading is missing",
                                 f"keep the heading, or change {label} {key}.{lang}.{side} "
                                 "with it")
            if None not in counts.values() and counts["shorter"] >= counts["longer"]:
                problems.add(place, f"## {pair['shorter']}",
                             f"{counts['shorter']} words, not fewer than the "
                             f"{counts['longer']} under '{pair['longer']}' "
                             f"({item.get('point')})",
                             f"shorten it, or say more under '{pair['longer']}'")
def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _review_date(value, where: str, problems: _Problems) -> datetime.date | None:
    """Return a review date written as YYYY-MM-DD (quoted or not), or None if left empty."""
    if _empty(value):
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and ISO_DATE_RE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.add(QUESTIONS_FILE, where, f"'{value}' is not a date",
                 "write the date as YYYY-MM-DD (for example 2027-03-15), or leave it empty")
    return None


def _load_about(raw, languages, problems: _Problems) -> About:
    """Check the review: empty until a licensed clinician fills it in, then complete and in
    order. Its dates are written with the month names of summary.months."""
    label, where = QUESTIONS_FILE, "about"
    about = _mapping(raw, label, where, problems, required=("clinical_review",))
    if about is None:
        return About(ClinicalReview())
    review = ClinicalReview()
    fields = _mapping(about.get("clinical_review"), label, f"{where}.clinical_review", problems,
                      required=REVIEW_KEYS)
    if fields is not None:
        key = f"{where}.clinical_review"
        names = {}
        for name in ("reviewer", "credential"):
            value = fields.get(name)
            names[name] = None if _empty(value) else _text(value, label, f"{key}.{name}",
                                                           problems)
        reviewed_on = _review_date(fields.get("reviewed_on"), f"{key}.reviewed_on", problems)
        next_review = _review_date(fields.get("next_review"), f"{key}.next_review", problems)
        empty = {name: _empty(fields.get(name)) for name in REVIEW_KEYS}
        if empty["reviewer"] != empty["credential"]:
            missing = "credential" if empty["credential"] else "reviewer"
            problems.add(label, f"{key}.{missing}", "the reviewer and the credential go "
                         "together, and this one is empty",
                         f"write the {missing} too (the name, and a licence such as LCSW, MD "
                         "or PhD), or leave both empty until a licensed clinician has reviewed")
        reviewed = not (empty["reviewer"] and empty["credential"])
        for name in ("reviewed_on", "next_review"):
            if reviewed and empty[name]:
                problems.add(label, f"{key}.{name}", "a review needs this date",
                             "write the day of the review in reviewed_on and the day of the "
                             "next one in next_review, as YYYY-MM-DD")
            elif not reviewed and not empty[name]:
                problems.add(label, f"{key}.{name}", "a date without a reviewer",
                             "write the reviewer and the credential too, or leave the date "
                             "empty")
        if reviewed_on and next_review and next_review <= reviewed_on:
            problems.add(label, f"{key}.next_review",
                         f"{next_review.isoformat()} is not after reviewed_on "
                         f"({reviewed_on.isoformat()})",
                         "write a next review date later than the review itself")
        if all(names.values()) and reviewed_on and next_review:
            review = ClinicalReview(names["reviewer"], names["credential"], reviewed_on,
                                    next_review)
    return About(review)


def load_helplines(root: Path | str) -> HelpLines:
    """Load only the help lines, for the page shown when the rest of the content is broken."""
    root = Path(root)
    problems = _Problems()
    helplines = _load_helplines(root, None, problems)
    problems.raise_if_any()
    return helplines


def content_fingerprint(root: Path | str, site: Path | str | None = None) -> tuple:
    """Return the names, sizes and change times of the content files, and of a clinic's site
    folder's files, to notice an edit."""
    root = Path(root)
    paths = [str(root / QUESTIONS_FILE), str(root / HELPLINES_FILE),
             *_everything_under(str(root / EXPLANATIONS_DIR))]
    if site:
        paths += [str(site), *_everything_under(str(site))]
    stamp = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            stamp.append((path, None))
            continue
        stamp.append((path, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def content_version(root: Path | str, site: Path | str | None = None) -> str:
    """Return a short digest of content_fingerprint: it changes whenever the fingerprint does.
    The app keys its cached content on this, not on the fingerprint itself: st.cache_resource
    hashes its arguments in Python, item by item, on every call: keyed on the whole
    fingerprint (a tuple for each file), a call took about 576 us, keyed on this 100 us."""
    text = repr(content_fingerprint(root, site)).encode("utf-8")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def _everything_under(folder: str) -> list[str]:
    """Every file and folder under folder (none if it is not a folder), in the same order
    each time.
    os.walk, not Path.rglob: the app asks on every run, and under load rglob was a sixth of
    the server's time (py-spy, 200 visitors); os.walk is the same answer, about ten times
    sooner."""
    found = []
    for top, folders, files in os.walk(folder):
        folders.sort()
        found += [os.path.join(top, name) for name in sorted(folders + files)]
    return found
