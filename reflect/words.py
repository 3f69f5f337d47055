"""The words no text may use, in every language: the content's gate and a clinic's site's.

Stigmatising, diagnostic or scoring words, and "diagnosis" anywhere but in "not a diagnosis".
The content's tests (tests/test_content_gates.py) run them over every shipped text; the site
loader (reflect/site.py) over every text a clinic writes, so `python -m reflect check --site`
refuses them with the file, the key and a fix.
"""

from __future__ import annotations

import re

# Stigmatising, diagnostic or scoring words (NIDA "Words Matter"; the content rules).
BANNED = re.compile(
    r"\b(addicts?|abusers?|abuse|alcoholics?|junkies?|drunks?|clean|dirty|"
    r"you have an? \w*\s?(disorder|disease|problem)|disorders?|diagnose[sd]?|score[sd]?|"
    r"scoring|severity|severe|mild|moderate|high[- ]risk|low[- ]risk|"
    r"cures?|guaranteed?|fda[- ]approved|approved|rewires?|neuroplasticity|"
    r"commit(s|ted|ting)? suicide|successful(ly)? suicide|completed suicide)\b",
    re.IGNORECASE)
# The same in Spanish: person-first words (no "adicto", "alcohólico"), no scores or levels.
BANNED_ES = re.compile(
    r"\b(adict[oa]s?|drogadict[oa]s?|alcohólic[oa]s?|toxicóman[oa]s?|abusador(es|as?)?|"
    r"viciosos?|borrach[oa]s?|limpi[oa]s?|suci[oa]s?|trastornos?|diagnostic(a|ar|ado|ada)|"
    r"puntuaci(ón|ones)|puntajes?|gravedad|graves?|leves?|moderad[oa]s?|alto riesgo|"
    r"bajo riesgo|curas?|curar|garantiz\w*|aprobad[oa]s?|aprobó|neuroplasticidad|"
    r"comet(er|ió|e) suicidio|suicidio consumado|suicidio exitoso)\b",
    re.IGNORECASE)
# Accurate safety words the lists above would block, allowed by exact phrase only: medicines
# for drinking and opioid use are FDA-approved (TMS stays FDA-cleared); a warning may say
# plainly that withdrawal can be life-threatening.
ALLOWED_PHRASES = re.compile(
    r"\b(FDA-approved medicines|medicamentos aprobados por la FDA|life-threatening)\b")


def words_to_check(text: str) -> str:
    """Return text with the allowed safety phrases taken out, for the word lists."""
    return ALLOWED_PHRASES.sub(" ", text)
DIAGNOSIS = re.compile(r"\b(diagnosis|diagnóstico)\b", re.IGNORECASE)
ALLOWED_DIAGNOSIS = re.compile(r"\b(not a diagnosis|no es un diagnóstico)\b", re.IGNORECASE)
# A phone number written into words (555-0100, say): numbers belong in a line's
# phone, sms or tty field, where they are checked and dialled.
NUMBER_IN_WORDS = re.compile(r"\b[0-9]{3}[-.\s][0-9]{4}\b")


def word_problems(text: str) -> list[str]:
    """Return what is wrong with the words of a text, one short reason each ([] if nothing)."""
    problems = [f"'{match.group(0)}' is not a word this app uses"
                for pattern in (BANNED, BANNED_ES)
                for match in pattern.finditer(words_to_check(text))]
    if len(DIAGNOSIS.findall(text)) != len(ALLOWED_DIAGNOSIS.findall(text)):
        problems.append("it speaks of a diagnosis; this app never gives or suggests one")
    problems += [f"the number '{match.group(0)}' is in the words"
                 for match in NUMBER_IN_WORDS.finditer(text)]
    return problems
