"""The curator's workflow: import, new, drafts and future postings, and the build's summary."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, NOW, TAXONOMY, build_args, build_site, run_cli

import builder
from builder import curate

NOW_ARG = "2026-11-23T12:00:00Z"
SEEDS = sorted(CONTENT.glob("0*.txt"))
JOB = {
    "@context": "http://schema.org",
    "@type": "JobPosting",
    "title": "Observability Engineer",
    "hiringOrganization": {"name": "Grafana Labs"},
    "datePosted": "2026-11-01",
    "url": "https://grafana.example/jobs/7",
    "description": "<p>Run Prometheus and Loki for customers.</p>",
}
HTML_PAGE = (
    '<!doctype html><html><head><script type="application/ld+json">'
    '{"@type": "JobPosting", "title": "Database Reliability Engineer", '
    '"hiringOrganization": "Crunchy", "url": "https://crunchy.example/apply", '
    '"description": "Operate PostgreSQL on Kubernetes."}'
    "</script></head><body><p>Operate PostgreSQL on Kubernetes.</p></body></html>"
)


def without_front_matter(path: Path) -> bytes:
    """A curated seed as it came in: the text below its front matter."""
    return path.read_bytes().split(b"\n---\n", 1)[1]


def raw_postings(folder: Path) -> list[Path]:
    """Every kind of posting the board reads, one file each, as it came in."""
    folder.mkdir()
    files = {seed.name: seed.read_bytes() for seed in SEEDS}  # remoteok, text, Markdown, curated
    for seed in (CONTENT / "003_d0ff996159fdbdb7.txt", CONTENT / "004_40b30d2d8d99e4cd.txt"):
        files[f"raw_{seed.name}"] = without_front_matter(seed)  # bare JSON-LD, bare text
    files["page.html"] = HTML_PAGE.encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sorted(folder.iterdir())


def new_board(folder: Path, *files: Path) -> Path:
    folder.mkdir()
    shutil.copy(TAXONOMY, folder)
    for file in files:
        shutil.copy(file, folder)
    return folder


def facts(result: builder.Result) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((p.title, p.company, tuple(t.name for t in p.tags)) for p in result.postings)


# --- import ---------------------------------------------------------------------------------


def test_imported_postings_build_with_the_same_titles_companies_and_tags(tmp_path):
    raws = raw_postings(tmp_path / "raw")
    by_format, imported = [], []
    for number, raw in enumerate(raws):  # one board each: raw 003 and curated 003 are one job
        raw_board = new_board(tmp_path / f"raw{number}", raw)
        board = new_board(tmp_path / f"imported{number}")
        written, problems = curate.import_file(raw, board, [], NOW)
        assert written and not problems, [str(p) for p in problems]
        imported.append(written)
        # keep_going: a raw posting that names no company is an error, built all the same
        expected = build_site(raw_board, tmp_path / f"raw{number}_site", keep_going=True)
        got = build_site(board, tmp_path / f"imported{number}_site", keep_going=True)
        assert got.written
        assert [p.message for p in got.errors] == [p.message for p in expected.errors]
        assert facts(got) == facts(expected), raw.name
        by_format.append(facts(got))
    assert len(by_format) == len(raws) == 8
    assert {path.name for path in imported} >= {
        "gitlab-intermediate-site-reliability-engineer-gitaly-cluster.txt",
        "heetch-site-reliability-engineer.txt",
        "element-site-reliability-engineer.txt",
        "crunchy-database-reliability-engineer.txt",
        "heroku-software-engineer-heroku-vault.txt",
    }


def test_import_keeps_the_original_bytes_below_the_front_matter(tmp_path):
    raw = tmp_path / "job.json"
    raw.write_bytes(without_front_matter(CONTENT / "003_d0ff996159fdbdb7.txt"))
    board = new_board(tmp_path / "content")
    written, _ = curate.import_file(raw, board, [], NOW)
    data = written.read_bytes()
    head, original = data.split(b"\n---\n", 1)
    assert original == raw.read_bytes()
    assert head.decode().splitlines() == [
        "---",
        "title: Site Reliability Engineer",
        "company: Element",
        "date: '2021-08-12T06:19:40+00:00'",
        "expires: '2021-10-06T06:19:40+00:00'",
        "location: New York, United States, US",
        "regions: [United States]",
        "employment_type: FULL_TIME",
        "tags: [Go, Python, AWS, Google Cloud, Azure, Kubernetes, OpenShift, Terraform, Ansible, "
        "Puppet, Chef, SaltStack, Prometheus, Grafana, Loki, Elasticsearch, PagerDuty, PostgreSQL, "
        "NGINX, HAProxy, Linux, Keycloak, On-call, CI/CD]",
        "# apply_url: not found in the posting; write it here",
    ]


def test_import_merges_into_the_front_matter_a_posting_already_has(tmp_path):
    seed = CONTENT / "004_40b30d2d8d99e4cd.txt"
    board = new_board(tmp_path / "content")
    written, _ = curate.import_file(seed, board, [], NOW)
    assert written.name == "heroku-software-engineer-heroku-vault.txt"
    data = written.read_bytes()
    assert data.count(b"---\n") == 2  # one block
    added = [
        b"tags: [Ruby, Elixir, SQL, Heroku, PostgreSQL, Redis, Redshift, Linux, Incident response,"
        b" Postmortems, Distributed systems]\n",
        b"date: '2026-11-23'  # imported; it gave none\n",
        b"# location: not found in the posting; write it here\n",
        b"# employment_type: not found in the posting; write it here\n",
        b"# apply_url: not found in the posting; write it here\n",
    ]
    assert data == b"---\n" + b"".join(added) + seed.read_bytes()[len(b"---\n") :]


def test_import_refuses_a_duplicate_by_apply_url(tmp_path):
    board = new_board(tmp_path / "content", CONTENT / "002_4abe1e0282606664.txt")
    copy = tmp_path / "copy.md"
    copy.write_text(
        "# [Gitaly SRE](https://www.remotewlb.com/apply/intermediate-site-reliability-engineer-"
        "gitaly-cluster)\n### GitLab Inc\n\nRun Gitaly.\n"
    )
    done = run_cli("import", "--content", "content", "--now", NOW_ARG, str(copy), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"{copy}: error: duplicates content/002_4abe1e0282606664.txt (same apply URL "
        "https://www.remotewlb.com/apply/intermediate-site-reliability-engineer-gitaly-cluster)"
        " — edit that posting instead of importing this one\n"
    )
    assert sorted(p.name for p in board.iterdir()) == [
        "002_4abe1e0282606664.txt",
        "_taxonomy.yml",
    ]


def test_import_refuses_a_duplicate_by_company_and_normalized_title(tmp_path):
    new_board(tmp_path / "content", CONTENT / "000_58eb25f5f920fe53.txt")
    again = tmp_path / "again.md"
    again.write_text("# SITE  reliability-engineer!\n### heetch\n\nRun the rides platform.\n")
    other = tmp_path / "other.md"
    other.write_text("# Site Reliability Engineer\n### Heetch Labs\n\nRun the rides platform.\n")
    done = run_cli("import", "--content", "content", "--now", NOW_ARG, str(again), str(other),
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1  # one of the two was refused, and the other still imported
    assert done.stderr == (
        f"{again}: error: duplicates content/000_58eb25f5f920fe53.txt (same company and title: "
        "SITE reliability-engineer!) — edit that posting instead of importing this one\n"
    )
    assert done.stdout == (
        f"{other}: imported as content/heetch-labs-site-reliability-engineer.txt\n"
    )


def test_import_refuses_to_overwrite_and_a_second_import_is_a_duplicate(tmp_path):
    board = new_board(tmp_path / "content")
    seed = CONTENT / "001_6005c265d0ccf55b.txt"
    taken = board / "heroku-service-reliability-engineer-sre.txt"
    taken.write_text("Placeholder\n\nSomething else entirely.\n")
    done = run_cli("import", "--content", "content", str(seed), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"{seed}: error: content/heroku-service-reliability-engineer-sre.txt already "
        "exists; nothing written — rename or delete the existing file, or edit it instead\n"
    )
    assert taken.read_text() == "Placeholder\n\nSomething else entirely.\n"
    taken.unlink()
    assert run_cli("import", "--content", "content", str(seed), cwd=tmp_path).returncode == 0
    again = run_cli("import", "--content", "content", str(seed), cwd=tmp_path)
    assert again.returncode == 1
    assert "duplicates content/heroku-service-reliability-engineer-sre.txt" in again.stderr


def test_import_refuses_what_cannot_be_read(tmp_path):
    new_board(tmp_path / "content")
    broken = tmp_path / "broken.txt"
    broken.write_text('{"@type": "JobPosting", "title": ')
    listed = tmp_path / "list.json"
    listed.write_text(
        '[{"@type": "JobPosting", "title": "A"}, {"@type": "JobPosting", "title": "B"}]'
    )
    done = run_cli("import", "--content", "content", str(broken), str(listed), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{broken}:1: error: JSON is not valid: Expecting value — fix the JSON, or save the "
        "posting as text or Markdown",
        f"{listed}: error: holds 2 postings; import takes one a file — split it into one file "
        "per posting, then import each",
    ]


# --- new ------------------------------------------------------------------------------------


def test_new_scaffolds_a_draft_that_checks_and_builds_only_with_drafts(tmp_path):
    board = new_board(tmp_path / "content")
    args = ("new", "--content", "content", "--now", NOW_ARG, "--title", "Senior SRE",
            "--company", "GitLab")  # fmt: skip
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    scaffold = board / "gitlab-senior-sre.txt"
    assert done.stdout == f"{scaffold.relative_to(tmp_path)}: written as a draft; fill it in, " \
        "then remove `draft: true`\n"  # fmt: skip
    text = scaffold.read_text()
    for key in ("title: Senior SRE", "company: GitLab", "date: 2026-11-23", "draft: true",
                "expires:", "location:", "regions: []", "employment_type:", "salary:",
                "apply_url:", "tags: []"):  # fmt: skip
        assert f"\n{key}\n" in text
    assert "remove it to publish" in text
    checked = run_cli("check", "--content", "content", "--now", NOW_ARG, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "content/gitlab-senior-sre.txt: 3 warnings; draft: left out until `draft: true` is " \
        "removed (or built with --drafts)\n" in checked.stderr  # fmt: skip
    hidden = build_site(board, tmp_path / "site")
    assert hidden.written and hidden.postings == () and hidden.drafts == 1
    shown = build_site(board, tmp_path / "drafts", drafts=True)
    assert [p.title for p in shown.postings] == ["Senior SRE"]
    assert (tmp_path / "drafts/jobs/senior-sre-gitlab/index.html").is_file()
    again = run_cli(*args, cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == (
        "content/gitlab-senior-sre.txt: error: already exists; nothing written — edit that file, "
        "or give another --title\n"
    )


# --- drafts, future postings and the build summary ------------------------------------------

DATED = "---\ntitle: {title}\ncompany: Acme\ndate: {date}\n{extra}---\nRun Kubernetes.\n"


@pytest.fixture
def mixed(content: Path) -> Path:
    """Two open, one closed, one draft, one future posting and one broken file."""
    postings = {
        "open1.txt": ("Open One", "2026-11-01", ""),
        "open2.txt": ("Open Two", "2026-11-02", "tags: [Go]\n"),
        "closed.txt": ("Closed", "2026-10-01", "expires: 2026-10-31\n"),
        "draft.txt": ("Draft", "2026-11-03", "draft: true\n"),
        "future.txt": ("Future", "2026-12-24", ""),
    }
    for name, (title, date, extra) in postings.items():
        (content / name).write_text(DATED.format(title=title, date=date, extra=extra))
    (content / "broken.txt").write_text("---\ntitle: [\n---\nbody\n")
    return content


def test_drafts_and_future_postings_are_left_out_unless_asked(mixed, tmp_path):
    (mixed / "broken.txt").unlink()
    default = build_site(mixed, tmp_path / "a")
    assert sorted(p.title for p in default.postings) == ["Closed", "Open One", "Open Two"]
    assert (default.drafts, default.future) == (1, 1)
    assert not (tmp_path / "a/jobs/future-acme").exists()
    both = build_site(mixed, tmp_path / "b", drafts=True, future=True)
    assert len(both.postings) == 5 and (both.drafts, both.future) == (0, 0)
    assert (tmp_path / "b/jobs/future-acme/index.html").is_file()
    assert (tmp_path / "b/jobs/draft-acme/index.html").is_file()
    future = build_site(mixed, tmp_path / "c", future=True)
    assert "Future" in {p.title for p in future.postings} and future.drafts == 1
    later = build_site(mixed, tmp_path / "d", now=NOW.replace(year=2027))
    assert "Future" in {p.title for p in later.postings} and later.future == 0


def test_a_commit_after_the_build_date_does_not_make_a_posting_future(seed_site):
    result, _ = seed_site  # 001, 002 and 004 are dated by a commit after NOW
    assert len(result.postings) == 5 and result.future == 0


def test_the_summary_accounts_for_every_posting_and_counts_pages_by_kind(mixed, tmp_path):
    output = tmp_path / "site"
    done = run_cli(*build_args(mixed, output, "--keep-going"))
    assert done.returncode == 0, done.stderr
    assert "6 files read: 6 postings = 2 open + 1 closed + 1 drafts + 1 future + 1 skipped" in (
        done.stderr
    )
    counted = _count_output(output)
    kinds = re.search(r"\n  (\d+ postings, .*)\n", done.stdout).group(1)
    assert kinds == (
        f"{counted['postings']} postings, {counted['tags']} tag pages, {counted['regions']} region "
        f"pages, {counted['companies']} company pages, {counted['lists']} list pages, "
        f"{counted['feeds']} feeds, {counted['other']} other"
    )
    total = int(re.search(r"Built in [\d.]+ s: (\d+) files", done.stdout).group(1))
    assert total == sum(counted.values())
    assert counted["postings"] == 3  # open and closed postings, no draft or future one
    assert "Reading postings" not in done.stderr  # no progress bar when piped


def _count_output(output: Path) -> dict[str, int]:
    """Count the written pages by their paths, independently of the build's own classifier."""
    files = [p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()]
    written = {f for f in files if not f.startswith(("static/", "pagefind/"))}

    def matching(pattern: str) -> set[str]:
        return {f for f in written if re.fullmatch(pattern, f)}

    kinds = {
        "postings": matching(r"jobs/[^/]+/index\.html"),
        "tags": matching(r"tags/(?!page/)[^/]+/(page/\d+/)?index\.html"),
        "regions": matching(r"regions/(?!page/)[^/]+/(page/\d+/)?index\.html"),
        "companies": matching(r"companies/(?!page/)[^/]+/(page/\d+/)?index\.html"),
        "lists": matching(r"((archive|tags|regions|companies)/)?(page/\d+/)?index\.html"),
        "feeds": matching(r"(.*/)?(feed\.xml|atom\.xml|feed\.json)"),
    }
    kinds["other"] = written.difference(*kinds.values())
    return {kind: len(paths) for kind, paths in kinds.items()}


def test_the_progress_callback_hears_of_every_file(mixed, tmp_path):
    calls = []
    build_site(mixed, tmp_path / "site", keep_going=True, progress=lambda *c: calls.append(c))
    assert calls[-1] == (6, 6)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)  # never backwards
    assert {total for _, total in calls} == {6}


# --- the board's maximum age ----------------------------------------------------------------


def test_the_maximum_age_of_90_days_closes_the_seed_posted_in_2019(seed_site):
    result, _ = seed_site
    closed = sorted(Path(p.source).name for p in result.postings if not p.is_open(NOW))
    # 000 was posted in 2019; 003's JSON-LD validThrough has passed.
    assert closed == ["000_58eb25f5f920fe53.txt", "003_d0ff996159fdbdb7.txt"]
    (aged,) = [p for p in result.problems if "maximum age of 90 days" in p.message]
    assert aged.path.endswith("000_58eb25f5f920fe53.txt") and aged.line and aged.fix


def test_the_maximum_age_closes_postings_without_an_expiry(mixed, tmp_path):
    config = tmp_path / "site.toml"
    config.write_text("max_age_days = 21\n")
    result = build_site(mixed, tmp_path / "site", keep_going=True, config_file=config)
    open_titles = sorted(p.title for p in result.postings if p.is_open(NOW))
    assert open_titles == []  # posted 2026-11-01 and 02: 21 days have passed by the 23rd noon
    aged = [str(p) for p in result.problems if "maximum age" in p.message]
    assert aged == [
        f"{mixed}/open1.txt:4: warning: older than the board's maximum age of 21 days (posted "
        "2026-11-01), so it is closed — delete the file, or set `expires:` in front matter if the "
        "job is still open",
        f"{mixed}/open2.txt:4: warning: older than the board's maximum age of 21 days (posted "
        "2026-11-02), so it is closed — delete the file, or set `expires:` in front matter if the "
        "job is still open",
    ]
