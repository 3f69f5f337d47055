"""Measure the reading level of prose the way the content gates do: the content's tests, and
`python -m reflect check --site` for the texts a clinic writes.

Run ``python -m reflect.readability`` for a table of every explanation's grades. Needs textstat
(requirements.txt); the app itself never imports this module.
"""

import re
from types import MappingProxyType

import textstat

SOURCES_HEADING = re.compile(r"^#{1,6}\s+(sources|fuentes)\b", re.IGNORECASE | re.MULTILINE)


def prose(markdown: str) -> str:
    """Return the prose of a Markdown text: no headings, list markers, links or sources."""
    cut = SOURCES_HEADING.search(markdown)
    if cut:
        markdown = markdown[: cut.start()]
    sentences = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = re.sub(r"^([-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"[*_`>]", "", line).strip()
        # A list item or a line without an end mark still ends a thought.
        if line and line[-1] not in ".!?:;":
            line += "."
        sentences.append(line)
    return " ".join(sentences)


def without_names(text: str, names: tuple[str, ...] | list[str]) -> str:
    """Return text without the names that are not scored (medicines, listed in the data)."""
    for name in names:
        text = re.sub(rf"\b{re.escape(name)}\b", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\(\s*(?:(?:or|o|,)\s*)*\)", "", text)  # a list of names left empty
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def grades(text: str, lang: str = "en") -> tuple[float, float]:
    """Return (Flesch-Kincaid grade, SMOG index) for plain English text."""
    textstat.set_lang(lang)
    return textstat.flesch_kincaid_grade(text), textstat.smog_index(text)


# What "at or below grade eight" means in each language. Each rule is (name, formula, limit,
# higher_is_harder); the text passes when every formula is on the easy side of its limit.
#
# English: Flesch-Kincaid grade and SMOG index, each at most 8 (the brief's rule).
# Spanish: the grade formulas are fitted to English and misjudge Spanish, whose words are
# longer. We use the two formulas made for Spanish, as textstat's Spanish setting computes them:
# - Fernández-Huerta (1959): 70-80 is "bastante fácil", the level of a 7th-grade reader;
#   60-70 is "normal", 8th-9th grade. At least 70 keeps us at or below grade 8.
# - Szigriszt-Pazos on the INFLESZ scale (Barrio-Cantalejo et al. 2008): 65-80 is "bastante
#   fácil", for readers of about 11-12 years; 55-65 "normal" is the level of the first years
#   of secondary school (12-15). At least 65 keeps us in "bastante fácil" or easier.
# Any other language: textstat's Flesch reading ease with that language's constants, at least
# 60 ("plain", about grade 8), until someone adds a formula made for it.
RULES = MappingProxyType({
    "en": (("Flesch-Kincaid grade", textstat.flesch_kincaid_grade, 8.0, True),
           ("SMOG index", textstat.smog_index, 8.0, True)),
    "es": (("Fernández-Huerta", textstat.fernandez_huerta, 70.0, False),
           ("Szigriszt-Pazos", textstat.szigriszt_pazos, 65.0, False)),
})
OTHER_LANGUAGES = (("Flesch reading ease", textstat.flesch_reading_ease, 60.0, False),)


def readability(text: str, lang: str) -> list[tuple[str, float, float, bool]]:
    """Return (formula, score, limit, passes) for each formula that gates lang."""
    textstat.set_lang(lang)
    results = []
    for name, formula, limit, higher_is_harder in RULES.get(lang, OTHER_LANGUAGES):
        score = formula(text)
        passes = score <= limit if higher_is_harder else score >= limit
        results.append((name, round(score, 1), limit, passes))
    return results


if __name__ == "__main__":
    from pathlib import Path

    from reflect.content import load_content

    content = load_content(Path(__file__).resolve().parent.parent)
    root = Path(__file__).resolve().parent.parent / "explanations"
    for path in sorted(root.rglob("*.md")):
        lang = path.parent.name
        text = without_names(prose(path.read_text(encoding="utf-8")),
                             content.reading_level_skips.get(lang, ()))
        scores = ", ".join(f"{name} {score}" for name, score, _, _ in readability(text, lang))
        print(f"{str(path.relative_to(root)):28} {scores}")
    for line in content.helplines.crisis + content.helplines.finding:
        for lang, words in line.text.items():
            text = without_names(words.note, content.reading_level_skips.get(lang, ()))
            scores = ", ".join(f"{name} {score}" for name, score, _, _ in
                               readability(text, lang))
            print(f"{'helplines.yaml ' + line.id + ' ' + lang:28} {scores}")
