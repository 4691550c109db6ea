"""Pagefind as the build's last step: what it indexes, its stable output, and builds without it."""

from __future__ import annotations

import gzip
import json
import shutil

import cbor2
import pytest
from conftest import CONTENT, NOW, build_site, tree

import builder
from builder.search import SearchFailed, make_deterministic


def read_index(path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return cbor2.loads(data[len(b"pagefind_dcd") :])


def test_search_indexes_the_open_postings_with_their_filters(seed_site):
    result, output = seed_site
    bundle = output / "pagefind" / "0"  # the seeds' few postings are one shard
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    language = entry["languages"]["en"]
    assert language["page_count"] == sum(p.is_open(NOW) for p in result.postings)
    meta = read_index(bundle / f"pagefind.{language['hash']}.pf_meta")
    filters = {name: read_index(bundle / "filter" / f"{file}.pf_filter") for name, file in meta[3]}
    # The seeds give no employment type; 002 is "Intermediate", a mid-level job.
    assert set(filters) == {"company", "region", "seniority", "skill"}
    companies = {value for value, _ in filters["company"][1]}
    assert companies == {p.company for p in result.postings if p.is_open(NOW)}
    assert (output / "pagefind" / "pagefind-component-ui.js").is_file()


def test_filter_indexes_are_sorted_so_builds_stay_byte_identical(seed_site, tmp_path):
    _, output = seed_site
    bundle = output / "pagefind"
    for path in sorted((bundle / "0" / "filter").iterdir()):
        name, values = read_index(path)
        assert [value for value, _ in values] == sorted(value for value, _ in values), name
    again = tmp_path / "again"
    build_site(CONTENT, again)
    assert tree(again / "pagefind") == tree(bundle)


def test_without_pagefind_the_site_builds_without_search_and_says_so(
    content, tmp_path, monkeypatch
):
    monkeypatch.setattr(builder.pipeline, "find_pagefind", lambda: None)
    (content / "a.txt").write_text("SRE at Acme\n\nKubernetes on-call.\n", encoding="utf-8")
    result = build_site(content, tmp_path / "site")
    assert result.written
    warned = [p for p in result.problems if "Pagefind is not installed" in p.message]
    assert len(warned) == 1 and "pip install" in warned[0].fix and not warned[0].is_error
    assert not (tmp_path / "site" / "pagefind").exists()
    search_page = (tmp_path / "site" / "search" / "index.html").read_text()
    assert "Search is not available" in search_page and "pagefind-input" not in search_page


def test_no_search_builds_without_an_index_and_without_a_warning(content, tmp_path):
    (content / "a.txt").write_text("SRE at Acme\n\nKubernetes on-call.\n", encoding="utf-8")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.written and not any("Pagefind" in p.message for p in result.problems)
    assert not (tmp_path / "site" / "pagefind").exists()
    search_page = (tmp_path / "site" / "search" / "index.html").read_text()
    assert "Search is not available" in search_page and "pagefind-input" not in search_page


def test_a_failing_pagefind_keeps_the_previous_site(content, tmp_path, monkeypatch):
    (content / "a.txt").write_text("SRE at Acme\n\nKubernetes on-call.\n", encoding="utf-8")
    output = tmp_path / "site"
    assert build_site(content, output).written
    before = tree(output)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(builder.pipeline, "find_pagefind", lambda: broken)
    (content / "b.txt").write_text("Another SRE at Beta\n\nTerraform.\n", encoding="utf-8")
    result = build_site(content, output)
    assert not result.written
    assert [str(p) for p in result.errors] == [
        f"{output}: error: Pagefind could not index the site: index exploded — "
        "run `make build`, or pip install 'pagefind[bin]==1.5.2'"
    ]
    assert tree(output) == before


def test_a_board_with_no_open_posting_has_no_index_and_says_so(content, tmp_path):
    (content / "a.txt").write_text(
        "---\nexpires: 2026-01-01\n---\nSRE at Acme\n\nKubernetes on-call.\n", encoding="utf-8"
    )
    result = build_site(content, tmp_path / "site")
    assert result.written and not any("Pagefind" in p.message for p in result.problems)
    assert not (tmp_path / "site" / "pagefind").exists()  # Pagefind would index every page
    search_page = (tmp_path / "site" / "search" / "index.html").read_text()
    assert "no open postings to search" in search_page and "pagefind-input" not in search_page


def test_an_index_from_another_pagefind_version_is_refused(seed_site, tmp_path):
    bundle = tmp_path / "pagefind"
    shutil.copytree(seed_site[1] / "pagefind" / "0", bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry | {"version": "9.0.0"}))
    with pytest.raises(SearchFailed, match=r"Pagefind 9\.0\.0 is installed"):
        make_deterministic(bundle)
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry))
    next((bundle / "filter").iterdir()).write_bytes(b"not gzip")
    with pytest.raises(SearchFailed, match="cannot read Pagefind's filter index"):
        make_deterministic(bundle)
