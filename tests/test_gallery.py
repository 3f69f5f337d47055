"""The screen gallery (tests/gallery.py) leaves nothing out: every screen of the flow, every
kind of screen, every mode and every language. Fast: it reads the gallery's lists, and starts
no server and no browser."""

from __future__ import annotations

from reflect import flow
from reflect.modes import MODES, session_mode
from tests import gallery


def test_the_gallery_shows_every_screen_of_the_flow_and_every_kind(content):
    drawn = {(shot.kind, shot.number) for shot in gallery.shots(content)}
    for screen in flow.screens(content):
        assert (screen.kind, screen.number) in drawn, f"the gallery leaves out {screen}"
    assert set(flow.KINDS) <= {shot.kind for shot in gallery.shots(content)}
    assert gallery.ABOUT in {shot.kind for shot in gallery.shots(content)}
    # It knows each kind's heading (to wait for it) and the way on from it.
    assert set(gallery.HEADINGS) == set(flow.KINDS) == set(gallery.FORWARD)
    # One picture per name in a walk: no file is written over another.
    names = [shot.name for shot in gallery.shots(content)]
    assert len(names) == len(set(names))


def test_the_gallery_shows_the_warning_and_the_help_list_once_per_walk(content):
    names = [shot.name for shot in gallery.shots(content)]
    assert names.count("question-1-no-answer") == 1
    assert names.count("welcome-help-list") == 1


def test_the_gallery_draws_every_mode_on_a_server_that_serves_it(content):
    assert set(gallery.MODE_ROUTES) == set(MODES)
    for mode, (server_mode, query) in gallery.MODE_ROUTES.items():
        requested = query.removeprefix("?mode=") or None
        assert session_mode(server_mode, requested).name == mode


def test_the_gallerys_answers_show_recognised_and_unrecognised_patterns(content):
    counts = {a.id: a.recognition for a in content.answers}
    given = [counts[answer] for answer in gallery.ANSWERS[:len(content.patterns)]]
    assert {"fully", "sometimes"} & set(given)
    assert {"not_recognised", "declined"} & set(given)


def test_readmes_pictures_come_from_walks_the_gallery_makes(content):
    walks = {(mode, lang, size) for mode in gallery.MODE_ROUTES for lang in content.languages
             for size in gallery.SIZES}
    names = {shot.name for shot in gallery.shots(content)}
    assert [name for name, _, _ in gallery.README] == [
        "phone-question.png", "counseling-reflection.png", "kiosk-close.png"]
    for _, where, shot in gallery.README:
        assert where in walks and shot in names
