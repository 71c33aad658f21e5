"""The Accept headers real clients send, for the content-negotiation conformance matrix.

Each entry names where the header was read. The matrix (tests/test_w3id.py, and the table
in docs/publishing.md) asks every target (the w3id rules in front of the static host; a
live server can be added as another target) for each client, and expects what
:func:`exop.formats.negotiate` chooses over :data:`exop.site.paths.NEGOTIATED`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Client:
    """One client's request headers."""

    name: str
    accept: str | None
    """None: the client sends no Accept header."""
    source: str
    user_agent: str | None = None


CHROMIUM_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
"""What Debian's chromium sends when it navigates (recorded by tests/test_browser.py)."""

CLIENTS: tuple[Client, ...] = (
    Client("rdflib, format turtle", "text/turtle, application/x-turtle, */*;q=0.1",
           "rdflib 7 rdflib/parser.py URLInputSource"),
    Client("rdflib, format nt", "text/plain, */*;q=0.1",
           "rdflib 7 rdflib/parser.py URLInputSource"),
    Client("rdflib, format xml", "application/rdf+xml, */*;q=0.1",
           "rdflib 7 rdflib/parser.py URLInputSource"),
    Client("rdflib, format json-ld", "application/ld+json, application/json;q=0.9, */*;q=0.1",
           "rdflib 7 rdflib/parser.py URLInputSource"),
    Client("Jena riot (RDFDataMgr)",
           "text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.8,"
           "application/xml;q=0.7,*/*;q=0.5",
           "apache/jena WebContent.defaultGraphAcceptHeader"),
    Client("OWL API / Protégé",
           "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, "
           "*/*; q=0.09",
           "owlcs/owlapi DocumentSources.DEFAULT_REQUEST"),
    Client("curl (default)", "*/*", "curl sends */* unless told otherwise",
           user_agent="curl/8.5.0"),
    Client("Chromium", CHROMIUM_ACCEPT, "recorded from /usr/bin/chromium navigating",
           user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36"),
    Client("Firefox", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
           "image/webp,*/*;q=0.8", "MDN, List of default Accept values (Firefox 92+)",
           user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    Client("any type", "*/*", "RFC 9110"),
    Client("no Accept header", None, "RFC 9110: no header accepts everything"),
    Client("Turtle preferred over RDF/XML", "text/turtle;q=1.0, application/rdf+xml;q=0.5",
           "q-valued mix"),
    Client("Turtle preferred over HTML", "text/turtle;q=1.0, text/html;q=0.1", "q-valued mix"),
    Client("a browser that asks for Turtle", "text/turtle",
           "q-valued mix: the user agent does not decide",
           user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36"),
    Client("RDF/XML preferred, order reversed", "application/rdf+xml;q=0.5, text/turtle;q=1.0",
           "q-valued mix"),
    Client("N-Triples only", "application/n-triples", "q-valued mix"),
    Client("JSON-LD via application/json", "application/json", "q-valued mix"),
    Client("text/* range", "text/*", "q-valued mix"),
    Client("Turtle refused, anything else", "text/turtle;q=0, */*;q=0.5", "q-valued mix"),
    Client("HTML with uppercase and spaces", "TEXT/HTML ; q=0.9 , text/turtle;q=0.8",
           "q-valued mix"),
    Client("an image", "image/png", "unsupported type"),
    Client("PDF or Word", "application/pdf, application/msword", "unsupported type"),
    Client("everything refused", "text/turtle;q=0, */*;q=0", "unsupported type"),
)
