"""A content folder of hostile postings: XSS vectors in every field of every format, hostile
slugs, tricky Unicode, and files built to break readers. Shared by the hostile and browser tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import TAXONOMY

HERE = Path(__file__).resolve().parent / "hostile"
VECTORS = (HERE / "vectors.txt").read_text().splitlines()
APPLY_URLS = (HERE / "apply-urls.txt").read_text().splitlines()
PAYLOAD = " ".join(VECTORS)
NOW = "2026-11-23T12:00:00Z"


def yaml_value(value: object) -> str:
    """Quote any value for YAML front matter: JSON is valid YAML flow syntax."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(**fields: object) -> str:
    lines = [f"{key}: {yaml_value(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def job(**fields: object) -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": "JobPosting", **fields}


def jsonld_job(number: int) -> dict[str, object]:
    """A JobPosting with a vector in every field the JSON-LD reader takes."""
    return job(
        title=f"JSON SRE {number} {PAYLOAD}",
        hiringOrganization={"@type": "Organization", "name": f"JSON Co {PAYLOAD}"},
        description=PAYLOAD + " We run Kubernetes.",
        datePosted="2026-11-0" + str(number),
        validThrough="2027-01-01",
        employmentType=f"FULL_TIME {VECTORS[0]}",
        jobLocation={"address": {"addressLocality": f"Berlin {VECTORS[1]}"}},
        applicantLocationRequirements=[{"name": VECTORS[2]}, {"name": "Europe"}],
        baseSalary={"currency": VECTORS[0], "value": {"minValue": 1, "maxValue": 2}},
        url=APPLY_URLS[3],
        identifier={"value": VECTORS[3]},
    )


def xss_postings() -> dict[str, str]:
    """The handful of postings the browser loads: one per format, plus a draft and a closed one."""
    html_page_json = json.dumps(jsonld_job(3)).replace("</", "<\\/")  # as a page would embed it
    return {
        "fm-html.txt": front_matter(
            title=f"SRE {PAYLOAD}",
            company=f"Evil {PAYLOAD}",
            location=f"Remote {PAYLOAD}",
            salary=f"$100k {PAYLOAD}",
            tags=["k8s", *VECTORS[:5]],
            regions=["Europe", *VECTORS[:3]],
            employment_type=VECTORS[0],
            apply_url=APPLY_URLS[0],
            date="2026-11-01",
            updated=VECTORS[1],
            slug=VECTORS[0],
        )
        + "\n".join(VECTORS),
        "jsonld.txt": json.dumps(jsonld_job(2)),
        "list.txt": json.dumps([jsonld_job(4), jsonld_job(5)]),
        "page.txt": "<!doctype html><title>x</title>"
        + f'<script type="application/ld+json">{html_page_json}</script>'
        + "<body>"
        + PAYLOAD
        + "</body>",
        "markdown.txt": f"# [Markdown SRE {VECTORS[1]}]({APPLY_URLS[1].strip()})\n"
        f"### Markdown Co {VECTORS[0]}\n"
        f"#### `💰 USD $103,600 {VECTORS[0]}` `🌎 Remote {VECTORS[1]}`\n\n"
        + "\n\n".join(VECTORS)
        + "\n\n[APPLY](javascript:alert(48))\n",
        "text.txt": f"Text SRE {VECTORS[0]} - Text Co {VECTORS[1]}\n"
        f"location: Remote {VECTORS[2]}\n"
        f"Apply here: {APPLY_URLS[6]}\n\n" + "\n".join(VECTORS),
        "draft.txt": front_matter(title=f"Draft {PAYLOAD}", draft=True) + PAYLOAD,
        "closed.txt": front_matter(title=f"Closed {PAYLOAD}", expires="2020-01-01") + PAYLOAD,
    }


# The slugs and names a hostile curator or scrape could give, each once as slug, company, tag
# and region.
HOSTILE_NAMES = [
    "../../../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "",
    "C:\\Windows\\system32",
    "con",
    "NUL",
    "a\0b",
    "%2e%2e%2f%2e%2e%2f",
    "．．／．．／etc",  # fullwidth dots and slash
    "‥/‥/",  # two-dot leaders
    "x" * 300,
    "é" * 200,
    "🚀" * 100,
    "index.html",
    "~/.ssh/id_rsa",
]


def path_postings() -> dict[str, str]:
    return {
        f"path-{number:02}.txt": front_matter(
            title=f"Path {number}", slug=name, company=name, tags=[name], regions=[name]
        )
        + "We run Kubernetes.\n"
        for number, name in enumerate(HOSTILE_NAMES)
    }


UNICODE_TITLES = {
    "rtl-arabic.txt": ("مهندس موثوقية المواقع", "شركة المثال"),
    "rtl-hebrew.txt": ("מהנדס/ת אמינות אתרים", "חברה בע״מ"),
    "emoji.txt": ("🚀 SRE 👩‍💻 on-call 🔥", "Rocket 🚀 Inc"),
    "combining.txt": ("Ingenieur fu\u0308r Zuverla\u0308ssigkeit", "Cafe\u0301 GmbH"),
    "lookalike-latin.txt": ("Platform SRE", "Acme"),
    "lookalike-cyrillic.txt": ("Plаtform SRE", "Аcme"),  # Cyrillic а and А
    "bidi-override.txt": ("SRE \u202eevil\u202c title", "\u2067Good\u2069 Co\u202d"),
    "zero-width.txt": ("S\u200bR\u200dE", "Ac\u200bme"),
}


def unicode_postings() -> dict[str, str]:
    return {
        name: front_matter(title=title, company=company, date="2026-11-10") + "We run Kafka.\n"
        for name, (title, company) in UNICODE_TITLES.items()
    }


BROKEN = {
    "broken-alias-bomb.txt": "---\na: &a [x, x]\nb: [*a, *a]\n---\nbody\n",
    "broken-deep.txt": "[" * 5000 + "]" * 5000,
    "broken-python-tag.txt": "---\ntitle: !!python/object/apply:os.system ['true']\n---\nb\n",
    "broken-binary.txt": "\x00\x01\x02binary",
    "broken-empty.txt": "",
    "broken-truncated.txt": '{"@type": "JobPosting", "title": "SRE',
    "broken-unclosed.txt": "---\ntitle: SRE\nbody without a closing line\n",
    "broken-not-a-job.txt": '{"@type": "Organization", "name": "Acme"}',
    "broken-huge.txt": "x" * (1024 * 1024 + 1),
}


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))


def make_corpus(folder: Path, *groups: dict[str, str]) -> Path:
    """Write the taxonomy and the given groups of postings into folder."""
    folder.mkdir(parents=True)
    shutil.copy(TAXONOMY, folder / TAXONOMY.name)
    for group in groups:
        write(folder, group)
    return folder


def whole_corpus(folder: Path) -> Path:
    return make_corpus(folder, xss_postings(), path_postings(), unicode_postings(), BROKEN)
