"""Web Annotations: every selector selects exactly its finding's quote in the review's text."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef

from exop import resources
from exop.coverage import read_review
from exop.errors import TextInputError
from exop.exporters import SINGLE, get_exporter
from exop.exporters import _findings as fd
from exop.exporters.annotations import selectors
from exop.package import Package, default_package


@pytest.fixture(scope="module")
def text() -> str:
    # The package ships the review's text: its absence is a failure, not a reason to skip.
    return read_review(resources.REVIEW_FILE)


@pytest.fixture(scope="module")
def document(text: str) -> dict[str, object]:
    data = get_exporter("annotations").render(default_package())[SINGLE]
    loaded: dict[str, object] = json.loads(data)
    return loaded


def _items(document: dict[str, object]) -> list[dict[str, object]]:
    first = document["first"]
    assert isinstance(first, dict)
    items: list[dict[str, object]] = first["items"]
    return items


def test_one_annotation_per_finding(document: dict[str, object]) -> None:
    findings = fd.findings(default_package().data)
    assert [i["body"] for i in _items(document)] == [str(f.iri) for f in findings]
    assert document["total"] == len(findings)


def test_every_selector_selects_exactly_its_quote(document: dict[str, object],
                                                 text: str) -> None:
    quotes = {str(f.iri): f.quote for f in fd.findings(default_package().data)}
    for item in _items(document):
        target = item["target"]
        assert isinstance(target, dict)
        quote_selector, position = target["selector"]
        quote = quotes[str(item["body"])]
        assert text[position["start"]:position["end"]] == quote
        assert quote_selector["exact"] == quote
        anchored = quote_selector["prefix"] + quote + quote_selector["suffix"]
        assert text.count(anchored) == 1
        assert text.index(anchored) + len(quote_selector["prefix"]) == position["start"]


def test_rebuild_is_byte_identical(text: str) -> None:
    first = get_exporter("annotations").render(default_package())
    assert get_exporter("annotations").render(Package()) == first


def test_is_json_ld_that_rdflib_reads_with_the_anno_vocabulary(document: dict[str, object]) -> None:
    # The W3C context is not fetched: the same terms, expanded through a local copy of the
    # few the document uses, give oa: triples.
    oa = "http://www.w3.org/ns/oa#"
    context = {
        "id": "@id", "type": "@type", "Annotation": f"{oa}Annotation",
        "AnnotationCollection": f"{oa}AnnotationCollection",
        "AnnotationPage": "http://www.w3.org/ns/activitystreams#OrderedCollectionPage",
        "TextQuoteSelector": f"{oa}TextQuoteSelector",
        "TextPositionSelector": f"{oa}TextPositionSelector",
        "motivation": {"@id": f"{oa}motivatedBy", "@type": "@vocab"},
        "linking": f"{oa}linking", "body": {"@id": f"{oa}hasBody", "@type": "@id"},
        "target": f"{oa}hasTarget", "source": {"@id": f"{oa}hasSource", "@type": "@id"},
        "selector": {"@id": f"{oa}hasSelector"}, "exact": f"{oa}exact",
        "prefix": f"{oa}prefix", "suffix": f"{oa}suffix", "start": f"{oa}start",
        "end": f"{oa}end", "label": "http://www.w3.org/2000/01/rdf-schema#label",
        "total": "http://www.w3.org/ns/activitystreams#totalItems",
        "first": "http://www.w3.org/ns/activitystreams#first",
        "items": {"@id": "http://www.w3.org/ns/activitystreams#items", "@container": "@list"},
    }
    graph = Graph().parse(data=json.dumps({**document, "@context": context}), format="json-ld")
    exact = list(graph.objects(None, URIRef(f"{oa}exact")))
    assert len(exact) == len(_items(document))


def test_a_quote_missing_from_the_text_is_one_clear_error() -> None:
    with pytest.raises(TextInputError, match="not in the review"):
        selectors("some other text", "Osteoporosis is")
