"""What "Listen" reads aloud on each screen (issue 24): the screen's own words, in order, in
blocks a clinic could one day record (welcome, each statement with its answers, each
explanation, help, close, the crisis lines).

The words come from the same content, by the same rules, as the screen draws them (ui/screens.py);
tests/test_browser_listen.py checks in Chromium that every sentence spoken is on the screen, in
the order spoken. Never a score, a number of patterns, or anything a reader did not see.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from reflect import flow
from reflect.about import about_sections
from reflect.content import SHOWING_LEVELS, Content
from reflect.cycle import cycle_in_words
from reflect.modes import MODES, Mode
from reflect.reflection import Reflection, answers_given, build_reflection
from reflect.render import contact_ways


@dataclass(frozen=True)
class Block:
    """One stretch of speech: an id a recording could carry, and its words."""

    id: str
    text: str


LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
MARKS = re.compile(r"[*_`>#]")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SOURCES = re.compile(r"^#{1,6}\s+(sources|fuentes)\b", re.IGNORECASE | re.MULTILINE)
PHONE = re.compile(r"(?<![\w-])[0-9][0-9-]{1,19}(?![\w-])")


def said(number: str) -> str:
    """A number as a voice should say it: digit by digit, a pause at each dash ("9 8 8")."""
    return ", ".join(" ".join(group) for group in number.split("-") if group)


def said_name(name: str) -> str:
    """A line's name with its number as people say it: "9 8 8 Suicide & Crisis Lifeline"."""
    return re.sub(r"\b[0-9]{3}\b", lambda found: said(found.group(0)), name)


def spoken(markdown: str) -> str:
    """Return Markdown as sentences to read: no marks, links as their words, each heading and
    list item a sentence of its own, a source list left out."""
    cut = SOURCES.search(markdown)
    if cut:
        markdown = markdown[:cut.start()]
    sentences = []
    for raw in markdown.splitlines():
        line = LIST_MARKER.sub("", raw.strip())
        line = MARKS.sub("", LINK.sub(r"\1", line)).strip()
        line = line.replace("\u00a0", " ").replace("\u2011", "-")
        if not line:
            continue
        if line[-1] not in ".!?:;,\"'”»":
            line += "."
        sentences.append(line)
    return " ".join(sentences)


def _join(*parts: str) -> str:
    return " ".join(spoken(part) for part in parts if part)


def crisis_block(content: Content, lang: str, heading: str = "crisis.heading") -> Block:
    """The crisis lines, then a clinic's own, each name and its numbers: on request from the
    bar's help list, and at the end of the close (under its own heading there)."""
    lines = []
    for line in content.helplines.crisis + content.helplines.clinic:
        ways = ", ".join(
            f"{way.words} {said(way.shown) if way.target[:4] in ('tel:', 'sms:') else way.shown}"
            + (f" {way.after}" if way.after else "")
            for way in contact_ways(content, lang, line, web=False))
        lines.append(f"{said_name(line.text[lang].name)}: {ways}.")
    return Block("crisis", " ".join([spoken(content.text(lang, heading)), *lines]))


def screen_blocks(content: Content, lang: str, screen: flow.Screen, mode: Mode,
                  reflection: Reflection | None = None,
                  answers: dict[str, str | None] | None = None,
                  about: bool = False, today: datetime.date | None = None) -> tuple[Block, ...]:
    """Return what Listen reads on a screen, in the order the screen shows it."""
    text = lambda key, **values: content.text(lang, key, **values)  # noqa: E731
    if about:
        parts = [text("about.heading")]
        for section in about_sections(content, lang, mode, today or datetime.date.today()):
            parts += [section.heading, *section.paragraphs]
        return (Block("about", _join(*parts)),)
    if screen.kind == flow.WELCOME:
        name = content.clinic_name(lang)
        return (Block("welcome", _join(
            text("welcome.heading"), name and text("welcome.offered_by", clinic=name),
            text("welcome.body"),
            text("welcome.privacy_kiosk" if mode.forgets_visitor else "welcome.privacy"),
            text("welcome.end"), mode.quick_exit and text("quick_exit.about"))),)
    if screen.kind == flow.QUESTION:
        pid = screen.pattern_id
        return (Block(f"question.{pid}", _join(
            text("question.progress", number=screen.number, total=screen.total),
            text("question.hint"), text(f"patterns.{pid}.statement"),
            *(content.answer_label(lang, answer.id) for answer in content.answers))),)
    if screen.kind == flow.REFLECTION:
        return _reflection_blocks(content, lang, mode, reflection, answers or {})
    if screen.kind == flow.HELP:
        return (Block("help", _join(text("help.heading"),
                                    content.explanation(lang, "help").body)),)
    site = content.site
    message = site.kiosk_message.get(lang) if site and mode.qr_code else None
    # The close ends, as every path does, with the crisis lines: read after its words.
    return (Block("close", _join(
        text("close.heading"), message, text("close.not_a_diagnosis"),
        content.explanation(lang, "close").body,
        text("close.tell") if not mode.downloads else
        text("close.bring" if reflection and reflection.recognised else "close.bring_none"),
        text("close.script"))), crisis_block(content, lang, "close.crisis_heading"))


def _reflection_blocks(content: Content, lang: str, mode: Mode, reflection: Reflection | None,
                       answers: dict[str, str | None]) -> tuple[Block, ...]:
    text = lambda key, **values: content.text(lang, key, **values)  # noqa: E731
    first = [text("reflection.heading"), text("reflection.not_a_diagnosis")]
    if mode.answers_overview:
        first += [text("counseling.overview_heading"), text("counseling.overview_intro")]
        for given in answers_given(content, answers, lang):
            first += [given.title, given.statement,
                      text("counseling.overview_answer", answer=given.answer) if given.answer
                      else text("counseling.overview_unanswered")]
    if reflection is None or reflection.none_recognised:
        first.append(text("reflection.none_recognised"))
    blocks = [Block("reflection", _join(*first))]
    for item in (reflection.recognised if reflection else ()):
        prompts = ((text("counseling.talk_about_heading"),
                    text(f"patterns.{item.pattern_id}.talk_about")) if mode.talk_prompts else ())
        blocks.append(Block(f"explanation.{item.explanation.id}",
                            _join(item.title, item.intro, item.explanation.body, *prompts)))
    marked = reflection.marked_stages if reflection else frozenset()
    rest = []
    if reflection and reflection.not_shared and reflection.recognised:
        rest.append(text("reflection.some_not_shared") + "\n" + "\n".join(
            f"- {text(f'patterns.{pid}.title')}" for pid in reflection.not_shared))
    rest += [text("cycle.heading"), text("cycle.intro"), cycle_in_words(content, lang, marked)]
    if marked:
        rest.append(text("cycle.marked_legend"))
    blocks.append(Block("cycle", _join(*rest)))
    return tuple(blocks)


def text_hash(text: str) -> str:
    """The words' fingerprint, as a recording of them names it (text_sha256 in site.yaml)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recordable(content: Content, lang: str,
               modes: tuple[Mode, ...] | None = None) -> dict[str, dict[str, str]]:
    """Every block a clinic may record, with its words in each mode and for each answer that
    changes them, by their fingerprint: the blocks whose words a reader's answers do not make
    (the reflection's and the cycle's they do: a voice on the device always reads those)."""
    found: dict[str, dict[str, str]] = {}

    def add(block_id: str, text: str) -> None:
        found.setdefault(block_id, {})[text_hash(text)] = text

    showing = next(a.id for a in content.answers if a.recognition in SHOWING_LEVELS)
    # The close says one thing after a pattern was noticed, another after none.
    seen = [build_reflection(content, answers, lang) for answers in (
        {}, {p.id: showing for p in content.patterns})]
    for mode in modes or tuple(MODES.values()):
        for screen in flow.screens(content):
            if screen.kind == flow.REFLECTION:
                continue
            for reflection in seen:
                for block in screen_blocks(content, lang, screen, mode, reflection, {}):
                    add(block.id, block.text)
        for pattern in content.patterns:
            for answer_id, explanation_id in pattern.explanations.items():
                prompts = ((content.text(lang, "counseling.talk_about_heading"),
                            content.text(lang, f"patterns.{pattern.id}.talk_about"))
                           if mode.talk_prompts else ())
                text = _join(content.text(lang, f"patterns.{pattern.id}.title"),
                             content.text(lang, f"answers.{answer_id}.intro"),
                             content.explanation(lang, explanation_id).body, *prompts)
                add(f"explanation.{explanation_id}", text)
        add("crisis", crisis_block(content, lang).text)
    return found



def recordings_of(content: Content, lang: str) -> tuple:
    """A clinic's recordings in lang, in site.yaml's order: what the page fetches all at once
    (so the request never tells which blocks a reader's screens held)."""
    site = content.site
    return tuple(r for r in site.recordings if r.lang == lang) if site else ()


def with_recordings(content: Content, lang: str, blocks: tuple[Block, ...]) -> list[dict]:
    """The blocks as the page gets them: each with the fingerprint of its words ("audio")
    when a recording was made from exactly these words, which the page finds it by; else a
    voice on the device reads them."""
    made = {(r.block, r.text_sha256) for r in recordings_of(content, lang)}
    out = []
    for block in blocks:
        item = {"id": block.id, "text": block.text}
        sha = text_hash(block.text)
        if (block.id, sha) in made:
            item["audio"] = sha
        out.append(item)
    return out
