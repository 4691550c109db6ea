"""The curator's commands: import raw postings, scaffold a new one, explain a posting's fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from builder.extract import BUILD_DATE, GIT_ADDED, Context, extract
from builder.limits import MAX_BYTES
from builder.model import Posting
from builder.problems import Problem, error
from builder.readers import read_posting
from builder.sources import read_taxonomy
from builder.taxonomy import Taxonomy, build_taxonomy

NAME_LENGTH = 80
# Fallbacks a build uses when the posting says nothing: never written down as if found.
PLACEHOLDERS = {"no title found", "no company found", GIT_ADDED, BUILD_DATE}
# What `check --explain` shows, in order: the Posting field, and the front matter key that sets it.
EXPLAINED = (
    ("title", "title"), ("company", "company"), ("date_posted", "date"),
    ("date_modified", "updated"), ("valid_through", "expires"), ("location", "location"),
    ("regions", "regions"), ("remote", "remote"), ("employment_type", "employment_type"),
    ("salary", "salary"), ("apply_url", "apply_url"), ("tags", "tags"), ("draft", "draft"),
    ("slug", "slug"), ("identifier", "identifier"), ("seniority", "seniority"),
    ("timezone_window", "timezones"),
)  # fmt: skip


@dataclass(frozen=True)
class Existing:
    """A posting already on the board, as duplicates are found: by apply URL or by name."""

    source: str
    apply_url: str | None
    name: tuple[str, str]  # normalized company and title


def existing(postings: Iterable[Posting]) -> list[Existing]:
    """Index the board's postings for duplicate detection."""
    return [Existing(p.source, p.apply_url, _name(p.company, p.title)) for p in postings]


def _name(company: str, title: str) -> tuple[str, str]:
    """Normalize company and title: case, punctuation and spacing do not tell postings apart."""
    company, title = (
        " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split()) for text in (company, title)
    )
    return company, title


# --- import ---------------------------------------------------------------------------------


def import_file(
    source: Path, content_dir: Path, board: list[Existing], now: datetime
) -> tuple[Path | None, list[Problem]]:
    """Curate one raw posting into content_dir; return the file written, or why not."""
    name = str(source)
    try:
        data = source.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        return None, [error(name, f"cannot read the file: {exc.strerror}", "check the path")]
    raws, problems = read_posting(name, data)
    if problems:
        return None, problems
    if len(raws) > 1:
        fix = "split it into one file per posting, then import each"
        return None, [error(name, f"holds {len(raws)} postings; import takes one a file", fix)]
    posting, _ = extract(raws[0], Context(_taxonomy(content_dir), now, {}))
    target = content_dir / file_name(_found(posting, "company"), posting.title)
    if problem := _refusal(name, posting, target, board):
        return None, [problem]
    target.write_bytes(curated_bytes(data, _front_matter(posting, raws[0].front_matter, now)))
    board.append(Existing(str(target), posting.apply_url, _name(posting.company, posting.title)))
    return target, []


def file_name(company: str, title: str) -> str:
    """Name a posting's file from company and title: stable, safe, e.g. gitlab-senior-sre.txt."""
    slug = slugify(f"{company} {title}", max_length=NAME_LENGTH, word_boundary=True)
    return f"{slug or 'posting'}.txt"


def _refusal(name: str, posting: Posting, target: Path, board: list[Existing]) -> Problem | None:
    """Refuse to overwrite a file or to add a posting the board already has."""
    key = _name(posting.company, posting.title)
    for other in board:
        if posting.apply_url and posting.apply_url == other.apply_url:
            what = f"duplicates {other.source} (same apply URL {posting.apply_url})"
            return error(name, what, "edit that posting instead of importing this one")
        if key == other.name:
            what = f"duplicates {other.source} (same company and title: {posting.title})"
            return error(name, what, "edit that posting instead of importing this one")
    if target.exists():
        fix = "rename or delete the existing file, or edit it instead"
        return error(name, f"{target} already exists; nothing written", fix)
    return None


def _found(posting: Posting, field_name: str) -> str:
    """A field's value if the posting gave it, else "" (a placeholder is not worth keeping)."""
    source = dict(posting.provenance).get(field_name, "")
    given = source and not any(source.startswith(mark) for mark in PLACEHOLDERS)
    return str(getattr(posting, field_name)) if given else ""


def _front_matter(posting: Posting, curated: Any, now: datetime) -> list[str]:
    """Write what extraction found as front matter lines; name what it did not find."""
    values = _extracted_values(posting)
    written = set(curated) | ({"expires"} if "valid_through" in curated else set())
    lines = [_yaml_line(key, value) for key, value in values.items() if key not in written]
    if "date" not in values and "date" not in written:
        lines.append(f"{_yaml_line('date', now.date().isoformat())}  # imported; it gave none")
    missing = [key for key in WORTH_FILLING if key not in values and key not in written]
    return lines + [f"# {key}: not found in the posting; write it here" for key in missing]


WORTH_FILLING = ("title", "company", "location", "employment_type", "apply_url")


def _extracted_values(posting: Posting) -> dict[str, Any]:
    """The fields the posting gave, as a curator would write them."""
    sources = dict(posting.provenance)
    given = posting.dated_by == "posting"
    values: dict[str, Any] = {
        "title": _found(posting, "title"),
        "company": _found(posting, "company"),
        "date": posting.date_posted.isoformat() if given else "",
        "expires": posting.valid_through.isoformat() if posting.valid_through else "",
        "location": posting.location,
        "regions": [r.name for r in posting.regions] if _is_given(sources.get("regions")) else [],
        "employment_type": posting.employment_type or "",
        "salary": posting.salary.display() if posting.salary else "",
        "apply_url": posting.apply_url or "",
        "tags": [tag.name for tag in posting.tags],
    }
    return {key: value for key, value in values.items() if value not in ("", [])}


def _is_given(source: str | None) -> bool:
    """Tell whether a field was stated by the posting, not read out of another field."""
    return (source or "").startswith(("front matter", "JSON-LD"))


def _yaml_line(key: str, value: Any) -> str:
    """One `key: value` line; a list is written inline, as in `tags: [Go, Kubernetes]`."""
    flow = None if isinstance(value, list) else False
    text = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=flow, width=10**6)
    return text.rstrip("\n")


def curated_bytes(original: bytes, lines: list[str]) -> bytes:
    """Put front matter lines above the original bytes, kept as they are; a file that already
    has front matter gets the lines at the top of its block rather than a second block."""
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    body = original[len(bom) :]
    codec = _codec(body)
    # Added lines are written in the file's own encoding, so the build decodes it as before.
    added = "".join(f"{line}\n" for line in lines).encode(codec, errors="xmlcharrefreplace")
    opening = re.match(rb"-{3,}[ \t]*\r?\n", body)
    if opening:
        return bom + body[: opening.end()] + added + body[opening.end() :]
    return bom + b"---\n" + added + b"---\n" + body


def _codec(data: bytes) -> str:
    """The encoding a build reads the file in, so added lines read back the same."""
    for codec in ("utf-8", "cp1252"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec
    return "latin-1"


def _taxonomy(content_dir: Path) -> Taxonomy:
    """The content's taxonomy as a build reads it; an empty one when it is missing or invalid."""
    return read_taxonomy(content_dir)[0] or build_taxonomy({})


# --- new ------------------------------------------------------------------------------------

SCAFFOLD = """\
---
# A new posting. Fill in what you know and delete the lines you cannot fill.
# `draft: true` keeps it off the site (`build --drafts` shows it): remove it to publish.
draft: true
{title}
{company}
# The day it was posted (YYYY-MM-DD); a later day keeps it off the site until then.
date: {date}
# The last day to apply (YYYY-MM-DD); after it the posting is closed.
expires:
# Where the job can be done from, e.g. Remote (US / Canada) or Remote (UTC-5 to UTC+3).
location:
# Or the regions applicants may live in, e.g. [Worldwide] or [Europe, United States].
regions: []
# full-time, part-time, contract, temporary or internship.
employment_type:
# The pay, e.g. $120k–150k or €90,000 - €115,000 EUR.
salary:
# The http(s) or mailto link of the Apply button.
apply_url:
# Skills the description does not name, e.g. [Kubernetes, Terraform]; it is tagged anyway.
tags: []
---
Paste the job description here: plain text, Markdown or HTML.
"""


def new_posting(
    content_dir: Path, title: str, company: str, now: datetime
) -> tuple[Path | None, list[Problem]]:
    """Write a draft posting with every field a curator should fill; never overwrite."""
    target = content_dir / file_name(company, title)
    if target.exists():
        fix = "edit that file, or give another --title"
        return None, [error(str(target), "already exists; nothing written", fix)]
    text = SCAFFOLD.format(
        title=_yaml_line("title", title),
        company=_yaml_line("company", company),
        date=now.date().isoformat(),
    )
    target.write_text(text, encoding="utf-8")
    return target, []


# --- explain --------------------------------------------------------------------------------


def explain(posting: Posting) -> list[str]:
    """Say each field's value and where it came from, and how to correct it."""
    sources = dict(posting.provenance)
    lines = [f"{posting.source}: {posting.title} ({posting.company or 'no company'})"]
    for field_name, key in EXPLAINED:
        lines.append(f"  {key}: {_shown(getattr(posting, field_name)) or '—'}")
        lines.append(f"      ← {sources.get(field_name, 'not found')}")
    if "read" in sources:
        lines.append(f"  (the file was {sources['read']})")
    lines.append("Front matter wins: set any of these keys above the posting to correct it.")
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(item.name for item in value)
    if value is None:
        return ""
    return value.display() if hasattr(value, "display") else str(value)
