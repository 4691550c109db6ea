"""Readers: decoding, format sniffing from the content, and one problem per kind of bad file."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import pytest
from conftest import NOW

from builder.readers import decode, git_dates, read_posting

JOB = {"@context": "https://schema.org", "@type": "JobPosting", "title": "SRE", "description": "x"}


def read(data: bytes):
    return read_posting("content/p.txt", data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"---\ntitle: A\n---\n<p>Hello</p><p>world</p>", "html"),
        (b"# [SRE](https://x.example/apply)\n### Acme\n\nText", "markdown"),
        (b"Site Reliability Engineer\n\nWe run things.", "text"),
        (json.dumps(JOB).encode(), "jsonld"),
        (
            b'<!doctype html><script type="application/ld+json">'
            + json.dumps(JOB).encode()
            + b"</script>",
            "jsonld",
        ),
    ],
)
def test_format_is_sniffed_from_content(data, expected):
    [raw], problems = read(data)
    assert problems == []
    assert raw.format == expected


def test_front_matter_is_split_and_body_line_counted():
    [raw], _ = read(b"---\ntitle: Curated\ntags: [k8s]\n---\nSRE wanted\n")
    assert dict(raw.front_matter) == {"title": "Curated", "tags": ["k8s"]}
    assert raw.body.strip() == "SRE wanted"
    assert raw.body_line == 4  # the body string starts at the end of the closing --- line


def test_json_list_and_graph_give_one_posting_each():
    other = dict(JOB, title="Second")
    postings, _ = read(json.dumps([JOB, other]).encode())
    assert [p.jsonld["title"] for p in postings] == ["SRE", "Second"]
    postings, _ = read(json.dumps({"@graph": [{"@type": "Organization"}, JOB]}).encode())
    assert [p.index for p in postings] == [0]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Café – naïve".encode("cp1252"), "Café – naïve"),
        ("\ufeffCafé\r\nline".encode(), "Café\r\nline"),
        ("Café".encode("latin-1"), "Café"),
    ],
)
def test_decoding(data, text):
    assert decode(data) == text


def test_crlf_and_bom_read_like_lf():
    [raw], _ = read("\ufeff---\r\ntitle: Ünïcode\r\n---\r\nBody\r\n".encode())
    assert raw.front_matter["title"] == "Ünïcode"
    assert raw.body.strip() == "Body"


BAD = [
    ("empty", b"  \n", None, "file is empty"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", None, "file is binary"),
    (
        "broken yaml",
        b"---\ntitle: ok\ntags: [a, b\nx: 1\n---\nbody",
        3,
        "front matter is not valid YAML",
    ),
    ("unclosed front matter", b"---\ntitle: x\nbody", 1, "no closing ---"),
    ("yaml not a mapping", b"---\n- a\n- b\n---\nbody", 2, "not a set of `key: value` lines"),
    ("truncated json", b'{\n  "@type": "JobPosting",\n  "title": "SRE', 3, "JSON is not valid"),
    ("json not a posting", b'{"@type": "Organization", "name": "Acme"}', 1, "not a JobPosting"),
    (
        "page with other JSON-LD",
        b'<p>hi</p><script type="application/ld+json">{"@type": "Thing"}</script>',
        None,
        "no JSON-LD JobPosting",
    ),
    ("front matter only", b"---\ntitle: x\n---\n\n", 5, "no text below its front matter"),
    ("too large", b"a" * (1024 * 1024 + 1), None, "over the 1 MiB limit"),
]


@pytest.mark.parametrize(("kind", "data", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_bad_file_is_one_clear_error(kind, data, line, message):
    postings, problems = read(data)
    assert postings == []
    [problem] = problems
    assert problem.is_error
    assert problem.path == "content/p.txt"
    assert problem.line == line
    assert message in problem.message
    assert problem.fix  # every problem says what to do
    assert str(problem).startswith(f"content/p.txt{':' + str(line) if line else ''}: error: ")


def test_yaml_tags_that_build_python_objects_are_refused():
    _, [problem] = read(b"---\ntitle: !!python/object/apply:os.system ['true']\n---\nbody")
    assert "uses the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'" in problem.message
    assert problem.line == 2


def test_git_dates_come_from_git_not_mtime(tmp_path):
    def git(*args, when="2024-03-05T10:00:00+00:00"):
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "HOME": str(tmp_path),
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin"}  # fmt: skip
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text("first")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "add a")
    (content / "a.txt").write_text("edited later")
    (content / "b.txt").write_text("second")
    git("add", ".")
    git("commit", "-qm", "edit a, add b", when="2025-01-02T00:00:00+00:00")
    (content / "c.txt").write_text("never committed")
    dates, _ = git_dates(content, NOW)
    assert dates[str((content / "a.txt").resolve())] == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert dates[str((content / "b.txt").resolve())] == datetime(2025, 1, 2, tzinfo=UTC)
    assert str((content / "c.txt").resolve()) not in dates


def test_git_dates_outside_git_are_empty(tmp_path):
    assert git_dates(tmp_path, NOW) == ({}, {})


def test_git_dates_reach_files_with_non_ascii_names(tmp_path):
    env = {"GIT_AUTHOR_DATE": "2026-11-02T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-02T10:00:00Z",
           "HOME": str(tmp_path)}  # fmt: skip
    (tmp_path / "café.txt").write_text("SRE at Acme\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "add"]):
        identity = ["-c", "user.name=C", "-c", "user.email=c@example.org"]
        subprocess.run(["git", *identity, *args], cwd=tmp_path, env=env, check=True)
    key = str((tmp_path / "café.txt").resolve())
    expected = datetime(2026, 11, 2, 10, tzinfo=UTC)
    added, changed = git_dates(tmp_path, NOW)
    assert added[key] == changed[key] == expected
    (tmp_path / "café.txt").write_text("SRE at Acme, edited\n")
    assert git_dates(tmp_path, NOW)[1][key] == NOW  # an uncommitted edit is dated now
