"""The site as job seekers use it, in a real browser: Debian's Chromium driven by Playwright.

The real content/ is built for the address it is served at (127.0.0.1), with two postings a
page so the pager shows, and indexed by Pagefind. axe-core checks each kind of page in light
and dark mode; a user flow clicks through it; every page loads with no console error and no
request outside the site.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import SKIP_BROWSER, axe_violations, launch, serve
from conftest import CONTENT, NOW
from playwright.sync_api import sync_playwright

import builder

pytestmark = pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Build content/ into a served folder; yield (url, result, site folder)."""
    root = tmp_path_factory.mktemp("live")
    config = root / "site.toml"
    config.write_text("page_size = 2\n", encoding="utf-8")
    output = root / "_site"
    with serve(output) as url:
        options = builder.Options(CONTENT, output, url, NOW, config_file=config)
        result = builder.build(options)
        assert result.written, [str(p) for p in result.errors]
        yield url, result, output


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


class Watched:
    """A page, with what went wrong while it loaded: console errors and foreign requests."""

    def __init__(self, browser, url: str, **context) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        host = urlsplit(url).netloc
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._failed)
        self.page.route("**/*", lambda route: self._only(route, host))

    def _failed(self, request) -> None:
        # Going to the next page cancels what the last one still loads (its favicon, say).
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url}: {request.failure}")

    def _only(self, route, host: str) -> None:
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, live):
    opened: list[Watched] = []

    def open_page(**context) -> Watched:
        opened.append(Watched(browser, live[0], **context))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def first(result, *, is_open: bool):
    return next(p for p in result.postings if p.is_open(NOW) == is_open)


def kubernetes_postings(result) -> set[str]:
    """The open postings whose text mentions Kubernetes: what a search must find."""
    return {
        p.path
        for p in result.postings
        if p.is_open(NOW) and "kubernetes" in (p.title + p.description_html).lower()
    }


def page_paths(live) -> dict[str, str]:
    _, result, output = live
    assert (output / "page" / "2" / "index.html").is_file(), "the pager should show"
    return {
        "home": "",
        "posting": first(result, is_open=True).path,
        "closed posting": first(result, is_open=False).path,
        "tag index": "tags/",
        "tag": "tags/kubernetes/",
        "company": f"companies/{first(result, is_open=True).company_slug}/",
        "region": "regions/worldwide/",
        "archive": "archive/",
        "salaries": "salaries/",
        "time zones": "timezones/",
        "search": "search/?q=kubernetes",
        "404": "no-such-page/",
    }


NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"
KINDS = [
    "home",
    "posting",
    "closed posting",
    "tag index",
    "tag",
    "company",
    "region",
    "archive",
    "salaries",
    "time zones",
    "search",
    "404",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violation(live, watched, kind, scheme):
    url = live[0] + page_paths(live)[kind]
    tab = watched(color_scheme=scheme)
    response = tab.page.goto(url)
    assert response.status == (404 if kind == "404" else 200)
    if kind == "search":
        tab.page.wait_for_selector("pagefind-results .pf-result-link")
    assert axe_violations(tab.page) == []
    # Chromium logs the 404 page's own status as an error; it is the one allowed there.
    expected = [NOT_FOUND] if kind == "404" else []
    assert tab.errors == expected and tab.foreign == [] and tab.failed == []


def test_every_page_loads_with_no_console_error_and_no_foreign_request(live, watched):
    url, _, output = live
    pages = sorted(
        page.relative_to(output).as_posix().removesuffix("index.html")
        for page in output.rglob("*.html")
        if "pagefind" not in page.parts
    )
    assert len(pages) > 40
    tab = watched()
    for path in pages:
        response = tab.page.goto(url + path)
        assert response.status == 200, path
    assert tab.errors == [] and tab.foreign == [] and tab.failed == []


def test_a_job_seeker_goes_from_home_to_a_tag_to_a_posting_and_applies(live, watched):
    url, result, _ = live
    tab = watched()
    page = tab.page
    page.goto(url)
    page.locator(".card .tags a").first.click()
    assert "/tags/" in page.url
    tag_name = page.locator("h1").inner_text().removesuffix(" jobs")
    page.locator(".card-title a").first.click()
    posting = next(p for p in result.postings if page.url == url + p.path)
    assert tag_name in [tag.name for tag in posting.tags]
    assert page.locator("h1").inner_text() == posting.title
    apply = page.locator("a.apply").first
    assert apply.get_attribute("href") == posting.apply_url
    # Following Apply leaves the board: answer that request here instead of the network.
    page.route(posting.apply_url, lambda route: route.fulfill(body="<title>Applied</title>"))
    apply.click()
    page.wait_for_url(posting.apply_url)
    assert page.title() == "Applied"


def test_searching_kubernetes_finds_the_postings_that_mention_it(live, watched):
    url, result, _ = live
    tab = watched()
    page = tab.page
    page.goto(url)
    page.fill("#q", "kubernetes")
    page.press("#q", "Enter")
    page.wait_for_url("**/search/?q=kubernetes")
    page.wait_for_selector("pagefind-results .pf-result-link")
    found = {urlsplit(a).path.lstrip("/") for a in result_links(page)}
    assert found == kubernetes_postings(result) and found
    assert tab.errors == [] and tab.foreign == []


def test_search_results_narrow_to_a_region(live, watched):
    url, result, _ = live
    page = watched().page
    page.goto(url + "search/?q=kubernetes")
    page.wait_for_selector("pagefind-results .pf-result-link")
    page.locator('details[data-filter-name="region"] summary').click()
    page.get_by_label("Worldwide").check()
    worldwide = {
        p.path for p in result.postings if any(r.slug == "worldwide" for r in p.regions)
    } & kubernetes_postings(result)
    assert worldwide, "the seeds have a worldwide Kubernetes job"
    page.wait_for_function(
        "n => document.querySelectorAll('pagefind-results .pf-result-link').length === n",
        arg=len(worldwide),
    )
    assert {urlsplit(a).path.lstrip("/") for a in result_links(page)} == worldwide


def test_region_pages_filter_without_javascript(live, watched):
    url, result, _ = live
    page = watched(java_script_enabled=False).page
    page.goto(url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Regions").click()
    page.get_by_role("link", name="Worldwide").first.click()
    listed = {
        urlsplit(a).path.lstrip("/")
        for a in page.locator(".card-title a").evaluate_all("els => els.map(a => a.href)")
    }
    expected = {p.path for p in result.postings if any(r.slug == "worldwide" for r in p.regions)}
    assert expected and listed <= expected
    if page.locator('a[rel="next"]').count() == 0:
        assert listed == expected


def test_with_javascript_off_every_list_pages_through_and_search_says_why(live, watched):
    url, result, _ = live
    page = watched(java_script_enabled=False).page
    seen: list[str] = []
    page.goto(url)
    while True:
        seen += page.locator(".card-title a").evaluate_all("els => els.map(a => a.href)")
        older = page.locator('a[rel="next"]')
        if older.count() == 0:
            break
        older.click()
    open_paths = [p.path for p in result.postings if p.is_open(NOW)]
    assert [urlsplit(a).path.lstrip("/") for a in seen] == open_paths  # newest first, all
    page.goto(url + "search/")
    assert "Search needs JavaScript" in page.locator("main").inner_text()


@pytest.mark.parametrize("path", ["", "posting", "tags/", "search/?q=kubernetes"])
def test_nothing_scrolls_sideways_at_320_px(live, watched, path):
    url, result, _ = live
    path = first(result, is_open=True).path if path == "posting" else path
    page = watched(viewport={"width": 320, "height": 640}).page
    page.goto(url + path)
    if path.startswith("search/"):
        page.wait_for_selector("pagefind-results .pf-result-link")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_the_skip_link_shows_on_focus_and_focus_is_visible(live, watched):
    page = watched().page
    page.goto(live[0])
    page.keyboard.press("Tab")
    skip = page.locator(".skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("kind", ["home", "posting"])
def test_pages_do_not_shift_while_loading(live, watched, kind):
    url = live[0] + page_paths(live)[kind]
    page = watched(viewport={"width": 390, "height": 844}).page
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0


def test_a_closed_posting_disables_apply_and_says_why(live, watched):
    url, result, _ = live
    closed = first(result, is_open=False)
    page = watched().page
    page.goto(url + closed.path)
    assert page.locator("a.apply").count() == 0
    button = page.locator("button.apply").first
    assert button.is_disabled()
    assert "Applications closed on" in page.locator(".apply-row").first.inner_text()
    assert "closed on" in page.locator(".banner").inner_text()


def result_links(page) -> list[str]:
    return page.locator("pagefind-results .pf-result-link").evaluate_all(
        "els => els.map(a => a.href)"
    )


def test_chromium_is_debians(browser):
    assert browser.version and shutil.which("chromium") == str(Path("/usr/bin/chromium"))


def test_search_works_under_a_sub_path(browser, tmp_path):
    """GitHub Pages serves a project at /<repo>/: results must link inside it."""
    with serve(tmp_path) as url:
        output = tmp_path / "board"
        result = builder.build(builder.Options(CONTENT, output, url + "board/", NOW))
        assert result.written
        page = browser.new_page()
        page.goto(url + "board/search/?q=kubernetes")
        page.wait_for_selector("pagefind-results .pf-result-link")
        links = page.locator("pagefind-results .pf-result-link")
        hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert hrefs and all(href.startswith("/board/jobs/") for href in hrefs)
        links.first.click()
        assert page.locator("h1").inner_text() in {p.title for p in result.postings}
        page.close()
