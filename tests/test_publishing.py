"""Publishing: a site built for a sub-path stays inside it; the workflows deploy and gate PRs."""

from __future__ import annotations

import re
import subprocess

import lxml.etree
import lxml.html
import pytest
import yaml
from conftest import CONTENT, NOW, ROOT, run_cli

import builder
import builder.problems
from builder.reporting import annotation as _annotation

SUB_PATH = "https://example.github.io/board/"
WORKFLOWS = ROOT / ".github" / "workflows"


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("pages") / "_site"
    result = builder.build(builder.Options(CONTENT, output, SUB_PATH, NOW))
    assert result.written
    return output


def test_every_link_asset_and_feed_reference_stays_under_the_sub_path(sub_path_site):
    pages = sorted(sub_path_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = lxml.html.fromstring(page.read_bytes())
        for element, attribute, link, _ in html.iterlinks():
            if link.startswith(("https://", "http://", "mailto:", "#")):
                continue
            assert link.startswith("/board/"), (page, element.tag, attribute, link)
        for absolute in html.xpath('//link[@rel="canonical"]/@href | //meta/@content'):
            if absolute.startswith("http"):
                assert absolute.startswith(SUB_PATH), (page, absolute)


def test_feeds_and_the_sitemap_use_the_sub_path(sub_path_site):
    for name in ("feed.xml", "atom.xml", "feed.json", "sitemap.xml", "regions/europe/atom.xml"):
        text = (sub_path_site / name).read_text(encoding="utf-8")
        site_urls = re.findall(r"https?://example\.github\.io[^\"'<\s]*", text)
        assert site_urls, name
        assert all(url.startswith(SUB_PATH) for url in site_urls), name
    robots = (sub_path_site / "robots.txt").read_text()
    assert f"Sitemap: {SUB_PATH}sitemap.xml" in robots


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job["steps"]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_pages_workflow_builds_for_the_url_pages_gives_and_deploys_it():
    flow = workflow("pages.yml")
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert uses(build) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
    ]
    assert steps(build)[0]["with"]["fetch-depth"] == 0  # dates come from the git history
    cached = next(s for s in steps(build) if s.get("uses", "").startswith("actions/cache"))
    assert cached["with"]["path"] == ".cache/sreboard"  # where `make build` keeps its cache
    assert "github.sha" in cached["with"]["key"] and cached["with"]["restore-keys"]
    pages_id = next(s["id"] for s in steps(build) if s.get("uses", "").startswith("actions/conf"))
    run = next(s["run"] for s in steps(build) if "run" in s)
    assert run.startswith("make build") and f"steps.{pages_id}.outputs.base_url" in run
    upload = next(s for s in steps(build) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_site"
    assert deploy["needs"] == "build" and uses(deploy) == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


def test_ci_workflow_checks_postings_and_runs_the_tests_on_every_pull_request():
    flow = workflow("ci.yml")
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as true
    (job,) = flow["jobs"].values()
    runs = [step["run"] for step in steps(job) if "run" in step]
    assert runs[-2:] == ["make check", "make test"]
    assert {"actions/setup-node", "actions/setup-java"} <= set(uses(job))
    assert job["container"].endswith("bookworm")  # Debian, where `make test` apt-installs chromium


def test_make_build_passes_base_url_through():
    command = ["make", "-n", "build", "BASE_URL=https://example.github.io/board/"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert 'build.py build --base-url "https://example.github.io/board/"' in done.stdout


def test_annotations_escape_what_would_end_their_fields():
    problem = builder.problems.error("content/a,b:c%.txt", "bad\nvalue 100%", "fix it", 3)
    assert _annotation(problem) == (
        "::error file=content/a%2Cb%3Ac%25.txt,line=3::bad%0Avalue 100%25 — fix it"
    )


def test_check_annotates_problems_for_github(content):
    (content / "broken.txt").write_text("---\ntitle: [unclosed\n---\nbody\n")
    done = run_cli("check", "--content", str(content), "--format", "github")
    assert done.returncode == 1
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert re.fullmatch(r"::error file=\S+broken\.txt,line=2::.+ — .+", annotations[0])
    assert "broken.txt:2: error:" in done.stderr  # the plain report is still there
