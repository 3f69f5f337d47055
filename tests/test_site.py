"""A clinic's site folder (issue 23): layered over the content, adding and never taking away,
and `python -m reflect check --site DIR` naming the file, the key and the fix for each kind
of broken site. Every test here runs with examples/clinic, or a copy of it broken one way."""

from __future__ import annotations

import dataclasses
import html
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect.__main__ import main as reflect_main
from reflect.content import content_fingerprint, content_version, load_content
from reflect.first_paint import first_paint
from reflect.render import contacts_checked, helplines_in_full
from reflect.settings import SettingsError, read_settings
from reflect.site import MAX_LOGO_BYTES, SITE_KEYS
from reflect.summary import Summary, new_token, summary_html, summary_pdf
from tests.contacts import plain
from tests.test_summary import pdf_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clinic"
NAME = {"en": "Riverbend Community Health (example)",
        "es": "Riverbend Community Health (ejemplo)"}


@pytest.fixture(scope="module")
def shipped():
    return load_content(ROOT)


@pytest.fixture(scope="module")
def clinic():
    return load_content(ROOT, site=EXAMPLE)


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of examples/clinic, to break one thing at a time."""
    target = tmp_path / "my-clinic"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "site.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the sample no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(folder: Path, capsys) -> tuple[int, str]:
    """Run `python -m reflect check --site folder`; return its status and what it printed."""
    status = reflect_main(["check", "--site", str(folder)])
    out = capsys.readouterr()
    return status, out.out + out.err


def refused(folder: Path, capsys, *expected: str) -> str:
    """The check fails, and one line names each expected piece (file, key, problem, fix)."""
    status, said = check(folder, capsys)
    assert status == 1, said
    lines = said.splitlines()
    for piece in expected:
        assert any(piece in line for line in lines), (piece, said)
    assert all(line.startswith(("The content has", f"- {folder}/site.yaml: ",
                                f"- {folder}: "))
               for line in lines), said
    assert "Fix:" in said
    return said


# ---- the sample, layered ---------------------------------------------------------------


def test_the_sample_site_passes_the_check_and_says_what_it_adds(capsys):
    status, said = check(EXAMPLE, capsys)
    assert status == 0, said
    assert "Site OK: Riverbend Community Health (example)" in said
    assert "3 contacts after the region's 3 crisis lines, 2 local services" in said
    assert "a kiosk message, logo SVG" in said


def test_the_site_adds_and_never_takes_away(shipped, clinic):
    helplines = clinic.helplines
    # The region's crisis lines, every word, as shipped; the clinic's own come after them.
    assert helplines.crisis == shipped.helplines.crisis
    assert [line.id for line in helplines.clinic] == ["front_desk", "after_hours", "crisis_team"]
    # Local services first under finding help, then the national ones.
    assert [line.id for line in helplines.finding] == [
        "walk_in_counseling", "peer_support", *(line.id for line in shipped.helplines.finding)]
    assert clinic.explanations == shipped.explanations and clinic.texts == shipped.texts
    assert clinic.safety_points == shipped.safety_points
    assert helplines.kiosk_qr_url("es") == "https://riverbend.example/ayuda"
    assert clinic.clinic_name("es") == NAME["es"] and shipped.clinic_name("es") is None


def test_the_numbers_are_the_fictional_ones_set_aside_for_examples(clinic):
    numbers = [number for line in clinic.helplines.clinic + clinic.site.services
               for number in (line.phone, line.sms, line.tty) if number]
    assert numbers and all(n.startswith("555-01") and 100 <= int(n[-4:]) <= 199
                           for n in numbers)


def test_a_site_may_set_only_its_named_keys(site_copy, capsys):
    # A site trying to replace the crisis lines or a screen's words is refused, by name.
    (site_copy / "site.yaml").write_text(
        (site_copy / "site.yaml").read_text(encoding="utf-8")
        + "crisis: []\ntext:\n  en: {welcome.body: Hi}\n", encoding="utf-8")
    said = refused(site_copy, capsys, "site.yaml: crisis: unknown key",
                   "site.yaml: text: unknown key")
    assert ", ".join(sorted(SITE_KEYS)) in said


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_clinics_contacts_follow_the_crisis_lines_everywhere_they_are_shown(clinic, lang):
    on_close = plain(helplines_in_full(clinic, lang, "clinic"))
    assert "555-0100" in on_close and clinic.helplines.clinic[0].text[lang].name in on_close
    block = plain(html.unescape(first_paint(clinic, lang).block))
    crisis = [line.text[lang].name for line in clinic.helplines.crisis]
    own = [line.text[lang].name for line in clinic.helplines.clinic]
    places = [block.index(name) for name in crisis + own]
    assert places == sorted(places)  # the region's first, then the clinic's
    assert contacts_checked(clinic, lang).endswith(
        clinic.text(lang, "crisis.clinic_numbers_from", clinic=NAME[lang]))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_take_home_file_names_the_clinic_and_holds_its_contacts_and_services(clinic,
                                                                                  shipped, lang):
    import datetime

    summary = Summary(lang=lang, date=datetime.date(2027, 1, 5), token=new_token(), patterns=(),
                      include_help=False, note="", include_provider_questions=False,
                      include_talk_prompts=False, include_cycle=False)
    page = plain(summary_html(clinic, summary))
    assert clinic.text(lang, "welcome.offered_by", clinic=NAME[lang]) in page
    assert clinic.text(lang, "close.clinic_heading", clinic=NAME[lang]) in page
    for line in clinic.helplines.clinic + clinic.site.services:
        assert line.text[lang].name in page
    assert page.index(clinic.helplines.crisis[-1].text[lang].name) < page.index(
        clinic.helplines.clinic[0].text[lang].name)
    without = plain(summary_html(shipped, summary))
    assert "555-01" not in without and "Riverbend" not in without
    # The PDF holds the same, read back from the file itself.
    printed = " ".join(pdf_text(summary_pdf(clinic, summary)).split())
    for line in clinic.helplines.clinic:
        assert plain(line.text[lang].name) in printed and line.phone in printed
    assert clinic.text(lang, "welcome.offered_by", clinic=NAME[lang]) in printed


# ---- each kind of broken site: file, key and fix ------------------------------------------


def test_a_phone_number_not_in_the_help_lines_format(site_copy, capsys):
    edit(site_copy, 'phone: "555-0100"', 'phone: "555 0100 (front)"')
    refused(site_copy, capsys, "site.yaml: contacts[0].phone: '555 0100 (front)' is not valid",
            'write digits and dashes in quotes, for example "1-800-555-0100"')


def test_a_language_left_out(site_copy, capsys):
    edit(site_copy, "  es: Riverbend Community Health (ejemplo)\n", "")
    edit(site_copy, """      es:
        name: Recepción de Riverbend""", """      fr:
        name: Recepción de Riverbend""")
    refused(site_copy, capsys, "site.yaml: name.es: this language is missing",
            "site.yaml: contacts[0].text.es: this language is missing",
            "site.yaml: contacts[0].text.fr: unknown key",
            "add the words in 'es' too: every language of the content (en, es) needs them")


def test_a_kiosk_qr_page_without_an_address(site_copy, capsys):
    edit(site_copy, "  es: https://riverbend.example/ayuda", "  es: riverbend.example/ayuda")
    refused(site_copy, capsys, "site.yaml: kiosk_qr_url.es: expected an https address",
            "starting with https://")


def test_a_logo_that_is_not_a_png_or_an_svg(site_copy, capsys):
    (site_copy / "logo.svg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")  # a JPEG's start
    refused(site_copy, capsys, "site.yaml: logo.file: logo.svg is neither a PNG nor an SVG",
            "save the logo as PNG or SVG")


def test_a_logo_too_large(site_copy, capsys):
    (site_copy / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES)
    edit(site_copy, "file: logo.svg", "file: logo.png")
    refused(site_copy, capsys, f"logo.file: logo.png is {MAX_LOGO_BYTES + 8} bytes, more than "
            f"{MAX_LOGO_BYTES}", "save a smaller picture")


def test_a_logo_missing_or_outside_the_folder(site_copy, capsys):
    edit(site_copy, "file: logo.svg", "file: ../logo.svg")
    refused(site_copy, capsys, "logo.file: '../logo.svg' is not a file name in the site folder")
    edit(site_copy, "file: ../logo.svg", "file: gone.svg")
    refused(site_copy, capsys, "logo.file: there is no file gone.svg")


def test_words_the_app_never_uses(site_copy, capsys):
    edit(site_copy, "note: Meet people who have been where you are.",
         "note: Meet other addicts. Get your risk score.")
    edit(site_copy, "name: Riverbend front desk",
         "name: Riverbend front desk, 555-0100")
    refused(site_copy, capsys, "services[1].text.en.note: 'addicts' is not a word",
            "services[1].text.en.note: 'score' is not a word",
            "contacts[0].text.en.name: the number '555-0100' is in the words",
            "person-first")


def test_a_text_that_reads_too_hard(site_copy, capsys):
    edit(site_copy, "note: A team that can come to you, day and night, if you or someone you "
         "know is in crisis.",
         "note: A multidisciplinary interdisciplinary organization providing comprehensive "
         "psychiatric stabilization interventions, biopsychosocial evaluations, and "
         "individualized community-based continuation arrangements.")
    refused(site_copy, capsys, "contacts[2].text.en.note: reads too hard (Flesch-Kincaid grade",
            "use shorter sentences and everyday words")


def test_a_region_the_help_line_file_does_not_have(site_copy, capsys):
    edit(site_copy, "region: us", "region: ca")
    refused(site_copy, capsys, "site.yaml: region: 'ca' is not a region of helplines.yaml",
            "name one of: us")


def test_an_id_already_taken(site_copy, capsys):
    edit(site_copy, "id: peer_support", "id: lifeline_988")
    refused(site_copy, capsys, "services[1].id: 'lifeline_988' is already the id of a line",
            "give each line its own id")


def test_a_setting_a_site_may_not_give_or_gives_wrong(site_copy, capsys):
    edit(site_copy, "  quick_exit_to: https://www.weather.gov/",
         "  quick_exit_to: http://example.org/\n  metrics: true")
    refused(site_copy, capsys, "settings.metrics: unknown key",
            "settings.quick_exit_to: --quick-exit-to / REFLECT_QUICK_EXIT_TO: "
            "'http://example.org/' is not an https address")


def test_yaml_that_cannot_be_read(site_copy, capsys):
    edit(site_copy, "region: us", "region: [us")
    refused(site_copy, capsys, "site.yaml: line ", "check the indentation and quotes")


def test_a_folder_without_site_yaml_is_refused_at_the_settings(tmp_path):
    with pytest.raises(SettingsError, match="there is no site.yaml in"):
        read_settings(["--site", str(tmp_path)], {})
    with pytest.raises(SettingsError, match="there is no site.yaml in"):
        read_settings([], {"REFLECT_SITE": str(tmp_path / "nowhere")})


def test_the_sites_settings_come_after_the_command_line(site_copy):
    edit(site_copy, "  # idle_seconds: 90", "  idle_seconds: 45\n  mode: kiosk")
    assert read_settings(["--site", str(site_copy)], {}).idle_seconds == 45
    assert read_settings(["--site", str(site_copy)], {"REFLECT_MODE": "counseling"}).mode \
        == "counseling"
    assert read_settings(["--site", str(site_copy), "--idle-seconds", "20"], {}).idle_seconds \
        == 20


# ---- at start, and while running ------------------------------------------------------


def test_a_broken_site_stops_the_start_with_its_problems(site_copy):
    edit(site_copy, 'phone: "555-0101"', 'phone: "call us"')
    result = subprocess.run(["bash", "scripts/serve.sh", "--server.port", "1", "--",
                             "--site", str(site_copy)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "The app cannot start: the site folder" in result.stderr
    assert f"{site_copy}/site.yaml: contacts[1].phone: 'call us' is not valid" in result.stderr
    assert "Traceback" not in result.stderr and "localhost" not in result.stdout


def test_an_edit_is_noticed_and_a_site_broken_while_running_shows_the_calm_page(
        site_copy, real_content_copy, monkeypatch):
    monkeypatch.setenv("REFLECT_SITE", str(site_copy))
    before = content_fingerprint(real_content_copy, site_copy)
    version = content_version(real_content_copy, site_copy)
    assert content_version(real_content_copy, site_copy) == version  # the same files
    at = AppTest.from_file(str(real_content_copy / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert any("Offered by Riverbend" in m.value for m in at.get("html")) or any(
        "Offered by Riverbend" in str(h.proto) for h in at.get("html"))
    edit(site_copy, 'phone: "555-0102"', 'phone: "soon"')
    assert content_fingerprint(real_content_copy, site_copy) != before
    assert content_version(real_content_copy, site_copy) != version  # the app's cache key
    at.run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "This app is not set up correctly" in " ".join(t.value for t in at.title)
    assert "988" in said  # the calm page's crisis lines, from the shipped help-line file
    assert "soon" not in said and "contacts[2]" not in said  # no detail for a visitor
    edit(site_copy, 'phone: "soon"', 'phone: "555-0102"')
    at.run()
    assert "This app is not set up correctly" not in " ".join(t.value for t in at.title)


def test_a_layered_content_equals_the_shipped_one_without_a_site(shipped):
    assert load_content(ROOT, site=None) == shipped
    assert dataclasses.replace(shipped, site=None) == shipped


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("region: us", "region: [us]", "region: expected a region's name"),
    ("file: logo.svg", "file: .", "logo.file: '.' is not a file name"),
    ("  en: Riverbend Community Health (example)",
     "  en: '[Riverbend](https://riverbend.example)'", "name.en: it has a link or formatting"),
])
def test_odd_values_are_named_with_a_fix_never_a_traceback(site_copy, capsys, old, new,
                                                           expected):
    edit(site_copy, old, new)
    refused(site_copy, capsys, expected)


def test_a_logo_named_like_a_folder_is_refused(site_copy, capsys):
    (site_copy / "pictures").mkdir()
    edit(site_copy, "file: logo.svg", "file: pictures")
    refused(site_copy, capsys, "logo.file: there is no file pictures")
