"""The packaged query catalogue: decorators, grlc compatibility and exact expected answers.

Every query in ``queries/`` parses, carries a summary, tags and GET as grlc decorators, is
accepted by grlc's own decorator and query parser, and returns exactly the answer recorded
in ``tests/expected/<id>.srj`` (SELECT, SPARQL 1.1 JSON results) or ``<id>.nt`` (CONSTRUCT,
sorted N-Triples) on the embedded Oxigraph store: compared as a multiset, and in order
where the query has ORDER BY. ``pytest --regen-expected`` rewrites the expected files; no
other run ever writes them.

The helpers here (``run_catalogue_query``, ``assert_same_answer``) are shared with
``test_engines.py``, which asks the same of rdflib and of real SPARQL servers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.plugins.sparql import prepareQuery

from exop import binding, catalog, engines, sparqltext
from exop.catalog import PackagedQuery
from exop.engines import QueryResult
from exop.rdfout import isomorphic
from exop.terms import from_sparql_json, to_sparql_json

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
REGEN_HINT = "pytest tests/test_queries.py --regen-expected"
MIN_USER_QUERIES = 20

QUERIES: tuple[PackagedQuery, ...] = catalog.list_queries()
QUERY_IDS = [q.id for q in QUERIES]
FEDERATED = frozenset(q.id for q in QUERIES if "federated" in q.tags)
"""Queries with SERVICE need a second endpoint: tested in test_engines.py."""
LOCAL_QUERIES = [q for q in QUERIES if q.id not in FEDERATED]
USER_QUERIES = [q for q in LOCAL_QUERIES if not q.id.startswith("qc-")]
"""The QC ``*-violation`` queries must answer nothing; every other query must answer."""


def default_values(query: PackagedQuery) -> dict[str, str]:
    """Parameter values the catalogue is checked with: defaults, else the example."""
    values: dict[str, str] = {}
    for parameter in query.parameters:
        if parameter.default is None and parameter.required and parameter.example is not None:
            values[parameter.name] = parameter.example
    return values


def run_catalogue_query(
    query: PackagedQuery, engine: str = "oxigraph", default_graph: str | None = None
) -> QueryResult:
    """Run *query* with its default parameter values on *engine* (an endpoint URL too)."""
    bound = binding.bind(query, default_values(query))
    options = engines.EngineOptions(timeout=300, default_graph=default_graph)
    runner = engines.make_engine(engine, options if engines.is_endpoint(engine) else None)
    return runner.run(query.query_text, bound.bindings)


def expected_path(query: PackagedQuery) -> Path:
    return EXPECTED_DIR / f"{query.id}.{'nt' if query.form == 'CONSTRUCT' else 'srj'}"


def result_document(result: QueryResult) -> dict[str, Any]:
    """A SPARQL 1.1 JSON results document for a SELECT result (unbound cells omitted)."""
    bindings = [
        {
            name: to_sparql_json(term)
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def sorted_ntriples(graph: Graph) -> str:
    """A graph as N-Triples, one triple a line, sorted: stable and diffable."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return "".join(f"{line}\n" for line in sorted(line for line in text.splitlines() if line))


def write_expected(query: PackagedQuery, result: QueryResult) -> None:
    path = expected_path(query)
    path.parent.mkdir(parents=True, exist_ok=True)
    if result.kind == "graph":
        assert result.graph is not None
        path.write_text(sorted_ntriples(result.graph), encoding="utf-8")
        return
    text = json.dumps(result_document(result), indent=1, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


Row = tuple[Any, ...]


def expected_rows(query: PackagedQuery) -> tuple[list[str], list[Row]]:
    document = json.loads(expected_path(query).read_text(encoding="utf-8"))
    variables: list[str] = document["head"]["vars"]
    rows = [
        tuple(from_sparql_json(b.get(v)) for v in variables)
        for b in document["results"]["bindings"]
    ]
    return variables, rows


def _show(rows: Sequence[Row] | Counter[Row], limit: int = 5) -> str:
    items = list(rows.elements()) if isinstance(rows, Counter) else list(rows)
    lines = (" | ".join("-" if t is None else t.n3() for t in r) for r in items[:limit])
    shown = "\n    ".join(lines)
    more = f"\n    ... and {len(items) - limit} more" if len(items) > limit else ""
    return f"\n    {shown}{more}" if items else " (none)"


def assert_same_rows(query: PackagedQuery, result: QueryResult, engine: str) -> None:
    variables, expected = expected_rows(query)
    assert list(result.variables) == variables, (
        f"{query.id} on {engine}: columns {list(result.variables)} != expected {variables}"
    )
    actual = list(result.rows)
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    assert not missing and not extra, (
        f"{query.id} on {engine}: answer differs from {expected_path(query).name}"
        f"\n  only expected:{_show(missing)}\n  only actual:{_show(extra)}"
        f"\n  (if the data changed on purpose: {REGEN_HINT})"
    )
    if result.ordered and actual != expected:
        first = next(i for i, (a, b) in enumerate(zip(actual, expected, strict=True)) if a != b)
        pytest.fail(
            f"{query.id} on {engine}: same rows, but the ORDER BY order differs at row {first}:"
            f"{_show(actual[first : first + 3])}\n  expected:{_show(expected[first : first + 3])}"
        )


def assert_same_graph(query: PackagedQuery, result: QueryResult, engine: str) -> None:
    assert result.graph is not None
    expected = Graph().parse(data=expected_path(query).read_text(encoding="utf-8"), format="nt")
    if isomorphic(result.graph, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(result.graph), to_isomorphic(expected))
    pytest.fail(
        f"{query.id} on {engine}: graph differs from {expected_path(query).name}"
        f"\n  only expected:\n{sorted_ntriples(only_expected)[:1500]}"
        f"\n  only actual:\n{sorted_ntriples(only_actual)[:1500]}"
        f"\n  (if the data changed on purpose: {REGEN_HINT})"
    )


def assert_same_answer(query: PackagedQuery, result: QueryResult, engine: str) -> None:
    """*result* equals the expected answer of *query* (multiset; in order if ORDER BY)."""
    assert expected_path(query).is_file(), (
        f"{query.id}: no expected answer {expected_path(query)}; create it with {REGEN_HINT}"
    )
    if result.kind == "graph":
        assert_same_graph(query, result, engine)
    else:
        assert result.kind == "select", f"{query.id}: unexpected result kind {result.kind}"
        assert_same_rows(query, result, engine)


# --- the catalogue as a whole --------------------------------------------------------------


def test_catalogue_answers_at_least_twenty_user_questions() -> None:
    user_queries = [q for q in QUERIES if not q.id.startswith("qc-")]
    assert len(user_queries) >= MIN_USER_QUERIES, [q.id for q in user_queries]


def test_headline_and_required_queries_are_packaged() -> None:
    required = {"table-1", "mechanism-edges", "entity-profile", "dataset-statistics"}
    assert required <= set(QUERY_IDS), sorted(required - set(QUERY_IDS))
    assert FEDERATED, "the catalogue needs a federated (SERVICE) query"


def test_every_expected_file_belongs_to_a_query() -> None:
    stems = {p.stem for p in EXPECTED_DIR.glob("*") if p.suffix in {".srj", ".nt"}}
    orphans = sorted(stems - set(QUERY_IDS))
    assert not orphans, f"expected answers without a query: {orphans}"


# --- one query at a time -------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=QUERY_IDS)
def test_query_parses(query: PackagedQuery) -> None:
    prepareQuery(query.text)
    assert query.form in {"SELECT", "CONSTRUCT"}, f"{query.id}: {query.form}"


@pytest.mark.parametrize("query", QUERIES, ids=QUERY_IDS)
def test_query_has_decorators(query: PackagedQuery) -> None:
    assert query.summary, f"{query.path.name}: no '#+ summary:'"
    assert query.tags, f"{query.path.name}: no '#+ tags:'"
    assert query.method == "GET", f"{query.path.name}: '#+ method:' is {query.method}"
    for parameter in query.parameters:
        assert parameter.default or parameter.example or parameter.enum or not parameter.required, (
            f"{query.path.name}: required parameter {parameter.name!r} has no default or example"
        )


@pytest.mark.parametrize("query", QUERIES, ids=QUERY_IDS)
def test_grlc_accepts_query(query: PackagedQuery) -> None:
    gquery = pytest.importorskip("grlc.gquery", reason="grlc (test extra) is not installed")
    metadata = gquery.get_metadata(query.text, "http://127.0.0.1:9/sparql")
    assert metadata["type"] in {"SelectQuery", "ConstructQuery"}, (
        f"{query.path.name}: grlc could not parse it ({metadata['type']})"
    )
    assert metadata.get("summary") == query.summary
    grlc_parameters = set(metadata.get("parameters", {}))
    assert grlc_parameters == {p.name for p in query.parameters}, (
        f"{query.path.name}: grlc reads parameters {sorted(grlc_parameters)}"
    )
    for parameter in query.parameters:
        grlc_parameter = metadata["parameters"][parameter.name]
        assert grlc_parameter["required"] == parameter.required
        if parameter.default is not None:
            assert str(grlc_parameter["default"]) == parameter.default
        if parameter.enum:
            assert tuple(grlc_parameter["enum"]) == tuple(sorted(parameter.enum))


@pytest.mark.parametrize("query", LOCAL_QUERIES, ids=[q.id for q in LOCAL_QUERIES])
def test_query_returns_expected_answer(
    query: PackagedQuery, request: pytest.FixtureRequest
) -> None:
    result = run_catalogue_query(query)
    if request.config.getoption("--regen-expected", default=False):
        write_expected(query, result)
    assert_same_answer(query, result, "oxigraph (embedded)")


@pytest.mark.parametrize("query", USER_QUERIES, ids=[q.id for q in USER_QUERIES])
def test_user_query_answer_is_not_empty(query: PackagedQuery) -> None:
    result = run_catalogue_query(query)
    size = len(result.graph) if result.graph is not None else len(result.rows)
    assert size > 0, f"{query.id}: the packaged data gives no answer with the default parameters"


PARAMETERISED = [q for q in LOCAL_QUERIES if q.parameters]


@pytest.mark.parametrize("query", PARAMETERISED, ids=[q.id for q in PARAMETERISED])
def test_grlc_rewrite_gives_the_library_answer(query: PackagedQuery) -> None:
    """grlc's own textual substitution of the default values answers as EXOP's binding does."""
    gquery = pytest.importorskip("grlc.gquery", reason="grlc (test extra) is not installed")
    metadata = gquery.get_metadata(query.text, "http://127.0.0.1:9/sparql")
    values = {p.name: p.default or p.example for p in query.parameters if p.required}
    rewritten = gquery.rewrite_query(query.text, metadata["parameters"], values)
    by_grlc = engines.run_query(rewritten, "oxigraph")
    by_exop = run_catalogue_query(query)
    assert by_grlc.variables == by_exop.variables
    assert Counter(by_grlc.rows) == Counter(by_exop.rows), f"{query.id}: grlc and EXOP differ"


# --- portability rules (see "Notes for query authors" in queries/README.md) ---------------

NON_PORTABLE = {
    "GROUP_CONCAT": "its order and separator handling are engine-defined",
    "AVG(": "returns a decimal or float whose spelling engines differ on",
    "RAND(": "is not deterministic",
    "NOW(": "is not deterministic",
    "bif:": "is a Virtuoso-only function",
    "sql:": "is a Virtuoso-only function",
}


@pytest.mark.parametrize("query", USER_QUERIES, ids=[q.id for q in USER_QUERIES])
def test_query_avoids_what_engines_disagree_on(query: PackagedQuery) -> None:
    code = sparqltext.mask(query.text)
    for construct, why in NON_PORTABLE.items():
        assert construct.lower() not in code.lower(), f"{query.id}: {construct} {why}"
    for line in code.splitlines():
        if "subClassOf*" in line or "subClassOf+" in line:
            assert "FILTER EXISTS" in line, (
                f"{query.id}: write hierarchy paths as FILTER EXISTS {{ ?c rdfs:subClassOf* X }}"
                f" (Virtuoso drops rows otherwise): {line.strip()}"
            )
    if "|" in code.replace("||", ""):
        assert query.text.count("SELECT DISTINCT") >= 1, (
            f"{query.id}: an alternative path keeps duplicates in rdflib only; use DISTINCT"
        )


def _bound_by_bind(code: str) -> list[tuple[int, str]]:
    return [(m.end(), m.group(1)) for m in re.finditer(r"\bAS\s+\?(\w+)\s*\)", code)]


@pytest.mark.parametrize("query", USER_QUERIES, ids=[q.id for q in USER_QUERIES])
def test_no_pattern_hangs_on_a_bind(query: PackagedQuery) -> None:
    """A variable a BIND computes is never the subject of a later triple pattern: Oxigraph
    evaluates such a pattern against every triple of its predicate for each row."""
    code = sparqltext.mask(query.text)
    where = re.search(r"\bWHERE\b", code)
    assert where is not None
    body = code[where.end() :]
    for end, name in _bound_by_bind(body):
        later = re.search(rf"[{{.;]\s*\?{name}\s+(?!AS\b)[^\s)]", body[end:])
        assert later is None, (
            f"{query.id}: ?{name} comes from a BIND and is then the subject of a pattern; "
            "look the value up beside the pattern that binds its source"
        )


ORDERED_SELECTS = [q for q in USER_QUERIES if q.form == "SELECT" and sparqltext.is_ordered(q.text)]


@pytest.mark.parametrize("query", ORDERED_SELECTS, ids=[q.id for q in ORDERED_SELECTS])
def test_order_by_is_total(query: PackagedQuery) -> None:
    """ORDER BY names every projected variable that is not an aggregate, so no two distinct
    rows tie and every engine must return the same order."""
    code = sparqltext.mask(query.text)
    select = re.search(r"\bSELECT\b", code)
    where = re.search(r"\bWHERE\b", code)
    order = re.search(r"\bORDER\s+BY\b", code)
    assert select and where and order
    aggregate = r"\([^()]*(\([^()]*\))?[^()]*\bAS\s+\?\w+\s*\)"
    projection = re.sub(aggregate, "", code[select.end() : where.start()])
    projected = re.findall(r"\?(\w+)", projection)
    ordered = set(re.findall(r"\?(\w+)", code[order.end() :]))
    missing = [v for v in projected if v not in ordered]
    assert not missing, f"{query.id}: ORDER BY leaves ties between rows differing in {missing}"
