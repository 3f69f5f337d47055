"""What the "About this content" screen says: who wrote the content, and its review."""

from __future__ import annotations

import datetime

from reflect.content import Content


def shown_date(content: Content, lang: str, value: datetime.date) -> str:
    """Return a date as readers of lang write it (summary.date_format and summary.months)."""
    return content.natural_date(lang, value)


def about_paragraphs(content: Content, lang: str, today: datetime.date) -> tuple[str, ...]:
    """Return the screen's paragraphs: who wrote the content and where its sources are, then
    its review by a licensed clinician, or plainly that there has been none yet."""
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
