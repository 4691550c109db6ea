"""The site config: defaults, validation into errors and warnings, and its effect on a build."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ROOT, run_cli, tree

from builder.config import Config, check_config, load_config


def problems_of(text: str, tmp_path) -> list[str]:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in load_config(path)[1]]


def test_the_project_config_is_valid():
    _, problems = load_config(ROOT / "site.toml")
    assert problems == []


def test_a_missing_optional_config_gives_the_defaults(tmp_path):
    assert load_config(tmp_path / "site.toml") == (Config(), [])
    _, problems = load_config(tmp_path / "site.toml", required=True)
    assert [p.message for p in problems] == ["no such config file"]


def test_values_are_read_and_max_age_becomes_a_duration(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(
        'title = "Ops Jobs"\nbase_url = "https://example.github.io/board/"\n'
        'cname = "jobs.example.org"\nfeed_items = 10\nmax_age_days = 60\nlanguage = "en-GB"\n'
    )
    config, problems = load_config(path)
    assert problems == []
    assert (config.title, config.base_url, config.cname) == (
        "Ops Jobs",
        "https://example.github.io/board/",
        "jobs.example.org",
    )
    assert config.feed_items == 10 and config.topic_feed_items == 20
    assert config.max_age == timedelta(days=60)
    assert Config().max_age == timedelta(days=90)  # no job stays open for ever


def test_broken_toml_names_its_line(tmp_path):
    problems = problems_of('title = "Ops"\nfeed_items = = 3\n', tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'site.toml'}:2: error: not valid TOML")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"feed_items": "50"}, "error: feed_items must be a whole number — fix `feed_items =`"),
        ({"feed_items": True}, "error: feed_items must be a whole number — fix `feed_items =`"),
        ({"title": 3}, "error: title must be a string in double quotes — fix `title =`"),
        ({"base_url": "example.org"}, "error: base_url 'example.org' is not an http(s) URL"),
        ({"base_url": "ftp://example.org/"}, "is not an http(s) URL"),
        ({"cname": "https://jobs.example.org"}, "error: cname 'https://jobs.example.org' is not"),
        ({"language": "English"}, "error: language 'English' is not a language tag"),
        ({"max_age_days": -1}, "error: max_age_days must be between 0 and 100000"),
        ({"title": "  "}, "error: title is empty — give the board a name"),
        ({"description": ""}, "error: description is empty — describe the board in a line"),
        ({"feeds": 3}, "warning: unknown setting 'feeds' — remove it, or use one of: title,"),
    ],
)
def test_each_bad_value_is_named_with_a_fix(data, expected):
    config, problems = check_config("site.toml", data)
    assert len(problems) == 1
    assert expected in str(problems[0])
    assert config == Config()  # a bad value keeps its default


def test_every_problem_is_reported_at_once():
    _, problems = check_config("site.toml", {"feed_items": "x", "title": 1, "colour": "red"})
    assert len(problems) == 3


def test_cli_uses_the_config_and_base_url_overrides_it(tmp_path):
    content, output = tmp_path / "content", tmp_path / "site"
    content.mkdir()
    (content / "a.txt").write_text("---\ntitle: SRE\ncompany: Acme\ndate: 2026-11-01\n---\nHi\n")
    config = tmp_path / "site.toml"
    config.write_text(
        'title = "Ops Jobs"\nbase_url = "https://jobs.example.org/"\ncname = "jobs.example.org"\n'
    )
    common = ["--content", str(content), "--config", str(config), "--now", "2026-11-23"]
    done = run_cli("build", *common, "--output", str(output))
    assert done.returncode == 0, done.stderr
    files = tree(output)
    assert files["CNAME"] == b"jobs.example.org\n"
    assert files[".nojekyll"] == b""
    assert b"<title>Ops Jobs</title>" in files["index.html"]
    assert b"https://jobs.example.org/sitemap.xml" in files["robots.txt"]

    override = ["--base-url", "https://example.github.io/board/"]
    done = run_cli("build", *common, "--output", str(output), *override)
    assert done.returncode == 0, done.stderr
    assert b"https://example.github.io/board/sitemap.xml" in (output / "robots.txt").read_bytes()


def test_cli_refuses_a_broken_config_and_writes_nothing(tmp_path):
    content, output = tmp_path / "content", tmp_path / "site"
    content.mkdir()
    config = tmp_path / "site.toml"
    config.write_text('feed_items = "many"\n')
    done = run_cli("build", "--content", str(content), "--config", str(config), "--output",
                   str(output))  # fmt: skip
    assert done.returncode == 1
    assert "site.toml: error: feed_items must be a whole number" in done.stderr
    assert not output.exists()


def test_cli_rejects_a_missing_config_and_a_bad_base_url(tmp_path):
    done = run_cli("check", "--config", str(tmp_path / "nope.toml"))
    assert done.returncode == 2 and "no such file" in done.stderr
    done = run_cli("build", "--base-url", "board.example", "--output", str(tmp_path / "s"))
    assert done.returncode == 2 and "give an http(s) URL" in done.stderr
