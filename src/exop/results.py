"""Query results as text: SPARQL 1.1 CSV, TSV and JSON result formats, and table cells."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from exop.engines.base import QueryResult, Row
from exop.namespaces import compress

TRIPLE_VARIABLES = ("subject", "predicate", "object")


def tabular(result: QueryResult) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """Variables and rows of any result: graph results become sorted (s, p, o) rows."""
    if result.kind == "select":
        return result.variables, result.rows
    if result.kind == "ask":
        return ("boolean",), ((Literal(bool(result.boolean)),),)
    triples = sorted(result.graph or (), key=lambda t: tuple(x.n3() for x in t))
    return TRIPLE_VARIABLES, tuple(tuple(t) for t in triples)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = (
            str(term).replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        )
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype:
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV."""
    variables, rows = tabular(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return out.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV."""
    variables, rows = tabular(result)
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (graph results as s/p/o bindings)."""
    from exop.documents import query_result

    return json.dumps(query_result(result), indent=2, ensure_ascii=False) + "\n"


_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _xml_term(term: Node) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attributes = ""
    if term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attributes = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attributes}>{escape(str(term))}</literal>"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (graph results as s/p/o bindings)."""
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<sparql xmlns="{_SPARQL_RESULTS_NS}">']
    if result.kind == "ask":
        lines += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>",
                  "</sparql>"]
        return "\n".join(lines) + "\n"
    variables, rows = tabular(result)
    lines.append("<head>")
    lines += [f"<variable name={quoteattr(v)}/>" for v in variables]
    lines += ["</head>", "<results>"]
    for row in rows:
        lines.append("<result>")
        lines += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                  for v, t in zip(variables, row, strict=True) if t is not None]
        lines.append("</result>")
    lines += ["</results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def cell(term: Node | None) -> str:
    """A short human form of a term for tables: CURIEs for IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compress(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


FORMATTERS = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml-results": to_xml}
"""Writers of the SPARQL result formats of :mod:`exop.formats`, by format name."""
