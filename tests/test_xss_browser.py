"""Every page of the hostile site, loaded in headless Chromium: no dialog opens, no request
leaves 127.0.0.1, and the live DOM holds no script, handler or javascript: link from content."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser import SKIP_BROWSER, launch, serve
from conftest import run_cli
from hostile_corpus import NOW, make_corpus, xss_postings

pytestmark = pytest.mark.skipif(SKIP_BROWSER, reason="SREBOARD_SKIP_BROWSER=1")

# What the live DOM must not hold; the site's own scripts are JSON-LD data and, on /search/,
# Pagefind's UI and search.js.
ACTIVE_IN_DOM = """() => {
  const own = /\\/(pagefind\\/pagefind-component-ui\\.js|static\\/search\\.js)$/;
  const found = [];
  for (const s of document.querySelectorAll('script')) {
    if (s.type === 'application/ld+json') continue;
    if (!s.src || !own.test(new URL(s.src).pathname) || s.textContent.trim())
      found.push('script ' + (s.src || s.textContent.slice(0, 60)));
  }
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + ' @' + attr.name);
      if (/^\\s*(javascript|vbscript|data):/i.test(attr.value) && attr.name !== 'content')
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value.slice(0, 40));
    }
  }
  for (const tag of ['iframe', 'object', 'embed', 'base', 'frame'])
    if (document.querySelector(tag)) found.push(tag);
  return found;
}"""


def page_urls(site, base: str) -> list[str]:
    urls = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        urls.append(base + relative.removesuffix("index.html"))
    return urls


def test_hostile_pages_run_nothing_and_fetch_nothing_foreign(tmp_path):
    from playwright.sync_api import sync_playwright

    content = make_corpus(tmp_path / "content", xss_postings())
    site = tmp_path / "site"
    with serve(site) as base:
        args = ["--content", str(content), "--output", str(site), "--now", NOW]
        done = run_cli("build", "--keep-going", *args, "--base-url", base)
        assert done.returncode == 0, done.stderr
        urls = page_urls(site, base)
        assert len(urls) > 20
        dialogs, foreign, active = [], [], {}
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context()

            def route(route):
                if urlsplit(route.request.url).hostname != "127.0.0.1":
                    foreign.append(route.request.url)
                    route.abort()
                else:
                    route.continue_()

            context.route("**/*", route)
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for url in urls:
                page.goto(url, wait_until="load")  # after images' onerror would have fired
                if found := page.evaluate(ACTIVE_IN_DOM):
                    active[url] = found
            browser.close()
    assert dialogs == []
    assert foreign == []
    assert active == {}
