"""Lighthouse on the home page and a posting: 100 for accessibility, best practices and SEO,
at least 95 for performance, and a home page under 60 KB transferred."""

from __future__ import annotations

import pytest
from browser import SKIP_BROWSER, serve
from conftest import CONTENT, NOW, ROOT
from lighthouse import audit, failing, scores, transferred

import builder

pytestmark = pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Lighthouse's reports on the home page and the newest posting of the real board."""
    root = tmp_path_factory.mktemp("lighthouse")
    output = root / "_site"
    with serve(output) as url:
        options = builder.Options(CONTENT, output, url, NOW, config_file=ROOT / "site.toml")
        result = builder.build(options)
        assert result.written, [str(p) for p in result.errors]
        newest = next(p for p in result.postings if p.is_open(NOW))
        yield {
            name: audit(url + path, root / f"{name}.json")
            for name, path in [("home", ""), ("posting", newest.path)]
        }


@pytest.mark.parametrize("page", ["home", "posting"])
def test_lighthouse_scores(reports, page):
    report = reports[page]
    got = scores(report)
    for category in ("accessibility", "best-practices", "seo"):
        assert got[category] == 100, (category, failing(report, category))
    assert got["performance"] >= 95, failing(report, "performance")


def test_the_home_page_weighs_under_60_kb_and_loads_no_search_assets(reports):
    report = reports["home"]
    assert transferred(report) < 60 * 1024
    loaded = [item["url"] for item in report["audits"]["network-requests"]["details"]["items"]]
    assert any(url.endswith("/static/style.css") for url in loaded)
    assert not any("/pagefind/" in url for url in loaded)
