"""`check`: one verdict per posting, every problem with its file, line and fix; --explain."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import CONTENT, TAXONOMY, run_cli
from conftest import NOW as NOW_DATE

import builder

NOW = "2026-11-23T12:00:00Z"
TAG_FIX = "add it to content/_taxonomy.yml, or use one of its names or aliases"
POSTING = """---
title: {title}
company: Acme
date: {date}
{extra}location: Remote (Europe)
employment_type: full-time
apply_url: https://acme.example/jobs/{number}
---
Run Kubernetes.
"""
BAD = {
    "broken.txt": "---\ntitle: [unclosed\n---\nbody\n",
    "empty.txt": "",
    "expiring.txt": POSTING.format(
        title="Platform SRE", date="2026-11-01", extra="expires: 2026-11-27\n", number=1
    ),
    "old.txt": POSTING.format(
        title="Old SRE", date="2026-01-01", extra="tags: [k8s, basket weaving]\n", number=2
    ),
    "draft.txt": POSTING.format(
        title="Draft SRE", date="2026-11-01", extra="draft: true\n", number=3
    ),
    "future.txt": POSTING.format(title="Future SRE", date="2027-01-05", extra="", number=4),
    "notitle.txt": "We need someone to run our databases. Apply at https://acme.example/jobs/5 "
    "today. Full-time.\n",
}
BAD_REPORT = (
    """\
content/broken.txt: 1 error
  content/broken.txt:2: error: front matter is not valid YAML: did not find expected ',' or ']' \
— fix the YAML between the --- lines (quote values that contain ': ' or start with '[')
content/draft.txt: ok; draft: left out until `draft: true` is removed (or built with --drafts)
content/empty.txt: 1 error
  content/empty.txt: error: file is empty — add the posting's text or delete the file
content/expiring.txt: 1 warning
  content/expiring.txt:5: warning: expires within 7 days, on 2026-11-27 — set a later `expires:` \
if the job is still open; it closes by itself otherwise
content/future.txt: ok; future: left out until 2027-01-05 (or built with --future)
content/notitle.txt: 1 error; 4 warnings
  content/notitle.txt: error: no company found; the posting shows none — add `company:` in \
front matter
  content/notitle.txt: warning: no date found; using the build date — add `date:` in front matter
  content/notitle.txt: warning: no location found; using "Remote" — add `location:` in front \
matter
  content/notitle.txt: warning: no title found; using "We need someone to run our databases." — \
add `title:` in front matter
  content/notitle.txt: warning: the page carries no Google Jobs markup: it needs `regions` — \
add `regions:` in front matter
content/old.txt: 2 warnings; closed
  content/old.txt:4: warning: older than the board's maximum age of 90 days (posted 2026-01-01), \
so it is closed — delete the file, or set `expires:` in front matter if the job is still open
  content/old.txt:5: warning: tag 'basket weaving' is not in the taxonomy — """
    + TAG_FIX
    + """
7 files read: 7 postings = 2 open + 1 closed + 1 drafts + 1 future + 2 skipped; \
1 of 2 open with Google Jobs markup; 3 errors, 7 warnings
"""
)


@pytest.fixture
def bad_board(tmp_path: Path) -> Path:
    """A content folder with one posting of each kind a curator must hear about."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(TAXONOMY, content)
    for name, text in BAD.items():
        (content / name).write_text(text)
    (tmp_path / "site.toml").write_text("max_age_days = 90\n")
    return tmp_path


def test_check_gives_each_bad_posting_its_verdict_problems_and_fixes(bad_board):
    done = run_cli("check", "--config", "site.toml", "--now", NOW, cwd=bad_board)
    assert done.returncode == 1
    assert done.stderr == BAD_REPORT


def test_warnings_alone_exit_zero(bad_board):
    for name in ("broken.txt", "empty.txt", "notitle.txt"):  # notitle names no company
        (bad_board / "content" / name).unlink()
    done = run_cli("check", "--config", "site.toml", "--now", NOW, cwd=bad_board)
    assert done.returncode == 0, done.stderr
    assert "4 postings = 1 open + 1 closed + 1 drafts + 1 future + 0 skipped" in done.stderr


def test_with_max_age_days_0_an_old_posting_stays_open(bad_board):
    (bad_board / "site.toml").write_text("max_age_days = 0\n")
    done = run_cli("check", "--config", "site.toml", "--now", NOW, cwd=bad_board)
    assert "content/old.txt: 1 warning\n" in done.stderr
    assert "maximum age" not in done.stderr


def test_the_maximum_age_is_90_days_by_default(bad_board):
    (bad_board / "site.toml").unlink()  # the board's site.toml is read when there is one
    done = run_cli("check", "--now", NOW, cwd=bad_board)
    assert "older than the board's maximum age of 90 days" in done.stderr


def test_check_on_the_seeds_gives_one_verdict_per_posting():
    done = run_cli("check", "--content", "content", "--now", NOW)
    assert done.returncode == 0, done.stderr
    verdicts = [line for line in done.stderr.splitlines() if line.startswith("content/")]
    assert verdicts == [
        "content/000_58eb25f5f920fe53.txt: 4 warnings; closed",  # posted 2019: past 90 days
        "content/001_6005c265d0ccf55b.txt: 3 warnings",
        "content/002_4abe1e0282606664.txt: 4 warnings",
        "content/003_d0ff996159fdbdb7.txt: 1 warning; closed",
        "content/004_40b30d2d8d99e4cd.txt: 5 warnings",
    ]
    assert (
        "  content/000_58eb25f5f920fe53.txt:4: warning: tag 'admin' is not in the taxonomy — "
        + TAG_FIX
    ) in done.stderr.splitlines()
    assert done.stderr.endswith(
        "5 files read: 5 postings = 3 open + 2 closed + 0 drafts + 0 future + 0 skipped; "
        "1 of 3 open with Google Jobs markup; 0 errors, 17 warnings\n"
    )


def test_github_format_still_annotates_each_problem(bad_board):
    done = run_cli(
        "check", "--config", "site.toml", "--now", NOW, "--format", "github", cwd=bad_board
    )
    annotations = done.stdout.splitlines()
    assert len(annotations) == 10
    assert "::warning file=content/expiring.txt,line=5::expires within 7 days" in done.stdout


def explain(name: str) -> list[str]:
    done = run_cli("check", "--now", NOW, "--explain", str(CONTENT / name))
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def source_of(lines: list[str], key: str) -> str:
    """The `← where` line under a field's value."""
    index = next(n for n, line in enumerate(lines) if line.startswith(f"  {key}: "))
    return lines[index + 1].strip()


def test_explain_names_markdown_rules_and_git_dates():
    lines = explain("002_4abe1e0282606664.txt")
    assert lines[0] == (
        "content/002_4abe1e0282606664.txt: Intermediate Site Reliability Engineer, "
        "Gitaly:Cluster (GitLab)"
    )
    assert "  title: Intermediate Site Reliability Engineer, Gitaly:Cluster" in lines
    assert source_of(lines, "title") == "← Markdown `# Title` heading"
    assert source_of(lines, "company") == "← Markdown `### Company` heading"
    assert source_of(lines, "salary") == "← Markdown `####` line of `badges`"
    assert source_of(lines, "apply_url") == "← Markdown `# [Title](url)` heading link"
    assert source_of(lines, "date") == "← git: the date of the commit that added the file"
    assert source_of(lines, "employment_type") == "← not found"
    assert source_of(lines, "tags") == "← the taxonomy's skills named in the title and description"


def test_explain_names_text_rules_front_matter_and_json_ld():
    text = explain("001_6005c265d0ccf55b.txt")
    assert source_of(text, "title") == (
        "← first short line (line 6) (company, place and terms moved out)"
    )
    assert source_of(text, "company") == "← `Title - Company` line, named again in the ad"
    assert source_of(text, "location") == "← `location:` line (line 8)"
    curated = explain("004_40b30d2d8d99e4cd.txt")
    assert source_of(curated, "title") == "← front matter `title` (line 3)"
    assert source_of(curated, "company") == "← front matter `company` (line 4)"
    jsonld = explain("003_d0ff996159fdbdb7.txt")
    assert source_of(jsonld, "title").startswith("← JSON-LD `title`")
    assert source_of(jsonld, "expires") == "← JSON-LD `validThrough`"
    assert source_of(jsonld, "regions") == "← front matter `regions` (line 4)"


def test_explain_names_the_build_date_and_the_board_maximum_age(bad_board):
    done = run_cli("check", "--config", "site.toml", "--now", NOW, "--explain",
                   "content/notitle.txt", cwd=bad_board)  # fmt: skip
    lines = done.stdout.splitlines()
    assert source_of(lines, "date") == "← the build date (--now)"
    assert source_of(lines, "title") == "← no title found: the description's first sentence"
    assert source_of(lines, "apply_url") == "← URL on a line that says apply (line 1)"
    assert source_of(lines, "expires") == (
        "← the board's maximum age: date posted + 90 days (max_age_days in site.toml)"
    )
    assert "content/notitle.txt: warning: no title found" in done.stdout


def test_explain_refuses_a_file_outside_the_content(tmp_path):
    stray = tmp_path / "stray.txt"
    stray.write_text("SRE\n\nRun things.\n")
    done = run_cli("check", "--now", NOW, "--explain", str(stray))
    assert done.returncode == 2
    assert "not a posting in the content folder" in done.stderr


def test_check_warns_a_week_before_the_default_maximum_age_closes_a_posting(content):
    posted = (NOW_DATE - timedelta(days=85)).date().isoformat()
    (content / "aging.txt").write_text(
        f"---\ntitle: SRE\ncompany: Acme\ndate: {posted}\nregions: [Europe]\n"
        "apply_url: https://acme.example/\n---\nRun things.\n",
        encoding="utf-8",
    )
    result = builder.check(content, NOW_DATE)
    (posting,) = result.postings
    assert posting.is_open(NOW_DATE) and posting.valid_through == posting.date_posted + timedelta(
        days=90
    )
    assert any("expires within 7 days" in p.message for p in result.problems)
