"""The labelled corpus of real-shaped ads (tests/corpus/) is read at least as well as ever.

The floors are the shares reached when they were set: raise them when extraction improves,
never lower them (`make accuracy` prints the shares and lists every miss).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from accuracy import CORPUS, FIELDS, score

# Set on 81 ads, of which the 16 `holdout-` ones were written after the rules were tuned on
# the rest (they scored 85% when first read); raise these as extraction improves.
OVERALL_FLOOR = 0.95
FIELD_FLOORS = {
    "title": 0.95, "company": 0.96, "date_posted": 0.96, "employment_type": 0.96,
    "salary": 0.93, "regions": 0.96, "apply_url": 0.97, "skills": 0.87, "open": 1.0,
    "lang": 1.0,
}  # fmt: skip


@pytest.fixture(scope="module")
def report():
    return score()


def test_the_corpus_has_sixty_ads_of_every_format_each_with_its_labels():
    labels = sorted(CORPUS.glob("*.json"))
    assert len(labels) >= 60
    assert {path.with_suffix(".txt").exists() for path in labels} == {True}
    assert len(list(CORPUS.glob("*.txt"))) == len(labels)
    formats = Counter(json.loads(path.read_text())["format"] for path in labels)
    assert set(formats) == {
        "text", "markdown", "frontmatter", "html", "jsonld", "greenhouse", "lever", "ashby"
    }  # fmt: skip
    assert min(formats.values()) >= 4


def test_the_share_of_facts_right_never_drops(report):
    assert report.share() >= OVERALL_FLOOR
    shares = report.by("field")
    assert set(shares) == set(FIELDS) == set(FIELD_FLOORS)
    below = {name: share for name, share in shares.items() if share < FIELD_FLOORS[name]}
    assert not below, f"fields below their floor: {below}"


def test_no_placeholder_is_ever_extracted_as_a_company(report):
    companies = [o.got for o in report.outcomes if o.field == "company" and o.got]
    assert not [name for name in companies if name.casefold() in {"none", "unknown company"}]
    unnamed = [o for o in report.outcomes if o.field == "company" and o.expected is None]
    assert unnamed and all(o.verdict == "right" for o in unnamed)  # left out, not made up
