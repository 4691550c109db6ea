"""Read how senior a job is from its title, or from the curator's `seniority:`.

A small table of title words, matched as whole words in any case: "Sr." is senior, "Staff"
is staff, but "Staffing", "Leadership", "Directory" and "Internal" are no level at all. When a
title names several ("Senior Staff Engineer", "Junior/Mid SRE"), the highest wins, and an
internship is an internship whatever else it says. A title naming none has no level: never
a guess.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from builder.model import SENIORITY_LABELS, Seniority

LEVELS: tuple[Seniority, ...] = get_args(Seniority)
# Lowest first: of several levels a title names, the last in this order wins.
RANK: tuple[Seniority, ...] = (
    "junior", "mid", "senior", "lead", "staff", "principal", "manager", "director", "intern",
)  # fmt: skip
# The words that name each level (README, "Seniority"), as regular expressions.
LEVEL_WORDS: dict[Seniority, str] = {
    "intern": r"interns?|internships?",
    "junior": r"junior|jr\.?|entry[\s-]*level|graduate|new[\s-]grad|grad|trainee|apprentice",
    "mid": r"mid[\s-]?level|intermediate|mid(?=\s*[/-]\s*(?:senior|sr)\b)|mid(?=\s*/)"
    r"|(?<=/)\s*mid",
    "senior": r"s[eé]nior|sr\.?|snr",
    # A chief of staff, or a "Member of Technical Staff", is no staff engineer.
    "staff": r"(?<!chief of )(?<!technical )staff",
    "principal": r"principal",
    "lead": r"(?:tech\s+|team\s+)?lead(?:er)?",
    "manager": r"(?:engineering\s+)?manager|mgr",
    "director": r"director|head\s+of|vp|svp|vice[\s-]president",
}
WORDS = {
    level: re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
    for level, words in LEVEL_WORDS.items()
}
# A grade after the job's name: "SRE II" is mid-level. Upper case only ("Engineer I", not
# "engineer i…"); III and above mean different levels at different employers, so no level.
GRADE = re.compile(
    r"\b(?i:engineer|SRE|developer|administrator|architect|analyst|specialist|programmer"
    r"|sysadmin|DBA|devops)s?\s+(?P<grade>II|I|2|1)(?![\w.])"
)
GRADES: dict[str, Seniority] = {"I": "junior", "1": "junior", "II": "mid", "2": "mid"}
# "Manager" names a role, not a rung, after these words: a Release Manager manages no people.
ROLE_MANAGERS = re.compile(
    r"(?<!\w)(?:product|project|program|programme|incident|release|change|configuration|account"
    r"|delivery|community|vendor|office|build)\s*\Z",
    re.IGNORECASE,
)


def title_level(title: str) -> tuple[Seniority, str] | None:
    """The level a title names and the words that named it, e.g. ("staff", "Staff")."""
    named = [found for level in LEVELS if (found := _named(level, title))]
    return max(named, key=lambda found: RANK.index(found[0]), default=None)


def _named(level: Seniority, title: str) -> tuple[Seniority, str] | None:
    """The first words in `title` that name `level`, if any."""
    for match in WORDS[level].finditer(title):
        if level == "manager" and ROLE_MANAGERS.search(title[: match.start()]):
            continue
        return level, " ".join(match.group().split())
    grade = GRADE.search(title)
    if grade and GRADES[grade["grade"]] == level:
        return level, " ".join(grade.group().split())
    return None


def given_level(value: Any) -> Seniority | None:
    """Read a curator's `seniority:` value: a level's name or label, or words naming one."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).casefold()
    for level in LEVELS:
        if text in (level, SENIORITY_LABELS[level].casefold()):
            return level
    found = title_level(value)
    return found[0] if found else None
