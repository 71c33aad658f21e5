"""Find terms and individuals by what people call them: labels and synonyms to IRIs.

``exop search osteoclast`` answers "what is the IRI or CURIE I pass as a parameter?": every
minted or imported resource whose label or synonym contains the text, best matches first
(exact, then starting with it, then containing it as a word, then anywhere), with its types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exop.namespaces import PREFIXES, compress
from exop.terms import sparql_term

if TYPE_CHECKING:
    from exop.package import Package

from rdflib import Literal

NAME_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym",
    "http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym",
    "http://www.geneontology.org/formats/oboInOwl#hasNarrowSynonym",
    "http://www.geneontology.org/formats/oboInOwl#hasBroadSynonym",
)

_QUERY = """
SELECT ?s ?name ?label ?type WHERE {{
  VALUES ?needle {{ {needle} }}
  VALUES ?property {{ {properties} }}
  ?s ?property ?name .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?name)), ?needle))
  OPTIONAL {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
  OPTIONAL {{ ?s a ?type FILTER(isIRI(?type)) }}
}}
"""


@dataclass(frozen=True)
class SearchHit:
    """One resource whose label or synonym matched."""

    iri: str
    curie: str
    label: str
    matched: str
    """The label or synonym that matched."""
    types: tuple[str, ...]
    """Its rdf:types, as CURIEs."""
    minted: bool
    """True for EXOP's own terms and individuals."""
    rank: int
    """0 exact, 1 starts with the text, 2 contains it as a word, 3 contains it."""


def _rank(name: str, needle: str) -> int:
    lowered = name.lower()
    if lowered == needle:
        return 0
    if lowered.startswith(needle):
        return 1
    if re.search(rf"\b{re.escape(needle)}\b", lowered):
        return 2
    return 3


def search(text: str, package: Package | None = None, limit: int = 50) -> tuple[SearchHit, ...]:
    """The resources whose label or a synonym contains *text* (case-insensitive), best first."""
    from exop.package import default_package

    needle = " ".join(text.split()).lower()
    if not needle:
        return ()
    query = _QUERY.format(
        needle=sparql_term(Literal(needle)),
        properties=" ".join(f"<{p}>" for p in NAME_PROPERTIES),
    )
    store = (package or default_package()).store
    found: dict[str, tuple[int, str, str, set[str]]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        iri, name = row[0].value, row[1].value
        label = row[2].value if row[2] is not None else name
        rank = _rank(name, needle)
        best = found.get(iri)
        types = best[3] if best else set()
        if row[3] is not None:
            types.add(compress(row[3].value))
        if best is None or rank < best[0]:
            found[iri] = (rank, name, label, types)
    hits = [
        SearchHit(iri=iri, curie=compress(iri), label=label, matched=name,
                  types=tuple(sorted(types)), minted=iri.startswith(PREFIXES["exop"]), rank=rank)
        for iri, (rank, name, label, types) in found.items()
    ]
    hits.sort(key=lambda h: (h.rank, not h.minted, len(h.matched), h.iri))
    return tuple(hits[:limit])
