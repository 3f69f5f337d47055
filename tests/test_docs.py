"""The accessibility report and the privacy note stay true to the tests they cite (issue 23)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "accessibility.md", ROOT / "docs" / "privacy.md"]
REPORT = ROOT / "docs" / "accessibility.md"

# Every WCAG 2.2 success criterion at Level A and AA: 31 at A, 24 at AA. 4.1.1 Parsing is
# obsolete and removed in 2.2, so it is not here (https://www.w3.org/TR/WCAG22/).
WCAG22 = {
    "1.1.1": ("Non-text Content", "A"),
    "1.2.1": ("Audio-only and Video-only (Prerecorded)", "A"),
    "1.2.2": ("Captions (Prerecorded)", "A"),
    "1.2.3": ("Audio Description or Media Alternative (Prerecorded)", "A"),
    "1.2.4": ("Captions (Live)", "AA"),
    "1.2.5": ("Audio Description (Prerecorded)", "AA"),
    "1.3.1": ("Info and Relationships", "A"),
    "1.3.2": ("Meaningful Sequence", "A"),
    "1.3.3": ("Sensory Characteristics", "A"),
    "1.3.4": ("Orientation", "AA"),
    "1.3.5": ("Identify Input Purpose", "AA"),
    "1.4.1": ("Use of Color", "A"),
    "1.4.2": ("Audio Control", "A"),
    "1.4.3": ("Contrast (Minimum)", "AA"),
    "1.4.4": ("Resize Text", "AA"),
    "1.4.5": ("Images of Text", "AA"),
    "1.4.10": ("Reflow", "AA"),
    "1.4.11": ("Non-text Contrast", "AA"),
    "1.4.12": ("Text Spacing", "AA"),
    "1.4.13": ("Content on Hover or Focus", "AA"),
    "2.1.1": ("Keyboard", "A"),
    "2.1.2": ("No Keyboard Trap", "A"),
    "2.1.4": ("Character Key Shortcuts", "A"),
    "2.2.1": ("Timing Adjustable", "A"),
    "2.2.2": ("Pause, Stop, Hide", "A"),
    "2.3.1": ("Three Flashes or Below Threshold", "A"),
    "2.4.1": ("Bypass Blocks", "A"),
    "2.4.2": ("Page Titled", "A"),
    "2.4.3": ("Focus Order", "A"),
    "2.4.4": ("Link Purpose (In Context)", "A"),
    "2.4.5": ("Multiple Ways", "AA"),
    "2.4.6": ("Headings and Labels", "AA"),
    "2.4.7": ("Focus Visible", "AA"),
    "2.4.11": ("Focus Not Obscured (Minimum)", "AA"),
    "2.5.1": ("Pointer Gestures", "A"),
    "2.5.2": ("Pointer Cancellation", "A"),
    "2.5.3": ("Label in Name", "A"),
    "2.5.4": ("Motion Actuation", "A"),
    "2.5.7": ("Dragging Movements", "AA"),
    "2.5.8": ("Target Size (Minimum)", "AA"),
    "3.1.1": ("Language of Page", "A"),
    "3.1.2": ("Language of Parts", "AA"),
    "3.2.1": ("On Focus", "A"),
    "3.2.2": ("On Input", "A"),
    "3.2.3": ("Consistent Navigation", "AA"),
    "3.2.4": ("Consistent Identification", "AA"),
    "3.2.6": ("Consistent Help", "A"),
    "3.3.1": ("Error Identification", "A"),
    "3.3.2": ("Labels or Instructions", "A"),
    "3.3.3": ("Error Suggestion", "AA"),
    "3.3.4": ("Error Prevention (Legal, Financial, Data)", "AA"),
    "3.3.7": ("Redundant Entry", "A"),
    "3.3.8": ("Accessible Authentication (Minimum)", "AA"),
    "4.1.2": ("Name, Role, Value", "A"),
    "4.1.3": ("Status Messages", "AA"),
}
STATUSES = {"Supports", "Partially supports", "Does not support", "Not applicable",
            "Not evaluated"}
# A cited test: tests/<file>.py::<name>, or ::<Class>::<method>.
CITED = re.compile(r"tests/([\w/]+\.py)::(\w+(?:::\w+)?)")
ROW = re.compile(r"^\|\s*(\d+\.\d+\.\d+)\s")


def defined_tests(path: Path) -> set[str]:
    """The test functions of a test file, and Class::method for the tests in its classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
    return {name for name in names if name.split("::")[-1].startswith("test")}


def missing_tests(text: str, tests: Path = ROOT / "tests") -> list[str]:
    """Every test the text names that its file does not define (or whose file is gone)."""
    missing = []
    for file, name in CITED.findall(text):
        path = tests / file
        if not path.is_file() or name not in defined_tests(path):
            missing.append(f"tests/{file}::{name}")
    return sorted(set(missing))


def cells(line: str) -> list[str]:
    """A Markdown table row's cells (an escaped \\| stays inside its cell)."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def criteria_problems(text: str) -> list[str]:
    """What is wrong with the report's table: criteria missing, repeated, unknown or
    misnamed, and rows without a status, a way it is met, or evidence."""
    problems, seen = [], []
    for line in text.splitlines():
        found = ROW.match(line)
        if not found:
            continue
        number = found.group(1)
        seen.append(number)
        row = cells(line)
        if number not in WCAG22:
            problems.append(f"{number}: not a WCAG 2.2 A or AA criterion")
            continue
        if len(row) != 5:
            problems.append(f"{number}: {len(row)} cells, not 5")
            continue
        criterion, level, status, how, evidence = row
        name, want = WCAG22[number]
        if criterion != f"{number} {name}":
            problems.append(f"{number}: named {criterion!r}, not {name!r}")
        if level != want:
            problems.append(f"{number}: level {level!r}, not {want}")
        if status not in STATUSES:
            problems.append(f"{number}: status {status!r} is none of {sorted(STATUSES)}")
        if not how:
            problems.append(f"{number}: says nothing of how it is met")
        if not CITED.search(evidence) and "checked by hand" not in evidence.lower():
            problems.append(f"{number}: no evidence (a test, or \"checked by hand\")")
    problems += [f"{number}: listed {seen.count(number)} times"
                 for number in sorted(set(seen)) if seen.count(number) > 1]
    problems += [f"{number}: missing" for number in WCAG22 if number not in seen]
    return problems


def test_the_criteria_list_is_wcag_22_a_and_aa_without_parsing():
    levels = [level for _, level in WCAG22.values()]
    assert (levels.count("A"), levels.count("AA")) == (31, 24)
    assert "4.1.1" not in WCAG22


def test_every_test_the_documents_name_exists():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert CITED.search(text), f"{doc.name} names no test"
        assert missing_tests(text) == [], doc.name


def test_the_report_lists_every_wcag_22_a_and_aa_criterion_once_with_status_and_evidence():
    text = REPORT.read_text(encoding="utf-8")
    assert criteria_problems(text) == []
    assert "4.1.1 Parsing is obsolete and removed in WCAG 2.2" in " ".join(text.split())


def test_the_citation_check_would_catch_a_renamed_test_or_file(tmp_path):
    (tmp_path / "test_a.py").write_text(
        "def test_one():\n    pass\n\n\nclass TestGroup:\n    def test_two(self):\n"
        "        pass\n", encoding="utf-8")
    good = "`tests/test_a.py::test_one`, `tests/test_a.py::TestGroup::test_two`"
    assert missing_tests(good, tmp_path) == []
    renamed = "`tests/test_a.py::test_uno`, `tests/test_b.py::test_one`"
    assert missing_tests(renamed, tmp_path) == ["tests/test_a.py::test_uno",
                                                "tests/test_b.py::test_one"]


def test_the_criteria_check_would_catch_a_missing_row_a_repeat_and_an_empty_cell():
    text = REPORT.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if ROW.match(line)]
    first, second = rows[0], rows[1]
    assert criteria_problems(text.replace(first + "\n", "")) == ["1.1.1: missing"]
    assert criteria_problems(text.replace(first, first + "\n" + first)) == [
        "1.1.1: listed 2 times"]
    no_status = "| 1.2.1 Audio-only and Video-only (Prerecorded) | A |  | x | checked by hand |"
    assert criteria_problems(text.replace(second, no_status))[0].startswith("1.2.1: status")
    no_evidence = "| 1.2.1 Audio-only and Video-only (Prerecorded) | A | Not applicable | x |  |"
    assert criteria_problems(text.replace(second, no_evidence)) == [
        '1.2.1: no evidence (a test, or "checked by hand")']
    parsing = "| 4.1.1 Parsing | A | Supports | x | checked by hand |"
    assert criteria_problems(text + "\n" + parsing) == [
        "4.1.1: not a WCAG 2.2 A or AA criterion"]
