"""Real Chromium against a real Streamlit server, started as the README's run command does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import contacts
from tests.browser_support import (
    ANSWER_LABELS,
    ANSWER_RADIOS,
    after_run,
    choose,
    click,
    heading,
    open_app,
    press,
    running_server,
    walk_to_close,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Serve the app through scripts/serve.sh on a free port; yield its URL and log file."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url, log


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    open_app(page, server[0])
    yield page
    context.close()


def test_a_reader_clicks_through_to_the_close_with_its_recommendation_and_contacts(page, server,
                                                                                 content):
    expect(page.locator("h1")).to_have_text("A private reflection on coping")
    press(page, "Start the reflection")
    for number, label in enumerate(ANSWER_LABELS, 1):
        assert heading(page) == f"Question {number} of 4"
        choose(page, label)
        press(page, "Next")
    assert heading(page) == "Your reflection"
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("This is not a diagnosis")
    expect(main.locator("h2", has_text="Emotional relief")).to_be_visible()
    expect(main.locator("h2", has_text="Escape")).to_be_visible()
    expect(main.locator("h2", has_text="Needing more")).to_have_count(0)
    image = main.locator("[data-testid=stImage] img")
    expect(image).to_have_attribute("alt", "Stress, worry or pain (you noticed this) → "
                                    "Drinking, using or another habit (you noticed this) → "
                                    "A short time of relief (you noticed this) → "
                                    "The effect fades, so more is needed → "
                                    "The first problem is still there → Stress, worry or pain")
    assert image.get_attribute("src").startswith("data:image/svg+xml")
    press(page, "Ways people find help")
    expect(main).to_contain_text("TMS")
    press(page, "What to do next")
    assert heading(page) == "Talk with a professional"
    expect(main).to_contain_text("talk with a professional")
    expect(main).to_contain_text("can be dangerous")
    everything = content.helplines.crisis + content.helplines.finding
    for contact in contacts.shown(content, everything):
        expect(main).to_contain_text(contact)
    # The SAMHSA Helpline is under finding help, said to be for referrals, not counseling.
    finding = main.locator("h2", has_text="Finding help near you")
    expect(finding).to_be_visible()
    expect(main).to_contain_text("It is for finding help, not for counseling.")
    expect(main).not_to_contain_text("Traceback")
    log = server[1].read_text()
    for label in ANSWER_LABELS + ["sounds_like_me", "rather_not_say"]:
        assert label not in log


def test_every_screen_has_tappable_crisis_contacts_and_start_over(page, content):
    press(page, "Start the reflection")
    for _ in range(7):
        for target in contacts.targets(content, web=False):
            assert page.locator(f"a[href='{target}']").count() >= 1, target
        expect(page.get_by_role("button", name="Start over")).to_be_visible()
        if heading(page).startswith("Question"):
            choose(page, "No, not really")
        forward = page.get_by_role("button", name="Next").or_(
            page.get_by_role("button", name="Ways people find help")).or_(
            page.get_by_role("button", name="What to do next"))
        if forward.count() == 0:
            break
        click(page, forward.first)
    assert heading(page) == "Talk with a professional"


def test_back_keeps_answers_and_start_over_clears_the_browsers_radios(page):
    press(page, "Start the reflection")
    choose(page, "Sometimes, or partly")
    press(page, "Next")
    choose(page, "Yes, this fits me")
    press(page, "Back")
    assert heading(page) == "Question 1 of 4"
    expect(page.get_by_role("radio", name="Sometimes, or partly")).to_be_checked()
    press(page, "Next")
    expect(page.get_by_role("radio", name="Yes, this fits me")).to_be_checked()
    press(page, "Start over")
    press(page, "Yes, clear them")  # it asks first: there are answers to lose
    assert heading(page) == "A private reflection on coping"
    press(page, "Start the reflection")
    expect(page.locator(ANSWER_RADIOS + ":checked")).to_have_count(0)
    press(page, "Next")
    expect(page.get_by_role("alert")).to_contain_text("I'd rather not say")


def test_no_menu_deploy_button_or_running_widget_is_shown(page):
    for test_id in ("stMainMenu", "stAppDeployButton", "stStatusWidget"):
        expect(page.locator(f"[data-testid={test_id}]")).to_have_count(0)


def test_a_download_holds_only_what_was_chosen_and_a_random_file_code(page, content):
    walk_to_close(page, ["Yes, this fits me", "Sometimes, or partly", "No, not really",
                         "Yes, this fits me"])
    click(page, page.get_by_text("Escape", exact=True))
    files = []
    for label in ("Download as a web page", "Download as PDF"):
        with page.expect_download() as caught:
            page.get_by_role("button", name=label).click()
        files.append(Path(caught.value.path()).read_bytes())
    html = files[0].decode("utf-8")
    escape_first = content.explanation("en", "escape").body.split(".")[0]
    relief_first = content.explanation("en", "relief").body.split(".")[0]
    loop_first = content.explanation("en", "loop").body.split(".")[0]
    assert escape_first in html
    assert relief_first not in html and loop_first not in html
    assert "This is not a diagnosis" in html and contacts.first_phone(content) in html
    codes = re.findall(r"File code: ([0-9a-f]{32})", html)
    assert len(codes) == 1
    from io import BytesIO

    from pypdf import PdfReader

    pdf_text = " ".join(p.extract_text() for p in PdfReader(BytesIO(files[1])).pages)
    pdf_text = re.sub(r"\s+", " ", pdf_text)
    assert files[1].startswith(b"%PDF")
    assert escape_first.split()[0] in pdf_text and re.search(r"[0-9a-f]{32}", pdf_text)
    assert relief_first not in pdf_text


def test_counseling_through_the_url_shows_prompts_and_keeps_the_clients_choice(browser, server,
                                                                              content):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_app(page, f"{server[0]}/?mode=counseling")
    press(page, "Start the reflection")
    for _ in range(4):
        choose(page, "Sometimes, or partly")
        press(page, "Next")
    expect(page.get_by_role("heading", name="To talk about together")).to_have_count(4)
    press(page, "Ways people find help")
    press(page, "What to do next")
    # The client keeps one pattern and writes a note; the provider questions are ticked.
    click(page, page.get_by_text("A loop that keeps coming back", exact=True))
    expect(page.get_by_role("checkbox", name="Questions to ask a provider")).to_be_checked()
    note = "Bring up <b>sleep</b> & the late shifts next time."
    page.get_by_label("A note in your own words").fill(note)
    # A text area sends its value when it loses focus.
    after_run(page, lambda: page.keyboard.press("Tab"))
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download as a web page").click()
    html = Path(caught.value.path()).read_text(encoding="utf-8")
    assert content.explanation("en", "loop").body.split(".")[0] in html
    for left_out in ("relief", "escape", "escalation"):
        assert content.explanation("en", left_out).body.split(".")[0] not in html
    assert "Bring up &lt;b&gt;sleep&lt;/b&gt; &amp; the late shifts next time." in html
    assert "Questions to ask a provider" in html and contacts.first_phone(content) in html
    assert re.search(r"File code: [0-9a-f]{32}", html)
    context.close()
