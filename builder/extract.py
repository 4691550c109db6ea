"""Extract a Posting from a RawPosting: one rule set per format, then the curator's front matter."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slugify import slugify

from builder import fields
from builder.model import Posting, RawPosting, Region, Salary, Tag
from builder.normalize import (
    REAL_TAG,
    body_to_html,
    html_to_text,
    summarize_text,
    unescape_if_escaped,
)
from builder.problems import Problem, warning
from builder.taxonomy import Taxonomy

Found = dict[str, Any]
SAFE_URL = re.compile(r"(https?://|mailto:)\S+\Z", re.IGNORECASE)
SLUG_LENGTH = 80
FILE_NAME_LINE = re.compile(r"\S.*\.(txt|pdf|docx?|rtf|html?|md)\s*\Z|\A\S*[-_]\S*[-_]\S*\Z", re.I)
TITLE_COMPANY = re.compile(r"\s(?:-|–|—|@|at)\s+([^-–—@]{2,40})\Z")
LOCATION_LABEL = re.compile(r"^\s*location\s*:\s*(.+)$", re.IGNORECASE)
APPLY_LINK = re.compile(r"\[[^\]]*apply[^\]]*\]\(([^)\s]+)\)", re.IGNORECASE)
URL = re.compile(r"https?://[^\s<>()\"']+")
ACRONYMS = {"sre", "aws", "gcp", "api", "sql", "ci", "cd", "devops", "it", "ui", "qa", "saas"}
SMALL_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}


@dataclass(frozen=True)
class Context:
    """What extraction needs beyond the file: the taxonomy and the build's clock."""

    taxonomy: Taxonomy
    now: datetime
    first_seen: Mapping[str, datetime]  # source path -> date of the commit that added it


def extract(raw: RawPosting, context: Context) -> tuple[Posting, list[Problem]]:
    """Build a Posting from what the format offers, overlaid with the curator's front matter."""
    found, description_html = FORMAT_RULES[raw.format](raw)
    found.update(_curated(raw.front_matter))
    note = _Reporter(raw)
    company = _company(found, note)
    posting = Posting(
        source=raw.source,
        slug=_slug(found),
        title=_title(found, description_html, note),
        company=company,
        company_slug=slugify(company, max_length=SLUG_LENGTH) or "company",
        date_posted=_date_posted(found, raw.source, context, note),
        description_html=description_html,
        summary=summarize_text(html_to_text(description_html)),
        valid_through=_valid_through(found, note),
        location=str(found.get("location") or ""),
        regions=_regions(found, note),
        remote=_remote(found),
        employment_type=_employment_type(found, description_html, note),
        salary=_salary(found, note),
        apply_url=_apply_url(found, note),
        tags=_tags(found, description_html, context.taxonomy, note),
        draft=_flag(found.get("draft")),
        identifier=_clean(found.get("identifier")),
        index=raw.index,
    )
    return posting, note.problems


class _Reporter:
    """Collect one posting's warnings, each on the front matter line it concerns."""

    def __init__(self, raw: RawPosting) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        # A JSON list of postings shares one file: say which posting a warning is about.
        self.prefix = f"posting {raw.index + 1} of {raw.count}: " if raw.count > 1 else ""

    def missing(self, what: str, key: str, fallback: str = "") -> None:
        message = f"no {what} found" + (f"; using {fallback}" if fallback else "")
        self.warn(message, f"add `{key}:` in front matter")

    def warn(self, message: str, fix: str, *keys: str) -> None:
        lines = [self.raw.front_matter_lines[k] for k in keys if k in self.raw.front_matter_lines]
        line = lines[0] if lines else None
        self.problems.append(warning(self.raw.source, self.prefix + message, fix, line))


# --- what each format offers ------------------------------------------------------------


def _from_jsonld(raw: RawPosting) -> tuple[Found, str]:
    job = raw.jsonld or {}
    org = job.get("hiringOrganization")
    description = unescape_if_escaped(str(job.get("description") or ""))
    body_format = "html" if REAL_TAG.search(description) else "text"
    found = {
        "title": job.get("title"),
        "company": org.get("name") if isinstance(org, dict) else org,
        "date": job.get("datePosted"),
        "valid_through": job.get("validThrough"),
        "employment_type": job.get("employmentType"),
        "salary": fields.salary_from_jsonld(job.get("baseSalary")),
        "location": _jsonld_place(job.get("jobLocation")),
        "regions": _jsonld_regions(job.get("applicantLocationRequirements")),
        "remote": job.get("jobLocationType") == "TELECOMMUTE" or None,
        "apply_url": job.get("url"),
        "identifier": _jsonld_identifier(job.get("identifier")),
    }
    return _present(found), body_to_html(description, body_format)


def _jsonld_place(location: Any) -> str | None:
    place = location[0] if isinstance(location, list) and location else location
    address = place.get("address") if isinstance(place, dict) else None
    if not isinstance(address, dict):
        return None
    keys = ("addressLocality", "addressRegion", "addressCountry")
    parts = [str(address[k]) for k in keys if address.get(k)]
    return ", ".join(dict.fromkeys(parts)) or None


def _jsonld_regions(requirements: Any) -> list[str] | None:
    items = requirements if isinstance(requirements, list) else [requirements]
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return [str(name) for name in names if name] or None


def _jsonld_identifier(identifier: Any) -> str | None:
    return identifier.get("value") if isinstance(identifier, dict) else identifier


def _from_markdown(raw: RawPosting) -> tuple[Found, str]:
    lines = raw.body.splitlines()
    found: Found = {}
    used = set()
    for number, line in enumerate(lines):  # the header block: title, company, badges
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
        if heading and _markdown_heading(found, len(heading.group(1)), heading.group(2)):
            used.add(number)
        elif line.strip():
            break
    for number, line in enumerate(lines):  # "CLICK TO [APPLY](url)" trailers
        if APPLY_LINK.search(line):
            found.setdefault("apply_url", APPLY_LINK.search(line).group(1))
            used.add(number)
    body = "\n".join(line for number, line in enumerate(lines) if number not in used)
    return found, body_to_html(body, "markdown")


def _markdown_heading(found: Found, level: int, text: str) -> bool:
    """Take a header line for the field it holds; tell whether it was taken."""
    if level == 1 and "title" not in found:
        found["title"], url = _markdown_link(text)
        if url:
            found["apply_url"] = url
        return True
    if level in (2, 3) and "title" in found and "company" not in found and len(text) < 80:
        found["company"] = _markdown_link(text)[0]
        return True
    if level >= 4 and "`" in text and "title" in found:
        found.update(_badges(re.findall(r"`([^`]+)`", text)))
        return True
    return False


def _markdown_link(text: str) -> tuple[str, str | None]:
    match = re.search(r"\[([^\]]+)\]\(([^)\s]+)\)", text)
    if not match:
        return text.strip(), None
    return match.group(1).strip(), match.group(2)


def _badges(badges: list[str]) -> Found:
    found: Found = {}
    for badge in badges:
        text = re.sub(r"[^\w\s$€£¥₹,.~()/+:–—-]", "", badge).strip()  # drop emoji
        if fields.parse_salary(text):
            found["salary"] = text
        elif fields.is_remote_text(text) or fields.regions_in(text):
            found["location"] = text
        elif fields.parse_employment_type(text) not in (None, "OTHER"):
            found["employment_type"] = text
    return found


def _from_text(raw: RawPosting) -> tuple[Found, str]:
    lines = raw.body.splitlines()
    found: Found = {}
    content = [n for n, line in enumerate(lines) if line.strip()]
    used = set()
    if content and FILE_NAME_LINE.search(lines[content[0]].strip()):
        used.add(content.pop(0))  # a scraper's file name, not the title
    if content and _looks_like_title(lines[content[0]]):
        used.add(content[0])
        found["title"] = _smart_title(lines[content[0]].strip())
        company = TITLE_COMPANY.search(found["title"])
        # "Title - Heroku" names the company only if the ad names it again: "- Lyon" may not.
        rest = "\n".join(lines[content[0] + 1 :]).lower()
        if company and company.group(1).strip().lower() in rest:
            found["company"] = company.group(1).strip()
    for number, line in enumerate(lines):
        label = LOCATION_LABEL.match(line)
        if label and "location" not in found:
            found["location"] = label.group(1).strip()
            used.add(number)
        elif re.search(r"\bapply\b", line, re.I) and URL.search(line):
            found.setdefault("apply_url", URL.search(line).group(0).rstrip(".,;"))
    body = "\n".join(line for n, line in enumerate(lines) if n not in used)
    return found, body_to_html(body, "text")


def _looks_like_title(line: str) -> bool:
    text = line.strip()
    return 3 <= len(text) <= 120 and len(text.split()) <= 16 and not text.endswith((".", ":", ";"))


def _smart_title(text: str) -> str:
    """Title-case a title written all in lower case, keeping acronyms such as SRE."""
    if text != text.lower():
        return text

    def word(match: re.Match[str]) -> str:
        value = match.group(0)
        if value in ACRONYMS:
            return value.upper()
        return value if value in SMALL_WORDS and match.start() else value.capitalize()

    return re.sub(r"[a-z][a-z']*", word, text)


def _from_html(raw: RawPosting) -> tuple[Found, str]:
    found: Found = {}
    body = raw.body
    heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.I | re.S)
    if heading:
        found["title"] = html_to_text(heading.group(1))
        body = body.replace(heading.group(0), "", 1)
    apply = re.search(
        r"apply[^<]{0,40}<a\s[^>]*href\s*=\s*[\"']([^\"']+)[\"'][^>]*>.*?</a>", body, re.I | re.S
    )
    if apply:
        found["apply_url"] = apply.group(1)
        body = body[: apply.start()] + body[apply.end() :]
    return found, body_to_html(body, "html")


FORMAT_RULES: dict[str, Callable[[RawPosting], tuple[Found, str]]] = {
    "jsonld": _from_jsonld,
    "markdown": _from_markdown,
    "text": _from_text,
    "html": _from_html,
}


# --- the curator's front matter ---------------------------------------------------------

CURATED_KEYS = (
    "title", "company", "date", "expires", "valid_through", "location", "regions", "remote",
    "employment_type", "salary", "apply_url", "tags", "draft", "slug",
)  # fmt: skip


def _curated(front_matter: Mapping[str, Any]) -> Found:
    """Front matter fields, with remoteok's `summary` (the company) and `expires` mapped."""
    curated = {key: front_matter[key] for key in CURATED_KEYS if key in front_matter}
    if "summary" in front_matter and "company" not in curated:
        curated["company"] = front_matter["summary"]
    if "expires" in curated:
        curated["valid_through"] = curated.pop("expires")
    return _present(curated)


def _present(found: Found) -> Found:
    return {key: value for key, value in found.items() if value not in (None, "", [])}


# --- one function per field, each with its fallback -------------------------------------


def _clean(value: Any) -> str:
    """Flatten a field to one line of text, whatever YAML or JSON type it came as."""
    if isinstance(value, dict):
        value = value.get("name", "")
    elif isinstance(value, list | tuple):
        value = ", ".join(_clean(item) for item in value)
    return " ".join(str(value if value is not None else "").split())


def _title(found: Found, description_html: str, note: _Reporter) -> str:
    title = _clean(found.get("title"))
    if title:
        return title
    sentence = re.split(r"(?<=[.!?])\s", html_to_text(description_html), maxsplit=1)[0]
    fallback = summarize_text(sentence, 80) or "Untitled posting"
    note.missing("title", "title", f'"{fallback}"')
    return fallback


def _valid_through(found: Found, note: _Reporter) -> datetime | None:
    if "valid_through" not in found:
        return None
    moment = fields.parse_date(found["valid_through"], end_of_day=True)
    if moment is None:
        what = f"expiry {found['valid_through']!r} is not a date"
        note.warn(what, "write it as YYYY-MM-DD", "expires", "valid_through")
    return moment


def _company(found: Found, note: _Reporter) -> str:
    company = _clean(found.get("company"))
    if company:
        return _smart_title(company)
    note.missing("company", "company", '"Unknown company"')
    return "Unknown company"


def _date_posted(found: Found, source: str, context: Context, note: _Reporter) -> datetime:
    if "date" in found:
        posted = fields.parse_date(found["date"])
        if posted:
            return posted
        note.warn(f"date {found['date']!r} is not a date", "write it as YYYY-MM-DD", "date")
    fallback = context.first_seen.get(source)
    label = "the date of the commit that added the file" if fallback else "the build date"
    note.missing("date", "date", label)
    return fallback or context.now


def _regions(found: Found, note: _Reporter) -> tuple[Region, ...]:
    names = [name for name in _as_list(found.get("regions"), ",;/") if name]
    if names:
        return tuple(dict.fromkeys(fields.region_named(name) for name in names))
    location = _clean(found.get("location"))
    if not location:
        note.missing("location", "location", '"Remote"')
    return fields.regions_in(location)


def _remote(found: Found) -> bool:
    if "remote" in found and not isinstance(found["remote"], dict | list):
        return _flag(found["remote"])
    location = _clean(found.get("location"))
    # A board of remote jobs: remote unless a location is given that does not say so.
    return fields.is_remote_text(location) if location else True


def _employment_type(found: Found, description_html: str, note: _Reporter) -> str | None:
    kind = fields.parse_employment_type(found.get("employment_type"))
    kind = kind or fields.employment_type_in_text(html_to_text(description_html))
    if not kind:
        note.missing("employment type", "employment_type")
    return kind


def _salary(found: Found, note: _Reporter) -> Salary | None:
    if "salary" not in found:
        return None
    salary = fields.parse_salary(found["salary"])
    if not salary:
        note.warn(f"salary {found['salary']!r} has no amount and currency", _SALARY_FIX, "salary")
    return salary


_SALARY_FIX = "write it like `$120k–150k` or `€90,000 - €115,000 EUR`"


def _apply_url(found: Found, note: _Reporter) -> str | None:
    url = _clean(found.get("apply_url"))
    if url and SAFE_URL.match(url):
        return url
    if url:
        what = f"apply URL {url!r} is not http(s) or mailto; left out"
        note.warn(what, "fix `apply_url:`", "apply_url")
    else:
        note.missing("apply URL", "apply_url")
    return None


def _tags(
    found: Found, description_html: str, taxonomy: Taxonomy, note: _Reporter
) -> tuple[Tag, ...]:
    text = _clean(found.get("title")) + "\n" + html_to_text(description_html)
    tags = list(taxonomy.tag_text(text))
    for name in _tag_names(found.get("tags")):
        tag = taxonomy.resolve(name)
        if not tag:
            tag = taxonomy.unknown(name)
            note.warn(f"tag {name!r} is not in the taxonomy", _TAG_FIX, "tags")
        tags.append(tag)
    return tuple(dict.fromkeys(tags))


_TAG_FIX = "add it to content/_taxonomy.yml, or use one of its names or aliases"


def _tag_names(value: Any) -> list[str]:
    return [name for name in _as_list(value, ",") if name]


def _as_list(value: Any, separators: str) -> list[str]:
    """Read a YAML list, or a string of items split by any of `separators`, as strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(f"[{re.escape(separators)}]", value)]
    items = value if isinstance(value, list | tuple) else [value]
    return [_clean(item) for item in items if not isinstance(item, dict | list)]


def _flag(value: Any) -> bool:
    """Read a YAML flag, where a curator may also have written "yes" or "false" as text."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


def _slug(found: Found) -> str:
    """Slug the curator's `slug`, else title and company (once, if the title names it)."""
    text = _clean(found.get("slug"))
    if not text:
        title, company = _clean(found.get("title")), _clean(found.get("company"))
        named = f"-{slugify(company)}-" in f"-{slugify(title)}-"
        text = title if named else f"{title} {company}"
    return slugify(text, max_length=SLUG_LENGTH, word_boundary=True) or "posting"


def assign_unique_slugs(postings: list[Posting]) -> list[Posting]:
    """Give postings that share a slug a suffix from their source, keeping the oldest plain."""
    ordered = sorted(postings, key=lambda p: (p.date_posted, p.key, p.index))
    taken: set[str] = set()
    unique = []
    for posting in ordered:
        slug, attempt = posting.slug, 0
        while slug in taken:
            key = f"{posting.key}#{posting.index}#{attempt}"
            slug = (
                f"{posting.slug[: SLUG_LENGTH - 7]}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
            )
            attempt += 1
        taken.add(slug)
        unique.append(replace(posting, slug=slug))
    return unique
