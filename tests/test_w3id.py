"""The w3id rules in a real Apache httpd in front of the static site, as w3id.org runs them.

One Apache per session (``apache_site`` in site_servers.py); the matrix of clients and IRIs
is data (conneg.py, exop.site.clients) and every cell checks status, Vary, where the 303
points, the Content-Type the host answers with, and that the body parses as that type.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from rdflib import Graph, URIRef

from exop import formats
from exop.namespaces import DEFAULT_GRAPH_IRI
from exop.site import paths
from exop.site.clients import CLIENTS, Client
from exop.site.context import SiteContext
from exop.site.w3id import iri_path_pattern
from scripts import load_script

from conneg import IRIS, NOT_IRIS, TARGET_FIXTURES, about, fetch, parse_body, varies_on_accept

BROWSER = Client("browser", "text/html", "test")
TURTLE = Client("turtle", "text/turtle", "test")


def _target(request: pytest.FixtureRequest, name: str) -> Any:
    return request.getfixturevalue(name)


@functools.cache
def _document(url: str, fmt_name: str) -> tuple[int, str, Graph | None]:
    """Status, Content-Type and parsed graph of one host document (parsed once a session)."""
    answer = fetch(url, Client("any", "*/*", "test"))
    fmt = formats.get(fmt_name)
    parsed = parse_body(answer.body, fmt) if answer.status == 200 else None
    return answer.status, answer.headers.get("content-type", ""), \
        parsed if isinstance(parsed, Graph) else None


@pytest.mark.parametrize("target", TARGET_FIXTURES)
@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i[len(paths.BASE):] or "base")
@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.name)
def test_negotiation_matrix(request: pytest.FixtureRequest, target: str, iri: str,
                            client: Client) -> None:
    server = _target(request, target)
    expected = formats.negotiate(client.accept, paths.NEGOTIATED)
    first = fetch(server.iri_url(iri), client)
    assert varies_on_accept(first), f"no Vary: Accept on {first.status}"
    if expected is None:
        assert first.status == 406
        return
    if server.redirects:
        assert first.status == 303, first.status
        location = first.headers["location"]
        assert location == server.document_url(iri, expected)
        status, content_type, graph = _document(location, expected.name)
    else:  # a server that answers the IRI itself
        status, content_type = first.status, first.headers.get("content-type", "")
        parsed = parse_body(first.body, expected)
        graph = parsed if isinstance(parsed, Graph) else None
        location = server.iri_url(iri)
    assert status == 200, location
    assert content_type.split(";")[0].strip() == expected.media_type
    if graph is not None and iri == str(DEFAULT_GRAPH_IRI):
        assert len(graph) > 5000, "the named graph's document is the whole dump"
    elif graph is not None:
        assert about(graph, iri), f"{location} says nothing about {iri}"


@pytest.mark.parametrize("target", TARGET_FIXTURES)
@pytest.mark.parametrize("path", NOT_IRIS)
@pytest.mark.parametrize("client", (BROWSER, TURTLE, Client("none", None, "test")),
                         ids=lambda c: c.name)
def test_paths_that_are_no_iri_are_404(request: pytest.FixtureRequest, target: str, path: str,
                                       client: Client) -> None:
    server = _target(request, target)
    answer = fetch(f"{server.w3id}{path}", client)
    assert answer.status == 404


@pytest.mark.parametrize("target", TARGET_FIXTURES)
def test_every_minted_iri_resolves_to_its_own_page_and_slice(
        request: pytest.FixtureRequest, target: str, site_context: SiteContext) -> None:
    server = _target(request, target)
    if not server.redirects:
        pytest.skip(f"{target} answers IRIs itself: the matrix covers it")
    wrong = []
    for iri in site_context.minted():
        for client, fmt in ((BROWSER, formats.get("html")), (TURTLE, formats.get("turtle"))):
            answer = fetch(server.iri_url(str(iri)), client)
            document = paths.document_for(str(iri), fmt)
            if answer.headers.get("location") != server.document_url(str(iri), fmt) \
                    or not (server.root / str(document)).is_file():
                wrong.append((str(iri), fmt.name, answer.status, answer.headers.get("location")))
    assert not wrong, wrong[:5]
    assert len(site_context.minted()) > 600


@pytest.mark.parametrize("target", TARGET_FIXTURES)
@pytest.mark.parametrize("rdflib_format", ("turtle", "xml", "nt", "json-ld", None))
def test_rdflib_dereferences_an_individual(request: pytest.FixtureRequest, target: str,
                                           rdflib_format: str | None) -> None:
    """rdflib itself, with the Accept header it builds, follows the 303 and parses."""
    server = _target(request, target)
    iri = f"{paths.BASE}data/cell-osteoblast"
    graph = Graph().parse(server.iri_url(iri), format=rdflib_format)
    assert (URIRef(iri), None, None) in graph
    assert len(graph) < 2000, "an individual's IRI must give its slice, not the dump"


def test_host_404_page_is_served(apache_site: Any) -> None:
    answer = fetch(f"{apache_site.host}/current/no-such-page.html", BROWSER)
    assert answer.status == 404
    assert b"No EXOP page is at this address" in answer.body


def test_rules_are_current() -> None:
    generator = load_script("tools/gen_w3id_rules.py", "gen_w3id_rules")
    rules = generator.RULES.read_text(encoding="utf-8")
    assert rules == generator.expected_text(), (
        "docs/w3id/.htaccess is stale; run `python tools/gen_w3id_rules.py`")


def test_iri_pattern_agrees_with_the_families(site_context: SiteContext) -> None:
    import re

    generator = load_script("tools/gen_w3id_rules.py", "gen_w3id_rules")
    pattern = re.compile(iri_path_pattern(generator.term_names()))
    for iri in site_context.minted():
        assert pattern.fullmatch(str(iri)[len(paths.BASE):]), iri
    for path in NOT_IRIS:
        assert not pattern.fullmatch(path), path


def test_w3id_readme_names_the_maintainers() -> None:
    readme = (paths_root() / "docs" / "w3id" / "README.md").read_text(encoding="utf-8")
    citation = (paths_root() / "CITATION.cff").read_text(encoding="utf-8")
    assert "EXOP contributors" in citation and "EXOP contributors" in readme
    assert "@" not in readme, "no e-mail address is on record for the maintainers"


def paths_root() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


def test_publishing_matrix_is_current() -> None:
    generator = load_script("tools/gen_publishing_matrix.py", "gen_publishing_matrix")
    current = generator.DOC.read_text(encoding="utf-8")
    assert current == generator.expected_text(current), (
        "the matrix in docs/publishing.md is stale; run `python tools/gen_publishing_matrix.py`")
