"""The site in a real browser: Debian's Chromium driven by Playwright, headless.

One browser per session. Every request is routed through a handler that lets only
127.0.0.1 through, so a page that would fetch a font, a script or anything else from
another host fails the test.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from exop.namespaces import EXOP, PREFIXES
from exop.site.clients import CHROMIUM_ACCEPT
from exop.site.context import SiteContext
from scripts import load_script

from site_servers import require

ROOT = Path(__file__).resolve().parents[1]
FINDING = f"{PREFIXES['exopd']}finding-osteoblasts-05"
ENTITY_LABEL = "osteoblasts"


@pytest.fixture(scope="session")
def shots() -> Any:
    return load_script("tools/screenshots.py", "screenshots")


@pytest.fixture(scope="session")
def chromium(shots: Any) -> Iterator[Any]:
    require(shots.CHROMIUM, "Debian chromium runs the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("/nonexistent/playwright", "the playwright package drives Chromium")
        raise
    with sync_playwright() as playwright:
        browser = shots.launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


class Guard:
    """Routes every request: loopback goes through, anything else is refused and recorded."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self.navigations: list[tuple[str, str]] = []

    def __call__(self, route: Any, request: Any) -> None:
        host = urllib.parse.urlsplit(request.url).hostname
        if request.is_navigation_request():
            self.navigations.append((request.url, request.headers.get("accept", "")))
        if host != "127.0.0.1":
            self.refused.append(request.url)
            route.abort()
            return
        route.continue_()


@pytest.fixture
def guarded(chromium: Any) -> Iterator[tuple[Any, Guard]]:
    """A page with JavaScript off (the site must work without it) behind the guard."""
    guard = Guard()
    context = chromium.new_context(java_script_enabled=False)
    context.route("**/*", guard)
    try:
        yield context.new_page(), guard
    finally:
        context.close()
        assert not guard.refused, f"requests left loopback: {guard.refused}"


def test_finding_page_highlights_the_sentence_and_links_work(
        guarded: tuple[Any, Guard], apache_site: Any, site_context: SiteContext) -> None:
    page, guard = guarded
    # The IRI itself, through the w3id rules: the browser is sent to the HTML page.
    page.goto(apache_site.iri_url(FINDING))
    assert page.url.endswith("/current/data/finding-osteoblasts-05.html")
    quote = str(site_context.graph.value(URIRef(FINDING), EXOP.evidenceQuote))
    mark = page.locator("figure.quote mark")
    assert mark.count() == 1 and mark.is_visible()
    assert mark.inner_text().strip() == quote
    if site_context.review is not None:
        paragraph = page.locator("figure.quote blockquote").inner_text()
        assert len(paragraph) > len(quote) + 100, "the quote is shown in its paragraph"
    finding_title = page.locator("h1").inner_text()
    # finding -> entity (its target cell) -> back
    page.locator("dl.facts").get_by_role("link", name=ENTITY_LABEL, exact=True).first.click()
    assert page.url.endswith("/current/data/cell-osteoblast.html")
    assert page.locator("h1").inner_text() == ENTITY_LABEL
    page.locator("table").get_by_role("link", name=finding_title, exact=True).first.click()
    assert page.locator("h1").inner_text() == finding_title
    page.go_back()
    assert page.locator("h1").inner_text() == ENTITY_LABEL
    page.go_back()
    assert page.locator("h1").inner_text() == finding_title
    accepts = {accept for _, accept in guard.navigations}
    assert accepts == {CHROMIUM_ACCEPT}, "the matrix's Chromium row must be what it sends"


def test_navigation_menu_reaches_every_top_page(guarded: tuple[Any, Guard],
                                                apache_site: Any) -> None:
    page, _ = guarded
    page.goto(f"{apache_site.host}/current/data/cell-osteoblast.html")
    for text, heading in (("Ontology", "EXOP: exosome osteoporosis ontology"),
                          ("Queries", "Query catalogue"), ("Shapes", "")):
        page.locator("header.site").get_by_role("link", name=text, exact=True).click()
        assert page.locator("h1").count() == 1
        if heading:
            assert page.locator("h1").inner_text().startswith(heading)
    page.locator("header.site a.brand").click()
    assert page.url.endswith("/current/index.html")


def test_screenshots_are_taken(chromium: Any, shots: Any, apache_site: Any,
                               tmp_path: Path) -> None:
    """Takes the documentation's screenshots (never compared by pixels) and checks that the
    committed ones exist; `python tools/screenshots.py` regenerates those."""
    written = shots.take(chromium, f"{apache_site.host}/", tmp_path)
    assert [p.name for p in written] == list(shots.SHOTS)
    for shot in written:
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
        assert (ROOT / "docs" / "screenshots" / shot.name).is_file()
