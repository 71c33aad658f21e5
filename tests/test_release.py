"""`exop release` and `exop export`: one header per file, version IRIs, release date, the
catalog, the base/full split, and byte-identical rebuilds."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version as distribution_version
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from exop import artefacts, obo, rdfout, release, resources
from exop import graph as package_graph
from exop.cli import run
from exop.errors import OutputError
from exop.exporters import export
from exop.namespaces import IMPORTS_IRI, IRI_FAMILIES, ONTOLOGY_IRI
from exop.rdfout import isomorphic

RDF_FILES = [
    f"{name}.{suffix}" for name, (_, formats) in release.ARTEFACTS.items() for suffix in formats
]
EXPECTED_IRIS = {
    "exop": ONTOLOGY_IRI,
    "exop-base": artefacts.BASE_MODULE_IRI,
    "exop-imports": IMPORTS_IRI,
    "exop-data": artefacts.DATA_MODULE_IRI,
    "exop-package": artefacts.PACKAGE_IRI,
}
VERSION = distribution_version("exop")
EXOP_COMMAND = Path(sys.executable).with_name("exop")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> release.ReleaseResult:
    return release.release(tmp_path_factory.mktemp("release") / "out")


def _parse(path: Path) -> Graph:
    fmt = {".owl": "xml", ".rdf": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
    return Graph().parse(path, format=fmt[path.suffix])


def test_release_writes_every_file_once(released: release.ReleaseResult) -> None:
    names = sorted(f.path.name for f in released.files)
    assert names == sorted([*RDF_FILES, release.CATALOG_NAME])
    on_disk = sorted(p.name for p in released.directory.iterdir())
    assert on_disk == names, "no temporary or extra files are left"
    assert released.version == VERSION and released.date == release.RELEASE_DATE


@pytest.mark.parametrize("name", RDF_FILES)
def test_each_file_has_one_header_with_version_iri_and_release_date(
    released: release.ReleaseResult, name: str
) -> None:
    graph = _parse(released.directory / name)
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    artefact = name.rsplit(".", 1)[0]
    assert headers == [EXPECTED_IRIS[artefact]], f"{name}: headers {headers}"
    header = EXPECTED_IRIS[artefact]
    assert graph.value(header, OWL.versionIRI) == artefacts.version_iri(header, VERSION)
    assert str(graph.value(header, OWL.versionIRI)).startswith(
        f"https://w3id.org/exop/releases/{VERSION}/"
    )
    assert graph.value(header, OWL.versionInfo) == Literal(VERSION)
    assert graph.value(header, DCTERMS.issued) == Literal(release.RELEASE_DATE, datatype=XSD.date)
    assert graph.value(header, DCTERMS.title) is not None, f"{name}: no title"
    # The import module reproduces records under their own ontologies' licences.
    if artefact != "exop-imports":
        assert graph.value(header, DCTERMS.license) is not None, f"{name}: no licence"
    for iri in (header, graph.value(header, OWL.versionIRI)):
        families = [n for n, pattern in IRI_FAMILIES.items() if pattern.fullmatch(str(iri))]
        assert len(families) == 1, f"{iri}: IRI families {families} (docs/iris.md)"
    imports = set(graph.objects(None, OWL.imports))
    assert imports == ({ONTOLOGY_IRI} if artefact == "exop-data" else set()), name


@pytest.mark.parametrize("artefact", list(release.ARTEFACTS))
def test_every_serialisation_of_an_artefact_holds_the_same_graph(
    released: release.ReleaseResult, artefact: str
) -> None:
    graphs = {f.path.name: _parse(f.path) for f in released.files if f.artefact == artefact}
    assert len(graphs) >= 2
    first_name, first = next(iter(graphs.items()))
    for name, graph in graphs.items():
        assert isomorphic(first, graph), f"{name} differs from {first_name}"


def test_full_ontology_is_the_ontology_plus_import_module_with_one_header(
    released: release.ReleaseResult,
) -> None:
    full = _parse(released.directory / "exop.ttl")
    loaded = package_graph.load_ontology()
    expected, actual = Graph(), Graph()
    for s, p, o in loaded:
        if p != OWL.imports and s not in (IMPORTS_IRI, ONTOLOGY_IRI):
            expected.add((s, p, o))
    for s, p, o in full:
        if s != ONTOLOGY_IRI:
            actual.add((s, p, o))
    assert isomorphic(expected, actual), "exop.ttl is not exop.ttl plus the import module"
    header = {(p, o) for p, o in loaded.predicate_objects(ONTOLOGY_IRI) if p != OWL.imports}
    stamped = set(full.predicate_objects(ONTOLOGY_IRI))
    assert header <= stamped and stamped - header == {
        (DCTERMS.issued, Literal(release.RELEASE_DATE, datatype=XSD.date))
    }


def test_base_declares_external_entities_without_describing_them(
    released: release.ReleaseResult,
) -> None:
    base = _parse(released.directory / "exop-base.ttl")
    minted = obo.minted_terms(base)
    assert set(minted) == set(obo.minted_terms(package_graph.parse_file(resources.ONTOLOGY_FILE)))
    imports = package_graph.parse_files(resources.IMPORTS_DIR.glob("*.ttl"))
    externals = {s for s in base.subjects() if isinstance(s, URIRef) and not obo.is_minted(s)}
    described = sorted(
        str(s)
        for s in externals & set(imports.subjects(RDFS.label, None))
        if set(base.predicates(s)) - {RDF.type}
    )
    assert described == [], f"the base describes external entities: {described[:10]}"
    declared_externals = externals & set(imports.subjects(RDF.type, OWL.Class))
    assert declared_externals, "the base declares the external classes it refers to"
    labelled = [s for s in declared_externals if base.value(s, RDFS.label) is not None]
    assert labelled == []


def test_pretty_rdf_xml_uses_typed_nodes(released: release.ReleaseResult) -> None:
    text = (released.directory / "exop.owl").read_text(encoding="utf-8")
    assert '<owl:Ontology rdf:about="https://w3id.org/exop/ontology">' in text
    assert '<owl:Class rdf:about="https://w3id.org/exop/Finding">' in text
    assert '<owl:NamedIndividual rdf:about="https://w3id.org/exop/increases">' in text
    assert 'rdf:parseType="Collection"' in text
    # a class is described by its typed element; it is named by an empty rdf:Description
    # only as a member of a collection (an owl:AllDisjointClasses list)
    assert "<rdf:Description rdf:about=\"https://w3id.org/exop/Finding\">" not in text


def test_release_catalog_maps_every_module_to_its_file(released: release.ReleaseResult) -> None:
    text = (released.directory / release.CATALOG_NAME).read_text(encoding="utf-8")
    for iri, target in (
        (ONTOLOGY_IRI, "exop.owl"),
        (IMPORTS_IRI, "exop-imports.owl"),
        (artefacts.version_iri(ONTOLOGY_IRI, VERSION), "exop.owl"),
    ):
        assert f'<uri name="{iri}" uri="{target}"/>' in text
        assert (released.directory / target).is_file()


def test_repository_catalog_is_current() -> None:
    committed = (resources.ONTOLOGY_DIR / release.CATALOG_NAME).read_text(encoding="utf-8")
    assert committed == release.repository_catalog(), (
        f"ontology/{release.CATALOG_NAME} is stale; run `{release.CATALOG_COMMAND}`"
    )
    assert 'uri="imports/exop-imports.ttl"' in committed
    assert (resources.ONTOLOGY_DIR / "imports" / "exop-imports.ttl").is_file()


def _hash_seeded(seed: str, *args: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([str(EXOP_COMMAND), *args], check=True, env=env, capture_output=True)


@pytest.mark.slow
def test_rebuilding_the_release_gives_byte_identical_files(
    released: release.ReleaseResult, tmp_path: Path
) -> None:
    # Another process with another string-hash seed: rdflib's own writers differ here.
    _hash_seeded("12345", "release", str(tmp_path / "again"))
    for file in released.files:
        again = (tmp_path / "again" / file.path.name).read_bytes()
        assert again == file.path.read_bytes(), f"{file.path.name} differs between builds"


@pytest.mark.parametrize("rdf_format", ["turtle", "nt", "xml", "jsonld"])
def test_export_writes_one_header_and_no_imports(tmp_path: Path, rdf_format: str) -> None:
    result = export(tmp_path / "dump", rdf_format)
    graph = Graph().parse(result.path, format=package_graph_format(rdf_format))
    assert list(graph.subjects(RDF.type, OWL.Ontology)) == [artefacts.PACKAGE_IRI]
    assert not list(graph.triples((None, OWL.imports, None)))
    assert result.triples == len(graph)


def package_graph_format(rdf_format: str) -> str:
    return {"jsonld": "json-ld"}.get(rdf_format, rdf_format)


@pytest.mark.slow
@pytest.mark.parametrize("rdf_format", ["nt", "xml", "jsonld"])
def test_export_is_byte_identical_across_runs(tmp_path: Path, rdf_format: str) -> None:
    for seed in ("1", "2"):
        _hash_seeded(seed, "export", "--format", rdf_format, "-o", str(tmp_path / seed))
    assert (tmp_path / "1").read_bytes() == (tmp_path / "2").read_bytes()


def test_blank_nodes_get_content_derived_labels() -> None:
    text = """@prefix ex: <http://example.org/> .
    ex:a ex:p [ ex:q "one" ] , [ ex:q "two" ] ."""
    one, two = Graph().parse(data=text, format="turtle"), Graph().parse(data=text, format="turtle")
    for serialise in (rdfout.ntriples, rdfout.pretty_xml, rdfout.jsonld):
        assert serialise(one) == serialise(two)
    assert b"_:c14n0" in rdfout.ntriples(one)


def test_release_into_a_file_is_refused_without_writing(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        release.release(target)
    assert target.read_text(encoding="utf-8") == "keep"


def test_cli_release_refuses_a_file_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert run(["release", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("exop: error:") and err.count("\n") == 1
