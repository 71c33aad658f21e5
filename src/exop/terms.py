"""Conversions between rdflib terms, Oxigraph terms and SPARQL JSON result terms."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from exop.errors import ParameterError

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


def rows_from_oxigraph(
    solutions: list[tuple[object, ...]],
) -> tuple[tuple[Node | None, ...], ...]:
    """Oxigraph solutions as rows of rdflib terms (None where unbound).

    Large answers repeat the same labels and IRIs in many rows: converting each distinct
    term once, and unpacking a solution as a whole instead of looking up each variable,
    halves the cost of materialising them (measured: 58k rows x 10 columns, 2.3 s -> 1.1 s).
    """
    converted: dict[object, Node | None] = {}

    def convert(term: object) -> Node | None:
        try:
            return converted[term]
        except KeyError:
            value = converted[term] = from_oxigraph(term)
            return value

    return tuple(tuple(convert(term) for term in solution) for solution in solutions)


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


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def check_iri(iri: str) -> str:
    """Return *iri* if it is an absolute IRI with no forbidden character, else raise."""
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise ParameterError(f"not a valid IRI: {iri!r} contains {bad.group(0)!r}",
                             what="IRI", value=iri)
    if not _SCHEME.match(iri):
        raise ParameterError(f"not an absolute IRI or known CURIE: {iri!r}", what="IRI",
                             value=iri)
    return iri


def sparql_term(term: Node) -> str:
    """The SPARQL text of an IRI or literal, escaped so it cannot end early."""
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = "".join(_ESCAPES.get(c, c) for c in str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise ParameterError(f"not a valid language tag: {term.language!r}",
                                     what="language tag", value=term.language)
            return f'"{body}"@{term.language}'
        if term.datatype:
            return f'"{body}"^^<{check_iri(str(term.datatype))}>'
        return f'"{body}"'
    raise ParameterError(f"only IRIs and literals can be bound to parameters, not {term!r}",
                         what="term", value=str(term))
