"""The SHACL shapes: the packaged data conforms, every fixture fails exactly as its header
says (through pySHACL alone and through ``engine="auto"``), the shapes are valid SHACL, and
every conformance engine (pyrudof, Apache Jena) gives pySHACL's verdict, its number of
results and its focus nodes.

Fixtures live in tests/fixtures/{valid,invalid}. Each one is validated merged with
tests/fixtures/valid/base.ttl (a small world that conforms), so an invalid fixture only adds
the defective nodes or triples it is about. An invalid fixture is named
``<shape>--<case>.ttl`` after the shape it tests and lists its expected results in header
lines ``# expect: <source shape> <focus node> <result path>`` (CURIEs of the fixture's own
prefixes, or a "quoted" plain literal as focus node; ``[]`` = a blank node, ``-`` = no
result path).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from exop import graph as package_graph
from exop import resources as package_resources
from exop import validation

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_DIR = FIXTURES / "valid"
INVALID_DIR = FIXTURES / "invalid"
BASE_FIXTURE = VALID_DIR / "base.ttl"
SHAPES_NS = "https://w3id.org/exop/shapes/"
EXPECT_LINE = re.compile(r'^# expect: (\S+) ("[^"]*"|\S+) (\S+)\s*$', re.MULTILINE)
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

Key = tuple[str, str, str]
"""One result as (source shape, focus node, result path), each in N3; "[]" / "-" as above."""

VALID_FIXTURES = sorted(VALID_DIR.glob("*.ttl"))
INVALID_FIXTURES = sorted(INVALID_DIR.glob("*.ttl"))


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return package_graph.load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return package_graph.load_shapes()


def _n3(node: Node | None) -> str:
    if node is None:
        return "-"
    if isinstance(node, BNode):
        return "[]"
    return node.n3()


def _fixture_graph(path: Path) -> Graph:
    graph = package_graph.parse_file(BASE_FIXTURE)
    return package_graph.parse_file(path, into=graph)


def expected_results(path: Path) -> Counter[Key]:
    """The results an invalid fixture declares in its ``# expect:`` header lines."""
    names = Graph().parse(path).namespace_manager
    text = path.read_text(encoding="utf-8")

    def term(token: str) -> str:
        if token in {"[]", "-"}:
            return token
        if token.startswith("<"):
            return token
        if token.startswith('"'):
            return Literal(token[1:-1]).n3()
        return URIRef(names.expand_curie(token)).n3()

    return Counter(
        (term(shape), term(focus), term(result_path))
        for shape, focus, result_path in EXPECT_LINE.findall(text)
    )


def pyshacl_results(
    data: Graph, shapes: Graph, ontology: Graph, engine: str = "pyshacl"
) -> Counter[Key]:
    """Validate through the package's validation module (pySHACL alone, or *engine*)."""
    report = validation.validate(data, shapes=shapes, ontology=ontology, engine=engine)
    graph = report.report_graph
    keys = Counter(
        (
            _n3(graph.value(result, SH.sourceShape)),
            _n3(graph.value(result, SH.focusNode)),
            _n3(graph.value(result, SH.resultPath)),
        )
        for result in graph.objects(None, SH.result)  # top-level results, not sh:detail
    )
    assert report.conforms == (not keys)
    return keys


def reportable_shapes(shapes: Graph) -> set[URIRef]:
    """Shapes that can be the source of a result: targeted node shapes and their
    property shapes (helper shapes inside sh:or/sh:not/sh:node report through them)."""
    top = {s for predicate in TARGETS for s in shapes.subjects(predicate, None)}
    found = {s for s in top if isinstance(s, URIRef)}
    for shape in top:
        found.update(p for p in shapes.objects(shape, SH.property) if isinstance(p, URIRef))
    return found


def _diff(expected: Counter[Key], actual: Counter[Key]) -> str:
    lines = [f"  missing   {k} x{n}" for k, n in sorted((expected - actual).items())]
    lines += [f"  unexpected {k} x{n}" for k, n in sorted((actual - expected).items())]
    return "\n".join(lines)


def _ids(paths: Iterable[Path]) -> list[str]:
    return [p.stem for p in paths]


# --------------------------------------------------------------------------- the package


def test_fixture_folders_are_not_empty() -> None:
    assert BASE_FIXTURE.is_file()
    assert VALID_FIXTURES, f"no valid fixtures in {VALID_DIR}"
    assert INVALID_FIXTURES, f"no invalid fixtures in {INVALID_DIR}"


@pytest.mark.parametrize("engine", ["pyshacl", "auto"])
def test_packaged_data_conforms(engine: str, shapes: Graph, ontology: Graph) -> None:
    actual = pyshacl_results(package_graph.load_data(), shapes, ontology, engine)
    assert not actual, "the packaged data does not conform:\n" + _diff(Counter(), actual)


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    """The shapes graph conforms to the SHACL-for-SHACL shapes graph shipped with pySHACL,
    both loaded explicitly and through pySHACL's own meta_shacl check."""
    from pyshacl import validate as pyshacl_validate

    shacl_shacl = resources.files("pyshacl").joinpath("assets", "shacl-shacl.ttl")
    meta = Graph().parse(data=shacl_shacl.read_text(encoding="utf-8"), format="turtle")
    conforms, _, text = pyshacl_validate(shapes, shacl_graph=meta)
    assert conforms, text
    meta_conforms, _, meta_text = pyshacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert meta_conforms, meta_text


def test_every_shape_is_named_documented_and_graded(shapes: Graph) -> None:
    """Named shapes only, each with a name, a description, a curation message and a severity."""
    kinds = (SH.NodeShape, SH.PropertyShape)
    all_shapes = {s for kind in kinds for s in shapes.subjects(RDF.type, kind)}
    anonymous = {s for s in all_shapes if not isinstance(s, URIRef)}
    anonymous |= {o for o in shapes.objects(None, SH.property) if not isinstance(o, URIRef)}
    assert not anonymous, f"{len(anonymous)} shapes are blank nodes"
    outside = sorted(str(s) for s in all_shapes if not str(s).startswith(SHAPES_NS))
    assert not outside, outside
    missing = sorted(
        f"{s} lacks {p.n3()}"
        for s in all_shapes
        for p in (SH.name, SH.description, SH.message, SH.severity)
        if shapes.value(s, p) is None
    )
    assert not missing, "\n".join(missing)


def test_every_shape_path_is_declared_in_the_ontology(shapes: Graph, ontology: Graph) -> None:
    """Shapes only speak of properties the ontology declares (or RDF's own rdf:type)."""
    declared_kinds = {
        URIRef("http://www.w3.org/2002/07/owl#" + k)
        for k in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")
    }
    paths = {p for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)}
    undeclared = sorted(
        str(p)
        for p in paths - {RDF.type}
        if not set(ontology.objects(p, RDF.type)) & declared_kinds
    )
    assert not undeclared, undeclared


def test_every_reportable_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    stems = {p.stem.split("--", 1)[0] for p in INVALID_FIXTURES}
    missing = sorted(
        str(s)[len(SHAPES_NS) :]
        for s in reportable_shapes(shapes)
        if str(s)[len(SHAPES_NS) :] not in stems
    )
    assert not missing, f"shapes without tests/fixtures/invalid/<shape>--<case>.ttl: {missing}"


def test_every_invalid_fixture_names_a_shape_and_expects_results(shapes: Graph) -> None:
    known = {str(s)[len(SHAPES_NS) :] for s in reportable_shapes(shapes)}
    for path in INVALID_FIXTURES:
        assert "--" in path.stem, f"{path.name}: name it <shape>--<case>.ttl"
        assert path.stem.split("--", 1)[0] in known, f"{path.name}: no such reportable shape"
        assert expected_results(path), f"{path.name}: no '# expect:' lines"


def test_every_constraint_is_exercised_by_a_fixture(shapes: Graph) -> None:
    """Each shape that can report on its own is the expected source of some fixture result."""
    expected = {k[0] for path in INVALID_FIXTURES for k in expected_results(path)}
    reporting = set()
    for shape in reportable_shapes(shapes):
        own = set(shapes.predicates(shape, None)) - {
            RDF.type,
            SH.name,
            SH.description,
            SH.message,
            SH.severity,
            SH.property,
            *TARGETS,
        }
        if own:
            reporting.add(shape.n3())
    assert not sorted(reporting - expected), sorted(reporting - expected)


# --------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=_ids(VALID_FIXTURES))
def test_valid_fixture_conforms(path: Path, shapes: Graph, ontology: Graph) -> None:
    actual = pyshacl_results(_fixture_graph(path), shapes, ontology)
    assert not actual, f"{path.name} should conform:\n" + _diff(Counter(), actual)


@pytest.mark.parametrize("path", INVALID_FIXTURES, ids=_ids(INVALID_FIXTURES))
def test_invalid_fixture_fails_exactly_as_expected(
    path: Path, shapes: Graph, ontology: Graph
) -> None:
    """pySHACL alone, and auto (an engine decides, pySHACL reports on its focus nodes)."""
    expected = expected_results(path)
    for engine in ("pyshacl", "auto"):
        actual = pyshacl_results(_fixture_graph(path), shapes, ontology, engine)
        assert actual == expected, f"{path.name} ({engine}):\n" + _diff(expected, actual)


# --------------------------------------------------------------------------- engines
#
# Each conformance engine of exop.validation gets the same inputs exop gives it (the
# fixture files, the packaged ontology and shapes files) and must find what pySHACL finds:
# the verdict, the number of results and the set of focus nodes (the ones pySHACL then
# reports on). Jena starts a JVM per input, so its verdicts are computed for all inputs
# up front, two at a time.

ENGINE_NAMES = ("pyrudof", "jena")
KNOWN_ENGINE_DIFFERENCES = {
    ("pyrudof", "IndividualShape--blank-node-finding"): (
        "pyrudof 0.3.35 writes a blank focus node into the text of SHACL-SPARQL queries and"
        " fails to parse them ('expected UNDEF'); pySHACL pre-binds it. exop's auto engine"
        " then falls back to pySHACL (see test_invalid_fixture_fails_exactly_as_expected)."
    ),
}
PACKAGE = "packaged data"


def _inputs(label: str) -> list[Path]:
    if label == PACKAGE:
        return list(package_resources.data_files())
    path = next(p for p in VALID_FIXTURES + INVALID_FIXTURES if p.stem == label)
    return [BASE_FIXTURE, path]


def _focus_key(node: Node) -> str:
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal):
        return f'"{node}"'  # engines print literal focus nodes differently; the text agrees
    return node.n3()


Outcome = tuple[bool, int, frozenset[str]]
"""(conforms, number of results, focus nodes) of one validation."""


def _engine_outcome(name: str, files: list[Path]) -> Outcome | str:
    """The engine's outcome, or the text of the error it raised."""
    from exop.validation.engines import EngineError, RdfSource, engine

    try:
        verdict = engine(name).check(
            RdfSource.of_files(files),
            RdfSource.of_files(package_resources.ontology_files()),
            RdfSource.of_files(package_resources.shape_files()),
        )
    except EngineError as error:
        return str(error)
    return verdict.conforms, verdict.results, frozenset(_focus_key(n) for n in verdict.focus_nodes)


def _pyshacl_outcome(files: list[Path], shapes: Graph, ontology: Graph) -> Outcome:
    report = validation.validate(
        package_graph.parse_files(files), shapes=shapes, ontology=ontology, engine="pyshacl"
    )
    graph = report.report_graph
    focus = frozenset(_focus_key(f) for r in report.results for f in [r.focus_node])
    return report.conforms, sum(1 for _ in graph.objects(None, SH.result)), focus


def _require_engine(name: str) -> None:
    from exop.validation.engines import ENGINES, engine_names

    engine_names()  # registers the built-in engines
    why = ENGINES[name].unavailable()
    if why is None:
        return
    if IN_CI:  # the CI installs every engine: a missing one is a failure there
        pytest.fail(f"SHACL engine {name} cannot run: {why}")
    pytest.skip(f"SHACL engine {name} cannot run here: {why}")


LABELS = [PACKAGE, *(p.stem for p in VALID_FIXTURES + INVALID_FIXTURES)]


@pytest.fixture(scope="module")
def jena_outcomes() -> dict[str, Outcome | str]:
    from concurrent.futures import ThreadPoolExecutor

    _require_engine("jena")
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = pool.map(lambda label: _engine_outcome("jena", _inputs(label)), LABELS)
        return dict(zip(LABELS, outcomes, strict=True))


def _engine_params() -> list[Any]:
    return [
        pytest.param(
            name,
            label,
            id=f"{name}-{label}",
            marks=[
                *([pytest.mark.slow] if name == "jena" else []),  # a JVM per input
                *(
                    [pytest.mark.xfail(strict=True, reason=KNOWN_ENGINE_DIFFERENCES[key])]
                    if (key := (name, label)) in KNOWN_ENGINE_DIFFERENCES
                    else []
                ),
            ],
        )
        for name in ENGINE_NAMES
        for label in LABELS
    ]


@pytest.mark.parametrize(("name", "label"), _engine_params())
def test_engine_agrees_with_pyshacl(
    name: str, label: str, shapes: Graph, ontology: Graph, request: pytest.FixtureRequest
) -> None:
    _require_engine(name)
    if name == "jena":
        actual = request.getfixturevalue("jena_outcomes")[label]
    else:
        actual = _engine_outcome(name, _inputs(label))
    expected = _pyshacl_outcome(_inputs(label), shapes, ontology)
    assert not isinstance(actual, str), f"{label}: {name} failed: {actual}"
    assert actual[0] == expected[0], f"{label}: {name} says conforms={actual[0]}"
    assert actual[1] == expected[1], f"{label}: pySHACL {expected[1]} results, {name} {actual[1]}"
    assert actual[2] == expected[2], (
        f"{label}: focus nodes only pySHACL {sorted(expected[2] - actual[2])},"
        f" only {name} {sorted(actual[2] - expected[2])}"
    )


def test_known_engine_differences_name_real_fixtures() -> None:
    for name, label in KNOWN_ENGINE_DIFFERENCES:
        assert name in ENGINE_NAMES and label in LABELS, (name, label)
