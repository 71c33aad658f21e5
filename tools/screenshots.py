"""Screenshots of a finding page and an entity page, in Debian's Chromium (Playwright).

    python tools/screenshots.py [--review REVIEW_TXT]   # rewrite docs/screenshots/*.png

Builds the site in a temporary folder and opens its pages as files, so nothing is
requested from any host. The PNGs are committed for the documentation; tests take the
same shots into a temporary folder and never compare pixels.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync")
VIEWPORT = {"width": 1280, "height": 1100}
SHOTS: dict[str, str] = {
    "finding.png": "current/data/finding-osteoblasts-05.html",
    "entity.png": "current/data/cell-osteoblast.html",
}
"""Screenshot file -> page, relative to the site root."""


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with no background traffic."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=list(CHROMIUM_FLAGS))


def take(browser: Any, site_root: str, out: Path) -> list[Path]:
    """Screenshot each page of :data:`SHOTS` under *site_root* (a URL ending in /) to *out*."""
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    written = []
    try:
        page = context.new_page()
        for name, path in SHOTS.items():
            page.goto(site_root + path)
            target = out / name
            page.screenshot(path=str(target), full_page=False)
            written.append(target)
    finally:
        context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, default=None,
                        help="the review's plain text (default: the packaged copy)")
    options = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from exop.site import SiteContext, build_site
    from exop.site.review import ReviewText

    review = ReviewText.read(options.review) if options.review else None
    folder = Path(tempfile.mkdtemp(prefix="exop-shots-"))
    try:
        site = folder / "site"
        build_site(site, SiteContext.from_package(review=review))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                take(browser, site.as_uri() + "/", OUT)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
