"""The curated skill taxonomy: load it, and tag text with it on word boundaries."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from builder.model import Tag
from builder.problems import Problem, error
from builder.readers import SAFE_LOADER

UNKNOWN_CATEGORY = "Other"
# A skill name must not be glued to letters, digits or the characters that extend names
# (so "JavaScript" is not Java, "trust" is not Rust, "C++" is not C).
BEFORE = r"(?<![\w+#@])"
AFTER = r"(?![\w+#]|\.\w)"
SENTENCE_LOOKBACK = 80  # characters before a strict name searched for a sentence start
SENTENCE_START = re.compile(r"(?:\A|(?<!\be\.g)(?<!\bi\.e)[.!?]\s+|\n\s*)\Z")
# Words after a sentence-opening "Go" that make it the verb: "Go to", "Go ahead".
VERB_AFTER = re.compile(
    r"[ \t]+(to|ahead|through|beyond|back|deep|deeper|further|above|over|out|for|get|see|find|"
    r"build|make|live|the|a|an|with|where|from|into|on|up)\b"
)


# A name in a list: after ", " or "and ", or before "," or " and" / " or".
LISTED_BEFORE = re.compile(r"(?:,|\band|\bor|/)\s*\Z")
LISTED_AFTER = re.compile(r"\s*(?:,|/|\s(?:and|or)\b)")
# "no Java", "not a Kubernetes shop", "don't need Puppet or Chef": mentions that are not asks.
NEGATION = re.compile(
    r"\b(?:no|not|without|never|nor|don['’]t need|do not need|no need for|isn['’]t)\s+"
    r"(?:(?:a|an|any|the|prior|previous|experience with|with|in)\s+)*"
    r"(?:[\w.#+-]+\s*(?:,|or|and|/)\s*){0,2}\Z",
    re.I,
)


# Text pasted from a PDF or a table loses its spaces: "languagesC#.NET", "cloudAzure".
GLUED_WORD = re.compile(r"\b[a-z]{4,}+(?=[A-Z]|[.#][A-Z])")
GLUED_NET = re.compile(r"(?<=#)(?=\.[A-Z])")


def _unglued(text: str) -> str:
    """Part a lower-case word from a name glued to its end, and C# from a glued .NET."""
    # Two patterns, the second run only where it can match: one pattern holding both
    # alternatives tried both at every character and scanned twice as slowly.
    text = GLUED_WORD.sub(r"\g<0> ", text)
    return GLUED_NET.sub(" ", text) if "#." in text else text


def _lowered(text: str) -> str:
    """The text in lower case, each character where it was: names are found in lower case,
    which scans twice as fast as a case-insensitive pattern."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


# In explicit cases: a case-insensitive pattern scans a third slower, and this runs on every ad.
NEGATION_WORD = re.compile(
    r"(?<!\w)(?:[Nn](?:o|ot|ever|or)|NO|NOT|[Ww]ithout|[Dd]on['’]t|[Dd]o not|[Ii]sn['’]t)\b"
)


def _listed(text: str, match: re.Match[str]) -> bool:
    """Tell whether a name stands in a list: after ", " or "and ", or before "," or " and"."""
    before = LISTED_BEFORE.search(text, max(0, match.start() - 6), match.start())
    return bool(before or LISTED_AFTER.match(text, match.end()))


def _negated(text: str, start: int, negations: list[int]) -> bool:
    """Tell whether the clause before a mention negates it (`negations`: where each negating
    word in the text ends)."""
    nearest = bisect_right(negations, start) - 1
    if nearest < 0 or negations[nearest] < start - 50:
        return False
    window = text[max(0, start - 50) : start]
    clause = re.split(r"[.;:!?\n(]", window)[-1]
    return bool(NEGATION.search(clause))


@dataclass(frozen=True)
class Taxonomy:
    """Skills by alias, with one compiled pattern that finds any of them (in lower case)."""

    tags: tuple[Tag, ...]
    categories: tuple[str, ...]
    by_alias: dict[str, Tag]
    strict_names: dict[str, Tag]
    pattern: re.Pattern[str]

    def tag_text(self, text: str) -> tuple[Tag, ...]:
        """Find every skill the text mentions, in taxonomy order."""
        aliases, strict = self._names_in(_unglued(text))
        found = {self.by_alias.get(alias.lower()) for alias in aliases}
        found.update(self.strict_names[name] for name in strict)
        places = sorted(place for tag in found if tag for place in self._places[tag])
        return tuple(self.tags[place] for place in places)

    def _names_in(self, text: str) -> tuple[set[str], set[str]]:
        """Collect the aliases the text mentions, and the strict names it uses as names;
        never a mention the text negates ("no Java needed")."""
        aliases: set[str] = set()
        strict: set[str] = set()
        negations = [found.end() for found in NEGATION_WORD.finditer(text)]  # one pass
        for match in self.pattern.finditer(_lowered(text)):
            word = text[match.start() : match.end()]
            if negations and _negated(text, match.start(), negations):
                continue
            if word in self.strict_names:
                if word not in strict and not self._is_verb(match, text):
                    strict.add(word)
            elif word.lower() in self.by_alias:
                aliases.add(word)
            elif _listed(text, match):  # "go, ruby and python" in an ad in lower case
                strict.add(self._strict_by_lower[word.lower()])
        return aliases, strict

    @cached_property
    def _strict_by_lower(self) -> dict[str, str]:
        return {name.lower(): name for name in self.strict_names}

    def _is_verb(self, match: re.Match[str], text: str) -> bool:
        # "Go" the language, never "go" the verb nor "Go to…" opening a sentence; a line that
        # is only "Go" (a list item) or "Go Developer" is still the language. Look back a
        # bounded way: searching the whole prefix made each match cost the length of the
        # text before it, which is quadratic on a posting full of "Go".
        window = max(0, match.start() - SENTENCE_LOOKBACK)
        starts_sentence = SENTENCE_START.search(text, window, match.start())
        return bool(starts_sentence and VERB_AFTER.match(text, match.end()))

    @cached_property
    def _by_slug(self) -> dict[str, Tag]:
        """Each slug's first tag in the taxonomy."""
        by_slug: dict[str, Tag] = {}
        for tag in self.tags:
            by_slug.setdefault(tag.slug, tag)
        return by_slug

    @cached_property
    def _places(self) -> dict[Tag, list[int]]:
        """Where each tag stands in the taxonomy (at each place, if a skill is listed twice)."""
        places: dict[Tag, list[int]] = {}
        for place, tag in enumerate(self.tags):
            places.setdefault(tag, []).append(place)
        return places

    def resolve(self, name: str) -> Tag | None:
        """Map a curator's tag (any alias, any case) to its taxonomy skill."""
        key = name.strip().lower()
        if key in self.by_alias:
            return self.by_alias[key]
        return self._by_slug.get(tag_slug(key))

    def unknown(self, name: str) -> Tag:
        """Make a tag for a name the taxonomy does not know, kept as the curator wrote it."""
        return Tag(name.strip(), tag_slug(name), UNKNOWN_CATEGORY)


@lru_cache(maxsize=4096)  # a board's postings name the same few tags again and again
def tag_slug(name: str) -> str:
    """Slug a tag name so that C++, C# and C stay apart."""
    return slugify(name, replacements=[["++", "pp"], ["#", "sharp"]]) or "tag"


def load_taxonomy(path: Path) -> tuple[Taxonomy, list[Problem]]:
    """Read the taxonomy file; report every malformed entry."""
    try:
        data = path.read_bytes()
        if (kept := _LOADED.get(path)) is not None and kept[0] == data:
            return kept[1], list(kept[2])
        document = yaml.load(data.decode("utf-8"), Loader=SAFE_LOADER) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return build_taxonomy({}), [error(str(path), f"cannot read the taxonomy: {exc}", _FIX)]
    problems = _validate(str(path), document)
    taxonomy = build_taxonomy(document if not problems else {})
    _LOADED[path] = (data, taxonomy, tuple(problems))
    return taxonomy, problems


# The taxonomy this process read last, by its bytes: `serve` reads it before every preview,
# and parsing and compiling it again took 70 ms of each save's 250 at 10,000 postings.
_LOADED: dict[Path, tuple[bytes, Taxonomy, tuple[Problem, ...]]] = {}


_FIX = "each skill needs name, slug, category and a list of aliases"


def _validate(source: str, document: Any) -> list[Problem]:
    if not isinstance(document, dict) or not isinstance(document.get("skills"), list):
        return [error(source, "the taxonomy has no `skills:` list", _FIX)]
    problems = []
    for number, skill in enumerate(document["skills"], start=1):
        if not _valid_skill(skill):
            what = f"skill #{number} needs text name, slug and category, and a list of aliases"
            problems.append(error(source, what, _FIX))
    return problems


def _valid_skill(skill: Any) -> bool:
    if not isinstance(skill, dict):
        return False
    texts = all(
        isinstance(skill.get(key), str) and skill[key] for key in ("name", "slug", "category")
    )
    lists = [skill.get("aliases") or [], skill.get("strict_aliases") or []]
    return texts and all(isinstance(v, list) and all(isinstance(a, str) for a in v) for v in lists)


def build_taxonomy(document: dict[str, Any]) -> Taxonomy:
    """Compile a taxonomy from its parsed YAML document."""
    skills = document.get("skills") or []
    tags = tuple(Tag(s["name"], s["slug"], s["category"]) for s in skills)
    by_alias: dict[str, Tag] = {}
    strict: dict[str, Tag] = {}
    for skill, tag in zip(skills, tags, strict=True):
        if skill.get("strict"):
            strict[skill["name"]] = tag
        else:
            by_alias[skill["name"].lower()] = tag
        for alias in skill.get("aliases") or []:
            by_alias[str(alias).lower()] = tag
        for alias in skill.get("strict_aliases") or []:  # matched as strict names are
            strict[str(alias)] = tag
    categories = tuple(document.get("categories") or sorted({t.category for t in tags}))
    return Taxonomy(tags, categories, by_alias, strict, _compile(by_alias, strict))


def _compile(by_alias: dict[str, Tag], strict: dict[str, Tag]) -> re.Pattern[str]:
    # As a trie, so the engine tries only the names that share the next character instead of
    # every name in turn; a greedy trie prefers the longest name ("Google Cloud Platform" over
    # "Google Cloud") and backs off to a shorter one when the longest is glued to a word.
    alternatives = []
    if by_alias:
        alternatives.append(f"(?:{_trie_pattern(by_alias)})")  # its keys are in lower case
    if strict:  # any case: a strict name in lower case counts only in a list (_names_in)
        alternatives.append(f"(?:{_trie_pattern({name.lower() for name in strict})})")
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(BEFORE + "(?:" + "|".join(alternatives) + ")" + AFTER)


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a word
    return _node_pattern(trie)


def _node_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return group
    return f"(?:{group})?" if len(branches) > 1 or len(group) > 1 else f"{group}?"
