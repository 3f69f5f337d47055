"""The loader accepts good content and names the file, key and fix for each kind of problem."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflect.content import ContentError, load_content, load_helplines
from tests.contacts import plain

ROOT = Path(__file__).resolve().parent.parent


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return caught.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_content_loads_with_four_patterns_in_the_order_asked(content):
    assert [p.id for p in content.patterns] == ["relief", "escape", "escalation", "loop"]
    assert content.default_language in content.languages
    assert isinstance(content.helplines.last_verified, datetime.date)


def test_the_fixture_content_loads(content_copy):
    loaded = load_content(content_copy)
    assert [p.id for p in loaded.patterns] == ["alpha", "beta"]
    assert loaded.explanation("en", "alpha").sources == ("A source.",)


def test_a_yaml_syntax_error_names_the_file_and_line(content_copy):
    edit(content_copy / "questions.yaml", "languages:\n  en: English",
         "languages:\n  en: English\n bad: [unclosed")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: line 5")
    assert "Fix:" in problem


def test_a_python_tag_is_refused_and_nothing_runs(content_copy, tmp_path):
    marker = tmp_path / "ran"
    edit(content_copy / "questions.yaml", "default_language: en",
         f"default_language: !!python/object/apply:os.system ['touch {marker}']")
    (problem,) = problems_of(content_copy)
    assert "questions.yaml" in problem and "python" in problem
    assert not marker.exists()


def test_a_key_written_twice_is_refused(content_copy):
    edit(content_copy / "questions.yaml", "default_language: en",
         "default_language: en\ndefault_language: en")
    (problem,) = problems_of(content_copy)
    assert "written twice" in problem and "line 3" in problem


def test_a_missing_explanation_file_is_named(content_copy):
    (content_copy / "explanations" / "en" / "beta.md").unlink()
    assert problems_of(content_copy) == [
        "explanations/en/beta.md: (file): the explanation is missing. Fix: write "
        "explanations/en/beta.md, or change the id in questions.yaml."
    ]


def test_an_orphaned_explanation_file_is_named(content_copy):
    (content_copy / "explanations" / "en" / "gamma.md").write_text("Text.\n\n## Sources\n- S\n")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("explanations/en/gamma.md: (file): no pattern")


def test_an_answer_mapped_to_an_explanation_that_does_not_exist_is_named(content_copy):
    edit(content_copy / "questions.yaml", "{yes_me: beta,", "{yes_me: betta,")
    problems = problems_of(content_copy)
    assert "explanations/en/betta.md: (file): the explanation is missing. Fix: write " \
        "explanations/en/betta.md, or change the id in questions.yaml." in problems


def test_an_explanation_mapped_from_an_unknown_answer_is_named(content_copy):
    edit(content_copy / "questions.yaml", "{yes_me: alpha,", "{yes_maybe: alpha,")
    problems = problems_of(content_copy)
    assert any(p.startswith("questions.yaml: patterns[0].explanations.yes_maybe: 'yes_maybe' "
                            "is not an answer id") for p in problems)
    assert any("no explanation for the answer 'yes_me'" in p for p in problems)


def test_a_declining_answer_cannot_show_an_explanation(content_copy):
    edit(content_copy / "questions.yaml", "{yes_me: alpha,", "{skip: alpha, yes_me: alpha,")
    (problem,) = problems_of(content_copy)
    assert "patterns[0].explanations.skip" in problem and "cannot show" in problem


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  - id: beta\n", "  - id: alpha\n", "patterns: the id 'alpha' is used twice"),
        ("  - id: no_me\n", "  - id: sometimes\n", "answers: the id 'sometimes' is used twice"),
        ("cycle: [start, finish]", "cycle: [start, start]", "cycle: the id 'start' is used twice"),
    ],
)
def test_duplicate_ids_are_named(content_copy, old, new, where):
    edit(content_copy / "questions.yaml", old, new)
    assert any(where in p for p in problems_of(content_copy))


def test_empty_text_is_named(content_copy):
    edit(content_copy / "questions.yaml", "alpha: {title: Alpha,", "alpha: {title: '',")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: text.en.patterns.alpha.title: expected text")


def test_an_unquoted_yes_is_explained(content_copy):
    edit(content_copy / "questions.yaml", 'label: "Yes"', "label: Yes")
    (problem,) = problems_of(content_copy)
    assert "text.en.answers.yes_me.label" in problem and "put the text in quotes" in problem


def test_unknown_keys_are_named_with_what_is_allowed(content_copy):
    edit(content_copy / "questions.yaml", "  - id: alpha\n", "  - id: alpha\n    colour: red\n")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: patterns[0].colour: unknown key")
    assert "allowed: cycle_stages, explanations, id" in problem


def test_a_misspelt_text_key_is_named_twice_missing_and_unknown(content_copy):
    edit(content_copy / "questions.yaml", "statement: Alpha statement.", "statment: Alpha.")
    problems = problems_of(content_copy)
    assert any(p.startswith("questions.yaml: text.en.patterns.alpha.statement: this text is "
                            "missing") for p in problems)
    assert any(p.startswith("questions.yaml: text.en.patterns.alpha.statment: unknown key")
               for p in problems)


def test_a_placeholder_that_does_not_match_is_named(content_copy):
    edit(content_copy / "questions.yaml", "Question {number} of {total}", "Question {num}")
    (problem,) = problems_of(content_copy)
    assert "text.en.question.progress" in problem and "{number}, {total}" in problem


def test_a_language_without_its_text_is_named(content_copy):
    edit(content_copy / "questions.yaml", "  en: English\n", "  en: English\n  es: Español\n")
    problems = problems_of(content_copy)
    assert any(p.startswith("questions.yaml: text.es: no text for the language 'es'")
               for p in problems)
    assert any(p.startswith("explanations/en/../es") or "explanations/es/alpha.md" in p
               for p in problems)


def test_a_file_that_is_not_utf8_is_named(content_copy):
    (content_copy / "explanations" / "en" / "alpha.md").write_bytes(b"Caf\xe9\n## Sources\n- S\n")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("explanations/en/alpha.md: (file): byte 3 is not UTF-8")


def test_a_huge_file_is_refused_before_it_is_parsed(content_copy):
    with (content_copy / "questions.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * 40_000)
    started = time.monotonic()
    (problem,) = problems_of(content_copy)
    assert time.monotonic() - started < 5
    assert problem.startswith("questions.yaml: (file): the file is")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hi <script>alert(1)</script>", "contains raw HTML"),
        ("See [this](javascript:alert(1)).", "contains a script or data link"),
        ("# Title\n\nText.", "a top-level '# ' heading"),
    ],
)
def test_unsafe_or_misshapen_markdown_is_refused(content_copy, body, expected):
    (content_copy / "explanations" / "en" / "alpha.md").write_text(
        f"{body}\n\n## Sources\n\n- A source.\n", encoding="utf-8")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("explanations/en/alpha.md") and expected in problem


def test_html_inside_yaml_text_is_refused(content_copy):
    edit(content_copy / "questions.yaml", "body: Hello there.",
         "body: Hello <b onclick=x>there</b>.")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: text.en.welcome.body: contains raw HTML")


def test_an_explanation_without_sources_is_refused(content_copy):
    (content_copy / "explanations" / "en" / "alpha.md").write_text("Only text.\n")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("explanations/en/alpha.md: Sources: no sources section")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('phone: "988"', 'phone: "call 988"',
         "regions.us.crisis[0].phone: 'call 988' is not valid"),
        ("last_verified: 2026-01-02", "last_verified: soon", "last_verified: expected a date"),
        ("url: https://example.org/find", "url: http://example.org/find",
         "regions.us.finding_help[0].url: 'http://example.org/find' is not valid"),
        ('        phone: "988"\n', "", "regions.us.crisis[0]: no way to reach this line"),
        ("default_region: us", "default_region: mars", "default_region: 'mars' is not under"),
    ],
)
def test_broken_help_lines_are_named(content_copy, old, new, expected):
    edit(content_copy / "helplines.yaml", old, new)
    assert any(p.startswith("helplines.yaml: ") and expected in p
               for p in problems_of(content_copy))


def test_a_help_line_missing_a_language_is_named(content_copy):
    edit(content_copy / "helplines.yaml", "en: {name: Line one, short: One, note: A note.}",
         "fr: {name: Ligne, short: Une, note: Note.}")
    problems = problems_of(content_copy)
    assert any("regions.us.crisis[0].text.fr: unknown key" in p for p in problems)
    assert any("regions.us.crisis[0].text.en: this language is missing" in p for p in problems)


def test_every_problem_is_reported_at_once(content_copy):
    (content_copy / "explanations" / "en" / "alpha.md").unlink()
    edit(content_copy / "helplines.yaml", 'phone: "988"', 'phone: "nine"')
    edit(content_copy / "questions.yaml", "alpha: {title: Alpha,", "alpha: {title: '',")
    files = {p.split(":")[0] for p in problems_of(content_copy)}
    assert files == {"questions.yaml", "helplines.yaml", "explanations/en/alpha.md"}


def test_help_lines_load_alone_when_the_questions_are_broken(content_copy):
    (content_copy / "questions.yaml").write_text("not: [valid", encoding="utf-8")
    helplines = load_helplines(content_copy)
    assert [line.phone for line in helplines.crisis] == ["988"]
    assert helplines.crisis[0].text["en"].name == "Line one"


def run_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reflect", "check", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_check_command_passes_on_the_real_content():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content OK: 4 patterns")


def test_the_check_command_fails_and_lists_each_problem(content_copy):
    (content_copy / "explanations" / "en" / "beta.md").unlink()
    result = run_check(content_copy)
    assert result.returncode == 1
    assert "explanations/en/beta.md: (file): the explanation is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_fixture_names_twelve_months_in_order(content_copy):
    loaded = load_content(content_copy)
    assert len(loaded.months["en"]) == 12
    assert plain(loaded.natural_date("en", datetime.date(2026, 11, 27))) == "November 27, 2026"


@pytest.mark.parametrize(("old", "new", "found"), [
    ("      months: [January, February, March, April, May, June, July, August, September,\n"
     "               October, November, December]\n", "", "missing"),
    ("October, November, December]", "October, November]", "found 11"),
    ("October, November, December]", "October, November, December, Smarch]", "found 13"),
    ("months: [January,", "months: [January, 2,", "found 13"),
    ("months: [January, February, March, April, May, June, July, August, September,\n"
     "               October, November, December]", "months: January to December", "found text"),
])
def test_month_names_that_are_missing_or_not_twelve_are_refused_with_the_fix(
        content_copy, old, new, found):
    edit(content_copy / "questions.yaml", old, new)
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: text.en.summary.months: "), problem
    assert found in problem and "12 month names" in problem and "Fix:" in problem


def test_a_month_name_that_is_not_text_is_refused_by_its_place(content_copy):
    edit(content_copy / "questions.yaml", "months: [January, February,",
         "months: [January, 2,")
    (problem,) = problems_of(content_copy)
    assert problem.startswith("questions.yaml: text.en.summary.months[1]: expected text, "
                              "found a number"), problem


def test_a_date_that_is_no_day_of_the_calendar_is_named_by_line_not_a_traceback(content_copy):
    # PyYAML reads 2026-02-30 as a date and raises a bare ValueError, with no file or line.
    path = content_copy / "helplines.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(number for number, words in enumerate(text.splitlines(), 1)
                if words.startswith("last_verified:"))
    path.write_text(re.sub(r"(?m)^last_verified: .*$", "last_verified: 2026-02-30", text),
                    encoding="utf-8")
    (problem,) = problems_of(content_copy)
    assert problem == (f"helplines.yaml: line {line}, column 16: '2026-02-30' is not a day of "
                       "the calendar. Fix: write a real date as YYYY-MM-DD (for example "
                       "2027-03-15).")
