"""Just enough SPARQL lexing to find keywords outside strings, IRIs and comments.

Used to tell a query's form, whether its results are ordered, and where its WHERE
group opens (so parameter values can be bound there with a VALUES block).
"""

from __future__ import annotations

import re
from typing import Literal

QueryForm = Literal["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"]

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal that opens at *start*."""
    quote = text[start]
    long_quote = text.startswith(quote * 3, start)
    delimiter = quote * 3 if long_quote else quote
    i = start + len(delimiter)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(delimiter, i):
            return i + len(delimiter)
        i += 1
    return len(text)


def mask(text: str) -> str:
    """*text* with string literals, IRIs and comments blanked out (same length)."""
    out = list(text)
    i = 0
    while i < len(text):
        char = text[i]
        end = i + 1
        if char in "\"'":
            end = _string_end(text, i)
        elif char == "#":
            newline = text.find("\n", i)
            end = len(text) if newline < 0 else newline
        elif char == "<" and (match := _IRIREF.match(text, i)):
            end = match.end()
        else:
            i += 1
            continue
        for j in range(i, end):
            if out[j] != "\n":
                out[j] = " "
        i = end
    return "".join(out)


def query_form(text: str) -> QueryForm | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE (None when no query form is found)."""
    match = _FORM.search(mask(text))
    return match.group(1).upper() if match else None  # type: ignore[return-value]


def is_ordered(text: str) -> bool:
    """True when the query has an ORDER BY (so row order is part of its answer)."""
    return _ORDER_BY.search(mask(text)) is not None


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
    masked = mask(text)
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
