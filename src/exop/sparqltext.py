"""Just enough SPARQL lexing to find keywords outside strings, IRIs and comments.

Used to tell a query's form, whether its results are ordered, and where its WHERE
group opens (so parameter values can be bound there with a VALUES block).

A :class:`QueryText` lexes its text once and keeps what every later step asks of it (form,
order, the WHERE group, SERVICE endpoint positions): a packaged query is masked once from
its file to the engine, and values and SERVICE endpoints are spliced in one pass by
:meth:`QueryText.bound`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from rdflib import URIRef
from rdflib.term import Node, Variable

from exop.errors import ParameterError, QueryError
from exop.terms import sparql_term

QueryForm = Literal["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"]

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
# SPARQL 1.1 grammar: Query and Update both open with a Prologue (BASE and PREFIX
# declarations); the keyword right after it decides which of the two the text is. In the
# masked text the declarations' IRIs are blank, so a declaration is its keyword and name.
_PROLOGUE_THEN_KEYWORD = re.compile(
    r"\A(?:\s*(?:BASE|PREFIX\s+[A-Za-z0-9_.\-\u00C0-\uFFFF]*:))*\s*([A-Za-z]+)",
    re.IGNORECASE,
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)
_ORDER_BY = re.compile(r"(?<!\w)ORDER\s+BY\b")


def _has_order_by(masked: str) -> bool:
    # str.find then an anchored match: a \b search over the whole text costs ~20 us a query.
    upper = masked.upper()
    start = upper.find("ORDER")
    while start >= 0:
        if _ORDER_BY.match(upper, start):  # the lookbehind sees the text before start
            return True
        start = upper.find("ORDER", start + 1)
    return False


# One alternation finds every span to blank, leftmost first, as a lexer would: long
# strings before short ones (so '""' followed by '"' opens a long string), an unterminated
# string or a trailing backslash running to the end of the text. Walking the text one
# character at a time in Python took 86 us per packaged query (this: 8 us).
_BLANKED = re.compile(
    r'"""(?:\\.|\\\Z|[^\\])*?(?:"""|\Z)'
    r"|'''(?:\\.|\\\Z|[^\\])*?(?:'''|\Z)"
    r'|"(?:\\.|\\\Z|[^\\])*?(?:"|\Z)'
    r"|'(?:\\.|\\\Z|[^\\])*?(?:'|\Z)"
    r"|#[^\n]*"
    r"|" + _IRIREF.pattern,
    re.DOTALL,
)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    span = match.group()
    return _NOT_NEWLINE.sub(" ", span) if "\n" in span else " " * len(span)


def mask(text: str) -> str:
    """*text* with string literals, IRIs and comments blanked out (same length)."""
    return _BLANKED.sub(_blank, text)


def query_form(text: str) -> QueryForm | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE (None when no query form is found)."""
    return QueryText(text).form


def is_ordered(text: str) -> bool:
    """True when the query has an ORDER BY (so row order is part of its answer)."""
    return QueryText(text).ordered


def _matching_brace(masked: str, start: int) -> int:
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def where_group_start(text: str) -> int | None:
    """Index of the ``{`` that opens the query's WHERE group, or None.

    None also for ``CONSTRUCT WHERE { ... }`` (whose group may hold triples only).
    """
    return _where_group_start(mask(text))


def _where_group_start(masked: str) -> int | None:
    form = _FORM.search(masked)
    if form is None:
        return None
    position = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        rest = masked[position:].lstrip()
        if _WHERE.match(rest):
            return None
        template = masked.find("{", position)
        if template < 0:
            return None
        close = _matching_brace(masked, template)
        where = _WHERE.search(masked, close + 1) if close >= 0 else None
        if where is None:
            return None
        position = where.end()
    brace = masked.find("{", position)
    return brace if brace >= 0 else None


_TOKEN = re.compile(r"[^\s{}()\[\],;]+|\S")
_VARIABLE_TOKEN = re.compile(r"[?$](\w+)")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


def _variable(name: str) -> str:
    if not _VARIABLE.match(name):
        raise ParameterError(f"not a SPARQL variable name: {name!r}", what="variable",
                             value=name)
    return name


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for *bindings* (empty string when there are none)."""
    if not bindings:
        return ""
    names = " ".join(f"?{_variable(name)}" for name in bindings)
    terms = " ".join(sparql_term(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


class QueryText:
    """A SPARQL query text, lexed once, that answers every question later steps ask of it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"QueryText({self.text[:40]!r}...)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueryText) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @functools.cached_property
    def masked(self) -> str:
        """The text with strings, IRIs and comments blanked (the one lexing pass)."""
        return mask(self.text)

    @functools.cached_property
    def keyword(self) -> str | None:
        """The first keyword after the prologue, upper case (None for an empty text)."""
        match = _PROLOGUE_THEN_KEYWORD.match(self.masked)
        return match.group(1).upper() if match else None

    @functools.cached_property
    def form(self) -> QueryForm | None:
        """SELECT, CONSTRUCT, ASK or DESCRIBE (None when the text is not a query)."""
        return self.keyword if self.keyword in QUERY_FORMS else None  # type: ignore[return-value]

    @property
    def is_update(self) -> bool:
        """True when the text is a SPARQL 1.1 Update (INSERT, DELETE, DROP, LOAD...)."""
        return self.keyword in UPDATE_KEYWORDS

    @functools.cached_property
    def ordered(self) -> bool:
        """True when the query has an ORDER BY (so row order is part of its answer)."""
        return _has_order_by(self.masked)

    @functools.cached_property
    def where_group_start(self) -> int | None:
        """Index of the ``{`` opening the WHERE group (None for ``CONSTRUCT WHERE``)."""
        return _where_group_start(self.masked)

    @functools.cached_property
    def _tokens(self) -> tuple[re.Match[str], ...]:
        return tuple(_TOKEN.finditer(self.masked))

    def service_positions(self) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of every variable token in SERVICE endpoint position."""
        tokens = self._tokens
        for i, token in enumerate(tokens):
            if token.group(0).upper() != "SERVICE":
                continue
            j = i + 1
            if j < len(tokens) and tokens[j].group(0).upper() == "SILENT":
                j += 1
            if j < len(tokens) and (var := _VARIABLE_TOKEN.fullmatch(tokens[j].group(0))):
                yield tokens[j].start(), tokens[j].end(), var.group(1)

    def _other_uses(self, name: str, skipped: set[int]) -> bool:
        return any(
            var.group(1) == name and var.start() not in skipped
            for var in _VARIABLE_TOKEN.finditer(self.masked)
        )

    def bound(self, bindings: Mapping[str, Node]) -> str:
        """The text with *bindings* spliced in, in one pass over the lexed text.

        A variable in SERVICE endpoint position is written there as a checked IRI term
        (engines take no VALUES binding there); every other binding goes into a VALUES
        block opening the WHERE group (or trailing the query for ``CONSTRUCT WHERE``).
        """
        if not bindings:
            return self.text
        positions = [p for p in self.service_positions() if p[2] in bindings]
        endpoints = service_endpoint_variables(self.text) if positions else frozenset()
        splices: list[tuple[int, int, str]] = []
        for start, end, name in positions:
            if name not in endpoints:
                continue
            term = bindings[name]
            if not isinstance(term, URIRef):
                raise ParameterError(
                    f"the SERVICE endpoint ?{name} must be an IRI, not {term!r}",
                    what="SERVICE endpoint", parameter=name, value=str(term),
                )
            splices.append((start, end, sparql_term(term)))
        written = {start for start, _, _ in splices}
        remaining = {
            name: term for name, term in bindings.items()
            if name not in endpoints or self._other_uses(name, written)
        }
        block = values_block(remaining)
        brace = self.where_group_start
        if block and brace is not None:
            splices.append((brace + 1, brace + 1, f"\n  {block}\n"))
        out, last = [], 0
        for start, end, replacement in sorted(splices):
            out.append(self.text[last:start])
            out.append(replacement)
            last = end
        out.append(self.text[last:])
        text = "".join(out)
        if block and brace is None:
            text = f"{text.rstrip()}\n{block}\n"
        return text
