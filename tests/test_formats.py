"""The format registry and HTTP content negotiation (RFC 9110 section 12.5.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exop import formats
from exop.errors import FormatError

ROOT = Path(__file__).resolve().parents[1]
HTACCESS = ROOT / "docs" / "w3id" / ".htaccess"

RDF = formats.of_kind("rdf")
PAGES_AND_RDF = (formats.get("html"), *RDF)

# (Accept header as real clients send it, offers, expected format name or None for 406)
NEGOTIATION_CASES = [
    (None, RDF, "turtle"),
    ("", RDF, "turtle"),
    ("*/*", RDF, "turtle"),
    ("text/turtle;q=1.0, application/rdf+xml;q=0.5", RDF, "turtle"),
    ("application/rdf+xml;q=0.5, text/turtle;q=1.0", RDF, "turtle"),
    ("text/turtle;q=1.0, text/html;q=0.1", PAGES_AND_RDF, "turtle"),
    ("application/n-triples", RDF, "nt"),
    ("text/plain, */*;q=0.1", RDF, "nt"),
    ("application/ld+json", RDF, "jsonld"),
    ("image/png", RDF, None),
    ("text/*", RDF, "turtle"),
    ("text/turtle;q=0", RDF, None),
    ("text/turtle;q=0, */*;q=0.5", RDF, "nt"),
    ("text/turtle;q=0, */*;q=0", RDF, None),
    (
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        PAGES_AND_RDF,
        "html",
    ),
    ("application/rdf+xml, application/xml;q=0.9, text/turtle;q=0.8", RDF, "xml"),
    ("garbage, text/turtle;q=oops, application/n-triples;q=0.2", RDF, "nt"),
]


@pytest.mark.parametrize(("accept", "offers", "expected"), NEGOTIATION_CASES)
def test_negotiate(accept: str | None, offers: tuple[formats.Format, ...],
                   expected: str | None) -> None:
    chosen = formats.negotiate(accept, offers)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_every_format_is_complete(fmt: formats.Format) -> None:
    assert fmt.media_types and all("/" in m for m in fmt.media_types)
    if fmt.kind in ("rdf", "dataset", "results"):
        assert fmt.rdflib and fmt.oxigraph and fmt.suffixes


@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if f.oxigraph], ids=lambda f: f.name)
def test_oxigraph_names_exist(fmt: formats.Format) -> None:
    import pyoxigraph

    table = pyoxigraph.QueryResultsFormat if fmt.kind == "results" else pyoxigraph.RdfFormat
    assert hasattr(table, str(fmt.oxigraph))


def test_names_are_unique() -> None:
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names))


def test_suffix_and_media_type_lookups() -> None:
    assert formats.for_suffix("a/b.TTL").name == "turtle"
    assert formats.for_suffix("x.owl").name == "xml"
    assert formats.for_suffix("x.nq").name == "nquads"
    found = formats.for_media_type("application/n-triples; charset=utf-8")
    assert found is not None and found.name == "nt"
    assert formats.for_media_type("image/png") is None


def test_unknown_names_raise_with_the_allowed_set() -> None:
    with pytest.raises(FormatError) as caught:
        formats.get("rdfxml", kinds=("rdf",))
    assert caught.value.value == "rdfxml"
    assert "turtle" in caught.value.allowed and "csv" not in caught.value.allowed
    with pytest.raises(FormatError):
        formats.for_suffix("notes.txt")


def test_htaccess_names_only_registered_media_types() -> None:
    rules = HTACCESS.read_text(encoding="utf-8").replace("\\", "")
    named = set(re.findall(r"\b(?:text|application|image)/[a-z0-9.+-]+[a-z0-9]", rules))
    registered = {m for f in formats.FORMATS for m in f.media_types}
    assert named, "no media type found in the w3id rules"
    assert named <= registered, f"not in exop.formats: {sorted(named - registered)}"


def test_htaccess_names_every_negotiated_rdf_format() -> None:
    """The other direction: each RDF format the rules offer is named there by its preferred
    media type (and all its aliases), so no offer is silently dropped from the rules."""
    from exop.site.paths import NEGOTIATED

    rules = HTACCESS.read_text(encoding="utf-8").replace("\\", "")
    offered = [f for f in NEGOTIATED if f.kind == "rdf"]
    assert offered
    for fmt in offered:
        for media_type in fmt.media_types:
            assert media_type in rules, f"{fmt.name}: {media_type} not in the w3id rules"
