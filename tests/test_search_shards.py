"""Search over a sharded index, in Debian's Chromium (issue 18): it finds what one whole
index finds, on the seeds and on the bench's generated board, and finds a posting edited
since, after the incremental rebuild, on a board served under a sub-path."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import SKIP_BROWSER, launch, serve
from conftest import CONTENT, NOW
from playwright.sync_api import sync_playwright

import builder
from bench.corpus import write_corpus

pytestmark = pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")
WHOLE = 10**6  # a shard size no board reaches: one index

# Every result of each search, and the filters' counts, through Pagefind's own API: the
# first bundle named on the search page, with the others merged in as the page merges them.
SEARCH = """async ([terms, skill]) => {
  const config = document.querySelector("pagefind-config");
  const pagefind = await import(config.getAttribute("bundle-path") + "pagefind.js");
  await pagefind.options({ baseUrl: config.getAttribute("base-url") });
  for (const bundle of config.dataset.mergeIndex.split(" ").filter(Boolean)) {
    await pagefind.mergeIndex(bundle);
  }
  const found = {};
  const urls = async (search) => (await Promise.all(search.results.map((r) => r.data())))
    .map((data) => data.url).sort();
  for (const term of terms) found[term] = await urls(await pagefind.search(term));
  found["skill:" + skill] = await urls(await pagefind.search(null, { filters: { skill } }));
  found.filters = await pagefind.filters();
  return found;
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The bench's generator's board, 300 postings, every one open."""
    root = tmp_path_factory.mktemp("generated")
    write_corpus(root / "content", 300, seed=3)
    (root / "site.toml").write_text("max_age_days = 0\n", encoding="utf-8")
    return root


def searched(browser, content: Path, folder: Path, shard_size: int, config: Path | None,
             terms: list[str], skill: str) -> dict:  # fmt: skip
    with serve(folder) as url:
        options = builder.Options(content, folder / "board", url + "board/", NOW,
                                  config_file=config, shard_size=shard_size)  # fmt: skip
        result = builder.build(options)
        assert result.written, [str(p) for p in result.errors]
        page = browser.new_page()
        page.goto(url + "board/search/")
        found = page.evaluate(SEARCH, [terms, skill])
        page.close()
        return found


def test_a_sharded_index_finds_what_a_whole_one_finds_on_the_seeds(browser, tmp_path):
    terms = ["kubernetes", "terraform", "on-call", "postgres", "remote"]
    whole = searched(browser, CONTENT, tmp_path / "whole", WHOLE, None, terms, "Kubernetes")
    sharded = searched(browser, CONTENT, tmp_path / "sharded", 1, None, terms, "Kubernetes")
    assert whole["kubernetes"] and whole["skill:Kubernetes"]
    assert sharded == whole


def test_a_sharded_index_finds_what_a_whole_one_finds_on_the_bench_board(
    browser, generated, tmp_path
):
    terms = ["kubernetes", "runbooks", "latency", "istio postmortems", "terraform"]
    config = generated / "site.toml"
    content = generated / "content"
    whole = searched(browser, content, tmp_path / "whole", WHOLE, config, terms, "Terraform")
    sharded = searched(browser, content, tmp_path / "sharded", 40, config, terms, "Terraform")
    assert len(whole["runbooks"]) > 100 and whole["skill:Terraform"]
    assert sharded == whole


def test_search_finds_an_edited_posting_after_the_incremental_rebuild_under_a_sub_path(
    browser, generated, tmp_path
):
    edited = generated / "content" / "000120.txt"
    text = edited.read_text(encoding="utf-8")
    with serve(tmp_path) as url:
        options = builder.Options(generated / "content", tmp_path / "board", url + "board/", NOW,
                                  config_file=generated / "site.toml", cache_dir=tmp_path / "cache",
                                  shard_size=40)  # fmt: skip
        first = builder.build(options)
        assert first.written
        posting = next(p for p in first.postings if Path(p.source).name == "000120.txt")
        try:
            edited.write_text(text + "\nYou will tame the quokkaflux.\n", encoding="utf-8")
            result = builder.build(options)
        finally:
            edited.write_text(text, encoding="utf-8")
        assert result.written and result.pages_reused > 0  # the incremental path
        page = browser.new_page()
        page.goto(url + "board/search/?q=quokkaflux")
        page.wait_for_selector("pagefind-results .pf-result-link")
        links = page.locator("pagefind-results .pf-result-link")
        hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert hrefs == [f"/board/{posting.path}"]
        links.first.click()
        assert page.locator("h1").inner_text() == posting.title
        page.close()
