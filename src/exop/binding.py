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

import contextlib
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from exop.catalog import PackagedQuery, Parameter
from exop.errors import ParameterError
from exop.namespaces import PREFIXES, compress, expand
from exop.sparqltext import QueryText
from exop.terms import check_iri

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class BoundQuery:
    """A query with its parameter values as RDF terms (not yet spliced in)."""

    query: PackagedQuery
    bindings: Mapping[str, Node]
    """SPARQL variable name (without ``?``) -> RDF term."""
    defaults_used: tuple[Parameter, ...] = ()
    """The parameters that were not given and took their declared default."""

    @property
    def text(self) -> str:
        """The query text with the values spliced in (what an engine runs)."""
        return self.query.query_text.bound(self.bindings)


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with *bindings* bound by a VALUES block opening its WHERE group.

    Where the group cannot hold one (``CONSTRUCT WHERE``), a trailing VALUES clause is used.
    A variable in SERVICE endpoint position is written there as an IRI term instead.
    """
    return QueryText(text).bound(bindings)


# Schemes an IRI parameter may use as they are; anything else before a colon must be one of
# the package's prefixes, so a mistyped prefix ("cl:0000092") is an error and not an IRI
# that silently matches nothing.
IRI_SCHEMES = frozenset({"http", "https", "urn", "mailto", "ftp", "file", "tag", "doi"})


def _unknown_prefix(value: str, prefix: str) -> ParameterError:
    known = sorted(PREFIXES)
    alike = [k for k in known if k.lower() == prefix.lower()]
    hint = f"; did you mean {alike[0]}:{value.split(':', 1)[1]}?" if alike else ""
    return ParameterError(
        f"unknown prefix {prefix!r} in {value!r}{hint} (known prefixes: {', '.join(known)})",
        what="prefix", value=prefix, allowed=tuple(known),
    )


def _iri_value(raw: str) -> URIRef:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, colon, _ = value.partition(":")
    if colon and prefix in PREFIXES:
        if not value.startswith(PREFIXES[prefix]):
            expanded = expand(value)
            if expanded:
                value = expanded
    elif colon and prefix.lower() not in IRI_SCHEMES and not value.startswith(prefix + "://"):
        raise _unknown_prefix(value, prefix)
    return URIRef(check_iri(value))


def _choice(parameter: Parameter, raw: str) -> str:
    """*raw* as one of the parameter's allowed values; a CURIE of one is accepted too."""
    if raw in parameter.enum:
        return raw
    if parameter.kind == "iri" or all(":" in v for v in parameter.enum):
        with contextlib.suppress(ParameterError):
            expanded = str(_iri_value(raw))
            if expanded in parameter.enum:
                return expanded
    shown = ", ".join(compress(v) for v in parameter.enum)
    raise ParameterError(f"{raw!r} is not one of: {shown}", allowed=parameter.enum)


# XSD lexical spaces of the datatypes parameters use, checked before rdflib sees the value:
# rdflib logs a traceback on stderr for every ill-typed literal it is asked to make.
_XSD_LEXICAL = {
    f"{XSD}integer": re.compile(r"[+-]?\d+"),
    f"{XSD}decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    f"{XSD}double": re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|NaN)"),
    f"{XSD}boolean": re.compile(r"true|false|1|0"),
    f"{XSD}date": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d\d:\d\d)?"),
    f"{XSD}gYear": re.compile(r"-?\d{4,}(Z|[+-]\d\d:\d\d)?"),
}


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def _typed_literal(raw: str, datatype: str) -> Literal:
    check_iri(datatype)
    lexical = _XSD_LEXICAL.get(datatype)
    if lexical is not None and not lexical.fullmatch(raw.strip()):
        short = compress(datatype)
        raise ParameterError(f"{raw!r} is not a valid {short}", what="value", value=raw)
    with _quiet_rdflib():
        lit = Literal(raw.strip(), datatype=URIRef(datatype))
    if getattr(lit, "ill_typed", False):
        short = compress(datatype)
        raise ParameterError(f"{raw!r} is not a valid {short}", what="value", value=raw)
    value = lit.toPython()
    if value is not lit and not isinstance(value, Literal):
        with _quiet_rdflib():
            canonical = Literal(value, datatype=URIRef(datatype))
        if str(canonical) and not getattr(canonical, "ill_typed", False):
            return canonical
    return lit


def coerce(parameter: Parameter, raw: str) -> Node:
    """The RDF term for a user's string *raw* under *parameter*'s declared type."""
    try:
        if parameter.enum:
            raw = _choice(parameter, raw)
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
        raise ParameterError(
            f"parameter {parameter.name!r}: {error}",
            what="parameter value",
            parameter=parameter.name,
            value=raw,
            allowed=error.allowed,
            example=parameter.example,
        ) from None


def as_text(value: object) -> str:
    """A native Python value as the text a user would type for it.

    Lets scripts pass ``{"number": 33}``, a ``datetime.date`` or an rdflib term where the
    command line passes strings; the result is checked like any other text.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, URIRef | Literal):
        return str(value)
    raise ParameterError(f"cannot use a {type(value).__name__} as a parameter value",
                         what="parameter value", value=repr(value))


def bind(query: PackagedQuery, values: Mapping[str, object]) -> BoundQuery:
    """Check *values* against *query*'s parameters and turn them into RDF terms.

    Values are text, or native Python values (int, float, date, IRIs) turned into text by
    :func:`as_text`. Unknown names and missing required parameters (without a default)
    are errors.
    """
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(known))
    if unknown:
        offered = ", ".join(known) or "none"
        raise ParameterError(
            f"query {query.id!r} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters: {offered}",
            what="parameter",
            parameter=unknown[0],
            allowed=tuple(known),
        )
    bindings: dict[str, Node] = {}
    defaults: list[Parameter] = []
    for parameter in query.parameters:
        given = values.get(parameter.name)
        raw = as_text(given) if given is not None else parameter.default
        if given is None and raw is not None:
            defaults.append(parameter)
        if raw is None:
            if parameter.required:
                example = (f" (for example {compress(parameter.example)})"
                           if parameter.example else "")
                raise ParameterError(
                    f"query {query.id!r} needs parameter {parameter.name!r}{example}",
                    what="missing parameter",
                    parameter=parameter.name,
                    example=parameter.example,
                )
            continue
        bindings[parameter.variable] = coerce(parameter, raw)
    return BoundQuery(query=query, bindings=bindings, defaults_used=tuple(defaults))

