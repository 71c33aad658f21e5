"""A deterministic RDF/XML writer: subjects and their properties in sorted order.

rdflib's RDF/XML writers order subjects differently from run to run, and Oxigraph's writes
typed-node element names that are not XML names for IRIs such as
``http://identifiers.org/hgnc/2200``. This writer uses ``rdf:Description`` elements and
writes ``rdf:type`` as a property, the form every RDF/XML reader (OWL API included) takes,
and declares a namespace for each predicate namespace (EXOP's prefix where it has one).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_NCNAME_TAIL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*$")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PREFIX_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _split(predicate: str) -> tuple[str, str]:
    match = _NCNAME_TAIL.search(predicate)
    if match is None or match.start() == 0:
        raise ValueError(f"cannot write predicate {predicate} in RDF/XML")
    return predicate[: match.start()], match.group(0)


def _object(term: Node) -> tuple[str, str]:
    """(attributes, content) of a property element for *term*."""
    if isinstance(term, URIRef):
        return f" rdf:resource={quoteattr(str(term))}", ""
    if isinstance(term, BNode):
        return f" rdf:nodeID={quoteattr(str(term))}", ""
    assert isinstance(term, Literal)
    if term.language:
        return f" xml:lang={quoteattr(term.language)}", escape(str(term))
    if term.datatype:
        return f" rdf:datatype={quoteattr(str(term.datatype))}", escape(str(term))
    return "", escape(str(term))


def write_rdfxml(triples: Iterable[tuple[Node, Node, Node]],
                 prefixes: Mapping[str, str]) -> bytes:
    """The RDF/XML of *triples*, identical for the same triples whatever their order."""
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        by_subject[s].append((p, o))
    names: dict[str, str] = {_RDF: "rdf"}
    known = {ns: prefix for prefix, ns in prefixes.items() if _PREFIX_NAME.fullmatch(prefix)}
    for pairs in by_subject.values():
        for p, _ in pairs:
            namespace, _local = _split(str(p))
            if namespace not in names:
                names[namespace] = known.get(namespace) or f"ns{len(names)}"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"  xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in
              sorted(names.items(), key=lambda item: item[1])]
    lines[-1] += ">"
    for subject in sorted(by_subject, key=lambda t: t.n3()):
        about = (f"rdf:nodeID={quoteattr(str(subject))}" if isinstance(subject, BNode)
                 else f"rdf:about={quoteattr(str(subject))}")
        lines.append(f"  <rdf:Description {about}>")
        for p, o in sorted(by_subject[subject], key=lambda po: (po[0].n3(), po[1].n3())):
            namespace, local = _split(str(p))
            element = f"{names[namespace]}:{local}"
            attributes, content = _object(o)
            if content or isinstance(o, Literal):
                lines.append(f"    <{element}{attributes}>{content}</{element}>")
            else:
                lines.append(f"    <{element}{attributes}/>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")
