"""Input built to exhaust memory, stack or time, or to run code, is refused quickly and clearly."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import TAXONOMY, run_cli

from builder.extract import Context, extract
from builder.readers import MAX_BYTES, MAX_DEPTH, read_posting
from builder.taxonomy import load_taxonomy

ALIAS_BOMB = """---
title: SRE
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
tags: [*g, *g, *g, *g, *g, *g, *g, *g, *g]
---
body
"""


def deep_json(depth: int) -> str:
    return '{"@type": "JobPosting", "title": "SRE", "x": ' + "[" * depth + "]" * depth + "}"


def deep_yaml(depth: int) -> str:
    return "---\ntitle: SRE\ntags: " + "[" * depth + "]" * depth + "\n---\nbody\n"


def deep_page(depth: int) -> str:
    script = deep_json(depth)
    return f'<!doctype html><script type="application/ld+json">{script}</script>'


def read_quickly(text: str | bytes) -> list[str]:
    """Read one file; return its problems as printed, failing if reading was slow."""
    data = text.encode() if isinstance(text, str) else text
    started = time.perf_counter()
    postings, problems = read_posting("hostile.txt", data)
    assert time.perf_counter() - started < 2, "took too long to refuse"
    assert not postings
    return [str(problem) for problem in problems]


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed():
    huge = "---\ntitle: SRE\n---\n" + "x" * MAX_BYTES
    assert read_quickly(huge) == [
        "hostile.txt: error: file is over the 1 MiB limit — trim it to the job ad itself"
    ]


def test_a_file_at_the_size_limit_is_read():
    posting = "---\ntitle: SRE\n---\n"
    postings, problems = read_posting("big.txt", (posting + "x" * (MAX_BYTES - 20)).encode())
    assert len(postings) == 1 and not problems


# 20000 deep once overflowed libyaml's C stack and killed the process; 500 raised RecursionError.
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 20000])
def test_yaml_nested_too_deep_is_refused(depth):
    assert read_quickly(deep_yaml(depth)) == [
        f"hostile.txt:3: error: front matter is nested more than {MAX_DEPTH} levels deep — "
        "write each value out in full as plain text, lists and `key: value` lines"
    ]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 950, 100000])
def test_json_nested_too_deep_is_refused(depth):
    [problem] = read_quickly(deep_json(depth))
    assert problem.startswith("hostile.txt:1: error: JSON is nested ")
    assert problem.endswith("— fix the JSON, or save the posting as text or Markdown")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 950])
def test_json_ld_in_a_page_nested_too_deep_is_refused(depth):
    assert read_quickly(deep_page(depth)) == [
        f"hostile.txt: error: JSON is nested more than {MAX_DEPTH} levels deep — "
        "fix the JSON, or save the posting as text or Markdown"
    ]


def test_nesting_a_posting_really_needs_is_read():
    postings, problems = read_posting("ok.txt", deep_json(MAX_DEPTH - 2).encode())
    assert len(postings) == 1 and not problems
    postings, problems = read_posting("ok.txt", deep_yaml(MAX_DEPTH - 2).encode())
    assert len(postings) == 1 and not problems


def test_a_yaml_alias_bomb_is_refused_at_its_first_alias():
    assert read_quickly(ALIAS_BOMB) == [
        "hostile.txt:4: error: front matter uses a YAML alias (*a) — "
        "write each value out in full as plain text, lists and `key: value` lines"
    ]


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!custom {{a: 1}}",
    ],
)
def test_yaml_tags_that_construct_objects_are_refused_and_run_nothing(tagged, tmp_path):
    marker = tmp_path / "ran"
    value = tagged.format(marker=marker)
    [problem] = read_quickly(f"---\ndate: 2026-01-01\ntitle: {value}\n---\nbody\n")
    assert problem.startswith("hostile.txt:3: error: front matter uses the YAML tag ")
    assert "which is not allowed" in problem
    assert not marker.exists()


def test_plain_yaml_tags_are_still_read():
    postings, problems = read_posting("ok.txt", b"---\ntitle: !!str 2026\n---\nbody\n")
    assert not problems and postings[0].front_matter["title"] == "2026"


def test_the_cli_names_every_refused_file_and_builds_the_rest(content, tmp_path: Path):
    files = {
        "bomb.txt": ALIAS_BOMB,
        "deep-yaml.txt": deep_yaml(20000),
        "deep-json.txt": deep_json(950),
        "python.txt": "---\ntitle: !!python/object/apply:os.system ['true']\n---\nbody\n",
        "huge.txt": "x" * (MAX_BYTES + 1),
        "good.txt": "---\ntitle: SRE\ncompany: Acme\n---\nWe run Kafka.\n",
    }
    for name, text in files.items():
        (content / name).write_text(text)
    done = run_cli(
        "build", "--content", str(content), "--output", str(tmp_path / "site"), "--keep-going"
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name in sorted(set(files) - {"good.txt"}):
        assert f"{content}/{name}: skipped because of the errors above" in done.stderr
    assert (tmp_path / "site/jobs/sre-acme/index.html").is_file()


# --- Shapes that took quadratic time: each now reads in linear time ------------------------------

BIG_NUMBER = "1" * 5000  # Python refuses to read integers of over 4,300 digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"@type": "JobPosting", "title": "SRE", "n": ' + BIG_NUMBER + "}",
            "hostile.txt:1: error: JSON holds a number of over 4,300 digits, too long to read",
        ),
        (
            '<!doctype html><script type="application/ld+json">{"n": ' + BIG_NUMBER + "}</script>",
            "hostile.txt: error: JSON-LD in the page holds a number of over 4,300 digits",
        ),
        (
            "---\ntitle: SRE\nn: " + BIG_NUMBER + "\n---\nbody\n",
            "hostile.txt:3: error: front matter has a number of over 4,300 digits",
        ),
    ],
)
def test_a_number_too_long_for_python_is_a_problem_on_its_line(text, expected):
    [problem] = read_quickly(text)
    assert problem.startswith(expected)


def extract_quickly(text: str, limit: float = 10.0):
    """Read and extract one posting, failing if it took quadratic time (minutes, at this size)."""
    taxonomy, _ = load_taxonomy(TAXONOMY)
    context = Context(taxonomy, datetime(2026, 11, 23, tzinfo=UTC), {}, {}, None)
    started = time.perf_counter()
    raws, problems = read_posting("hostile.txt", text.encode())
    postings = [extract(raw, context)[0] for raw in raws]
    elapsed = time.perf_counter() - started
    assert elapsed < limit, f"took {elapsed:.1f} s"
    assert not [p for p in problems if p.is_error]
    return postings


def fill(prefix: str, unit: str) -> str:
    """Repeat `unit` after `prefix` up to half the size limit: enough to take minutes at
    quadratic cost, little enough to keep the test quick at linear cost."""
    return prefix + unit * ((MAX_BYTES // 2 - len(prefix)) // len(unit))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # Each took from a minute to hours before: nh3 on nested blocks, Python-Markdown on
        # link openers, an unanchored regex on one long line, the tagger on many "Go".
        ("nested divs", fill("<p>SRE</p>", "<div>")),
        ("nested lists", fill("<p>SRE</p>", "<ol><li>")),
        ("markdown links", fill("# [SRE](https://a.example/)\n\n", "[a](")),
        ("markdown images", fill("# [SRE](https://a.example/)\n\n", "![a](")),
        ("markdown autolinks", fill("# [SRE](https://a.example/)\n\n", "<http://a")),
        ("markdown brackets", fill("# [SRE](https://a.example/)\n\n", "[")),
        ("markdown backslashes", fill("# [SRE](https://a.example/)\n\n", "\\")),
        ("markdown rule lines", fill("# [SRE](https://a.example/)\n\n", "---\n")),
        ("one long line", fill("SRE - Acme ", "a ")),
        ("many strict names", fill("SRE at Acme\n\n", "we use Go and ")),
    ],
)
def test_hostile_shapes_take_linear_time(name, text):
    assert len(text.encode()) <= MAX_BYTES
    [posting] = extract_quickly(text)
    assert posting.title


def test_a_posting_full_of_go_is_still_tagged_go_and_the_verb_still_is_not():
    [posting] = extract_quickly(fill("SRE at Acme\n\n", "We use Go daily. Go to the docs. "))
    assert [tag.name for tag in posting.tags] == ["Go"]
