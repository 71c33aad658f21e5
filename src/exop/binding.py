"""Typed, injection-safe query parameters.

A user's value never becomes query text by itself: it is checked against its parameter's
declared type, turned into an RDF term (IRI or literal), and the term is bound to the
parameter variable by a ``VALUES`` block at the start of the query's WHERE group. The
block is written from the term by :func:`sparql_term`, which escapes literals per the
SPARQL grammar and refuses IRIs that contain characters an IRI may not contain, so a
value such as ``x" } . DROP ALL ; #`` is a harmless string and ``<a> } DROP ALL`` an error.
The same mechanism is used on every engine, so every engine sees the same query.

One position is the exception: the endpoint of a ``SERVICE`` clause. Engines do not take
it from a VALUES binding (Oxigraph refuses an unbound service variable, rdflib returns no
rows), so a parameter used there (grlc's ``SERVICE ?_name_iri``) is written into the query
text at that position only, as the IRI term :func:`sparql_term` checks and writes; any
other use of the same variable stays bound by VALUES. The position is found by
:func:`service_endpoint_variables` (rdflib's SPARQL parser) and a scan of the query's
tokens outside strings, IRIs and comments, never by a pattern over the raw text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node, Variable

from exop.catalog import PackagedQuery, Parameter
from exop.errors import ParameterError, QueryError
from exop.namespaces import CONVERTER, PREFIXES
from exop.sparqltext import mask, where_group_start

_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN = re.compile(r"[^\s{}()\[\],;]+|\S")
_VARIABLE_TOKEN = re.compile(r"[?$](\w+)")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


@dataclass(frozen=True)
class BoundQuery:
    """A query text with its parameter values as RDF terms (not yet spliced in)."""

    query: PackagedQuery
    bindings: Mapping[str, Node]
    """SPARQL variable name (without ``?``) -> RDF term."""


def check_iri(iri: str) -> str:
    """Return *iri* if it is an absolute IRI with no forbidden character, else raise."""
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise ParameterError(f"not a valid IRI: {iri!r} contains {bad.group(0)!r}")
    if not _SCHEME.match(iri):
        raise ParameterError(f"not an absolute IRI or known CURIE: {iri!r}")
    return iri


def sparql_term(term: Node) -> str:
    """The SPARQL text of an IRI or literal, escaped so it cannot end early."""
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if isinstance(term, Literal):
        body = "".join(_ESCAPES.get(c, c) for c in str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise ParameterError(f"not a valid language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype:
            return f'"{body}"^^<{check_iri(str(term.datatype))}>'
        return f'"{body}"'
    raise ParameterError(f"only IRIs and literals can be bound to parameters, not {term!r}")


def _variable(name: str) -> str:
    if not _VARIABLE.match(name):
        raise ParameterError(f"not a SPARQL variable name: {name!r}")
    return name


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for *bindings* (empty string when there are none)."""
    if not bindings:
        return ""
    names = " ".join(f"?{_variable(name)}" for name in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib SPARQL parse tree (CompValues, ParseResults, lists, terms)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, (list, tuple)) or type(current).__name__ == "ParseResults":
            stack.extend(current)


def service_endpoint_variables(text: str) -> frozenset[str]:
    """Names of the variables *text* uses as a SERVICE endpoint (``SERVICE ?name {...}``)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as error:  # pyparsing's ParseException and friends
        raise QueryError(
            f"cannot bind a SERVICE endpoint: the query does not parse: {error}"
        ) from error
    return frozenset(
        str(node["term"])
        for node in _walk(tree)
        if getattr(node, "name", None) == "ServiceGraphPattern"
        and isinstance(node.get("term"), Variable)
    )


def _service_positions(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of every variable token in SERVICE endpoint position.

    Tokens are read from the masked text (strings, IRIs and comments blanked), so a
    ``SERVICE ?x`` inside a literal or a comment is not a position.
    """
    tokens = list(_TOKEN.finditer(mask(text)))
    for i, token in enumerate(tokens):
        if token.group(0).upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].group(0).upper() == "SILENT":
            j += 1
        if j < len(tokens) and (var := _VARIABLE_TOKEN.fullmatch(tokens[j].group(0))):
            yield tokens[j].start(), tokens[j].end(), var.group(1)


def _uses_variable(text: str, name: str) -> bool:
    return any(var.group(1) == name for var in _VARIABLE_TOKEN.finditer(mask(text)))


def with_service_endpoints(text: str, bindings: Mapping[str, Node]) -> tuple[str, dict[str, Node]]:
    """Write bound SERVICE endpoint variables into *text* as checked IRI terms.

    Returns the new text and the bindings still to be bound by VALUES: those of every
    variable that is not a SERVICE endpoint, and of an endpoint variable that the query
    also uses elsewhere. A value bound to a SERVICE endpoint must be an IRI.
    """
    positions = [p for p in _service_positions(text) if p[2] in bindings]
    if not positions:
        return text, dict(bindings)
    endpoints = service_endpoint_variables(text)
    out, last = [], 0
    for start, end, name in positions:
        if name not in endpoints:
            continue
        term = bindings[name]
        if not isinstance(term, URIRef):
            raise ParameterError(f"the SERVICE endpoint ?{name} must be an IRI, not {term!r}")
        out.append(text[last:start])
        out.append(sparql_term(term))
        last = end
    out.append(text[last:])
    written = "".join(out)
    remaining = {
        name: term
        for name, term in bindings.items()
        if name not in endpoints or _uses_variable(written, name)
    }
    return written, remaining


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with *bindings* bound by a VALUES block opening its WHERE group.

    Where the group cannot hold one (``CONSTRUCT WHERE``), a trailing VALUES clause is used.
    A variable in SERVICE endpoint position is written there as an IRI term instead
    (see :func:`with_service_endpoints`).
    """
    text, bindings = with_service_endpoints(text, bindings)
    block = values_block(bindings)
    if not block:
        return text
    start = where_group_start(text)
    if start is None:
        return f"{text.rstrip()}\n{block}\n"
    return f"{text[: start + 1]}\n  {block}\n{text[start + 1 :]}"


def _iri_value(raw: str) -> URIRef:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix = value.split(":", 1)[0]
    if prefix in PREFIXES and not value.startswith(PREFIXES[prefix]):
        expanded = CONVERTER.expand(value)
        if expanded:
            value = expanded
    return URIRef(check_iri(value))


def _typed_literal(raw: str, datatype: str) -> Literal:
    check_iri(datatype)
    lit = Literal(raw.strip(), datatype=URIRef(datatype))
    if getattr(lit, "ill_typed", False):
        short = CONVERTER.compress(datatype) or datatype
        raise ParameterError(f"{raw!r} is not a valid {short}")
    value = lit.toPython()
    if value is not lit and not isinstance(value, Literal):
        canonical = Literal(value, datatype=URIRef(datatype))
        if str(canonical) and not getattr(canonical, "ill_typed", False):
            return canonical
    return lit


def coerce(parameter: Parameter, raw: str) -> Node:
    """The RDF term for a user's string *raw* under *parameter*'s declared type."""
    try:
        if parameter.enum and raw not in parameter.enum:
            allowed = ", ".join(parameter.enum)
            raise ParameterError(f"{raw!r} is not one of: {allowed}")
        if parameter.kind == "iri":
            return _iri_value(raw)
        if parameter.kind == "number":
            if not _NUMBER.match(raw.strip()):
                raise ParameterError(f"{raw!r} is not a number")
            is_int = raw.strip().lstrip("+-").isdigit()
            return _typed_literal(raw, str(XSD.integer if is_int else XSD.decimal))
        if parameter.datatype:
            return _typed_literal(raw, parameter.datatype)
        if parameter.lang:
            return Literal(raw, lang=parameter.lang)
        return Literal(raw)
    except ParameterError as error:
        raise ParameterError(f"parameter {parameter.name!r}: {error}") from None


def bind(query: PackagedQuery, values: Mapping[str, str]) -> BoundQuery:
    """Check *values* against *query*'s parameters and turn them into RDF terms.

    Unknown names and missing required parameters (without a default) are errors.
    """
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(known))
    if unknown:
        offered = ", ".join(known) or "none"
        raise ParameterError(
            f"query {query.id!r} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters: {offered}"
        )
    bindings: dict[str, Node] = {}
    for parameter in query.parameters:
        raw = values.get(parameter.name, parameter.default)
        if raw is None:
            if parameter.required:
                example = parameter.example
                hint = f" (e.g. -p {parameter.name}={example})" if example else ""
                raise ParameterError(
                    f"query {query.id!r} needs parameter {parameter.name!r}{hint}"
                )
            continue
        bindings[parameter.variable] = coerce(parameter, raw)
    return BoundQuery(query=query, bindings=bindings)

