"""The detailed report, from pySHACL: the one whose messages curators read.

pySHACL gets plain rdflib graphs (on oxrdflib-backed graphs it was measured 250 times
slower and reported false ``sh:in`` violations), with the ontology and its import module
as the ontology graph so that ``sh:class`` sees the class hierarchy.

SPARQL translation cache, scoped to one run. pySHACL runs each SHACL-SPARQL constraint
(sh:select / sh:ask) once per focus node, always with the same query text and the focus
node in initBindings. rdflib parses and translates that text on every call: profiled on
the package, that was 57 of 60 s of validation, 46 s of it in the SPARQL parser. pySHACL
has no option to hand it prepared queries (it builds the text itself, then calls
``Graph.query`` with a string). So each run validates its own copy of the data graph, an
instance of :class:`QueryCachingGraph` whose ``query`` translates each distinct (text,
base, namespaces) once and evaluates the translated query thereafter, which is what
rdflib's own prepareQuery is for. Nothing global changes: rdflib's classes, other graphs
and other threads see rdflib as it is, and the cache dies with the run's graph.

The copy is the one pySHACL would make anyway. With an ontology graph and without
``inplace`` it clones the data graph (``clone_graph``: a new plain Graph with the data
graph's identifier, rdflib's core prefixes, the data graph's prefixes, every triple), then
mixes the ontology into the clone. Here the clone is built the same way into a
QueryCachingGraph and given to pySHACL with ``inplace=True``, so pySHACL mixes the
ontology into it and queries it; the caller's graph is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph

from exop.errors import ExopError
from exop.validation.report import ValidationReport, report_from_graph

QUERY_CACHE_LIMIT = 512
"""At most this many distinct translated queries per run (the packaged shapes need ~60)."""

_CacheKey = tuple[str, str | None, tuple[tuple[str, str], ...]]


class QueryCachingGraph(Graph):
    """An rdflib Graph that parses and translates each distinct SPARQL text only once.

    The cache (``translated``) belongs to the instance: it serves only queries on this
    graph, and goes when the graph goes. A translated query depends only on its cache key,
    and evaluating it does not change it (rdflib's prepareQuery relies on the same), so
    answers are the ones rdflib gives without the cache.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.translated: dict[_CacheKey, Any] = {}

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql":
            # rdflib translates with the graph's own prefixes when initNs is not given.
            namespaces = initNs if initNs is not None else dict(self.namespaces())
            base = kwargs.get("base")
            prefixes = tuple(sorted((str(k), str(v)) for k, v in namespaces.items()))
            key = (query_object, base, prefixes)
            translated = self.translated.get(key)
            if translated is None:
                from rdflib.plugins.sparql.algebra import translateQuery
                from rdflib.plugins.sparql.parser import parseQuery

                # A fresh parse tree each time: translation rewrites it in place, so a
                # parse tree reused for a second translation gives wrong answers.
                translated = translateQuery(parseQuery(query_object), base, namespaces)
                if len(self.translated) < QUERY_CACHE_LIMIT:
                    self.translated[key] = translated
            query_object = translated
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def caching_copy(data: Graph) -> QueryCachingGraph:
    """A QueryCachingGraph holding what pySHACL's own clone of *data* would hold."""
    copy = QueryCachingGraph(identifier=data.identifier, bind_namespaces="core")
    for prefix, namespace in data.namespace_manager.namespaces():
        copy.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    for triple in data:
        copy.add(triple)
    return copy


def pyshacl_report(
    data: Graph,
    shapes: Graph,
    ontology: Graph,
    *,
    cache_queries: bool = True,
) -> ValidationReport:
    """Validate with pySHACL and return its report."""
    from pyshacl import validate as pyshacl_validate

    target = caching_copy(data) if cache_queries else data
    try:
        _, report, text = pyshacl_validate(
            target,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            abort_on_first=False,
            allow_warnings=False,
            allow_infos=False,
            inplace=cache_queries,
        )
    except Exception as error:  # pySHACL reports broken shapes with several exception types
        detail = str(error).replace("\n", " ").strip()
        raise ExopError(f"SHACL validation could not run: {detail[:300]}") from error
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure for broken shapes
        detail = " ".join(str(getattr(report, "message", text)).split())
        raise ExopError(f"SHACL validation could not run: {detail[:300]}")
    return report_from_graph(report)
