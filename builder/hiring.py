"""Job JSON from hiring systems (Greenhouse, Lever, Ashby), read as schema.org JobPostings.

Curators copy a job's JSON from these systems' public job-board APIs. Each is recognised by
its keys, as a JobPosting is by its @type, and turned into the JobPosting it describes, so
the rest of the board reads one shape. Their quirks: Greenhouse's `content` is entity-escaped
HTML and names no company; Lever dates are epoch milliseconds and its description comes in
parts; Ashby spells employment types `FullTime` and puts pay in a compensation block.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from builder import fields

JobPosting = dict[str, Any]


def system_of(node: Mapping[str, Any]) -> str | None:
    """Name the hiring system whose job JSON this is, or None."""
    keys = set(node)
    if {"absolute_url", "title"} <= keys and keys & {"content", "internal_job_id", "updated_at"}:
        return "Greenhouse"
    if {"hostedUrl", "text"} <= keys and keys & {"categories", "createdAt", "descriptionPlain"}:
        return "Lever"
    if {"jobUrl", "title"} <= keys and keys & {"descriptionHtml", "publishedAt", "isRemote"}:
        return "Ashby"
    return None


def as_job_posting(system: str, job: Mapping[str, Any]) -> JobPosting:
    """The schema.org JobPosting a hiring system's job JSON describes."""
    return CONVERTERS[system](job)


def _greenhouse(job: Mapping[str, Any]) -> JobPosting:
    location = job.get("location")
    return _posting(
        title=job.get("title"),
        company=job.get("company_name"),
        description=html.unescape(str(job.get("content") or "")),
        date=job.get("first_published") or job.get("updated_at"),
        location=location.get("name") if isinstance(location, dict) else location,
        url=job.get("absolute_url"),
        identifier=job.get("id"),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    """The value if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _lever(job: Mapping[str, Any]) -> JobPosting:
    categories = _mapping(job.get("categories"))
    remote = str(job.get("workplaceType") or "").lower() == "remote"
    return _posting(
        title=job.get("text"),
        description=_lever_description(job),
        date=_from_epoch_ms(job.get("createdAt")),
        location=_lever_location(categories, job.get("country")),
        employment_type=categories.get("commitment"),
        remote=remote,
        salary=_lever_salary(job.get("salaryRange")),
        url=job.get("applyUrl") or job.get("hostedUrl"),
        identifier=job.get("id"),
    )


def _lever_location(categories: Mapping[str, Any], country: Any) -> str:
    """All the job's locations; the office's country code after a bare city ("London, GB")."""
    places = categories.get("allLocations") or [categories.get("location")]
    location = "; ".join(str(place) for place in places if place)
    if country and location and not fields.regions_in(location, codes=True):
        location = f"{location}, {country}"
    return location


def _lever_description(job: Mapping[str, Any]) -> str:
    """Lever's description, its lists (a heading and <li> items each) and its closing part."""
    parts = [str(job.get("description") or job.get("descriptionPlain") or "")]
    for item in job.get("lists") or []:
        if isinstance(item, dict):
            heading = html.escape(str(item.get("text") or ""))
            parts.append(f"<h3>{heading}</h3><ul>{item.get('content') or ''}</ul>")
    parts.append(str(job.get("additional") or job.get("additionalPlain") or ""))
    return "\n".join(part for part in parts if part.strip())


LEVER_INTERVALS = {"per-year-salary": "YEAR", "per-month-salary": "MONTH", "per-hour-wage": "HOUR",
                   "per-week-salary": "WEEK", "per-day-wage": "DAY"}  # fmt: skip


def _lever_salary(pay: Any) -> Any:
    if not isinstance(pay, dict):
        return None
    unit = LEVER_INTERVALS.get(str(pay.get("interval")), "YEAR")
    value = {"@type": "QuantitativeValue", "minValue": pay.get("min"),
             "maxValue": pay.get("max"), "unitText": unit}  # fmt: skip
    return {"@type": "MonetaryAmount", "currency": pay.get("currency"), "value": value}


def _ashby(job: Mapping[str, Any]) -> JobPosting:
    address = _mapping(job.get("address"))
    postal = _mapping(address.get("postalAddress"))
    return _posting(
        title=job.get("title"),
        company=job.get("organizationName"),
        description=job.get("descriptionHtml") or job.get("descriptionPlain"),
        date=job.get("publishedAt") or job.get("publishedDate"),
        location=_ashby_location(job, postal),
        employment_type=_ashby_type(job.get("employmentType")),
        remote=bool(job.get("isRemote")) or str(job.get("workplaceType")).lower() == "remote",
        salary=_ashby_salary(job.get("compensation")),
        url=job.get("applyUrl") or job.get("jobUrl"),
        identifier=job.get("id"),
    )


def _ashby_location(job: Mapping[str, Any], postal: Mapping[str, Any]) -> str:
    """The job's location and its secondary ones ("Remote (US); Remote (Canada)")."""
    places = [job.get("location") or postal.get("addressLocality")]
    for other in job.get("secondaryLocations") or []:
        places.append(other.get("location") if isinstance(other, dict) else other)
    return "; ".join(str(place) for place in places if place)


def _ashby_type(kind: Any) -> Any:
    names = {"FullTime": "FULL_TIME", "PartTime": "PART_TIME", "Contract": "CONTRACTOR",
             "Intern": "INTERN", "Temporary": "TEMPORARY"}  # fmt: skip
    return names.get(str(kind), kind)


ASHBY_INTERVALS = {"1 YEAR": "YEAR", "1 MONTH": "MONTH", "1 HOUR": "HOUR", "1 WEEK": "WEEK",
                   "1 DAY": "DAY"}  # fmt: skip


def _ashby_salary(compensation: Any) -> Any:
    """The salary part of Ashby's compensation block (its equity and bonus are not pay)."""
    if not isinstance(compensation, dict):
        return None
    parts = compensation.get("summaryComponents") or []
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, dict) and part.get("compensationType") == "Salary":
            unit = ASHBY_INTERVALS.get(str(part.get("interval")), "YEAR")
            value = {"@type": "QuantitativeValue", "minValue": part.get("minValue"),
                     "maxValue": part.get("maxValue"), "unitText": unit}  # fmt: skip
            return {"@type": "MonetaryAmount", "currency": part.get("currencyCode"),
                    "value": value}  # fmt: skip
    return compensation.get("compensationTierSummary")


def _from_epoch_ms(value: Any) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _posting(**found: Any) -> JobPosting:
    """A JobPosting of the fields found, leaving out the empty ones."""
    company, remote = found.pop("company", None), found.pop("remote", False)
    location = found.pop("location", None)
    posting: JobPosting = {
        "@type": "JobPosting",
        "title": found.get("title"),
        "description": found.get("description"),
        "datePosted": found.get("date"),
        "hiringOrganization": {"@type": "Organization", "name": company} if company else None,
        "employmentType": found.get("employment_type"),
        "baseSalary": found.get("salary"),
        "url": found.get("url"),
        "identifier": str(found["identifier"]) if found.get("identifier") else None,
        "jobLocationType": "TELECOMMUTE" if remote else None,
        "jobLocation": _place(location),
    }
    return {key: value for key, value in posting.items() if value not in (None, "", [])}


def _place(location: Any) -> Any:
    if not location:
        return None
    return {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": location}}


CONVERTERS: dict[str, Callable[[Mapping[str, Any]], JobPosting]] = {
    "Greenhouse": _greenhouse,
    "Lever": _lever,
    "Ashby": _ashby,
}
