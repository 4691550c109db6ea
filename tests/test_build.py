"""The whole build: exit codes, every problem in one run, atomic output, determinism, safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import CONTENT, NOW, ROOT, build_args, build_site, run_cli, tree

import builder.output

GOOD = """---
title: Platform SRE
company: Acme
date: 2026-11-01
location: Remote (Europe)
---
We run Kubernetes.
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def cli_build(content: Path, output: Path, *extra: str):
    return run_cli(*build_args(content, output, *extra))


def test_cli_builds_and_exits_zero(content, tmp_path):
    write(content, "good.txt", GOOD)
    done = cli_build(content, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site/jobs/platform-sre-acme/index.html").is_file()
    assert (
        "1 files read: 1 postings = 1 open + 0 closed + 0 drafts + 0 future + 0 skipped"
        in done.stderr
    )
    assert f"files in {tmp_path / 'site'}/" in done.stdout


def test_every_problem_in_every_file_is_reported_in_one_run(content, tmp_path):
    write(content, "good.txt", GOOD)
    write(content, "a_broken.txt", "---\ntitle: [unclosed\n---\nbody")
    write(content, "b_empty.txt", "")
    write(content, "c_truncated.txt", '{"@type": "JobPosting", "title": ')
    done = cli_build(content, tmp_path / "site")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"{content}/a_broken.txt:2: error: front matter") for line in lines)
    assert any(line.startswith(f"{content}/b_empty.txt: error: file is empty") for line in lines)
    assert any(line.startswith(f"{content}/c_truncated.txt:1: error: JSON") for line in lines)
    assert "previous site is untouched" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_failed_build_leaves_the_previous_site_intact(content, tmp_path):
    site = tmp_path / "site"
    write(content, "good.txt", GOOD)
    assert cli_build(content, site).returncode == 0
    before = tree(site)
    write(content, "bad.txt", b"\x00\x01binary")
    write(content, "good.txt", GOOD.replace("Platform SRE", "Renamed SRE"))
    assert cli_build(content, site).returncode == 1
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_a_crash_while_writing_keeps_the_old_site(content, tmp_path, monkeypatch):
    site = tmp_path / "site"
    write(content, "good.txt", GOOD)
    build_site(content, site)
    before = tree(site)

    def explode(pages, root):
        (root / "half-written.html").write_text("partial")
        raise OSError("disk full")

    monkeypatch.setattr(builder.output, "_write_pages", explode)
    with pytest.raises(OSError):
        build_site(content, site)
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_keep_going_skips_invalid_postings_and_names_them(content, tmp_path):
    write(content, "good.txt", GOOD)
    write(content, "bad.txt", '{"@type": "Organization"}')
    done = cli_build(content, tmp_path / "site", "--keep-going")
    assert done.returncode == 0
    assert f"{content}/bad.txt: skipped because of the errors above" in done.stderr
    assert (tmp_path / "site/jobs/platform-sre-acme/index.html").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--now", "not-a-date"],
        ["build", "--bogus"],
        [],
        ["build", "--output", "content"],
        ["build", "--output", "."],
    ],
)
def test_bad_usage_exits_two(args):
    done = run_cli(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_same_content_and_now_give_identical_bytes(tmp_path):
    build_site(CONTENT, tmp_path / "one")
    build_site(CONTENT, tmp_path / "two")
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert first.keys() == second.keys() and len(first) > 20
    assert first == second


def test_rebuilding_in_place_replaces_the_site(content, tmp_path):
    site = tmp_path / "site"
    write(content, "good.txt", GOOD)
    build_site(content, site)
    (content / "good.txt").unlink()
    write(content, "other.txt", GOOD.replace("Platform SRE", "Database SRE"))
    build_site(content, site)
    assert not (site / "jobs/platform-sre-acme").exists()
    assert (site / "jobs/database-sre-acme/index.html").is_file()


def test_front_matter_wins_over_extracted_fields(content, tmp_path):
    posting = """---
title: Curated Title
salary: €90,000 - €115,000 EUR
employment_type: contract
---
# [Scraped Title](https://x.example/apply)
### Scraped Co

We use Rust and k8s.
"""
    write(content, "p.txt", posting)
    result = build_site(content, tmp_path / "site")
    [job] = result.postings
    assert (job.title, job.company) == ("Curated Title", "Scraped Co")
    assert job.apply_url == "https://x.example/apply"
    assert (job.salary.currency, job.salary.min, job.salary.max) == ("EUR", 90000, 115000)
    assert job.employment_type == "CONTRACTOR"
    assert [t.name for t in job.tags] == ["Rust", "Kubernetes"]


def test_missing_fields_warn_and_fall_back(content, tmp_path):
    write(content, "bare.txt", "You will keep our Kafka clusters healthy. Lots of on-call.\n")
    refused = build_site(content, tmp_path / "refused")
    assert not refused.written and [p.message for p in refused.errors] == [
        "no company found; the posting shows none"
    ]
    result = build_site(content, tmp_path / "site", keep_going=True)
    assert result.written
    [job] = result.postings
    assert job.company == "" and job.date_posted == NOW  # no placeholder, ever
    page = (tmp_path / "site" / job.path / "index.html").read_text()
    assert "Unknown" not in page and "application/ld+json" not in page
    messages = [p.message for p in result.problems]
    for field in ("title", "company", "date", "apply URL", "employment type", "location"):
        assert any(m.startswith(f"no {field} found") for m in messages), field
    assert all(p.path.endswith("bare.txt") and p.fix for p in result.problems)


def test_slugs_are_safe_and_unique(content, tmp_path):
    write(
        content,
        "a.txt",
        "---\nslug: ../../etc/passwd\ntitle: A\ncompany: X\ndate: 2026-01-01\n---\nbody\n",
    )
    write(
        content,
        "b.txt",
        "---\nslug: /etc/passwd\ntitle: B\ncompany: X\ndate: 2026-02-01\n---\nbody\n",
    )
    write(content, "c.txt", "---\ntitle: Same\ncompany: Co\ndate: 2026-01-01\n---\nbody\n")
    write(content, "d.txt", "---\ntitle: Same\ncompany: Co\ndate: 2026-03-01\n---\nbody\n")
    site = tmp_path / "site"
    result = build_site(content, site)
    slugs = sorted(p.slug for p in result.postings)
    assert len(set(slugs)) == 4
    assert all("/" not in s and ".." not in s for s in slugs)
    assert "etc-passwd" in slugs and "same-co" in slugs  # the older posting keeps the plain slug
    [older] = [p for p in result.postings if p.source.endswith("c.txt")]
    assert older.slug == "same-co"
    written = [p.resolve() for p in site.rglob("*")]
    assert all(p.is_relative_to(site.resolve()) for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_xss_in_every_field_never_becomes_active(content, tmp_path):
    posting = f"""---
title: "SRE {XSS}"
company: "Evil {XSS}"
location: "Remote {XSS}"
salary: "$100k {XSS}"
tags: ["k8s", "{XSS}"]
apply_url: "javascript:alert(3)"
date: 2026-11-01
---
<p>Hi</p><script>alert(4)</script><a href="javascript:alert(5)">x</a>
<svg onload=alert(6)></svg><iframe src="https://evil.example"></iframe>
<a href="data:text/html,<script>alert(7)</script>">d</a><p onclick="alert(8)">p</p>
"""
    write(content, "evil.txt", posting)
    write(
        content,
        "evil-json.txt",
        json.dumps(
            {
                "@type": "JobPosting",
                "title": f"JSON {XSS}",
                "hiringOrganization": {"name": "J</script>"},
                "description": "&lt;script&gt;alert(9)&lt;/script&gt;&lt;p&gt;ok&lt;/p&gt;",
                "datePosted": "2026-11-02",
            }
        ),
    )
    site = tmp_path / "site"
    result = build_site(content, site)
    assert result.written
    own_scripts = {"/pagefind/pagefind-component-ui.js", "/static/search.js"}  # search page
    for page in site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        document = lxml.html.fromstring(page.read_bytes())
        for script in document.iter("script"):
            if script.get("src") in own_scripts and page.parent.name == "search":
                continue
            assert script.get("type") == "application/ld+json", page
            assert "</script" not in script.text.lower()
            json.loads(script.text)
        for element in document.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                assert not value.strip().lower().startswith(("javascript:", "data:")), (page, value)
        assert not document.xpath("//main//iframe|//svg|//main//img|//style|//object|//embed"), page
        assert document.xpath("//img/@src") in ([], ["/static/favicon.svg"]), page  # the logo
    [evil] = [p for p in result.postings if p.source.endswith("evil.txt")]
    assert evil.apply_url is None


# Regressions from review: each input once crashed the build, lost a page, or lost the site.
CRASHERS = {
    "impossible-date.txt": "---\ntitle: SRE\ndate: 2026-02-30\n---\nbody\n",
    "infinite-salary.txt": json.dumps(
        {
            "@type": "JobPosting",
            "title": "SRE",
            "baseSalary": {"currency": "USD", "value": {"value": "Infinity"}},
        }
    ),
    "huge-salary.txt": "---\ntitle: SRE\nsalary: $" + "9" * 400 + "\n---\nbody\n",
    "control-chars.txt": json.dumps(
        {"@type": "JobPosting", "title": "SRE\u0001\ud800", "description": "a\u0000b"}
    ),
    "deep-page.txt": '<!doctype html><script type="application/ld+json">'
    + "[" * 100000
    + "]" * 100000
    + "</script>",
    "yaml-escapes.txt": '---\ntitle: "SRE \\x01 \\x0c"\n---\nbody\n',
}


def test_hostile_values_give_problems_or_postings_never_a_traceback(content, tmp_path):
    for name, text in CRASHERS.items():
        write(content, name, text)
    done = cli_build(content, tmp_path / "site", "--keep-going")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        f"{content}/impossible-date.txt:3: error: front matter has a date that does not exist"
        in done.stderr
    )
    assert (
        f"{content}/deep-page.txt: error: JSON-LD in the page is nested too deeply" in done.stderr
    )
    feed = (tmp_path / "site/feed.xml").read_text(encoding="utf-8")
    assert "\x01" not in feed and "\x00" not in feed
    for page in (tmp_path / "site/jobs").rglob("index.html"):
        for block in lxml.html.fromstring(page.read_bytes()).xpath("//script/text()"):
            json.loads(block, parse_constant=lambda name: pytest.fail(f"{name} in JSON-LD"))


def test_identical_postings_in_one_file_get_distinct_pages(content, tmp_path):
    job = {
        "@type": "JobPosting",
        "title": "SRE",
        "hiringOrganization": "X",
        "datePosted": "2026-01-01",
    }
    write(content, "three.txt", json.dumps([job, job, job]))
    result = build_site(content, tmp_path / "site")
    slugs = {p.slug for p in result.postings}
    assert len(slugs) == 3
    assert all((tmp_path / f"site/jobs/{slug}/index.html").is_file() for slug in slugs)


def test_unknown_tags_with_one_slug_share_one_page_and_cpp_is_not_c(content, tmp_path):
    write(content, "a.txt", "---\ntitle: A\ntags: [C++, Widgetry]\n---\nbody\n")
    write(content, "b.txt", "---\ntitle: B\ntags: [widgetry, c]\n---\nbody\n")
    site = tmp_path / "site"
    build_site(content, site, keep_going=True)  # no company: an error, built all the same
    widgetry = lxml.html.fromstring((site / "tags/widgetry/index.html").read_bytes())
    assert len(widgetry.cssselect(".card")) == 2
    assert (site / "tags/cpp/index.html").is_file() and (site / "tags/c/index.html").is_file()
    index = (site / "tags/index.html").read_text()
    assert index.count('href="/tags/widgetry/"') == 1


def test_markdown_that_opens_with_a_bracket_is_not_json(content, tmp_path):
    write(
        content, "a.txt", "[Remote] Site Reliability Engineer at Foo\n\nWe need **Kubernetes**.\n"
    )
    result = build_site(content, tmp_path / "site")
    assert result.written and [p.tags[0].name for p in result.postings] == ["Kubernetes"]


def test_output_inside_content_is_refused_and_hidden_folders_are_not_read(content, tmp_path):
    write(content, "good.txt", GOOD)
    assert cli_build(content, content / "site").returncode == 2
    (content / "_site").mkdir()
    write(content / "_site", "index.html", "<!doctype html><p>old</p>")
    (content / ".git").mkdir()
    write(content / ".git", "HEAD", "ref: refs/heads/main")
    done = cli_build(content, tmp_path / "site")
    assert done.returncode == 0 and "1 files read" in done.stderr


def test_a_mistyped_content_folder_keeps_the_site(content, tmp_path):
    site = tmp_path / "site"
    write(content, "good.txt", GOOD)
    assert cli_build(content, site).returncode == 0
    before = tree(site)
    done = cli_build(tmp_path / "typo", site)
    assert done.returncode == 2 and "no such folder" in done.stderr
    assert tree(site) == before


def test_a_malformed_taxonomy_is_an_error_not_a_crash(content, tmp_path):
    write(
        content,
        "_taxonomy.yml",
        "skills:\n  - {name: 123, slug: x, category: y}\n"
        "  - {name: A, slug: a, category: b, aliases: 5}\n",
    )
    write(content, "good.txt", GOOD)
    done = cli_build(content, tmp_path / "site", "--keep-going")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "_taxonomy.yml: error: skill #1 needs text name" in done.stderr
    assert "_taxonomy.yml: error: skill #2 needs text name" in done.stderr


def test_output_does_not_depend_on_the_working_folder(content, tmp_path):
    for name in ("a.txt", "b.txt"):  # the same title and company: one slug gets a suffix
        write(content, name, GOOD)
    (tmp_path / "elsewhere").mkdir()
    args = ("build", "--now", "2026-11-23T12:00:00Z", "--base-url", "https://board.example/")
    here = run_cli(*args, "--content", "content", "--output", "one", cwd=tmp_path)
    there = run_cli(*args, "--content", "../content", "--output", "two", cwd=tmp_path / "elsewhere")
    assert here.returncode == there.returncode == 0, here.stderr + there.stderr
    assert tree(tmp_path / "one") == tree(tmp_path / "elsewhere/two")


def test_the_progress_bar_starts_no_thread_that_would_stop_workers_forking(monkeypatch):
    import io
    import threading

    import build

    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    threads = threading.active_count()
    report = build._progress_bar()
    assert report is not None
    report(1, 10)
    assert threading.active_count() == threads and builder.output.can_fork() == (threads == 1)
    report(10, 10)


@pytest.mark.parametrize("forked", [False, True], ids=["one writer", "forked writers"])
def test_a_broken_template_is_a_problem_naming_it_and_its_line_and_keeps_the_site(
    board, tmp_path, monkeypatch, forked
):
    site = tmp_path / "_site"
    assert build_site(board, site).written
    before = tree(site)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "posting.html"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if "{% block content %}" in line) + 1
    lines.insert(at, "{{ posting.no_such_field.name }}\n")
    page.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(builder.output, "PARALLEL_FROM_PAGES", 2 if forked else 10**9)
    result = build_site(board, site, templates_dir=templates)
    assert not result.written
    (problem,) = [p for p in result.errors if "template" in p.message]
    assert problem.path.endswith("templates/posting.html") and problem.line == at + 1
    assert "no_such_field" in problem.message
    assert tree(site) == before
