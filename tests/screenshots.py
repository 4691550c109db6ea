"""Screenshots of the board for the README: `make screenshots` writes docs/screenshots/.

Builds content/ into a temporary folder, serves it on 127.0.0.1 and photographs it in
Debian's Chromium: home in light and dark at desktop and phone (390 px) widths, a posting,
and search results; then the salary insights of a board of 200 generated postings (the seeds
give too few salaries to chart).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from browser import launch, serve
from playwright.sync_api import sync_playwright

import builder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/, for the generated board

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
            _salaries_shot(browser, Path(folder), now)
            browser.close()
    return 0


def _salaries_shot(browser: Any, folder: Path, now: datetime) -> None:
    """Photograph /salaries/ and a time-zone page of a generated board, every posting open."""
    from bench.corpus import write_corpus

    content = write_corpus(folder / "generated", 200, seed=3)
    shutil.copy(ROOT / "content" / "_taxonomy.yml", content)
    windows = ["UTC-3 to UTC+3", "CET hours", "US time zones", "APAC hours"]
    for number, posting in enumerate(sorted(content.glob("0*.txt"))):
        if number % 3 == 0:  # a third of the ads state their working hours
            with posting.open("a", encoding="utf-8") as text:
                text.write(f"\nWorking hours: {windows[number % 4]}.\n")
    config = folder / "generated.toml"
    config.write_text("max_age_days = 0\n", encoding="utf-8")
    output = folder / "generated-site"
    with serve(output) as url:
        options = builder.Options(content, output, url, now, config_file=config, search=False)
        assert builder.build(options).written
        for name, path in (("salaries.png", "salaries/"), ("timezone.png", "timezones/utc+1/")):
            page = browser.new_page(viewport=DESKTOP, color_scheme="light")
            page.goto(url + path)
            page.screenshot(path=SHOTS / name)
            page.close()
            print(f"wrote {(SHOTS / name).relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
