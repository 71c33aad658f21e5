"""The import module: up to date with the upstream files, typed hierarchy, no invented
parents, OWL 2 DL on its own, well-formed identifiers; the build tool on small fixtures."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path
from typing import Any, cast

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from exop import graph as package_graph
from exop import resources
from exop.namespaces import compress_or_none
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "ontology" / "imports" / "exop-imports.ttl"
REPORT = ROOT / "ontology" / "imports" / "exop-imports-report.md"
PATTERNS = ROOT / "ontology" / "imports" / "id-patterns.tsv"
NOT_CHECKED = ("exop", "exopd", "exopsh", "rdf", "rdfs", "owl", "xsd", "skos", "sh", "dcterms")

builder = load_script("tools/build_imports.py", "build_imports")
OBO = "http://purl.obolibrary.org/obo/"
PART_OF = f"{OBO}BFO_0000050"


def obo(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(f"{OBO}{prefix}_{local}")


@pytest.fixture(scope="module")
def committed() -> Graph:
    return package_graph.parse_file(MODULE)


# --- the committed module against the upstream files -----------------------------------------


def _upstream_inputs() -> tuple[Path, Path, Path] | None:
    ontologies = builder.default_ontologies()
    go_sqlite = builder.default_go_sqlite()
    terms = builder.DEFAULT_TERMS_TSV
    table = builder.read_upstream_table()
    present = (
        all((ontologies / name).exists() for name in table)
        and go_sqlite.exists()
        and terms.exists()
    )
    return (ontologies, go_sqlite, terms) if present else None


@pytest.fixture(scope="module")
def fresh() -> Any:
    inputs = _upstream_inputs()
    if inputs is None:
        reason = (
            "the upstream ontology files (../shared/reference/ontologies or $EXOP_ONTOLOGIES), "
            "GO.sqlite (Debian r-bioc-go.db) or terms.tsv are not on this machine, so the "
            "committed module cannot be rebuilt from them; the tool itself is tested on "
            "fixtures below"
        )
        pytest.skip(reason)
    return builder.build(*inputs)


def test_committed_module_is_up_to_date(committed: Graph, fresh: Any) -> None:
    expected, actual = builder.signature(fresh.graph), builder.signature(committed)
    only_fresh, only_committed = (
        sorted(expected - actual, key=str),
        sorted(actual - expected, key=str),
    )
    assert not only_fresh and not only_committed, (
        "ontology/imports/exop-imports.ttl is stale; run `python tools/build_imports.py`\n"
        + "\n".join(f"- {t}" for t in only_fresh[:10])
        + "\n"
        + "\n".join(f"+ {t}" for t in only_committed[:10])
    )


def test_committed_report_is_up_to_date(fresh: Any) -> None:
    assert REPORT.read_text(encoding="utf-8") == fresh.report, (
        "ontology/imports/exop-imports-report.md is stale; run `python tools/build_imports.py`"
    )


def test_every_imported_upstream_class_has_its_file_as_source(committed: Graph) -> None:
    table = builder.read_upstream_table()
    urls = {URIRef(row.url) for row in table.values()}
    upstream_classes = [
        c
        for c in committed.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and builder.prefix_of(str(c)) in builder.UPSTREAM_PREFIXES
    ]
    assert len(upstream_classes) > 300
    without = [c for c in upstream_classes if not set(committed.objects(c, DCTERMS.source))]
    assert without == []
    assert any(set(committed.objects(c, DCTERMS.source)) & urls for c in upstream_classes)


# --- what the module must (and must not) say ---------------------------------------------------


def test_every_external_class_used_is_declared_with_a_label(committed: Graph) -> None:
    used = builder.terms_in_use(builder.package_graph())
    assert len(used) > 50
    missing = []
    for curie in sorted(used):
        iri = builder.expand(curie)
        if (iri, RDF.type, OWL.Class) not in committed or committed.value(iri, RDFS.label) is None:
            missing.append(curie)
    assert missing == [], f"used but not declared with a label in the import module: {missing}"


def _part_of_wholes(graph: Graph, cls: URIRef) -> set[URIRef]:
    wholes = set()
    for node in graph.objects(cls, RDFS.subClassOf):
        if isinstance(node, BNode) and graph.value(node, OWL.onProperty) == URIRef(PART_OF):
            filler = graph.value(node, OWL.someValuesFrom)
            if isinstance(filler, URIRef):
                wholes.add(filler)
    return wholes


def _isa_part_of_closure(graph: Graph, start: URIRef) -> set[URIRef]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        step = {o for o in graph.objects(node, RDFS.subClassOf) if isinstance(o, URIRef)}
        for parent in step | _part_of_wholes(graph, node):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_hierarchy_reaches_the_roots(committed: Graph) -> None:
    assert obo("CL:0000000") in _isa_part_of_closure(committed, obo("CL:0000092"))
    assert obo("GO:0008150") in _isa_part_of_closure(committed, obo("GO:0060070"))
    assert obo("NCBITaxon:1") in _isa_part_of_closure(committed, obo("NCBITaxon:10116"))
    assert obo("UBERON:0001062") in _isa_part_of_closure(committed, obo("UBERON:0002371"))


def test_uberon_has_is_a_edges_and_part_of_restrictions(committed: Graph) -> None:
    uberon = [
        c for c in committed.subjects(RDF.type, OWL.Class) if str(c).startswith(f"{OBO}UBERON_")
    ]
    is_a = [
        (c, p)
        for c in uberon
        for p in committed.objects(c, RDFS.subClassOf)
        if isinstance(p, URIRef)
    ]
    part_of = [(c, w) for c in uberon for w in _part_of_wholes(committed, cast(URIRef, c))]
    assert len(is_a) > len(uberon) // 2
    assert part_of
    # Named superclasses are is_a, not part_of: bone tissue is a skeletal tissue, part of a
    # bone element (as Uberon states it).
    assert (obo("UBERON:0002481"), RDFS.subClassOf, obo("UBERON:0004755")) in committed
    assert obo("UBERON:0004755") not in _part_of_wholes(committed, obo("UBERON:0002481"))


def test_go_part_of_edges_are_kept(committed: Graph) -> None:
    # 'osteoblast differentiation' is part of 'ossification' in GO.
    assert obo("GO:0001503") in _part_of_wholes(committed, obo("GO:0001649"))


def test_cl_definitions_are_imported(committed: Graph) -> None:
    definitions = list(committed.objects(obo("CL:0001035"), OWL.equivalentClass))
    assert definitions, "bone cell has no EquivalentTo definition"
    members = list(
        committed.items(cast(BNode, committed.value(definitions[0], OWL.intersectionOf)))
    )
    assert obo("CL:0000000") in members
    assert any(
        committed.value(m, OWL.onProperty) == URIRef(PART_OF)
        and committed.value(m, OWL.someValuesFrom) == obo("UBERON:0001474")
        for m in members
    )


REGISTRY_NAMESPACES = (
    "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
    "http://www.mirbase.org/cgi-bin/mirna_entry.pl?acc=",
    "http://mirbase.org/cgi-bin/mature.pl?mature_acc=",
    "https://go.drugbank.com/drugs/",
    "http://id.nlm.nih.gov/mesh/",
    "https://www.cellosaurus.org/CVCL_",
)


def test_no_invented_superclasses(committed: Graph) -> None:
    registry = [
        c for c in committed.subjects(RDF.type, OWL.Class) if str(c).startswith(REGISTRY_NAMESPACES)
    ]
    assert len(registry) > 20
    with_parents = [c for c in registry if (c, RDFS.subClassOf, None) in committed]
    assert with_parents == [], f"registry records given superclasses: {with_parents}"
    into_exop = [
        (s, o)
        for s, o in committed.subject_objects(RDFS.subClassOf)
        if str(o).startswith("https://w3id.org/exop/")
    ]
    assert into_exop == []
    assert (obo("SO:0000276"), RDFS.subClassOf, None) not in committed


def test_exop_groups_the_registry_records_it_uses() -> None:
    ontology = package_graph.parse_file(resources.ONTOLOGY_FILE)
    module = package_graph.parse_file(MODULE)
    grouped: dict[URIRef, set[Any]] = {}
    for union in ontology.subjects(OWL.unionOf, None):
        for parent in ontology.objects(union, RDFS.subClassOf):
            members = set(ontology.items(cast(BNode, ontology.value(union, OWL.unionOf))))
            grouped.setdefault(cast(URIRef, parent), set()).update(members)
    exop = "https://w3id.org/exop/"
    genes = {
        c
        for c in module.subjects(RDF.type, OWL.Class)
        if str(c).startswith(
            (
                "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
                "http://www.mirbase.org/cgi-bin/mirna_entry.pl?acc=",
                "http://mirbase.org/cgi-bin/mature.pl?mature_acc=",
            )
        )
    }
    drugs = {
        c
        for c in module.subjects(RDF.type, OWL.Class)
        if str(c).startswith("https://go.drugbank.com/drugs/")
    }
    assert genes and drugs
    assert genes <= grouped.get(URIRef(f"{exop}GeneOrGeneProduct"), set())
    assert drugs <= grouped.get(URIRef(f"{exop}Drug"), set())


def test_classes_without_a_stated_relation_are_listed_in_the_report(committed: Graph) -> None:
    report = REPORT.read_text(encoding="utf-8")
    bare = [
        c
        for c in committed.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef)
        and (c, RDFS.subClassOf, None) not in committed
        and (c, OWL.equivalentClass, None) not in committed
    ]
    assert bare
    unlisted = [c for c in bare if (builder.compress(str(c)) or str(c)) not in report]
    assert unlisted == []


# --- OWL 2 DL on its own -----------------------------------------------------------------------

DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Datatype,
)
BUILT_IN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


def _entities_used(graph: Graph) -> dict[URIRef, str]:
    """IRIs in entity positions, with the kind each position needs."""
    used: dict[URIRef, str] = {}

    def note(node: Any, kind: str) -> None:
        if isinstance(node, URIRef) and not str(node).startswith(BUILT_IN):
            used.setdefault(node, kind)

    for s, p, o in graph:
        if p == RDF.type:
            note(o, "class")
        elif p in (RDFS.subClassOf, OWL.equivalentClass, OWL.someValuesFrom):
            note(s, "class")
            note(o, "class")
        elif p == OWL.onProperty:
            note(o, "object property")
        elif p == RDF.first:
            note(o, "class")
        elif p not in (RDF.rest, OWL.intersectionOf, OWL.unionOf):
            note(p, "annotation property")
    return used


def test_module_alone_declares_every_entity_it_uses_once(committed: Graph) -> None:
    used = _entities_used(committed)
    assert len(used) > 300
    assert_declares_what_it_uses(committed)


def assert_declares_what_it_uses(committed: Graph) -> None:
    declared: dict[URIRef, set[URIRef]] = {}
    for kind in DECLARATION_TYPES:
        for subject in committed.subjects(RDF.type, kind):
            if isinstance(subject, URIRef):
                declared.setdefault(subject, set()).add(kind)
    used = _entities_used(committed)
    undeclared = sorted(f"{iri} ({kind})" for iri, kind in used.items() if iri not in declared)
    assert undeclared == [], f"used in the import module without a declaration: {undeclared[:20]}"
    punned = sorted(str(iri) for iri, kinds in declared.items() if len(kinds) > 1)
    assert punned == [], f"declared with more than one type: {punned}"
    wrong = {
        "class": OWL.Class,
        "object property": OWL.ObjectProperty,
        "annotation property": OWL.AnnotationProperty,
    }
    mistyped = sorted(
        str(iri)
        for iri, kind in used.items()
        if iri != builder.MODULE_IRI
        and wrong[kind] not in declared[iri]
        and not (kind == "class" and OWL.Ontology in set(committed.objects(iri, RDF.type)))
    )
    assert mistyped == [], f"used as one kind, declared as another: {mistyped}"


def test_dl_check_catches_an_undeclared_entity(committed: Graph) -> None:
    graph = Graph()
    graph.add((obo("CL:0000092"), RDF.type, OWL.Class))
    graph.add(
        (obo("CL:0000092"), RDFS.subClassOf, URIRef("https://w3id.org/exop/GeneOrGeneProduct"))
    )
    graph.add((obo("CL:0000092"), DCTERMS.title, Literal("x")))
    used = _entities_used(graph)
    assert URIRef("https://w3id.org/exop/GeneOrGeneProduct") in used
    assert used[DCTERMS.title] == "annotation property"


def test_module_records_its_sources_and_versions(committed: Graph) -> None:
    sources = {str(s) for s in committed.objects(builder.MODULE_IRI, DCTERMS.source)}
    for source_id, description in builder.read_sources_table().items():
        if source_id.startswith("cxg:") or source_id in ("curated", "terms.tsv", "debian:go.db"):
            assert f"{source_id}: {description}" in sources
    for row in builder.read_upstream_table().values():
        assert row.url in sources
        assert re.fullmatch(r"[0-9a-f]{40}", row.commit)


def test_labels_agree_with_terms_tsv(committed: Graph) -> None:
    terms = builder.DEFAULT_TERMS_TSV
    if not terms.exists():
        pytest.skip(f"{terms} is not beside the repository (labels checked where it is)")
    labels = builder.terms_from_tsv(terms)
    mismatches = {
        curie: (label, str(committed.value(builder.expand(curie), RDFS.label)))
        for curie, label in labels.items()
        if (builder.expand(curie), RDFS.label, None) in committed
        and str(committed.value(builder.expand(curie), RDFS.label)) != label
    }
    assert mismatches == {}


# --- the tool on fixtures it builds ----------------------------------------------------------

FIXTURE_OBO = """format-version: 1.2

[Term]
id: UBERON:0000001
name: whole thing

[Term]
id: UBERON:0000002
name: part thing
is_a: UBERON:0000001 {source="X"} ! whole thing
relationship: BFO:0000050 UBERON:0000003 ! container
relationship: RO:0002162 NCBITaxon:7742
relationship: develops_from UBERON:0000009

[Term]
id: UBERON:0000003
name: container
is_a: UBERON:0000001

[Term]
id: UBERON:0000009
name: precursor
is_a: UBERON:0000001
"""

FIXTURE_FUNCTIONAL = """Prefix(obo:=<http://purl.obolibrary.org/obo/>)
Prefix(rdfs:=<http://www.w3.org/2000/01/rdf-schema#>)
Ontology(<http://example.org/cl.owl>
Declaration(Class(obo:CL_0000000))
Declaration(Class(obo:CL_0001035))
AnnotationAssertion(rdfs:label obo:CL_0000000 "cell")
AnnotationAssertion(rdfs:label obo:CL_0001035 "bone \\"cell\\"")
EquivalentClasses(obo:CL_0001035 ObjectIntersectionOf(obo:CL_0000000 \
ObjectSomeValuesFrom(obo:BFO_0000050 obo:UBERON_0000002)))
SubClassOf(obo:CL_0000000 ObjectAllValuesFrom(obo:BFO_0000050 obo:CL_0000000))
)
""".replace("\\\n", "")

FIXTURE_RDFXML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="http://www.w3.org/2002/07/owl#">
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/BFO_0000050">
  <rdf:type rdf:resource="http://www.w3.org/2002/07/owl#TransitiveProperty"/>
  <rdfs:label>part of</rdfs:label>
 </owl:ObjectProperty>
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/RO_0002211">
  <rdfs:label>regulates</rdfs:label>
 </owl:ObjectProperty>
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/BFO_0000051">
  <rdfs:label>has part</rdfs:label>
 </owl:ObjectProperty>
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/RO_0002212">
  <rdfs:label>negatively regulates</rdfs:label>
 </owl:ObjectProperty>
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/RO_0002213">
  <rdfs:label>positively regulates</rdfs:label>
 </owl:ObjectProperty>
 <owl:ObjectProperty rdf:about="http://purl.obolibrary.org/obo/BFO_0000066">
  <rdfs:label>occurs in</rdfs:label>
 </owl:ObjectProperty>
 <owl:Class rdf:about="http://purl.obolibrary.org/obo/NCBITaxon_10116">
  <rdfs:label>Rattus norvegicus</rdfs:label>
  <rdfs:subClassOf rdf:resource="http://purl.obolibrary.org/obo/NCBITaxon_1"/>
  <rdfs:subClassOf><owl:Restriction>
   <owl:onProperty rdf:resource="http://purl.obolibrary.org/obo/RO_0002162"/>
   <owl:someValuesFrom rdf:resource="http://purl.obolibrary.org/obo/NCBITaxon_10116"/>
  </owl:Restriction></rdfs:subClassOf>
 </owl:Class>
 <owl:Class rdf:about="http://purl.obolibrary.org/obo/NCBITaxon_1">
  <rdfs:label>root</rdfs:label>
 </owl:Class>
</rdf:RDF>
"""

FIXTURE_TABLE = """file\trepository\tpath\tcommit\tcommit_date\trelease\tformat\taxioms
u.obo\tex/u\tu.obo\t{c}\t2026-01-01\tr1\tOBO 1.4\tfull
cl.owl\tex/cl\tcl.owl\t{c}\t2026-01-01\tr2\tOWL functional syntax\tfull
tx.owl\tex/tx\ttx.owl\t{c}\t2026-01-01\tr3\tRDF/XML\tis_a
""".format(c="0" * 40)


def _go_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE go_term (_id INTEGER, go_id TEXT, term TEXT, ontology TEXT)")
        con.execute("CREATE TABLE go_obsolete (go_id TEXT, term TEXT, ontology TEXT)")
        for table in ("go_bp_parents", "go_mf_parents", "go_cc_parents"):
            con.execute(
                f"CREATE TABLE {table} (_id INTEGER, _parent_id INTEGER, relationship_type TEXT)"
            )
        con.executemany(
            "INSERT INTO go_term VALUES (?, ?, ?, 'BP')",
            [
                (1, "GO:0008150", "biological_process"),
                (2, "GO:0001503", "ossification"),
                (3, "GO:0001649", "osteoblast differentiation"),
                (4, "GO:0045667", "regulation of osteoblast differentiation"),
            ],
        )
        con.executemany(
            "INSERT INTO go_bp_parents VALUES (?, ?, ?)",
            [(2, 1, "isa"), (3, 2, "part of"), (3, 1, "isa"), (4, 3, "regulates"), (4, 1, "isa")],
        )
        con.execute("INSERT INTO go_obsolete VALUES ('GO:0000001', 'old process', 'BP')")


@pytest.fixture(scope="module")
def fixture_upstream(tmp_path_factory: pytest.TempPathFactory) -> Any:
    directory = tmp_path_factory.mktemp("upstream")
    (directory / "u.obo").write_text(FIXTURE_OBO, encoding="utf-8")
    (directory / "cl.owl").write_text(FIXTURE_FUNCTIONAL, encoding="utf-8")
    (directory / "tx.owl").write_text(FIXTURE_RDFXML, encoding="utf-8")
    table_path = directory / "table.tsv"
    table_path.write_text(FIXTURE_TABLE, encoding="utf-8")
    _go_sqlite(directory / "GO.sqlite")
    table = builder.read_upstream_table(table_path)
    sources = builder.load_upstream(directory, directory / "GO.sqlite", table)
    sources.choice = {}
    sources.fallback = {
        "UBERON": ("u.obo",),
        "CL": ("cl.owl",),
        "GO": ("GO.sqlite",),
        "NCBITaxon": ("tx.owl",),
    }
    return sources, table


def test_obo_reader_types_relations(fixture_upstream: Any) -> None:
    sources, _ = fixture_upstream
    record = sources.record(str(obo("UBERON:0000002")))
    assert record.parents == (str(obo("UBERON:0000001")),)
    assert (PART_OF, str(obo("UBERON:0000003"))) in record.relations
    assert (f"{OBO}uberon/core#develops_from", str(obo("UBERON:0000009"))) in record.relations
    assert not any(p == f"{OBO}RO_0002162" for p, _ in record.relations), "taxon constraint kept"


def test_functional_reader_reads_definitions_and_escapes(fixture_upstream: Any) -> None:
    sources, _ = fixture_upstream
    record = sources.record(str(obo("CL:0001035")))
    assert record.label == 'bone "cell"'
    assert record.parents == ()
    (definition,) = record.definitions
    assert definition.classes == (str(obo("CL:0000000")),)
    assert definition.restrictions == ((PART_OF, str(obo("UBERON:0000002"))),)


def test_rdfxml_reader_and_go_sqlite_relations(fixture_upstream: Any) -> None:
    sources, _ = fixture_upstream
    taxon = sources.record(str(obo("NCBITaxon:10116")))
    assert taxon.parents == (str(obo("NCBITaxon:1")),) and taxon.relations == ()
    assert sources.transitive(PART_OF)
    go = sources.record(str(obo("GO:0001649")))
    assert go.parents == (str(obo("GO:0008150")),)
    assert go.relations == ((PART_OF, str(obo("GO:0001503"))),)
    regulation = sources.record(str(obo("GO:0045667")))
    assert regulation.relations == ((f"{OBO}RO_0002211", str(obo("GO:0001649"))),)
    assert sources.record(str(obo("GO:0000001"))).deprecated


def test_resolve_follows_is_a_and_part_of_and_renders_them(fixture_upstream: Any) -> None:
    sources, table = fixture_upstream
    resolved = builder.resolve(
        {"CL:0001035", "GO:0045667", "GO:0001649", "HGNC:11926"},
        sources,
        builder.Snapshot(),
        {},
        {"HGNC:11926": "TNFSF11"},
    )
    records = resolved.records
    # bone cell -> (definition) part of UBERON:0000002 -> part of UBERON:0000003 -> is_a ...
    for curie in (
        "UBERON:0000002",
        "UBERON:0000003",
        "UBERON:0000001",
        "GO:0001649",
        "GO:0001503",
        "GO:0008150",
    ):
        assert str(obo(curie)) in records, curie
    # the fillers of other relations (develops from, regulates) are declared with their
    # label, without their own axioms: the module follows the hierarchy only
    precursor = records[str(obo("UBERON:0000009"))]
    assert precursor.label == "precursor" and not precursor.states_relation
    only_regulated = builder.resolve({"GO:0045667"}, sources, builder.Snapshot(), {}, {})
    assert not only_regulated.records[str(obo("GO:0001649"))].states_relation
    hgnc_11926 = "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/11926"
    assert records[hgnc_11926].parents == ()
    graph = builder.render(resolved, {}, table, "0.0.0")
    wholes = _part_of_wholes(graph, obo("UBERON:0000002"))
    assert wholes == {obo("UBERON:0000003")}
    assert (obo("UBERON:0000002"), RDFS.subClassOf, obo("UBERON:0000001")) in graph
    assert (obo("UBERON:0000002"), DCTERMS.source, URIRef(table["u.obo"].url)) in graph
    assert (URIRef(PART_OF), RDF.type, OWL.TransitiveProperty) in graph
    assert_declares_what_it_uses(graph)
    report = builder.report(resolved, table, {})
    assert "HGNC:11926" in report and "UBERON:0000009" in report


def test_deprecated_terms_are_marked_and_found_by_qc(fixture_upstream: Any) -> None:
    sources, table = fixture_upstream
    resolved = builder.resolve({"GO:0000001"}, sources, builder.Snapshot(), {}, {})
    graph = builder.render(resolved, {}, table, "0.0.0")
    iri = obo("GO:0000001")
    assert (iri, OWL.deprecated, Literal(True)) in graph
    graph.add((URIRef("https://w3id.org/exop/data/x"), RDF.type, iri))
    text = (ROOT / "queries" / "qc-deprecated-term-violation.rq").read_text(encoding="utf-8")
    assert len(list(graph.query(text))) == 1


def test_signature_ignores_blank_node_names_only(fixture_upstream: Any) -> None:
    sources, table = fixture_upstream
    resolved = builder.resolve({"CL:0001035"}, sources, builder.Snapshot(), {}, {})
    one = builder.render(resolved, {}, table, "0.0.0")
    two = builder.render(resolved, {}, table, "0.0.0")
    assert builder.signature(one) == builder.signature(two)
    two.remove((None, OWL.someValuesFrom, obo("UBERON:0000002")))
    assert builder.signature(one) != builder.signature(two)


def test_missing_term_names_the_fix() -> None:
    with pytest.raises(builder.BuildError, match="--ontologies"):
        builder.resolve({"CL:1234567"}, None, builder.Snapshot(), {}, {})


def test_missing_upstream_files_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(builder.BuildError, match="EXOP_ONTOLOGIES"):
        builder.load_upstream(tmp_path, None, builder.read_upstream_table())


def test_direct_parents_are_the_minimal_ancestors() -> None:
    closure = {"B": ("C", "D"), "C": ("D",), "D": (), "E": ()}
    assert builder.direct_parents({"B": 1, "C": 2, "D": 3, "E": 1}, closure) == ["B", "E"]


# --- identifiers -------------------------------------------------------------------------------


def _patterns() -> dict[str, re.Pattern[str]]:
    with PATTERNS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["prefix"]: re.compile(row["pattern"]) for row in rows}


def test_id_pattern_table_examples_match() -> None:
    with PATTERNS.open(encoding="utf-8", newline="") as handle:
        rows = list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )
    assert len(rows) >= 15
    for row in rows:
        assert re.fullmatch(row["pattern"], row["example"]), row


def test_every_external_identifier_is_well_formed() -> None:
    patterns = _patterns()
    graph = Graph()
    for path in (*resources.ontology_files(), *resources.data_files()):
        graph += package_graph.parse_file(path)
    nodes = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    bad: list[str] = []
    checked = 0
    for node in sorted(nodes):
        curie = compress_or_none(str(node))
        if curie is None:
            continue
        prefix, _, local = curie.partition(":")
        if prefix in NOT_CHECKED or prefix not in patterns:
            continue
        checked += 1
        if not patterns[prefix].match(local):
            bad.append(curie)
    assert checked > 100
    assert bad == [], f"identifiers not matching their prefix's pattern: {bad}"
