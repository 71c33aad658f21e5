"""What a face answers for a request's Accept header and ``?format=``: one decision, any face.

Every HTTP face (the live server, a static host's rules, tests) decides the same way: an
explicit ``?format=NAME`` (a format registry name) overrides the Accept header; otherwise
:func:`exop.formats.negotiate` picks among the offers by q-value. A :class:`Decision`
without a format is a 406, and says which formats were on offer so the answer can list
them. The offers for each kind of answer live here, in the server's order of preference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exop import formats
from exop.engines.base import ResultKind
from exop.errors import FormatError
from exop.site.paths import NEGOTIATED

RESULT_OFFERS: dict[ResultKind, tuple[formats.Format, ...]] = {
    "select": tuple(formats.get(n) for n in ("json", "xml-results", "csv", "tsv")),
    "ask": tuple(formats.get(n) for n in ("json", "xml-results", "csv", "tsv")),
    "graph": tuple(formats.get(n) for n in ("turtle", "nt", "xml", "jsonld")),
}
"""What a SPARQL answer of each kind is offered as, preferred first."""

API_OFFERS: tuple[formats.Format, ...] = tuple(formats.get(n) for n in ("json", "csv", "tsv"))
"""What a packaged query's answer is offered as by the API, preferred first."""

IRI_OFFERS: tuple[formats.Format, ...] = NEGOTIATED
"""What every EXOP IRI is offered as (the static site's list, so both agree)."""


@dataclass(frozen=True)
class Decision:
    """The format to answer in (None: nothing acceptable) and what was on offer."""

    format: formats.Format | None
    offers: tuple[formats.Format, ...]
    overridden: bool = False
    """True when ``?format=`` chose, not the Accept header."""

    def alternatives(self) -> list[dict[str, str]]:
        """The offers as name, label and media type, for a 406 body."""
        return [{"format": f.name, "label": f.label, "media_type": f.media_type}
                for f in self.offers]


def decide(accept: str | None, offers: Sequence[formats.Format],
           override: str | None = None) -> Decision:
    """The answer's format for *accept* among *offers*, or the one *override* names.

    An *override* that names no offer is a FormatError listing the offers' names.
    """
    offered = tuple(offers)
    if override is not None:
        chosen = next((f for f in offered if f.name == override), None)
        if chosen is None:
            raise FormatError(
                f"format {override!r} is not offered here; offered: "
                + ", ".join(f.name for f in offered),
                what="format", parameter="format", value=override,
                allowed=tuple(f.name for f in offered),
            )
        return Decision(chosen, offered, overridden=True)
    return Decision(formats.negotiate(accept, offered), offered)
