"""Build the EXOP import module, ``ontology/imports/exop-imports.ttl``, and its report.

The module declares every external class that ``ontology/exop.ttl`` and ``data/*.ttl`` use
(and every identifier of the project's ``terms.tsv``) with its official label and the
axioms its own ontology states about it, up to that ontology's root: ``is_a`` as
``rdfs:subClassOf`` of the named class, ``part_of`` and every other relation as the
existential restriction it is, EquivalentTo definitions as intersections. Each class
carries ``dcterms:source``: the file (repository, path, commit) its record was read from.

Sources, by prefix:

- UBERON, CL, GO, NCBITaxon: the official ontology files listed in ``upstream-files.tsv``
  (directory ``--ontologies``, env ``EXOP_ONTOLOGIES``, default ``../shared/reference/
  ontologies``), one file per class as ``source-choice.tsv`` says, and Debian
  r-bioc-go.db's ``GO.sqlite`` (``--go-sqlite``, env ``EXOP_GO_SQLITE``) for the GO classes
  no newer file holds. Taxon constraints (RO 'in taxon', 'only in taxon') are left out:
  they restrict where a class occurs, they are not its place in the hierarchy.
- CHEBI, MONDO, EFO, Cellosaurus: ``sources-snapshot.json``, read with ``--refresh`` from the
  cellxgene-ontology-guide package (its ancestor lists are is_a closures for these).
- ECO, OBI, SO, OBA, BFO, W3C and SPAR classes: ``curated-terms.tsv`` (checked by hand).
- HGNC, miRBase, DrugBank: labels from ``terms.tsv``; their registries state no class
  hierarchy, so none is stated. EXOP's own grouping of such records (gene or gene
  product, drug) is an axiom of EXOP's classes in ``ontology/exop.ttl``, never a
  superclass given to another ontology's class here.

A class for which no source states a parent is declared without one and listed in the
report (``exop-imports-report.md``). The module alone is OWL 2 DL: it declares every
class, object property and annotation property it uses.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from exop.namespaces import PREFIXES
from exop.output import atomic_write

sys.path.insert(0, str(Path(__file__).resolve().parent))
import upstream_ontologies as upstream

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = REPO / "ontology"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
MODULE_PATH = IMPORTS_DIR / "exop-imports.ttl"
REPORT_PATH = IMPORTS_DIR / "exop-imports-report.md"
SNAPSHOT_PATH = IMPORTS_DIR / "sources-snapshot.json"
CURATED_PATH = IMPORTS_DIR / "curated-terms.tsv"
SOURCES_PATH = IMPORTS_DIR / "sources.tsv"
UPSTREAM_TABLE = IMPORTS_DIR / "upstream-files.tsv"
CHOICE_PATH = IMPORTS_DIR / "source-choice.tsv"
EXOP_TTL = ONTOLOGY_DIR / "exop.ttl"
DATA_DIR = REPO / "data"
PYPROJECT = REPO / "pyproject.toml"


TERMS_TSV_ENV = "EXOP_TERMS_TSV"


def _default_terms_tsv() -> Path:
    """The project's verified-terms table: in the repository once it lives there, else the
    shared reference copy beside the clone."""
    if os.environ.get(TERMS_TSV_ENV):
        return Path(os.environ[TERMS_TSV_ENV])
    inside = IMPORTS_DIR / "verified-terms.tsv"
    return inside if inside.exists() else REPO.parent / "shared" / "reference" / "terms.tsv"


DEFAULT_TERMS_TSV = _default_terms_tsv()
DEFAULT_ONTOLOGIES = REPO.parent / "shared" / "reference" / "ontologies"
ONTOLOGIES_ENV = "EXOP_ONTOLOGIES"
DEFAULT_GO_SQLITE = Path("/usr/lib/R/site-library/GO.db/extdata/GO.sqlite")
GO_SQLITE_ENV = "EXOP_GO_SQLITE"
GO_SQLITE = "GO.sqlite"  # its name in source-choice.tsv

MODULE_IRI = URIRef("https://w3id.org/exop/ontology/imports")
EXOP = Namespace("https://w3id.org/exop/")
OBO = "http://purl.obolibrary.org/obo/"
PART_OF = URIRef(f"{OBO}BFO_0000050")
# The import module's is_a and part_of axioms as one direct edge per (class, named class),
# so that SPARQL property paths can walk both (a path cannot test a restriction's property).
IS_A_OR_PART_OF = EXOP.isAOrPartOf
IS_A_OR_PART_OF_LABEL = "is a or part of"
# Taxon constraints: where a class can occur, not what it is or is part of.
TAXON_CONSTRAINTS = frozenset({f"{OBO}RO_0002162", f"{OBO}RO_0002160"})

# Prefixes whose terms the module declares, taken from the package's one prefix map.
PREFIX_MAP: Mapping[str, str] = {
    prefix: PREFIXES[prefix]
    for prefix in (
        "CL",
        "GO",
        "UBERON",
        "MONDO",
        "NCBITaxon",
        "CHEBI",
        "ECO",
        "OBI",
        "OBA",
        "SO",
        "BFO",
        "RO",
        "IAO",
        "EFO",
        "HGNC",
        "mirbase",
        "mirbase.mature",
        "drugbank",
        "MESH",
        "cellosaurus",
        "prov",
        "foaf",
        "skos",
        "fabio",
        "doco",
        "bibo",
        "exop",
    )
}
# Further OBO prefixes that appear only as fillers of imported restrictions.
EXTRA_PREFIXES: Mapping[str, str] = {
    "PR": f"{OBO}PR_",
    "PATO": f"{OBO}PATO_",
    "ENVO": f"{OBO}ENVO_",
    "NBO": f"{OBO}NBO_",
    "uberon.core": f"{OBO}uberon/core#",
}
# Namespaces whose IRIs are never imported (they are EXOP's own or OWL/RDF built-ins).
NOT_IMPORTED = (
    "https://w3id.org/exop/",
    str(OWL),
    str(RDF),
    str(RDFS),
    "http://www.w3.org/2001/XMLSchema#",
)

UPSTREAM_PREFIXES = ("UBERON", "CL", "GO", "NCBITaxon")
# Where a class that source-choice.tsv does not list (one reached only through another
# class's axioms) is looked up: the files of its ontology, newest typed release first.
FALLBACK_ORDER: Mapping[str, tuple[str, ...]] = {
    "UBERON": (
        "obophenotype-cell-ontology/blood_and_immune_upper_slim.owl",
        "obophenotype-cell-ontology/eye_upper_slim.owl",
        "obophenotype-cell-ontology/kidney_upper_slim.owl",
        "geneontology-go-ontology/uberon_import.obo",
        "EnvironmentOntology-envo/uberon_import.owl",
        "oral-health-and-disease-ontologies-ohd-ontology/uberon_import.owl",
        "obophenotype-uberon/musculoskeletal.obo",
        "DiseaseOntology-HumanDiseaseOntology/uberon_import.owl",
    ),
    "CL": (
        "obophenotype-cell-ontology/cl-edit.owl",
        "geneontology-go-ontology/cl_import.obo",
    ),
    "GO": (
        "obophenotype-cell-ontology/blood_and_immune_upper_slim.owl",
        "obophenotype-cell-ontology/eye_upper_slim.owl",
        "obophenotype-cell-ontology/kidney_upper_slim.owl",
        "PHI-base-phipo/go_import.owl",
        "Radiobiology-Informatics-Consortium-RBO/go_import.owl",
        "obophenotype-upheno/go_import.owl",
        "obophenotype-xenopus-phenotype-ontology/go_import.owl",
        GO_SQLITE,
    ),
    "NCBITaxon": ("geneontology-go-ontology/ncbitaxon_import.owl",),
}
# The CL edit file leaves the direct superclasses that follow from a class's definition to
# the reasoner; the released CL, as GO's import of it, states them. The axioms of both are
# merged (neither states a parent the current CL does not have, per the reference README).
MERGE_WITH: Mapping[str, str] = {
    "obophenotype-cell-ontology/cl-edit.owl": "geneontology-go-ontology/cl_import.obo",
}
# The relation types of GO.db's go_*_parents tables (besides 'isa'): they are the labels of
# RO/BFO properties, whose IRIs are looked up by label in the upstream files (not from memory).
GO_DB_RELATIONS = ("part of", "regulates", "negatively regulates", "positively regulates")

# cellxgene-ontology-guide files (pinned releases) for the prefixes still read from it.
CXG_FILES: Mapping[str, str] = {
    "MONDO": "MONDO-ontology-v2026-05-05.json.zst",
    "EFO": "EFO-ontology-v3.90.0.json.zst",
    "CHEBI": "CHEBI-ontology-2026-05-01.json.zst",
    "cellosaurus": "CVCL-ontology-55.0.json.zst",
}
# Registry records: a label from terms.tsv, no hierarchy (their registries state none).
REGISTRY_PREFIXES = frozenset({"HGNC", "mirbase", "mirbase.mature", "drugbank"})


class BuildError(RuntimeError):
    """The module cannot be built from what is available; the message says what to do."""


Restriction = upstream.Restriction
Definition = upstream.Definition


@dataclass(frozen=True)
class Record:
    """One external class: label, stated axioms (IRIs), deprecation, source id."""

    iri: str
    label: str | None
    parents: tuple[str, ...] = ()
    relations: tuple[Restriction, ...] = ()
    definitions: tuple[Definition, ...] = ()
    deprecated: bool = False
    source: str = ""
    also_from: tuple[str, ...] = ()  # further files whose axioms are merged in

    def referenced(self) -> set[str]:
        """Classes this record's axioms name."""
        named = set(self.parents) | {filler for _, filler in self.relations}
        for definition in self.definitions:
            named.update(definition.classes)
            named.update(filler for _, filler in definition.restrictions)
        return named

    def hierarchy(self) -> set[str]:
        """Classes this record places it under: is_a parents and part_of wholes, in its
        subclass axioms and in its definitions."""
        named = set(self.parents) | {f for p, f in self.relations if p == str(PART_OF)}
        for definition in self.definitions:
            named.update(definition.classes)
            named.update(f for p, f in definition.restrictions if p == str(PART_OF))
        return named

    def properties(self) -> set[str]:
        used = {prop for prop, _ in self.relations}
        for definition in self.definitions:
            used.update(prop for prop, _ in definition.restrictions)
        return used

    @property
    def states_relation(self) -> bool:
        return bool(self.parents or self.relations or self.definitions)


@dataclass
class Snapshot:
    """Records of the cellxgene-read prefixes, with the sources they were read from."""

    records: dict[str, Record] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        payload = {
            "sources": dict(sorted(self.sources.items())),
            "records": {
                compress(iri) or iri: {
                    "label": r.label,
                    "parents": [compress(p) or p for p in r.parents],
                    "deprecated": r.deprecated,
                    "source": r.source,
                }
                for iri, r in sorted(self.records.items())
            },
        }
        return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        payload = json.loads(text)
        records = {
            str(expand(c)): Record(
                iri=str(expand(c)),
                label=v["label"],
                parents=tuple(str(expand(p)) for p in v["parents"]),
                deprecated=v["deprecated"],
                source=v["source"],
            )
            for c, v in payload["records"].items()
        }
        return cls(records=records, sources=dict(payload["sources"]))


# ---------------------------------------------------------------------------------------
# CURIEs and IRIs
# ---------------------------------------------------------------------------------------

ALL_PREFIXES: Mapping[str, str] = {**PREFIX_MAP, **EXTRA_PREFIXES}


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    if prefix not in ALL_PREFIXES or not local:
        raise BuildError(f"unknown prefix in {curie!r}")
    return URIRef(ALL_PREFIXES[prefix] + local)


def compress(iri: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, base in ALL_PREFIXES.items():
        if iri.startswith(base) and (best is None or len(base) > best[0]):
            best = (len(base), f"{prefix}:{iri[len(base) :]}")
    return best[1] if best else None


def prefix_of(iri: str) -> str:
    curie = compress(iri)
    return curie.partition(":")[0] if curie else ""


# ---------------------------------------------------------------------------------------
# Which terms are needed
# ---------------------------------------------------------------------------------------

_CLASS_POSITIONS = (
    RDFS.subClassOf,
    RDFS.domain,
    RDFS.range,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.onClass,
    OWL.equivalentClass,
    RDF.first,
)


def _is_external(iri: URIRef) -> bool:
    return not any(str(iri).startswith(ns) for ns in NOT_IMPORTED)


def terms_in_use(graph: Graph) -> set[str]:
    """CURIEs of external classes a graph uses: rdf:type objects and class positions
    (``rdf:first`` for the members of EXOP's union classes)."""
    found: set[str] = set()
    objects: Iterable[Any] = graph.objects(None, RDF.type)
    for pred in _CLASS_POSITIONS:
        objects = [*objects, *graph.objects(None, pred)]
    for obj in objects:
        if isinstance(obj, URIRef) and _is_external(obj):
            curie = compress(str(obj))
            if curie is None:
                raise BuildError(f"class IRI {obj} has no prefix in the EXOP prefix map")
            found.add(curie)
    return found


def package_graph(ontology: Path = EXOP_TTL, data_dir: Path = DATA_DIR) -> Graph:
    graph = Graph()
    graph.parse(ontology)
    for path in sorted(data_dir.glob("*.ttl")):
        graph.parse(path)
    return graph


def terms_from_tsv(path: Path) -> dict[str, str]:
    """CURIE -> official label of the terms.tsv rows whose prefix the module covers."""
    rows: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            curie = row["curie"].strip()
            # terms.tsv writes Cellosaurus CURIEs with the banana (CVCL_3708); the package's
            # namespace holds it, so the local id is Bioregistry's (3708), docs/iris.md.
            if PREFIX_MAP.get("cellosaurus", "").endswith("CVCL_"):
                curie = curie.replace("cellosaurus:CVCL_", "cellosaurus:", 1)
            if curie.partition(":")[0] in PREFIX_MAP:
                rows[curie] = row["official_label"].strip()
    return rows


def _tsv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )


def read_curated(path: Path = CURATED_PATH) -> dict[str, Record]:
    """Hand-verified records: label, parents and where both were checked."""
    records: dict[str, Record] = {}
    for row in _tsv_rows(path):
        iri = str(expand(row["curie"]))
        parents = tuple(str(expand(p)) for p in row["parents"].split("|") if p)
        records[iri] = Record(
            iri=iri,
            label=row["label"],
            parents=parents,
            deprecated=row.get("deprecated", "") == "true",
            source="curated",
        )
    return records


@dataclass(frozen=True)
class UpstreamFile:
    """One row of upstream-files.tsv."""

    file: str
    repository: str
    path: str
    commit: str
    release: str
    format: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    @property
    def description(self) -> str:
        return f"{self.repository} {self.path} @{self.commit[:10]} ({self.release})"


def read_upstream_table(path: Path = UPSTREAM_TABLE) -> dict[str, UpstreamFile]:
    return {
        row["file"]: UpstreamFile(
            row["file"],
            row["repository"],
            row["path"],
            row["commit"],
            row["release"],
            row["format"],
        )
        for row in _tsv_rows(path)
    }


def read_choice(path: Path = CHOICE_PATH) -> dict[str, str]:
    return {str(expand(row["curie"])): row["file"] for row in _tsv_rows(path)}


def read_sources_table(path: Path = SOURCES_PATH) -> dict[str, str]:
    """source id -> description (package, version, file, release) from sources.tsv."""
    return {
        row["source"]: f"{row['package']}=={row['version']} {row['file']} ({row['release']})"
        for row in _tsv_rows(path)
    }


# ---------------------------------------------------------------------------------------
# Reading the upstream ontology files
# ---------------------------------------------------------------------------------------


@dataclass
class Upstream:
    """The parsed upstream files, by name (``GO.sqlite`` included), and which to use."""

    files: dict[str, upstream.OntologyFile]
    choice: dict[str, str]
    fallback: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: FALLBACK_ORDER)

    def label(self, iri: str) -> str | None:
        for name in sorted(self.files):
            if (found := self.files[name].labels.get(iri)) is not None:
                return found
        return None

    def transitive(self, prop: str) -> bool:
        return any(prop in f.transitive for f in self.files.values())

    def record(self, iri: str) -> Record | None:
        """The record of a UBERON/CL/GO/NCBITaxon class from its chosen (or fallback) file."""
        prefix = prefix_of(iri)
        if prefix not in UPSTREAM_PREFIXES:
            return None
        names = [self.choice[iri]] if iri in self.choice else list(self.fallback.get(prefix, ()))
        candidates = [
            (n, self.files[n].classes[iri])
            for n in names
            if n in self.files and iri in self.files[n].classes
        ]
        with_label = [(n, a) for n, a in candidates if a.label]
        typed = [(n, a) for n, a in with_label if a.has_logical_axiom]
        if not with_label:
            return None
        name, axioms = (typed or with_label)[0]
        merged = [axioms]
        extra = MERGE_WITH.get(name)
        if extra in self.files and iri in self.files[extra].classes:
            merged.append(self.files[extra].classes[iri])
        else:
            extra = None
        relations = {r for a in merged for r in a.relations if r[0] not in TAXON_CONSTRAINTS}
        definitions = {
            d
            for d in axioms.definitions
            if not any(p in TAXON_CONSTRAINTS for p, _ in d.restrictions)
        }
        return Record(
            iri=iri,
            label=axioms.label,
            parents=tuple(sorted({p for a in merged for p in a.parents})),
            relations=tuple(sorted(relations)),
            definitions=tuple(sorted(definitions)),
            deprecated=axioms.deprecated,
            source=name,
            also_from=(extra,) if extra else (),
        )


def load_upstream(
    directory: Path, go_sqlite: Path | None, table: Mapping[str, UpstreamFile]
) -> Upstream:
    missing = [f for f in table if not (directory / f).exists()]
    if missing:
        raise BuildError(
            f"upstream ontology files missing under {directory}: {', '.join(missing)} "
            f"(pass --ontologies DIR or set {ONTOLOGIES_ENV})"
        )
    files: dict[str, upstream.OntologyFile] = {}
    for name, row in sorted(table.items()):
        reader = upstream.READERS.get(row.format)
        if reader is None or upstream.sniff_format(directory / name) != row.format:
            raise BuildError(f"{name}: not in the format {row.format!r} upstream-files.tsv says")
        files[name] = reader(directory / name, name)
    if go_sqlite is None or not go_sqlite.exists():
        raise BuildError(
            f"GO.sqlite not found ({go_sqlite}): apt-get install r-bioc-go.db, or pass "
            f"--go-sqlite FILE or set {GO_SQLITE_ENV}"
        )
    files[GO_SQLITE] = upstream.read_go_sqlite(go_sqlite, GO_SQLITE, _go_db_relations(files))
    return Upstream(files=files, choice=read_choice())


def _go_db_relations(files: Mapping[str, upstream.OntologyFile]) -> dict[str, str]:
    """GO.db relation type -> property IRI, found by the property's label in the files."""
    by_label: dict[str, set[str]] = {}
    for parsed in files.values():
        for iri, label in parsed.labels.items():
            if iri.startswith((f"{OBO}RO_", f"{OBO}BFO_")):
                by_label.setdefault(label, set()).add(iri)
    found: dict[str, str] = {}
    for label in GO_DB_RELATIONS:
        iris = by_label.get(label, set())
        if len(iris) != 1:
            raise BuildError(f"no single RO/BFO property labelled {label!r} in the files: {iris}")
        found[label] = iris.pop()
    return found


# ---------------------------------------------------------------------------------------
# Snapshot of the cellxgene-read prefixes (--refresh, build time only)
# ---------------------------------------------------------------------------------------


def _load_zst_json(path: Path) -> dict[str, Any]:
    import zstandard  # type: ignore[import-not-found,unused-ignore]  # build time only

    with path.open("rb") as handle:
        loaded: dict[str, Any] = json.loads(
            zstandard.ZstdDecompressor().stream_reader(handle).read()
        )
    return loaded


def _cxg_key(prefix: str, curie: str) -> str:
    return curie.partition(":")[2] if prefix == "cellosaurus" else curie


def _cxg_curie(prefix: str, key: str) -> str:
    return f"cellosaurus:{key}" if prefix == "cellosaurus" else key


def direct_parents(ancestors: Mapping[str, int], closure: Mapping[str, Iterable[str]]) -> list[str]:
    """Minimal elements of an ancestor set: its direct parents within this file.

    ``ancestors`` is a flat closure (term -> distance); an ancestor is a direct parent
    unless another ancestor has it among its own ancestors.
    """
    keys = set(ancestors)
    implied: set[str] = set()
    for anc in keys:
        implied.update(a for a in closure.get(anc, ()) if a != anc)
    return sorted(keys - implied)


def extract_cxg(
    prefix: str, data: Mapping[str, dict[str, Any]], wanted: Iterable[str], source: str
) -> dict[str, Record]:
    closure = {k: tuple(v.get("ancestors", {})) for k, v in data.items()}
    records: dict[str, Record] = {}
    todo = [_cxg_key(prefix, c) for c in wanted]
    while todo:
        key = todo.pop()
        curie = _cxg_curie(prefix, key)
        iri = str(expand(curie))
        if iri in records:
            continue
        entry = data.get(key)
        if entry is None:
            raise BuildError(f"{curie} not found in {source}")
        present = {a: d for a, d in entry.get("ancestors", {}).items() if a in data}
        # Cellosaurus records carry no class hierarchy: none is stated.
        parents = [] if prefix == "cellosaurus" else direct_parents(present, closure)
        records[iri] = Record(
            iri=iri,
            label=entry["label"],
            parents=tuple(str(expand(_cxg_curie(prefix, p))) for p in parents),
            deprecated=bool(entry.get("deprecated", False)),
            source=source,
        )
        todo.extend(parents)
    return records


def refresh(needed: Iterable[str], cxg_data: Path) -> Snapshot:
    """Read the records of the needed cellxgene-read terms (and their ancestors)."""
    by_prefix: dict[str, set[str]] = {}
    for curie in needed:
        by_prefix.setdefault(curie.partition(":")[0], set()).add(curie)
    sources = {k: v for k, v in read_sources_table().items() if k.startswith("cxg:")}
    snapshot = Snapshot(sources=sources)
    for prefix, filename in CXG_FILES.items():
        if prefix in by_prefix:
            data = _load_zst_json(cxg_data / filename)
            snapshot.records.update(extract_cxg(prefix, data, by_prefix[prefix], f"cxg:{prefix}"))
    return snapshot


# ---------------------------------------------------------------------------------------
# Resolving the closure
# ---------------------------------------------------------------------------------------


@dataclass
class Resolved:
    """The records to declare, the properties they use, and what the report lists."""

    records: dict[str, Record]
    properties: dict[str, tuple[str | None, bool]]  # IRI -> (label, transitive)
    filler_only: set[str] = field(default_factory=set)


def _registry_record(iri: str, tsv_labels: Mapping[str, str]) -> Record | None:
    curie = compress(iri) or ""
    if prefix_of(iri) in REGISTRY_PREFIXES and curie in tsv_labels:
        return Record(iri, tsv_labels[curie], source="terms.tsv")
    return None


def _find_record(
    iri: str,
    sources: Upstream | None,
    snapshot: Snapshot,
    curated: Mapping[str, Record],
    tsv_labels: Mapping[str, str],
) -> Record | None:
    record = (
        curated.get(iri)
        or (sources.record(iri) if sources is not None else None)
        or snapshot.records.get(iri)
        or _registry_record(iri, tsv_labels)
    )
    if record is None and sources is not None and prefix_of(iri) not in CXG_FILES:
        # Named by an upstream axiom; label-less where no file labels it (report lists it).
        record = Record(iri, sources.label(iri), source="label only")
    curie = compress(iri) or ""
    if record is not None and record.label != tsv_labels.get(curie, record.label):
        # terms.tsv holds the label verified in the current release (GO.sqlite is older)
        record = replace(record, label=tsv_labels[curie])
    return record


def resolve(
    needed: Iterable[str],
    sources: Upstream | None,
    snapshot: Snapshot,
    curated: Mapping[str, Record],
    tsv_labels: Mapping[str, str],
) -> Resolved:
    """Every class to declare: the needed ones and all classes their axioms name, closed.

    A class outside the ontologies read here, named only as a restriction filler, is
    declared with the label an upstream file gives it and none of its own axioms.
    """
    out: dict[str, Record] = {}
    filler_only: set[str] = set()
    missing: list[str] = []
    todo = sorted({str(expand(c)) for c in needed})
    while todo:
        iri = todo.pop()
        if iri in out or iri.startswith(str(EXOP)):
            continue
        record = _find_record(iri, sources, snapshot, curated, tsv_labels)
        if record is None:
            missing.append(compress(iri) or iri)
            continue
        if record.source == "label only":
            filler_only.add(iri)
        out[iri] = record
        todo.extend(sorted(record.hierarchy() - set(out)))
    # Fillers of the other relations (develops from, has part, capable of, ...) are
    # declared with their label only: the module follows the hierarchy, not every relation.
    for iri in sorted({n for r in list(out.values()) for n in r.referenced()} - set(out)):
        label = sources.label(iri) if sources is not None else None
        if label is None and sources is None:
            missing.append(compress(iri) or iri)
            continue
        out[iri] = Record(iri, label, source="label only")
        filler_only.add(iri)
    if missing:
        raise BuildError(
            "no source holds: " + ", ".join(sorted(set(missing))) + ". Pass the upstream ontology "
            f"files (--ontologies, {ONTOLOGIES_ENV}), run `python tools/build_imports.py "
            "--refresh` for CHEBI/MONDO/EFO/Cellosaurus, or add a verified row to "
            "curated-terms.tsv."
        )
    props: dict[str, tuple[str | None, bool]] = {}
    for record in out.values():
        for prop in record.properties():
            label = sources.label(prop) if sources is not None else None
            props[prop] = (label, sources.transitive(prop) if sources is not None else False)
    return Resolved(out, props, filler_only)


# ---------------------------------------------------------------------------------------
# Rendering the module
# ---------------------------------------------------------------------------------------


def package_version(pyproject: Path = PYPROJECT) -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _restriction(graph: Graph, prop: str, filler: str) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, URIRef(prop)))
    graph.add((node, OWL.someValuesFrom, URIRef(filler)))
    return node


def _definition(graph: Graph, definition: Definition) -> BNode:
    members: list[Node] = [URIRef(c) for c in definition.classes]
    members += [_restriction(graph, p, f) for p, f in definition.restrictions]
    head = BNode()
    Collection(graph, head, members)
    node = BNode()
    graph.add((node, RDF.type, OWL.Class))
    graph.add((node, OWL.intersectionOf, head))
    return node


def source_values(
    upstream_table: Mapping[str, UpstreamFile], sources: Mapping[str, str]
) -> dict[str, URIRef | Literal]:
    """Source id -> the dcterms:source value of the classes read from it."""
    values: dict[str, URIRef | Literal] = {
        name: URIRef(row.url) for name, row in upstream_table.items()
    }
    values.update({k: Literal(f"{k}: {v}") for k, v in sources.items()})
    if "debian:go.db" in values:
        values[GO_SQLITE] = values["debian:go.db"]
    values["label only"] = Literal(
        "label only: named by an imported axiom; its own axioms are not imported"
    )
    return values


ANNOTATION_PROPERTIES = (
    (DCTERMS.title, "title"),
    (DCTERMS.description, "description"),
    (DCTERMS.source, "source"),
)


def _header(
    graph: Graph,
    version: str,
    sources: Mapping[str, str],
    upstream_table: Mapping[str, UpstreamFile],
) -> None:
    graph.add((MODULE_IRI, RDF.type, OWL.Ontology))
    graph.add(
        (
            MODULE_IRI,
            OWL.versionIRI,
            URIRef(f"https://w3id.org/exop/releases/{version}/ontology/imports"),
        )
    )
    graph.add((MODULE_IRI, OWL.versionInfo, Literal(version)))
    graph.add((MODULE_IRI, DCTERMS.title, Literal("EXOP import module", lang="en")))
    graph.add(
        (
            MODULE_IRI,
            DCTERMS.description,
            Literal(
                "External classes used by EXOP, each with its official label and the axioms its "
                "own ontology states about it (is_a as subClassOf, part_of and other relations as "
                "existential restrictions, EquivalentTo definitions) up to that ontology's root; "
                "each class's dcterms:source names the file its record was read from, and "
                "exop:isAOrPartOf repeats its is_a and part_of edges (named superclasses, part_of "
                "restrictions, and the genus and part_of terms of its definitions) as direct links "
                "for SPARQL property paths. Generated by "
                "tools/build_imports.py; see exop-imports-report.md. Do not edit by hand.",
                lang="en",
            ),
        )
    )
    for source_id, description in sorted(sources.items()):
        graph.add((MODULE_IRI, DCTERMS.source, Literal(f"{source_id}: {description}")))
    for row in upstream_table.values():
        graph.add((MODULE_IRI, DCTERMS.source, URIRef(row.url)))
    for prop, label in (*ANNOTATION_PROPERTIES, (IS_A_OR_PART_OF, IS_A_OR_PART_OF_LABEL)):
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
        graph.add((prop, RDFS.label, Literal(label, lang="en")))


def _render_class(graph: Graph, record: Record, provenance: Mapping[str, URIRef | Literal]) -> None:
    iri = record.iri
    node = URIRef(iri)
    graph.add((node, RDF.type, OWL.Class))
    if record.label:
        graph.add((node, RDFS.label, Literal(record.label)))
    if record.deprecated:
        graph.add((node, OWL.deprecated, Literal(True)))
    for source in (record.source, *record.also_from):
        if source in provenance:
            graph.add((node, DCTERMS.source, provenance[source]))
    for parent in record.parents:
        graph.add((node, RDFS.subClassOf, URIRef(parent)))
    for target in sorted(record.hierarchy() - {iri}):
        graph.add((node, IS_A_OR_PART_OF, URIRef(target)))
    for prop, filler in record.relations:
        graph.add((node, RDFS.subClassOf, _restriction(graph, prop, filler)))
    for definition in record.definitions:
        if not definition.restrictions and len(definition.classes) == 1:
            graph.add((node, OWL.equivalentClass, URIRef(definition.classes[0])))
        else:
            graph.add((node, OWL.equivalentClass, _definition(graph, definition)))


def render(
    resolved: Resolved,
    sources: Mapping[str, str],
    upstream_table: Mapping[str, UpstreamFile],
    version: str,
) -> Graph:
    graph = Graph()
    for prefix, base in ALL_PREFIXES.items():
        graph.bind(prefix, base)
    graph.bind("dcterms", DCTERMS)
    graph.bind("owl", OWL)
    _header(graph, version, sources, upstream_table)
    provenance = source_values(upstream_table, sources)
    for record in sorted(resolved.records.values(), key=lambda r: r.iri):
        _render_class(graph, record, provenance)
    for prop, (label, transitive) in sorted(resolved.properties.items()):
        graph.add((URIRef(prop), RDF.type, OWL.ObjectProperty))
        if transitive:
            graph.add((URIRef(prop), RDF.type, OWL.TransitiveProperty))
        if label:
            graph.add((URIRef(prop), RDFS.label, Literal(label)))
    return graph


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def _curie_list(iris: Iterable[str]) -> str:
    return " ".join(sorted(compress(i) or i for i in iris)) or "(none)"


def report(
    resolved: Resolved, upstream_table: Mapping[str, UpstreamFile], sources: Mapping[str, str]
) -> str:
    """The module's report: where each class came from and what no source states."""
    by_source: dict[str, list[str]] = {}
    for iri, record in resolved.records.items():
        by_source.setdefault(record.source, []).append(iri)
    roots = {iri for iri, r in resolved.records.items() if not r.states_relation}
    lines = [
        "# Import module report",
        "",
        "Generated by `python tools/build_imports.py` with `exop-imports.ttl`; do not edit.",
        "",
        f"Classes declared: {len(resolved.records)}; object properties: "
        f"{len(resolved.properties)}; is_a edges: "
        f"{sum(len(r.parents) for r in resolved.records.values())}; existential restrictions: "
        f"{sum(len(r.relations) for r in resolved.records.values())}; EquivalentTo "
        f"definitions: {sum(len(r.definitions) for r in resolved.records.values())}.",
        "",
        "## Classes by source",
        "",
        "| source | where | classes |",
        "| --- | --- | --- |",
    ]
    for source in sorted(by_source):
        row = upstream_table.get(source)
        where = row.description if row else sources.get(source, source)
        lines.append(f"| `{source}` | {where} | {len(by_source[source])} |")
    lines += [
        "",
        "## Classes for which no source states a parent or relation",
        "",
        "Declared with their label only. Roots of their ontologies (GO's three aspects, "
        "CL cell, NCBITaxon root, BFO and other upper classes) are here by nature; registry "
        "records (HGNC, miRBase, DrugBank, MeSH, Cellosaurus) have no class hierarchy; "
        "classes named only as fillers of imported axioms come from ontologies the module "
        "does not import (their own axioms are not read).",
        "",
    ]
    for source in sorted(by_source):
        stated_none = [i for i in by_source[source] if i in roots]
        if stated_none:
            lines.append(f"- `{source}` ({len(stated_none)}): {_curie_list(stated_none)}")
    lines += ["", "## Object properties", ""]
    for prop, (label, transitive) in sorted(resolved.properties.items()):
        lines.append(
            f"- `{compress(prop) or prop}` {label or '(no label in the files)'}"
            + (" (transitive)" if transitive else "")
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------


AUTO_PREFIXES = frozenset({*UPSTREAM_PREFIXES, *CXG_FILES, *REGISTRY_PREFIXES})


def needed_terms(tsv_labels: Mapping[str, str]) -> set[str]:
    """Terms the package uses, plus the terms.tsv rows of prefixes read automatically."""
    listed = {c for c in tsv_labels if c.partition(":")[0] in AUTO_PREFIXES}
    return terms_in_use(package_graph()) | listed


@dataclass(frozen=True)
class Built:
    graph: Graph
    report: str
    resolved: Resolved


def build(
    ontologies: Path,
    go_sqlite: Path | None,
    terms_tsv: Path = DEFAULT_TERMS_TSV,
    snapshot_path: Path = SNAPSHOT_PATH,
) -> Built:
    """The import module and its report as they should be for the current package files."""
    snapshot = Snapshot.from_json(snapshot_path.read_text(encoding="utf-8"))
    tsv_labels = terms_from_tsv(terms_tsv) if terms_tsv.exists() else {}
    table = read_upstream_table()
    sources = load_upstream(ontologies, go_sqlite, table)
    resolved = resolve(needed_terms(tsv_labels), sources, snapshot, read_curated(), tsv_labels)
    described = {**read_sources_table(), **snapshot.sources}
    graph = render(resolved, described, table, package_version())
    return Built(graph, report(resolved, table, described), resolved)


def _shape(graph: Graph, node: Any) -> Any:
    """A blank node as the nested, hashable structure it stands for (lists in order)."""
    if not isinstance(node, BNode):
        return node
    if (node, RDF.first, None) in graph:
        items = []
        while isinstance(node, BNode) and node != RDF.nil:
            items.append(_shape(graph, graph.value(node, RDF.first)))
            node = graph.value(node, RDF.rest)
        return ("list", tuple(items))
    return frozenset((p, _shape(graph, o)) for p, o in graph.predicate_objects(node))


def signature(graph: Graph) -> set[tuple[Any, Any, Any]]:
    """The graph's statements about IRIs, blank-node objects replaced by their structure:
    equal for graphs that differ only in blank-node names (these modules' blank nodes form
    trees), and much faster than canonicalising them."""
    return {(s, p, _shape(graph, o)) for s, p, o in graph if not isinstance(s, BNode)}


def serialize(graph: Graph) -> str:
    from exop.canonical import canonical_turtle

    return canonical_turtle(graph)


def default_ontologies() -> Path:
    return Path(os.environ.get(ONTOLOGIES_ENV) or DEFAULT_ONTOLOGIES)


def default_go_sqlite() -> Path:
    return Path(os.environ.get(GO_SQLITE_ENV) or DEFAULT_GO_SQLITE)


def _cxg_data_dir() -> Path:
    try:
        import cellxgene_ontology_guide  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - build-time only
        raise BuildError("--refresh needs cellxgene-ontology-guide and zstandard") from exc
    return Path(cellxgene_ontology_guide.__file__).parent / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms-tsv", type=Path, default=DEFAULT_TERMS_TSV)
    parser.add_argument(
        "--ontologies",
        type=Path,
        default=None,
        help=f"upstream ontology files (env {ONTOLOGIES_ENV})",
    )
    parser.add_argument(
        "--go-sqlite", type=Path, default=None, help=f"GO.db's GO.sqlite (env {GO_SQLITE_ENV})"
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="re-read CHEBI/MONDO/EFO/Cellosaurus from cellxgene-ontology-guide",
    )
    parser.add_argument("--cxg-data", type=Path, help="cellxgene_ontology_guide/data directory")
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is out of date")
    args = parser.parse_args(argv)
    ontologies = args.ontologies or default_ontologies()
    go_sqlite = args.go_sqlite or default_go_sqlite()
    try:
        if args.refresh:
            tsv_labels = terms_from_tsv(args.terms_tsv)
            needed = {c for c in needed_terms(tsv_labels) if c.partition(":")[0] in CXG_FILES}
            snapshot = refresh(needed, args.cxg_data or _cxg_data_dir())
            atomic_write(SNAPSHOT_PATH, snapshot.to_json().encode("utf-8"))
        built = build(ontologies, go_sqlite, args.terms_tsv)
        text = serialize(built.graph)
    except BuildError as exc:
        sys.stderr.write(f"build_imports: {exc}\n")
        return 2
    if args.check:
        current = MODULE_PATH.read_text(encoding="utf-8") if MODULE_PATH.exists() else ""
        report_now = REPORT_PATH.read_text(encoding="utf-8") if REPORT_PATH.exists() else ""
        return 0 if current == text and report_now == built.report else 1
    atomic_write(MODULE_PATH, text.encode("utf-8"))
    atomic_write(REPORT_PATH, built.report.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
