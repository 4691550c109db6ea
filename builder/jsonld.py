"""The schema.org JobPosting of a posting page (Google Jobs reads it), safe inside <script>."""

from __future__ import annotations

import json
from typing import Any

from builder.model import Posting, Site


def job_posting_jsonld(posting: Posting, site: Site) -> str:
    """Serialize the schema.org JobPosting for a posting page, safe inside <script>."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html,
        "datePosted": posting.date_posted.isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": posting.company},
        "identifier": {
            "@type": "PropertyValue",
            "name": posting.company,
            "value": posting.identifier or posting.uid.removeprefix("urn:uuid:"),
        },
        "url": site.absolute_url(posting.path),
        "directApply": False,
    }
    if posting.valid_through:
        data["validThrough"] = posting.valid_through.isoformat()
    if posting.employment_type:
        data["employmentType"] = posting.employment_type
    data.update(_jsonld_location(posting))
    if posting.salary:
        data["baseSalary"] = _jsonld_salary(posting)
    return _script_safe_json(data)


def _jsonld_location(posting: Posting) -> dict[str, Any]:
    if posting.remote:
        located = {"jobLocationType": "TELECOMMUTE"}
        if posting.regions:
            located["applicantLocationRequirements"] = [  # type: ignore[assignment]
                {"@type": region.kind, "name": region.name} for region in posting.regions
            ]
        return located
    address = {"@type": "PostalAddress", "addressLocality": posting.location}
    return {"jobLocation": {"@type": "Place", "address": address}}


def _jsonld_salary(posting: Posting) -> dict[str, Any]:
    salary = posting.salary
    assert salary is not None
    value = {
        "@type": "QuantitativeValue",
        "minValue": salary.min,
        "maxValue": salary.max,
        "unitText": salary.period,
    }
    return {"@type": "MonetaryAmount", "currency": salary.currency, "value": value}


def _script_safe_json(data: Any) -> str:
    # "<" escaped means no "</script>" or "<!--" can end the block early. Not indented:
    # json's C encoder takes no indent, and the pure-Python one took a tenth of rendering.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
