"""What the "About this content" screen says: who wrote the content and its review, what
happens to the answers, who sees the screen in the reader's mode, downloads, and who runs the
app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from reflect.content import Content
from reflect.modes import Mode


@dataclass(frozen=True)
class Section:
    """One part of the screen: a short heading over a few paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


def shown_date(content: Content, lang: str, value: datetime.date) -> str:
    """Return a date as readers of lang write it (summary.date_format and summary.months)."""
    return content.natural_date(lang, value)


def about_paragraphs(content: Content, lang: str, today: datetime.date) -> tuple[str, ...]:
    """Return the paragraphs on the content: who wrote it and where its sources are, then its
    review by a licensed clinician, or plainly that there has been none yet."""
    review = content.about.review
    if not review.done:
        status = (content.text(lang, "about.not_reviewed"),)
    else:
        due = (content.text(lang, "about.review_due", date=shown_date(content, lang,
                                                                      review.next_review))
               if review.next_review < today else
               content.text(lang, "about.next_review",
                            date=shown_date(content, lang, review.next_review)))
        status = (content.text(lang, "about.reviewed", reviewer=review.reviewer,
                               credential=review.credential,
                               date=shown_date(content, lang, review.reviewed_on)) + " " + due,)
    return (content.text(lang, "about.written_by"), *status)


def runner(content: Content, lang: str) -> str:
    """Return who runs the app and what they look after: the clinic by name when a site
    names it, else whoever runs it. Nothing in the app shows them an answer."""
    name = content.clinic_name(lang)
    who = (content.text(lang, "about.run_by", clinic=name) if name else
           content.text(lang, "about.run_by_unnamed"))
    return who + " " + content.text(lang, "about.runner_duties")


def about_sections(content: Content, lang: str, mode: Mode,
                   today: datetime.date) -> tuple[Section, ...]:
    """Return the screen's sections for a reader in mode: only what holds for that mode (a
    kiosk forgets its visitor by itself and offers no downloads)."""
    def text(key: str) -> str:
        return content.text(lang, key)

    downloads = ((Section(text("about.downloads_heading"), (text("about.downloads"),)),)
                 if mode.downloads else ())
    return (
        Section(text("about.content_heading"), about_paragraphs(content, lang, today)),
        Section(text("about.answers_heading"),
                (text("about.answers_kiosk" if mode.forgets_visitor else "about.answers"),)),
        Section(text("about.who_heading"), (text(mode.who_sees),)),
        *downloads,
        Section(text("about.runner_heading"), (runner(content, lang),)),
    )
