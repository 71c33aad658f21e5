"""The same catalogue, the same answers, on every engine.

Each packaged query must return exactly its expected answer (``tests/expected/``) on
rdflib's own SPARQL engine, on the Oxigraph server over HTTP (the endpoint engine, loaded with
``exop load``) and on Virtuoso Open Source (loaded with its bulk loader), as it does on the
embedded Oxigraph store (``test_queries.py``). Federated queries run between two local
Oxigraph servers. The servers come from ``servers.py``; Virtuoso is skipped locally when it
is not installed and fails the run under ``CI=true``.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from exop import binding, catalog, engines, sparqltext, terms
from exop.catalog import PackagedQuery
from exop.endpoint import put_graph
from exop.graph import load_package
from exop.http import Credentials
from test_queries import LOCAL_QUERIES, assert_same_answer, run_catalogue_query

from servers import SparqlServer, count_triples

LOCAL_IDS = [q.id for q in LOCAL_QUERIES]


@pytest.mark.parametrize("query", LOCAL_QUERIES, ids=LOCAL_IDS)
def test_rdflib_engine(query: PackagedQuery) -> None:
    assert_same_answer(query, run_catalogue_query(query, "rdflib"), "rdflib")


@pytest.mark.parametrize("query", LOCAL_QUERIES, ids=LOCAL_IDS)
def test_oxigraph_server(query: PackagedQuery, oxigraph_server: SparqlServer) -> None:
    result = run_catalogue_query(query, oxigraph_server.query_url, oxigraph_server.graph)
    assert_same_answer(query, result, oxigraph_server.name)


@pytest.mark.parametrize("query", LOCAL_QUERIES, ids=LOCAL_IDS)
def test_virtuoso(query: PackagedQuery, virtuoso_server: SparqlServer) -> None:
    result = run_catalogue_query(query, virtuoso_server.query_url, virtuoso_server.graph)
    assert_same_answer(query, result, virtuoso_server.name)


def test_exop_load_replaced_only_its_graph(oxigraph_server: SparqlServer) -> None:
    """The package sits in its own named graph; the server's default graph stays empty."""
    assert oxigraph_server.graph is not None
    expected = len(load_package().union())
    assert count_triples(oxigraph_server.query_url, oxigraph_server.graph) == expected
    assert count_triples(oxigraph_server.query_url, None) == 0


def test_exop_load_into_virtuoso_graph_store(virtuoso_server: SparqlServer) -> None:
    assert virtuoso_server.auth is not None
    user, password = virtuoso_server.auth
    graph_iri = "https://w3id.org/exop/test/graph-store-load"
    package = load_package().union()
    put_graph(
        virtuoso_server.store_url,
        package,
        graph_iri,
        credentials=Credentials(user, password),
        parameter="graph-uri",
        timeout=120,
    )
    assert count_triples(virtuoso_server.query_url, graph_iri) == len(package)


# --- federation: SERVICE between two local servers ----------------------------------------


def _federated_queries() -> list[PackagedQuery]:
    return [q for q in catalog.list_queries() if "federated" in q.tags]


def _service_parameter(query: PackagedQuery) -> str:
    names = [p.name for p in query.parameters if p.kind == "iri"]
    assert len(names) == 1, f"{query.id}: expected one IRI parameter for the SERVICE endpoint"
    return names[0]


def _with_service_iri(query: PackagedQuery, endpoint: str) -> str:
    """The query with its SERVICE variable replaced by the endpoint IRI, written as a term.

    SPARQL engines do not evaluate ``SERVICE ?var`` bound by VALUES (Oxigraph: "the variable
    encoding the service name is unbound"; rdflib: no rows), so the endpoint must be an IRI
    in the text. ``terms.sparql_term`` writes it and refuses anything that is not an IRI.
    """
    parameter = query.parameter(_service_parameter(query))
    assert parameter is not None
    term = terms.sparql_term(URIRef(endpoint))
    masked = sparqltext.mask(query.text)
    token = f"?{parameter.variable}"
    position = masked.index(f"SERVICE {token}")
    start = position + len("SERVICE ")
    return query.text[:start] + term + query.text[start + len(token) :]


FEDERATED = _federated_queries()
OBO_TERMS_USED = """
SELECT DISTINCT ?term
WHERE {
  ?individual a ?term .
  FILTER (STRSTARTS(STR(?individual), "https://w3id.org/exop/data/"))
  FILTER (STRSTARTS(STR(?term), "http://purl.obolibrary.org/obo/"))
}
"""


def _engine(name: str, server: SparqlServer) -> engines.Engine:
    if name == "oxigraph-server":
        options = engines.EngineOptions(timeout=120, default_graph=server.graph)
        return engines.make_engine(server.query_url, options)
    return engines.make_engine(name)


@pytest.mark.parametrize("query", FEDERATED, ids=[q.id for q in FEDERATED])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib", "oxigraph-server"])
def test_federated_query_between_two_servers(
    query: PackagedQuery,
    engine: str,
    oxigraph_server: SparqlServer,
    oxigraph_remote: SparqlServer,
) -> None:
    """The remote holds the import module: every term's two labels must agree."""
    text = _with_service_iri(query, oxigraph_remote.query_url)
    result = engines.run_query(text, _engine(engine, oxigraph_server))
    rows = result.as_dicts()
    assert rows, f"{query.id} on {engine}: no rows through SERVICE <{oxigraph_remote.query_url}>"
    local = engines.run_query(OBO_TERMS_USED, "oxigraph")
    local_terms = {row["term"] for row in local.as_dicts()}
    assert {row["term"] for row in rows} == local_terms
    mismatched = [row for row in rows if row["exopLabel"] != row["sourceLabel"]]
    assert not mismatched, f"{query.id} on {engine}: labels differ: {mismatched[:3]}"


@pytest.mark.parametrize("query", FEDERATED, ids=[q.id for q in FEDERATED])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib", "oxigraph-server"])
def test_federated_query_through_the_library_binding(
    query: PackagedQuery,
    engine: str,
    oxigraph_server: SparqlServer,
    oxigraph_remote: SparqlServer,
) -> None:
    """The endpoint given as a parameter reaches the SERVICE clause on every engine."""
    bound = binding.bind(query, {_service_parameter(query): oxigraph_remote.query_url})
    result = engines.run_query(query.text, _engine(engine, oxigraph_server), bound.bindings)
    expected = engines.run_query(_with_service_iri(query, oxigraph_remote.query_url), "oxigraph")
    assert result.rows
    assert sorted(map(str, result.rows)) == sorted(map(str, expected.rows))


# --- concurrent loads leave exactly one copy ---------------------------------------------


def _update_url(server: SparqlServer) -> str:
    base = server.query_url.rsplit("/", 1)[0]
    return f"{base}/update" if server.name.startswith("oxigraph") else f"{base}/sparql-auth"


@pytest.mark.parametrize("server_name", ["oxigraph_server", "virtuoso_server"])
def test_concurrent_loads_leave_one_copy(server_name: str,
                                         request: pytest.FixtureRequest) -> None:
    import threading

    from exop.endpoint import load_package_into

    server: SparqlServer = request.getfixturevalue(server_name)
    graph_iri = f"https://w3id.org/exop/test/concurrent-{server.name}"
    package = load_package().union()
    credentials = Credentials(*server.auth) if server.auth else None
    parameter = "graph-uri" if server.name == "virtuoso" else "graph"
    errors: list[BaseException] = []

    def load() -> None:
        try:
            load_package_into(server.store_url, graph_iri, graph=package, timeout=120,
                              credentials=credentials, parameter=parameter,
                              update_url=_update_url(server))
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    for _ in range(2):  # twice: the second pair replaces what the first left
        threads = [threading.Thread(target=load) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert not errors, errors
        assert count_triples(server.query_url, graph_iri) == len(package)


def test_rows_convert_once_when_first_read_and_compare_as_tuples() -> None:
    import pyoxigraph
    from rdflib import Literal

    from exop.engines.base import Rows

    calls: list[int] = []

    def counting(raw: list[tuple[object, ...]]) -> tuple[tuple[object, ...], ...]:
        calls.append(len(raw))
        return terms.rows_from_oxigraph(raw)

    integer = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    raw = [
        (pyoxigraph.Literal("a"), None),
        (pyoxigraph.NamedNode("https://e.org/x"), pyoxigraph.Literal("1", datatype=integer)),
    ]
    rows = Rows(raw, counting)  # type: ignore[arg-type]
    assert len(rows) == 2 and calls == []
    expected = ((Literal("a"), None), (URIRef("https://e.org/x"), Literal(1)))
    assert rows == expected and expected == rows
    assert list(rows) == list(expected) and rows[1:] == expected[1:]
    assert calls == [2], "converted more than once"


def test_embedded_answers_are_counted_in_oxigraph_terms() -> None:
    from exop.engines.base import Rows

    result = engines.run_query(catalog.get_query("table-1").text, "oxigraph")
    assert isinstance(result.rows, Rows)
    assert len(result.rows) == 9
    assert all(len(row) == len(result.variables) for row in result.rows)


def test_gc_pauses_nest_and_restore_the_collectors_state() -> None:
    import gc

    from exop.engines.base import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause turned the collector on too early"
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a collector that was off was turned on"
    finally:
        gc.enable()
