"""Engines that run SPARQL: a registry of kinds, each an object built with its own options.

Every module of this package (but ``base``) defines one ``ENGINE`` (an
:class:`~exop.engines.base.EngineSpec`), so a new engine is a new module. An engine is
built by :func:`make_engine` from a name (``oxigraph``, ``rdflib``) or an http(s) URL (a
remote endpoint), with the options that apply to it; an option that does not apply is an
error, never silently ignored. Whatever the engine, the answer is one
:class:`QueryResult`, with rdflib terms in one normal form (plain literals for
xsd:string), so results compare equal across engines.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib.term import Node

from exop.engines.base import Engine, EngineOptions, EngineSpec, QueryResult, ResultKind, Row
from exop.errors import EngineOptionError, QueryError
from exop.sparqltext import QueryText

if TYPE_CHECKING:
    from exop.package import Package

__all__ = [
    "Engine",
    "EngineOptions",
    "EngineSpec",
    "QueryResult",
    "ResultKind",
    "Row",
    "check_options",
    "engine_specs",
    "is_endpoint",
    "local_engine_names",
    "make_engine",
    "run_query",
]


def is_endpoint(engine: str) -> bool:
    """True when *engine* names a remote endpoint (an http(s) URL)."""
    return engine.startswith(("http://", "https://"))


@functools.cache
def engine_specs() -> tuple[EngineSpec, ...]:
    """Every engine kind, one per module of this package, sorted by name."""
    specs = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_") or module.name == "base":
            continue
        specs.append(importlib.import_module(f"{__name__}.{module.name}").ENGINE)
    return tuple(sorted(specs, key=lambda s: s.name))


def local_engine_names() -> tuple[str, ...]:
    """The names of the engines chosen by name (not by URL), default first."""
    names = [s.name for s in engine_specs() if not s.remote]
    return tuple(sorted(names, key=lambda n: (n != "oxigraph", n)))


def _spec_for(engine: str) -> EngineSpec:
    remote = is_endpoint(engine)
    for spec in engine_specs():
        if spec.remote == remote and (remote or spec.name == engine):
            return spec
    allowed = (*local_engine_names(), "an http(s) endpoint URL")
    raise EngineOptionError(what="engine", value=engine, allowed=allowed)


def check_options(engine: str, options: EngineOptions) -> EngineSpec:
    """The kind of engine *engine* names, if it takes every option given in *options*."""
    spec = _spec_for(engine)
    for option in options.given():
        if option not in spec.options:
            takes = ", ".join(sorted(spec.options)) or "no options"
            raise EngineOptionError(
                f"option {option!r} does not apply to the {spec.name} engine "
                f"(it takes {takes})",
                what="engine option", parameter=option, allowed=tuple(sorted(spec.options)),
            )
    return spec


def make_engine(
    engine: str = "oxigraph",
    options: EngineOptions | None = None,
    *,
    package: Package | None = None,
) -> Engine:
    """The engine *engine* names (a registry name or an endpoint URL), with *options*.

    *package* is the data the local engines query (default: the shipped package).
    """
    chosen = options or EngineOptions()
    return check_options(engine, chosen).create(engine, package, chosen)


@functools.lru_cache(maxsize=256)
def _lexed(text: str) -> QueryText:
    # A text run again (a loop, a server's repeated request) is lexed once: a QueryText
    # never changes, and lexing is most of EXOP's cost on a small answer.
    return QueryText(text)


def run_query(
    text: str | QueryText,
    engine: Engine | str = "oxigraph",
    bindings: Mapping[str, Node] | None = None,
) -> QueryResult:
    """Run SPARQL *text* on *engine* (an engine object, a registry name or a URL).

    *bindings* maps variable names (without ``?``) to RDF terms; they are bound with a
    VALUES block, except a SERVICE endpoint variable, which is written at that position
    as a checked IRI term (see :meth:`exop.sparqltext.QueryText.bound`).
    """
    query = text if isinstance(text, QueryText) else _lexed(text)
    if query.is_update:
        raise QueryError(
            f"refused: the text is a SPARQL update ({query.keyword}); queries only read, "
            "and no engine is sent an update",
            what="update", value=query.keyword,
        )
    if query.form is None:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE found",
                         what="query")
    runner = make_engine(engine) if isinstance(engine, str) else engine
    return runner.run(query, bindings)
