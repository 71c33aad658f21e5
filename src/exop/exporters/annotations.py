"""Every evidence quote as a W3C Web Annotation anchored in the review's text (JSON-LD).

One annotation per finding: its body is the finding, its target the review (by DOI) with a
``TextQuoteSelector`` (the quote, with up to 32 characters of prefix and suffix) and a
``TextPositionSelector`` (start and end offsets, in Unicode code points, into the plain
text the package ships, :data:`exop.resources.REVIEW_FILE`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from exop import resources
from exop.coverage import read_review
from exop.errors import TextInputError
from exop.exporters import SINGLE, Artifact, Exporter
from exop.exporters import _findings as fd

if TYPE_CHECKING:
    from exop.package import Package

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION = "https://w3id.org/exop/annotations"
AFFIX = 32

Json = dict[str, object]


def selectors(text: str, quote: str) -> list[Json]:
    """The quote and position selectors of *quote* in *text*; TextInputError if absent."""
    start = text.find(quote)
    if start < 0 or not quote:
        raise TextInputError(f"evidence quote not in the review's text: {quote[:60]!r}")
    end = start + len(quote)
    return [
        {"type": "TextQuoteSelector", "exact": quote,
         "prefix": text[max(0, start - AFFIX):start], "suffix": text[end:end + AFFIX]},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def collection(package: Package, text: str) -> Json:
    """The annotation collection of every finding's quote."""
    graph = package.data
    dois = [c for c in fd.publication_curies(graph, fd.REVIEW) if c.startswith("doi:")]
    source = "https://doi.org/" + dois[0].removeprefix("doi:") if dois else str(fd.REVIEW)
    items: list[Json] = []
    for finding in fd.findings(graph):
        local = str(finding.iri).rsplit("/", 1)[1]
        items.append({
            "id": f"{COLLECTION}/{local}",
            "type": "Annotation",
            "motivation": "linking",
            "body": str(finding.iri),
            "target": {"source": source, "selector": selectors(text, finding.quote)},
        })
    return {
        "@context": CONTEXT,
        "id": COLLECTION,
        "type": "AnnotationCollection",
        "label": "EXOP evidence quotes anchored in the review's text",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }


def render(package: Package) -> Artifact:
    """The collection as JSON-LD."""
    document = collection(package, read_review(resources.REVIEW_FILE))
    return {SINGLE: (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
                     + "\n").encode("utf-8")}


EXPORTERS = (
    Exporter(
        name="annotations",
        summary="every evidence quote as a W3C Web Annotation on the review's text (JSON-LD)",
        render=render,
        suffix=".jsonld",
        media_type="application/ld+json",
    ),
)
