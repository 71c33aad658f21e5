"""The content-negotiation conformance matrix: clients x IRIs, checked against any target.

A target is something that answers for EXOP IRIs over HTTP on loopback: today the w3id
rules in a real Apache in front of the static site (``apache_site``); a live server is
added by appending its fixture name to :data:`TARGET_FIXTURES`, its fixture value having
``iri_url(iri)``, ``redirects`` (False when it answers an IRI itself) and, when it
redirects, ``document_url(iri, fmt)``. For every cell the expected answer is what
:func:`exop.formats.negotiate` chooses over :data:`exop.site.paths.NEGOTIATED`.
"""

from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser

from rdflib import Graph, URIRef

from exop import formats
from exop.namespaces import PREFIXES
from exop.site import paths
from exop.site.clients import Client
from exop.site.slices import parse_check

TARGET_FIXTURES = ("apache_site", "live_server")

IRIS: tuple[str, ...] = (
    paths.BASE,
    f"{PREFIXES['exop']}Finding",
    f"{PREFIXES['exop']}targetCell",
    f"{PREFIXES['exop']}increases",
    f"{PREFIXES['exopd']}finding-table-1-row-6",
    f"{PREFIXES['exopd']}cell-osteoblast",
    f"{PREFIXES['exopsh']}FindingShape",
    f"{PREFIXES['exop']}ontology",
    f"{PREFIXES['exop']}ontology/imports",
    f"{PREFIXES['exop']}shapes",
    f"{PREFIXES['exop']}graph",
    f"{PREFIXES['exop']}releases/0.1.0/ontology",
    f"{PREFIXES['exop']}releases/0.1.0/ontology/imports",
)
"""One IRI of every family (docs/iris.md), plus a property and a value-set individual."""

NOT_IRIS: tuple[str, ...] = (
    "datax", "Finding.html", "data/Bad_Name", "data/", "releases/1/ontology",
    "shapes/lowercase", "ontology/other", "data/finding-table-1-row-6/more",
)
"""Paths below /exop/ that are no EXOP IRI: 404 whatever the Accept header."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, client: Client) -> Answer:
    """One GET, no redirect followed, with the client's headers."""
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "127.0.0.1", url
    headers = {}
    if client.accept is not None:
        headers["Accept"] = client.accept
    if client.user_agent is not None:
        headers["User-Agent"] = client.user_agent
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def varies_on_accept(answer: Answer) -> bool:
    vary = answer.headers.get("vary", "")
    return "accept" in {v.strip().lower() for v in vary.split(",")}


class _StrictParser(HTMLParser):
    """Collects what the checks need; html.parser itself never rejects input."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False

    _VOID = frozenset({"meta", "link", "br", "img", "hr", "input"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._VOID:
            self.stack.append(tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data


def parse_html(body: bytes) -> _StrictParser:
    parser = _StrictParser()
    parser.feed(body.decode("utf-8"))
    parser.close()
    assert not parser.errors, parser.errors[:3]
    assert not parser.stack, f"unclosed: {parser.stack}"
    return parser


def parse_body(body: bytes, fmt: formats.Format) -> Graph | _StrictParser:
    """The body parsed as what it claims to be (AssertionError or a parser error if not)."""
    if fmt.kind == "page":
        return parse_html(body)
    return parse_check(body, fmt)


def about(graph: Graph, iri: str) -> bool:
    node = URIRef(iri)
    return (node, None, None) in graph or (None, None, node) in graph
