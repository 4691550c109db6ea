"""Screenshots of the board for the README: `make screenshots` writes docs/screenshots/.

Builds content/ into a temporary folder, serves it on 127.0.0.1 and photographs it in
Debian's Chromium: home in light and dark at desktop and phone (390 px) widths, a posting,
and search results.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from browser import launch, serve
from playwright.sync_api import sync_playwright

import builder

ROOT = Path(__file__).resolve().parent.parent

SHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shots(posting: str) -> list[tuple[str, str, dict[str, int], str]]:
    """What to photograph: file name, page, viewport and colour scheme."""
    return [
        ("home-light.png", "", DESKTOP, "light"),
        ("home-dark.png", "", DESKTOP, "dark"),
        ("home-phone-light.png", "", PHONE, "light"),
        ("home-phone-dark.png", "", PHONE, "dark"),
        ("posting.png", posting, DESKTOP, "light"),
        ("search.png", "search/?q=kubernetes", DESKTOP, "light"),
    ]


def main() -> int:
    now = datetime.now(UTC).replace(microsecond=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        output = Path(folder, "_site")
        with serve(output) as url:
            config = ROOT / "site.toml"
            options = builder.Options(ROOT / "content", output, url, now, config_file=config)
            result = builder.build(options)
            if not result.written:
                print("the build failed: run `make check`", file=sys.stderr)
                return 1
            newest = next(p for p in result.postings if p.is_open(now))
            browser = launch(playwright)
            for name, path, viewport, scheme in shots(newest.path):
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(url + path)
                if path.startswith("search/"):
                    page.wait_for_selector("pagefind-results .pf-result-link")
                page.screenshot(path=SHOTS / name)
                page.close()
                print(f"wrote {(SHOTS / name).relative_to(ROOT)}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
