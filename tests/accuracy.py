"""Score extraction against the labelled corpus of real-shaped ads in tests/corpus/.

Each tests/corpus/NAME.txt is an ad as curators find it; NAME.json beside it holds what a
careful reader finds in it (see tests/corpus/README.md). `make accuracy` prints the share of
facts extracted right, by field and by format, and lists every miss; tests/test_accuracy.py
fails when a share drops below the floor it records.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TAXONOMY = ROOT / "content" / "_taxonomy.yml"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
FIELDS = ("title", "company", "date_posted", "employment_type", "salary", "regions",
          "apply_url", "skills", "open", "lang")  # fmt: skip


@dataclass
class Outcome:
    """One fact of one ad: right, missing (left out) or wrong (a false value published)."""

    ad: str
    format: str
    field: str
    verdict: str  # "right", "missing" or "wrong"
    expected: Any
    got: Any


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def share(self, keep: Callable[[Outcome], bool] = lambda o: True) -> float:
        chosen = [o for o in self.outcomes if keep(o)]
        return sum(o.verdict == "right" for o in chosen) / len(chosen) if chosen else 1.0

    def by(self, attribute: str) -> dict[str, float]:
        names = sorted({getattr(o, attribute) for o in self.outcomes})
        return {n: self.share(lambda o, n=n: getattr(o, attribute) == n) for n in names}

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)


def score(corpus: Path = CORPUS) -> Report:
    """Extract every ad of the corpus and compare each labelled fact with what came out."""
    report = Report()
    for label_path in sorted(corpus.glob("*.json")):
        ad = label_path.with_suffix(".txt")
        label = json.loads(label_path.read_text(encoding="utf-8"))
        got = _extracted(ad)
        expected = {**label["expected"], "lang": label.get("lang", "en")}
        for name in FIELDS:
            verdict, value = _judge(name, expected, got)
            report.outcomes.append(
                Outcome(ad.name, label["format"], name, verdict, expected.get(name), value)
            )
    return report


def _extracted(ad: Path) -> dict[str, Any] | None:
    """The first posting extracted from the ad as plain facts, or None if it was refused."""
    from builder.extract import Context, extract
    from builder.readers import read_posting
    from builder.taxonomy import load_taxonomy

    taxonomy, _ = load_taxonomy(TAXONOMY)
    raws, _ = read_posting(ad.name, ad.read_bytes())
    if not raws:
        return None
    posting, _ = extract(raws[0], Context(taxonomy, NOW, {}))
    salary = posting.salary
    return {
        "title": posting.title,
        "company": posting.company or None,
        "date_posted": posting.date_posted.astimezone(UTC).date().isoformat()
        if posting.dated_by == "posting"
        else None,
        "employment_type": posting.employment_type,
        "salary": salary and [salary.currency, salary.min, salary.max, salary.period],
        "regions": sorted(region.slug for region in posting.regions),
        "apply_url": posting.apply_url,
        "skills": {tag.name for tag in posting.tags},
        "open": posting.is_open(NOW),
        "lang": getattr(posting, "language", "") or "en",
    }


def _judge(name: str, expected: dict[str, Any], got: dict[str, Any] | None) -> tuple[str, Any]:
    if got is None:
        return "missing", None
    want, have = expected.get(name), got[name]
    if name == "skills":
        lost = set(want) - have
        false = set(expected.get("not_skills", ())) & have
        wrong = sorted(false) and f"tagged {sorted(false)}"
        return ("wrong" if false else "missing" if lost else "right"), wrong or sorted(lost)
    if name == "salary" and want:
        want = [want["currency"], want["min"], want["max"], want["period"]]
    if name == "regions":
        want = sorted(want)
    if name in ("title", "company") and want and have:
        same = " ".join(want.split()).casefold() == " ".join(have.split()).casefold()
        return ("right" if same else "wrong"), have
    if want == have:
        return "right", have
    return ("missing" if have in (None, [], "") else "wrong"), have


def print_report(report: Report, misses: bool) -> None:
    facts = len(report.outcomes)
    ads = len({o.ad for o in report.outcomes})
    print(f"{report.share():.1%} of {facts} facts right in {ads} ads "
          f"({report.count('wrong')} wrong, {report.count('missing')} missing)\n")  # fmt: skip
    for heading, shares in (("field", report.by("field")), ("format", report.by("format"))):
        print(f"| {heading} | right |\n|---|---|")
        for name, share in shares.items():
            print(f"| {name} | {share:.0%} |")
        print()
    if misses:
        for o in report.outcomes:
            if o.verdict != "right":
                print(f"{o.ad}: {o.field} {o.verdict}: expected {o.expected!r}, got {o.got!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list every fact not right")
    options = parser.parse_args()
    print_report(score(options.corpus), options.misses)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
