"""Golden pairs: each tests/cases/NAME.txt beside NAME.json holding what must be extracted.

A new case is two files and no code. Review every .json by hand: it is the specification.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import TAXONOMY

from builder.extract import Context, extract
from builder.model import Posting
from builder.problems import Problem
from builder.readers import read_posting
from builder.taxonomy import load_taxonomy

CASES = Path(__file__).parent / "cases"
NOW = datetime(2025, 2, 15, tzinfo=UTC)


def extract_case(path: Path) -> dict:
    """Read and extract one case file into plain data, problems included."""
    taxonomy, _ = load_taxonomy(TAXONOMY)
    raws, problems = read_posting(path.name, path.read_bytes())
    postings = []
    for raw in raws:
        posting, found = extract(raw, Context(taxonomy, NOW, {}))
        postings.append(_plain(posting))
        problems += found
    return {"postings": postings, "problems": [_problem(p) for p in problems]}


def _plain(posting: Posting) -> dict:
    return {
        "title": posting.title,
        "company": posting.company,
        "slug": posting.slug,
        "date_posted": posting.date_posted.isoformat(),
        "valid_through": posting.valid_through.isoformat() if posting.valid_through else None,
        "open": posting.is_open(NOW),
        "place": posting.place,
        "regions": [region.slug for region in posting.regions],
        "employment_type": posting.employment_type,
        "salary": posting.salary.display() if posting.salary else None,
        "apply_url": posting.apply_url,
        "tags": [tag.name for tag in posting.tags],
        "draft": posting.draft,
        "description_html": posting.description_html,
    }


def _problem(problem: Problem) -> str:
    return str(problem)


@pytest.mark.parametrize("case", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case_extracts_as_recorded(case: Path):
    expected = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
    assert extract_case(case) == expected
