"""The one registry of formats: every RDF serialisation, result format and page type.

Each :class:`Format` knows its name (as the command line and ``?format=`` spell it), its
file suffixes and media types (the preferred one first), and what rdflib and Oxigraph call
it. Parsers, writers, command-line choices and content negotiation all read this table, so
adding a format is one entry here. :func:`negotiate` implements HTTP content negotiation
(RFC 9110 section 12.5.1: q-values, ``type/*`` and ``*/*`` ranges, most specific range wins).

This module sits at the bottom of the library: it imports nothing from EXOP but errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from exop.errors import FormatError

FormatKind = Literal["rdf", "dataset", "results", "page"]
"""rdf: a graph serialisation; dataset: quads (named graphs); results: SPARQL SELECT/ASK
answers; page: a document for people (HTML, the terminal table)."""


@dataclass(frozen=True)
class Format:
    """One format: how people, files, HTTP, rdflib and Oxigraph name it."""

    name: str
    kind: FormatKind
    label: str
    media_types: tuple[str, ...]
    """Preferred first; the others are accepted from clients and in negotiation."""
    suffixes: tuple[str, ...] = ()
    """File suffixes with the dot, preferred first."""
    rdflib: str | None = None
    """rdflib's parser plugin name (and serializer, unless :attr:`rdflib_writer` says)."""
    rdflib_writer: str | None = None
    """rdflib's serializer plugin name where it differs from the parser's."""
    oxigraph: str | None = None
    """The member name of ``pyoxigraph.RdfFormat`` or ``pyoxigraph.QueryResultsFormat``."""
    charset: bool = True
    """Whether a ``; charset=utf-8`` parameter belongs on its Content-Type."""

    @property
    def writer(self) -> str | None:
        """rdflib's serializer plugin name."""
        return self.rdflib_writer or self.rdflib

    @property
    def media_type(self) -> str:
        """The preferred media type."""
        return self.media_types[0]

    @property
    def suffix(self) -> str:
        """The preferred file suffix (empty where files of this format are not written)."""
        return self.suffixes[0] if self.suffixes else ""

    @property
    def content_type(self) -> str:
        """The HTTP Content-Type header value for this format."""
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


FORMATS: tuple[Format, ...] = (
    # -- RDF graphs --------------------------------------------------------------------------
    Format("turtle", "rdf", "Turtle", ("text/turtle", "application/x-turtle"),
           (".ttl", ".turtle"), rdflib="turtle", oxigraph="TURTLE"),
    Format("nt", "rdf", "N-Triples", ("application/n-triples", "text/plain"),
           (".nt",), rdflib="nt", oxigraph="N_TRIPLES"),
    Format("xml", "rdf", "RDF/XML", ("application/rdf+xml", "application/xml", "text/xml"),
           (".rdf", ".owl", ".xml"), rdflib="xml", oxigraph="RDF_XML"),
    Format("jsonld", "rdf", "JSON-LD", ("application/ld+json", "application/json"),
           (".jsonld", ".json"), rdflib="json-ld", oxigraph="JSON_LD", charset=False),
    Format("n3", "rdf", "Notation3", ("text/n3", "text/rdf+n3"), (".n3",),
           rdflib="n3", oxigraph="N3"),
    # -- RDF datasets (named graphs) ---------------------------------------------------------
    Format("trig", "dataset", "TriG", ("application/trig",), (".trig",),
           rdflib="trig", oxigraph="TRIG"),
    Format("nquads", "dataset", "N-Quads", ("application/n-quads",), (".nq",),
           rdflib="nquads", oxigraph="N_QUADS"),
    # -- SPARQL results ----------------------------------------------------------------------
    Format("json", "results", "SPARQL JSON results",
           ("application/sparql-results+json", "application/json"), (".srj", ".json"),
           rdflib="json", oxigraph="JSON", charset=False),
    Format("xml-results", "results", "SPARQL XML results",
           ("application/sparql-results+xml", "application/xml"), (".srx", ".xml"),
           rdflib="xml", oxigraph="XML"),
    Format("csv", "results", "SPARQL CSV results", ("text/csv",), (".csv",),
           rdflib="csv", oxigraph="CSV"),
    Format("tsv", "results", "SPARQL TSV results", ("text/tab-separated-values",), (".tsv",),
           rdflib="tsv", oxigraph="TSV"),
    # -- pages for people --------------------------------------------------------------------
    Format("html", "page", "HTML", ("text/html", "application/xhtml+xml"), (".html",)),
    Format("table", "page", "a table for the terminal", ("text/plain",)),
)

_BY_NAME = {f.name: f for f in FORMATS}


def get(name: str, kinds: Iterable[FormatKind] | None = None) -> Format:
    """The format called *name* (of one of *kinds*, when given); FormatError otherwise."""
    wanted = tuple(kinds) if kinds is not None else None
    found = _BY_NAME.get(name)
    if found is None or (wanted is not None and found.kind not in wanted):
        raise FormatError(what="format", value=name, allowed=names(wanted))
    return found


def of_kind(*kinds: FormatKind) -> tuple[Format, ...]:
    """The formats of *kinds*, in registry order."""
    return tuple(f for f in FORMATS if f.kind in kinds)


def names(kinds: Iterable[FormatKind] | None = None) -> tuple[str, ...]:
    """The names of the formats of *kinds* (all when None), in registry order."""
    wanted = tuple(kinds) if kinds is not None else None
    return tuple(f.name for f in FORMATS if wanted is None or f.kind in wanted)


def for_suffix(path: PurePath | str, kinds: Iterable[FormatKind] = ("rdf", "dataset")) -> Format:
    """The format of a file, from its suffix (first match in registry order)."""
    suffix = PurePath(path).suffix.lower()
    wanted = tuple(kinds)
    for candidate in FORMATS:
        if candidate.kind in wanted and suffix in candidate.suffixes:
            return candidate
    known = sorted({s for f in FORMATS if f.kind in wanted for s in f.suffixes})
    raise FormatError(what="file suffix", value=suffix or "(none)", allowed=tuple(known))


def for_media_type(media_type: str, kinds: Iterable[FormatKind] | None = None) -> Format | None:
    """The format a media type names (parameters such as charset ignored), or None."""
    bare = media_type.split(";", 1)[0].strip().lower()
    wanted = tuple(kinds) if kinds is not None else None
    for candidate in FORMATS:
        if (wanted is None or candidate.kind in wanted) and bare in candidate.media_types:
            return candidate
    return None


# -- content negotiation ---------------------------------------------------------------------


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """2 exact, 1 ``type/*``, 0 ``*/*``; None when the range does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


def _quality(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The media ranges of an Accept header; a missing or empty header is ``*/*``.

    Malformed elements are dropped rather than rejected, as servers commonly do.
    """
    if header is None or not header.strip():
        return (MediaRange("*", "*", 1.0),)
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q: float | None = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                q = _quality(value.strip())
        if q is not None:
            ranges.append(MediaRange(kind, sub, q))
    return tuple(ranges)


def _rating(ranges: Sequence[MediaRange], media_types: Sequence[str]) -> float:
    """The q-value the client gives a format known by *media_types*.

    The most specific matching range decides, across all of the format's media types: a
    client that refuses ``text/turtle;q=0`` but accepts ``*/*`` has refused Turtle, even
    though Turtle's alias ``application/x-turtle`` only meets the wildcard.
    """
    best: tuple[int, float] | None = None
    for media_type in media_types:
        for media_range in ranges:
            rank = media_range.specificity(media_type)
            if rank is not None and (best is None or (rank, media_range.q) > best):
                best = (rank, media_range.q)
    return best[1] if best is not None else 0.0


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives *media_type*: that of the most specific matching range."""
    return _rating(ranges, (media_type,))


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers by *accept*; None when it accepts none of them (406).

    Each offer is rated by the best q-value of any of its media types; ties go to the
    earlier offer, so the server's order of preference decides between equals.
    """
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen: Format | None = None
    for index, offer in enumerate(offers):
        q = _rating(ranges, offer.media_types)
        if q > 0 and (best is None or q > best[0]):
            best, chosen = (q, index), offer
    return chosen
