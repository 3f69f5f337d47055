"""A clinic's site in real Chromium (issue 23), with the sample in examples/clinic: its name
and logo on the welcome, its contacts after the crisis lines and its services first on the
close, its message handing a kiosk's visitor on to the front desk; and the phone and kiosk
geometry of issue 22 still holding with all of it, in both languages.

The geometry checks are the design and kiosk modules' own, run here against servers with the
site (they run there without one)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from reflect.content import load_content
from tests import test_browser_design as design
from tests import test_browser_kiosk as kiosk_screens
from tests.browser_support import choose, open_app, press, running_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clinic"
CLINIC = load_content(ROOT, site=EXAMPLE)
SERVE = ["bash", "scripts/serve.sh", "--server.port", "PORT", "--", "--site", str(EXAMPLE)]


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    log = tmp_path_factory.mktemp("site") / "server.log"
    with running_server(SERVE, log) as url:
        yield url


@pytest.fixture(scope="module")
def clinic_kiosk(tmp_path_factory):
    log = tmp_path_factory.mktemp("site") / "kiosk.log"
    with running_server(SERVE + ["--mode", "kiosk"], log) as url:
        yield url


def new_page(browser, url: str, size: tuple[int, int], lang: str):
    page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    open_app(page, url)
    design.in_language(page, lang)
    return page


def to_close(page, lang: str) -> None:
    text = lambda key: CLINIC.text(lang, key)  # noqa: E731
    press(page, text("welcome.start"))
    for _ in CLINIC.patterns:
        choose(page, CLINIC.answer_label(lang, "sometimes"))
        press(page, text("nav.next"))
    press(page, text("reflection.next"))
    press(page, text("help.next"))


LOGO = """() => {
  const line = document.querySelector('.reflect-clinic'), img = line?.querySelector('img');
  const box = img?.getBoundingClientRect();
  return line && {words: line.innerText.trim(), alt: img?.alt, loaded: img?.naturalWidth > 0,
                  width: box?.width, height: box?.height,
                  afterHeading: !!(document.querySelector('h1').compareDocumentPosition(line)
                                   & Node.DOCUMENT_POSITION_FOLLOWING)}; }"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_welcome_names_the_clinic_under_its_heading_with_its_logo(browser, clinic, lang,
                                                                     size):
    page = new_page(browser, clinic, size, lang)
    seen = page.evaluate(LOGO)
    assert seen == {"words": CLINIC.text(lang, "welcome.offered_by",
                                         clinic=CLINIC.site.name[lang]),
                    "alt": CLINIC.site.logo.alt[lang], "loaded": True, "width": 48,
                    "height": 48, "afterHeading": True}
    page.context.close()


# The close's lists in order: each list item's first bold words (a line's name).
LIST_NAMES = """() => [...document.querySelectorAll('[data-testid=stMain] li strong')]
  .map((e) => e.innerText.trim())"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_close_lists_the_clinics_contacts_after_the_crisis_lines_and_its_services_first(
        browser, clinic, lang):
    page = new_page(browser, clinic, (390, 844), lang)
    to_close(page, lang)
    helplines = CLINIC.helplines
    names = page.evaluate(LIST_NAMES)
    wanted = [line.text[lang].name for line in
              helplines.crisis + helplines.clinic + helplines.finding]
    assert [name for name in names if name in wanted] == wanted
    heading = CLINIC.text(lang, "close.clinic_heading", clinic=CLINIC.site.name[lang])
    assert page.get_by_role("heading", name=heading, exact=True).count() == 1
    # Each of the clinic's numbers is a link to dial, as the national ones are.
    for line in helplines.clinic:
        assert page.locator(f'a[href="tel:{line.phone.replace("-", "")}"]').count() >= 1
    page.context.close()


MESSAGE = """() => [...document.querySelectorAll(
    '.st-key-reflect_kiosk_message, .st-key-reflect_kiosk_message_below')]
  .filter((e) => e.getClientRects().length > 0)
  .map((e) => ({words: e.innerText.trim(), bottom: e.getBoundingClientRect().bottom,
                inside: e.getBoundingClientRect().right <= window.innerWidth}))"""


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280), (390, 844)],
                         ids=["landscape", "portrait", "phone"])
def test_a_kiosk_close_hands_the_visitor_to_the_front_desk_and_keeps_its_code_first(
        browser, clinic_kiosk, size):
    """The clinic's message once, in the first screen beside the QR code where there is room
    for both; below the code on a narrow screen, so the code still ends within the first
    screen. The code opens the clinic's own page for each language."""
    for lang in ("en", "es"):
        page = new_page(browser, clinic_kiosk, size, lang)
        to_close(page, lang)
        page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
        shown = page.evaluate(MESSAGE)
        assert [m["words"] for m in shown] == [CLINIC.site.kiosk_message[lang]], shown
        assert shown[0]["inside"], shown
        if size[0] >= 640:
            assert shown[0]["bottom"] <= size[1], shown
        place = page.evaluate(kiosk_screens.QR_PLACE)
        assert place["imgBottom"] <= place["height"], (lang, place)
        picture = Image.open(io.BytesIO(page.locator(".st-key-kiosk_qr img").screenshot()))
        found = [code.text for code in zxingcpp.read_barcodes(picture)]
        assert found == [CLINIC.helplines.kiosk_qr_url(lang)]
        page.context.close()


@pytest.mark.parametrize(("mode", "lang"), [("personal", "en"), ("kiosk", "es")])
def test_at_320_px_with_the_clinic_no_contact_breaks_and_nothing_scrolls_sideways(
        browser, clinic, clinic_kiosk, mode, lang):
    """The design module's check, with the clinic's contacts and services on the close."""
    design.test_at_320_px_no_contact_breaks_across_lines_and_nothing_scrolls_sideways(
        browser, clinic, clinic_kiosk, CLINIC, mode, lang)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_a_phone_each_question_still_fits_the_first_screen_with_the_clinic(browser, clinic,
                                                                             lang):
    design.test_on_a_phone_each_question_its_answers_back_and_next_fit_the_first_screen(
        browser, clinic, CLINIC, lang)


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_a_kiosk_question_still_fits_with_the_clinic(browser, clinic_kiosk, size):
    kiosk_screens.test_every_kiosk_screen_has_no_way_out_no_typing_and_large_targets(
        browser, clinic_kiosk, size)


@pytest.mark.parametrize(("mode", "lang", "size"), [("personal", "en", (390, 844)),
                                                    ("kiosk", "es", (1280, 800))])
def test_axe_finds_no_violation_on_the_clinics_welcome_and_close(browser, clinic,
                                                                 clinic_kiosk, mode, lang,
                                                                 size):
    """The logo, the clinic's contacts and the kiosk message pass the same WCAG scan as
    every other screen (tests/test_accessibility.py)."""
    from tests.test_accessibility import violations

    page = new_page(browser, clinic_kiosk if mode == "kiosk" else clinic, size, lang)
    assert violations(page) == [], "welcome"
    to_close(page, lang)
    assert violations(page) == [], "close"
    page.context.close()
