"""A clinic's own site folder (``--site DIR`` or ``REFLECT_SITE``), layered over the content.

The folder holds a ``site.yaml`` a person who is not a programmer can edit (examples/clinic/ is
a complete one), and the logo it names. A site may set only the keys in SITE_KEYS: the
clinic's name and logo, its own contacts, local services, the help-line region, the kiosk's
message and QR pages, and a few server settings. It can add, never take away: the region's
crisis lines, "not a diagnosis", the safety words and every explanation stay as shipped, and
every gate the content passes runs on the texts the site adds too.

Every problem names the file, the key and the fix, as for the content (reflect/content.py).
"""

from __future__ import annotations

import base64
import dataclasses
import re
from pathlib import Path

from reflect.content import (
    HELPLINES_FILE,
    URL_RE,
    Content,
    ContentError,
    HelpLine,
    Logo,
    Recording,
    Site,
    _check_inert,
    _mapping,
    _Problems,
    _read_yaml,
    _text,
    load_content,
    parse_lines,
)
from reflect.words import word_problems

SITE_FILE = "site.yaml"

# The keys a site may set; anything else in site.yaml is refused.
REQUIRED_KEYS = ("name",)
OPTIONAL_KEYS = ("logo", "region", "contacts", "services", "kiosk_message", "kiosk_qr_url",
                 "settings", "recordings")
SITE_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
# The server settings a site may give (reflect/settings.py reads them): how the app behaves
# for its visitors. Who may reach the server, its metrics and its cookie secret stay with
# whoever starts it.
SITE_SETTINGS = ("mode", "idle_seconds", "countdown_seconds", "close_return_seconds",
                 "quick_exit_to")

# A logo is a small picture beside the clinic's name, read into every page that shows it.
# Sent with every welcome screen as a data: address, so kept small: an SVG, or a PNG of about
# 400 pixels across.
MAX_LOGO_BYTES = 64 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_NAME_CHARACTERS = 80
# A name is shown as a heading, where Markdown would make a link (even on a kiosk) or marks.
MARKUP_RE = re.compile(r"[\[\]*_`#<>]|://|\bwww\.")
# A recording of one block of Listen's words (reflect/listen.py): Ogg Opus, MP3 or WAV.
MAX_RECORDING_BYTES = 4 * 1024 * 1024
# Every page of the server fetches every recording as it loads (webserver/recordings.py): all
# of them together stay small enough for a phone on a slow line.
MAX_RECORDINGS_TOTAL = 24 * 1024 * 1024
RECORDING_KEYS = ("block", "lang", "file", "text_sha256")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def site_file(folder: Path | str) -> Path:
    return Path(folder) / SITE_FILE


def _label(folder: Path | str) -> str:
    return str(site_file(folder))


def _read(folder: Path | str, problems: _Problems) -> dict | None:
    """site.yaml as a mapping of the allowed keys, or None (with the problems recorded)."""
    folder = Path(folder)
    label = _label(folder)
    if not folder.is_dir():
        problems.add(str(folder), "(folder)", "there is no such folder",
                     "give the folder that holds site.yaml (copy examples/clinic to start)")
        return None
    data = _read_yaml(site_file(folder), label, problems)
    if data is None:
        return None
    return _mapping(data, label, "", problems, required=REQUIRED_KEYS, optional=OPTIONAL_KEYS)


def site_settings(folder: Path | str) -> dict[str, object]:
    """The server settings the site gives (its settings: block), checked for their names
    only; reflect/settings.py checks the values. Raise ContentError for a broken site.yaml."""
    problems = _Problems()
    top = _read(folder, problems)
    problems.raise_if_any()
    raw = top.get("settings") if top else None
    if raw is None:
        return {}
    given = _mapping(raw, _label(folder), "settings", problems, optional=SITE_SETTINGS)
    problems.raise_if_any()
    return dict(given)


def _per_language(value, label: str, key: str, languages, problems: _Problems,
                  limit: int | None = None) -> dict[str, str]:
    """A text in every language of the content, each checked as content is."""
    words = _mapping(value, label, key, problems, optional=tuple(languages))
    if words is None:
        return {}
    result = {}
    for lang in languages:
        if lang not in words:
            problems.language_missing(label, key, lang, languages)
            continue
        text = _text(words[lang], label, f"{key}.{lang}", problems)
        if text is not None and limit is not None and MARKUP_RE.search(text):
            problems.add(label, f"{key}.{lang}", "it has a link or formatting marks",
                         "write the name alone, as plain words")
            continue
        if text is not None and limit is not None and len(text) > limit:
            problems.add(label, f"{key}.{lang}", f"{len(text)} characters, more than {limit}",
                         "use the short name people know the clinic by")
            continue
        if text is not None:
            result[lang] = text
    return result


def _logo(value, folder: Path, label: str, languages, problems: _Problems) -> Logo | None:
    item = _mapping(value, label, "logo", problems, required=("file", "alt"))
    if item is None:
        return None
    alt = _per_language(item.get("alt"), label, "logo.alt", languages, problems)
    name = item.get("file")
    if not isinstance(name, str) or not name or Path(name).name != name or name.startswith("."):
        problems.add(label, "logo.file", f"'{name}' is not a file name in the site folder",
                     "write only the file's name (for example logo.svg) and put the file in "
                     "the same folder as site.yaml")
        return None
    path = folder / name
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        size = None
    if size is None:
        problems.add(label, "logo.file", f"there is no file {name} in {folder}",
                     "put the logo in the folder with site.yaml, or correct the name")
        return None
    if size > MAX_LOGO_BYTES:
        problems.add(label, "logo.file", f"{name} is {size} bytes, more than "
                     f"{MAX_LOGO_BYTES} ({MAX_LOGO_BYTES // 1024} KB)",
                     "save a smaller picture: an SVG, or a PNG about 400 pixels wide")
        return None
    data = path.read_bytes()
    if data.startswith(PNG_SIGNATURE):
        media_type = "image/png"
    elif _is_svg(data):
        media_type = "image/svg+xml"
    else:
        problems.add(label, "logo.file", f"{name} is neither a PNG nor an SVG picture",
                     "save the logo as PNG or SVG (a JPEG or a renamed file will not do)")
        return None
    if len(alt) != len(languages):
        return None
    return Logo(data, media_type, alt)


def _is_svg(data: bytes) -> bool:
    """An SVG file: UTF-8 text whose first element is <svg (after any declaration and
    comments). Shown as an <img>, where a picture's scripts never run."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    head = text.lstrip()
    while head.startswith(("<?", "<!--", "<!DOCTYPE")):
        end = head.find("?>" if head.startswith("<?") else
                        "-->" if head.startswith("<!--") else ">")
        if end < 0:
            return False
        head = head[end + (2 if head.startswith("<?") else 3 if head.startswith("<!--")
                           else 1):].lstrip()
    return head.startswith("<svg")


def logo_uri(logo: Logo) -> str:
    """The logo as a data: address for an <img>."""
    return f"data:{logo.media_type};base64," + base64.b64encode(logo.data).decode("ascii")


def _check_words(label: str, key: str, text: str, problems: _Problems) -> None:
    for reason in word_problems(text):
        problems.add(label, key, reason,
                     "write it in person-first, plain words with no labels or scores (for "
                     "example 'people who use drugs'), and put numbers only in phone, sms or tty")


def texts_of(site: Site, contacts: tuple[HelpLine, ...]):
    """Every text a site adds, with where it is written: (key, language, text)."""
    for lang, name in site.name.items():
        yield f"name.{lang}", lang, name
    for lang, message in site.kiosk_message.items():
        yield f"kiosk_message.{lang}", lang, message
    if site.logo:
        for lang, alt in site.logo.alt.items():
            yield f"logo.alt.{lang}", lang, alt
    for group, group_lines in (("contacts", contacts), ("services", site.services)):
        for i, line in enumerate(group_lines):
            for lang, words in line.text.items():
                for part in ("name", "short", "note", "call_after", "text_word"):
                    value = getattr(words, part)
                    if value:
                        yield f"{group}[{i}].text.{lang}.{part}", lang, value


def load_with_site(root: Path | str, folder: Path | str) -> Content:
    """The content under root with the clinic's site in folder layered over it.

    Raise ContentError listing every problem of the content, or else of the site.
    """
    folder = Path(folder)
    label = _label(folder)
    problems = _Problems()
    top = _read(folder, problems)
    problems.raise_if_any()
    region = top.get("region")
    if region is not None and not isinstance(region, str):
        problems.add(label, "region", f"expected a region's name, found {region!r}",
                     "write one name, for example: region: us")
        problems.raise_if_any()
    region_from = None if region is None else (label, "region", region)
    try:
        content = load_content(root, region_from=region_from)
    except ContentError as err:
        # A region the help-line file lacks leaves nothing for the rest to refer to: the site's
        # own problem is the one to fix.
        own = [problem for problem in err.problems if problem.startswith(f"{label}: ")]
        raise ContentError(own or err.problems) from None
    languages = tuple(content.languages)
    name = _per_language(top.get("name"), label, "name", languages, problems,
                         limit=MAX_NAME_CHARACTERS)
    kiosk_message = (_per_language(top["kiosk_message"], label, "kiosk_message", languages,
                                   problems) if "kiosk_message" in top else {})
    logo = (_logo(top["logo"], folder, label, languages, problems) if "logo" in top else None)
    contacts = parse_lines(top.get("contacts"), label, "contacts", languages, problems,
                           required=False)
    services = parse_lines(top.get("services"), label, "services", languages, problems,
                           required=False)
    helplines = content.helplines
    taken = {line.id for line in helplines.crisis + helplines.finding}
    for group, lines in (("contacts", contacts), ("services", services)):
        for i, line in enumerate(lines):
            if line.id in taken:
                problems.add(label, f"{group}[{i}].id", f"'{line.id}' is already the id of "
                             f"a line in {HELPLINES_FILE} or in this file",
                             "give each line its own id")
            taken.add(line.id)
    qr_urls = {}
    if "kiosk_qr_url" in top:
        raw = _mapping(top["kiosk_qr_url"], label, "kiosk_qr_url", problems,
                       optional=languages) or {}
        for lang, address in raw.items():
            if isinstance(address, str) and URL_RE.match(address):
                _check_inert(address, label, f"kiosk_qr_url.{lang}", problems)
                qr_urls[lang] = address
            else:
                problems.add(label, f"kiosk_qr_url.{lang}",
                             f"expected an https address, found {address!r}",
                             "write the full address of the page the QR code opens, "
                             "starting with https://")
    if "settings" in top:
        _settings_problems(folder, top["settings"], label, problems)
    site = Site(str(folder), name, kiosk_message, logo, services)
    for key, _, text in texts_of(site, contacts):
        _check_words(label, key, text, problems)
    problems.raise_if_any()
    layered = dataclasses.replace(
        helplines, clinic=contacts, finding=services + helplines.finding,
        kiosk_qr_urls={**helplines.kiosk_qr_urls, **qr_urls})
    content = dataclasses.replace(content, helplines=layered, site=site)
    if "recordings" not in top:
        return content
    warnings: list[str] = []
    recordings = _recordings(top["recordings"], folder, label, content, problems, warnings)
    problems.raise_if_any()
    return dataclasses.replace(content, site=dataclasses.replace(
        site, recordings=recordings, warnings=tuple(warnings)))


def audio_type(data: bytes) -> str | None:
    """The type of a recording by its file's signature: Ogg Opus, MP3 or WAV, else None."""
    if data.startswith(b"OggS") and b"OpusHead" in data[:128]:
        return "audio/ogg"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    return None


def _recordings(raw, folder: Path, label: str, content: Content, problems: _Problems,
                warnings: list[str]) -> tuple[Recording, ...]:
    """Each recording: a block Listen reads, in a language of the content, a playable file of
    a size a page can fetch, made from the words as they are now. Old words are a warning
    (a voice on the device reads the new ones instead); old crisis lines are an error."""
    from reflect.listen import recordable

    if not isinstance(raw, list):
        problems.add(label, "recordings", "expected a list of recordings",
                     "list each with '- block:', 'lang:', 'file:' and 'text_sha256:'")
        return ()
    known = {lang: recordable(content, lang) for lang in content.languages}
    result, seen, total = [], set(), 0
    for i, entry in enumerate(raw):
        key = f"recordings[{i}]"
        item = _mapping(entry, label, key, problems, required=RECORDING_KEYS)
        if item is None or not set(RECORDING_KEYS) <= set(item):
            continue
        lang, block, name, sha = (item.get(k) for k in ("lang", "block", "file", "text_sha256"))
        if not isinstance(lang, str) or lang not in content.languages:
            problems.add(label, f"{key}.lang", f"'{lang}' is not a language of the content",
                         f"write one of: {', '.join(content.languages)}")
            continue
        if not isinstance(block, str) or block not in known[lang]:
            problems.add(label, f"{key}.block", f"'{block}' is not a block Listen reads",
                         "name one of: " + ", ".join(sorted(known[lang])) + " (python -m "
                         "reflect listen-texts --site DIR lists each with its words)")
            continue
        if (block, lang) in seen:
            problems.add(label, f"{key}.block", f"'{block}' in '{lang}' is recorded twice",
                         "keep one recording per block and language")
            continue
        seen.add((block, lang))
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            problems.add(label, f"{key}.text_sha256", "expected the words' fingerprint",
                         "copy the 64-letter text_sha256 that python -m reflect listen-texts "
                         "--site DIR prints beside the words you recorded")
            continue
        path = folder / name if isinstance(name, str) and name.strip() else None
        inside = path is not None and not Path(name).is_absolute() and ".." not in Path(name).parts
        try:
            size = path.stat().st_size if inside and path.is_file() else None
        except OSError:
            size = None
        if size is None:
            problems.add(label, f"{key}.file", f"there is no file {name!r} in {folder}",
                         "put the recording in the site folder (or a folder inside it) and "
                         "write its path from there, for example recordings/en/welcome.mp3")
            continue
        if size > MAX_RECORDING_BYTES:
            problems.add(label, f"{key}.file", f"{name} is {size} bytes, more than "
                         f"{MAX_RECORDING_BYTES} ({MAX_RECORDING_BYTES // (1024 * 1024)} MB)",
                         "save it smaller: mono speech at 32 to 64 kbit/s is plenty")
            continue
        with path.open("rb") as file:
            head = file.read(256)
        media_type = audio_type(head)
        if media_type is None:
            problems.add(label, f"{key}.file", f"{name} is not an Ogg Opus, MP3 or WAV file",
                         "export the recording as Ogg Opus, MP3 or WAV")
            continue
        if sha not in known[lang][block]:
            if block == "crisis":
                problems.add(label, f"{key}.text_sha256", "this recording was made from "
                             "crisis lines that have changed since", "record the crisis lines "
                             "again from the words python -m reflect listen-texts --site DIR "
                             "prints now: a wrong number read aloud puts people at risk")
                continue
            warnings.append(f"{label}: {key}: {name} was recorded from words that have "
                            "changed since; a voice on the device reads the new words "
                            "instead. Fix: record it again from python -m reflect "
                            "listen-texts --site DIR.")
        result.append(Recording(block, lang, str(path), media_type, sha))
        total += size
    if total > MAX_RECORDINGS_TOTAL:
        problems.add(label, "recordings", f"{total} bytes in all, more than "
                     f"{MAX_RECORDINGS_TOTAL} ({MAX_RECORDINGS_TOTAL // (1024 * 1024)} MB): "
                     "every page fetches every recording as it loads",
                     "save them smaller (mono speech at 32 kbit/s), or record fewer blocks")
    return tuple(result)


def _settings_problems(folder: Path, raw, label: str, problems: _Problems) -> None:
    """The settings block's names and values, checked as the server will read them."""
    from reflect.settings import SettingsError, read_settings

    given = _mapping(raw, label, "settings", problems, optional=SITE_SETTINGS) or {}
    for name, value in given.items():
        if name not in SITE_SETTINGS:
            continue  # refused as an unknown key already
        try:
            read_settings([], {}, site={name: value})
        except SettingsError as err:
            problems.add(label, f"settings.{name}", str(err).rstrip("."),
                         "correct the value, or remove the line to keep the default")
