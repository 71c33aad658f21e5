"""Conversions between rdflib terms, Oxigraph terms and SPARQL JSON result terms."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)

OxTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Literal:
    """An rdflib literal in one normal form: xsd:string and rdf:langString become plain."""
    if lang:
        return Literal(value, lang=lang)
    if datatype in (None, _XSD_STRING, _LANG_STRING):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def from_oxigraph(term: object) -> Node | None:
    """An rdflib term for an Oxigraph term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported Oxigraph term {term!r}")


def to_oxigraph(term: Node) -> OxTerm:
    """An Oxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")


def normalise(term: Node | None) -> Node | None:
    """Put an rdflib result term in the same normal form as :func:`literal`."""
    if isinstance(term, Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    return term


def from_sparql_json(binding: Mapping[str, str] | None) -> Node | None:
    """An rdflib term for one term of the SPARQL 1.1 JSON results format."""
    if binding is None:
        return None
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        return literal(value, binding.get("datatype"), binding.get("xml:lang"))
    raise ValueError(f"unsupported SPARQL JSON term type {kind!r}")


def to_sparql_json(term: Node) -> dict[str, str]:
    """The SPARQL 1.1 JSON results form of an rdflib term."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"unsupported term {term!r}")
