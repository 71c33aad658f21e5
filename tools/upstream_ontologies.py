"""Read class axioms from official ontology files (OBO 1.4, RDF/XML, OWL functional syntax).

Build-time only (``tools/build_imports.py``). Each reader turns one file into the same
record per class: label, deprecation, named superclasses (is_a), existential restrictions
(``SubClassOf(C ObjectSomeValuesFrom(R D))``, OBO ``relationship:``) and EquivalentTo
intersections (genus classes and restrictions). Axioms of any other shape (universal
restrictions, unions, cardinalities, disjointness) are counted and left out, since the
import module carries the hierarchy and its typed relations, not the whole ontology.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

OBO = "http://purl.obolibrary.org/obo/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = f"{RDF_NS}type"
RDF_FIRST = f"{RDF_NS}first"
RDF_REST = f"{RDF_NS}rest"
RDF_NIL = f"{RDF_NS}nil"
RDFS_LABEL = f"{RDFS_NS}label"
RDFS_SUBCLASS = f"{RDFS_NS}subClassOf"
OWL_CLASS = f"{OWL_NS}Class"
OWL_OBJECT_PROPERTY = f"{OWL_NS}ObjectProperty"
OWL_TRANSITIVE = f"{OWL_NS}TransitiveProperty"
OWL_DEPRECATED = f"{OWL_NS}deprecated"
OWL_EQUIVALENT = f"{OWL_NS}equivalentClass"
OWL_INTERSECTION = f"{OWL_NS}intersectionOf"
OWL_ON_PROPERTY = f"{OWL_NS}onProperty"
OWL_SOME = f"{OWL_NS}someValuesFrom"
# Uberon's own relations that have no RO identifier are written in its core namespace.
UBERON_CORE = f"{OBO}uberon/core#"

Restriction = tuple[str, str]
"""(object property IRI, filler class IRI) of an existential restriction."""


@dataclass(frozen=True, order=True)
class Definition:
    """An EquivalentTo intersection: named genus classes and existential restrictions."""

    classes: tuple[str, ...]
    restrictions: tuple[Restriction, ...]


@dataclass
class ClassAxioms:
    """What one file states about one class."""

    label: str | None = None
    deprecated: bool = False
    parents: set[str] = field(default_factory=set)
    relations: set[Restriction] = field(default_factory=set)
    definitions: set[Definition] = field(default_factory=set)
    skipped: int = 0  # axioms of another shape, not carried

    @property
    def has_logical_axiom(self) -> bool:
        return bool(self.parents or self.relations or self.definitions)


@dataclass
class OntologyFile:
    """The classes and object properties one file states."""

    name: str
    classes: dict[str, ClassAxioms] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # of any IRI, properties too
    transitive: set[str] = field(default_factory=set)
    deprecated: set[str] = field(default_factory=set)

    def axioms(self, iri: str) -> ClassAxioms:
        return self.classes.setdefault(iri, ClassAxioms())


# ---------------------------------------------------------------------------------------
# OBO 1.4
# ---------------------------------------------------------------------------------------

_QUALIFIERS = re.compile(r"\s*\{[^}]*\}\s*$")
_CARDINALITY = re.compile(r"\{[^}]*(cardinality|all_only|all_some)", re.IGNORECASE)


def obo_iri(identifier: str) -> str:
    """The OBO PURL of a prefixed OBO identifier (``UBERON:0002481`` -> ``.../UBERON_0002481``)."""
    prefix, _, local = identifier.partition(":")
    return f"{OBO}{prefix}_{local}"


def _strip(value: str) -> str:
    """A tag value without its trailing ``! comment`` and ``{qualifiers}``."""
    value = value.split(" ! ", 1)[0].strip()
    return _QUALIFIERS.sub("", value).strip()


def _obo_stanzas(text: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    kind = ""
    tags: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            if kind:
                yield kind, tags
            kind, tags = line[1:-1], []
        elif kind and ":" in line and not line.startswith("!"):
            tag, _, value = line.partition(":")
            tags.append((tag.strip(), value.strip()))
    if kind:
        yield kind, tags


def _obo_relation(name: str, typedef_xrefs: Mapping[str, str]) -> str:
    if ":" in name:
        return obo_iri(name)
    if name in typedef_xrefs:
        return obo_iri(typedef_xrefs[name])
    return f"{UBERON_CORE}{name}"


def _typedefs(
    stanzas: list[tuple[str, list[tuple[str, str]]]], into: OntologyFile
) -> dict[str, str]:
    """Typedef id -> its RO/BFO cross-reference; names and transitivity into *into*."""
    xrefs: dict[str, str] = {}
    for kind, tags in stanzas:
        if kind != "Typedef":
            continue
        values = dict(tags)
        ident = values.get("id", "")
        for tag, value in tags:
            if tag == "xref" and _strip(value).startswith(("RO:", "BFO:")):
                xrefs[ident] = _strip(value)
        iri = _obo_relation(ident, xrefs)
        if "name" in values:
            into.labels[iri] = values["name"]
        if values.get("is_transitive") == "true":
            into.transitive.add(iri)
    return xrefs


def _obo_relationship(
    tag: str,
    value: str,
    xrefs: Mapping[str, str],
    record: ClassAxioms,
    genus: list[str],
    differentia: list[Restriction],
) -> None:
    """A ``relationship:`` or ``intersection_of:`` line; cardinalities are not carried."""
    parts = _strip(value).split()
    if _CARDINALITY.search(value) or len(parts) not in (1, 2):
        record.skipped += 1
    elif len(parts) == 1:
        if tag == "intersection_of":
            genus.append(obo_iri(parts[0]))
        else:
            record.skipped += 1
    elif tag == "relationship":
        record.relations.add((_obo_relation(parts[0], xrefs), obo_iri(parts[1])))
    else:
        differentia.append((_obo_relation(parts[0], xrefs), obo_iri(parts[1])))


def _obo_term(tags: list[tuple[str, str]], xrefs: Mapping[str, str], record: ClassAxioms) -> None:
    genus: list[str] = []
    differentia: list[Restriction] = []
    for tag, value in tags:
        if tag == "name":
            record.label = value
        elif tag == "is_obsolete" and value == "true":
            record.deprecated = True
        elif tag == "is_a":
            record.parents.add(obo_iri(_strip(value)))
        elif tag in ("relationship", "intersection_of"):
            _obo_relationship(tag, value, xrefs, record, genus, differentia)
    if genus or differentia:
        record.definitions.add(Definition(tuple(sorted(genus)), tuple(sorted(differentia))))


def read_obo(path: Path, name: str) -> OntologyFile:
    out = OntologyFile(name)
    stanzas = list(_obo_stanzas(path.read_text(encoding="utf-8")))
    xrefs = _typedefs(stanzas, out)
    for kind, tags in stanzas:
        if kind != "Term":
            continue
        ident = dict(tags).get("id", "")
        if ":" in ident:
            record = out.axioms(obo_iri(ident))
            _obo_term(tags, xrefs, record)
            if record.label is not None:
                out.labels[obo_iri(ident)] = record.label
    return out


# ---------------------------------------------------------------------------------------
# RDF/XML (through pyoxigraph's parser)
# ---------------------------------------------------------------------------------------


class _Triples:
    def __init__(self, path: Path) -> None:
        import pyoxigraph

        self.out: dict[str, dict[str, list[str]]] = {}
        self.blank: set[str] = set()
        with path.open("rb") as handle:
            for triple in pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.RDF_XML):
                subject = self._key(triple.subject)
                obj = self._key(triple.object)
                self.out.setdefault(subject, {}).setdefault(triple.predicate.value, []).append(obj)

    def _key(self, term: object) -> str:
        import pyoxigraph

        if isinstance(term, pyoxigraph.BlankNode):
            key = f"_:{term.value}"
            self.blank.add(key)
            return key
        if isinstance(term, pyoxigraph.Literal):
            return f'"{term.value}'
        return str(getattr(term, "value", term))

    def values(self, subject: str, predicate: str) -> list[str]:
        return self.out.get(subject, {}).get(predicate, [])

    def one(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def items(self, head: str) -> list[str]:
        found: list[str] = []
        while head and head != RDF_NIL:
            first = self.one(head, RDF_FIRST)
            if first is not None:
                found.append(first)
            head = self.one(head, RDF_REST) or ""
        return found


def _rdf_restriction(triples: _Triples, node: str) -> Restriction | None:
    prop = triples.one(node, OWL_ON_PROPERTY)
    filler = triples.one(node, OWL_SOME)
    if prop is None or filler is None or filler in triples.blank or prop in triples.blank:
        return None
    return (prop, filler)


def _rdf_definition(triples: _Triples, node: str) -> Definition | None:
    members = triples.items(triples.one(node, OWL_INTERSECTION) or "")
    if not members:
        return None
    classes: list[str] = []
    restrictions: list[Restriction] = []
    for member in members:
        if member not in triples.blank:
            classes.append(member)
            continue
        restriction = _rdf_restriction(triples, member)
        if restriction is None:
            return None
        restrictions.append(restriction)
    return Definition(tuple(sorted(classes)), tuple(sorted(restrictions)))


def _rdf_class(triples: _Triples, iri: str, record: ClassAxioms) -> None:
    for label in triples.values(iri, RDFS_LABEL)[:1]:
        record.label = label[1:]
    if any(v[1:] == "true" for v in triples.values(iri, OWL_DEPRECATED)):
        record.deprecated = True
    for parent in triples.values(iri, RDFS_SUBCLASS):
        if parent not in triples.blank:
            record.parents.add(parent)
        elif (restriction := _rdf_restriction(triples, parent)) is not None:
            record.relations.add(restriction)
        else:
            record.skipped += 1
    for node in triples.values(iri, OWL_EQUIVALENT):
        definition = _rdf_definition(triples, node) if node in triples.blank else None
        if definition is None:
            record.skipped += 1
        else:
            record.definitions.add(definition)


def read_rdfxml(path: Path, name: str) -> OntologyFile:
    out = OntologyFile(name)
    triples = _Triples(path)
    for subject, predicates in triples.out.items():
        if subject in triples.blank:
            continue
        types = predicates.get(RDF_TYPE, [])
        for label in predicates.get(RDFS_LABEL, [])[:1]:
            out.labels[subject] = label[1:]
        if OWL_CLASS in types:
            _rdf_class(triples, subject, out.axioms(subject))
        if OWL_OBJECT_PROPERTY in types and OWL_TRANSITIVE in types:
            out.transitive.add(subject)
    return out


# ---------------------------------------------------------------------------------------
# OWL 2 functional syntax (one axiom a line, as the OWL API writes it)
# ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<string>"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^\S+?(?=[\s)]))?)'
    r"|(?P<iri><[^>]*>)|(?P<name>[^\s()\"]+))"
)
_PREFIX = re.compile(r"^Prefix\((?P<prefix>[\w.-]*):=<(?P<iri>[^>]*)>\)")

SExpr = str | list["SExpr"]


def _tokens(line: str) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(line):
        match = _TOKEN.match(line, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind is not None:
            yield kind, match.group(kind)


def _sexpr(line: str, prefixes: Mapping[str, str]) -> list[SExpr]:
    """Nested lists: ``Name(a b)`` becomes ``["Name", a, b]``; IRIs expanded."""
    stack: list[list[SExpr]] = [[]]
    previous = ""
    for kind, text in _tokens(line):
        if kind == "open":
            head = stack[-1].pop() if previous == "keyword" else ""
            stack.append([head])
        elif kind == "close" and len(stack) > 1:
            done = stack.pop()
            stack[-1].append(done)
        elif kind == "iri":
            stack[-1].append(text[1:-1])
        elif kind == "string":
            stack[-1].append(text)
        elif kind == "name":
            prefix, sep, local = text.partition(":")
            if sep and prefix in prefixes:
                stack[-1].append(prefixes[prefix] + local)
            else:
                stack[-1].append(text)
                previous = "keyword"
                continue
        previous = kind
    return stack[0]


def _fs_restriction(expr: SExpr) -> Restriction | None:
    if (
        isinstance(expr, list)
        and len(expr) == 3
        and expr[0] == "ObjectSomeValuesFrom"
        and isinstance(expr[1], str)
        and isinstance(expr[2], str)
    ):
        return (expr[1], expr[2])
    return None


def _fs_definition(expr: SExpr) -> Definition | None:
    if isinstance(expr, str):
        return None
    if not expr or expr[0] != "ObjectIntersectionOf":
        return None
    classes: list[str] = []
    restrictions: list[Restriction] = []
    for member in expr[1:]:
        if isinstance(member, str):
            classes.append(member)
        elif (restriction := _fs_restriction(member)) is not None:
            restrictions.append(restriction)
        else:
            return None
    return Definition(tuple(sorted(classes)), tuple(sorted(restrictions)))


def _fs_axiom(out: OntologyFile, axiom: list[SExpr]) -> None:
    head = axiom[0]
    args = [a for a in axiom[1:] if not (isinstance(a, list) and a and a[0] == "Annotation")]
    if head == "SubClassOf" and len(args) == 2 and isinstance(args[0], str):
        record = out.axioms(args[0])
        if isinstance(args[1], str):
            record.parents.add(args[1])
        elif (restriction := _fs_restriction(args[1])) is not None:
            record.relations.add(restriction)
        else:
            record.skipped += 1
    elif head == "EquivalentClasses" and len(args) == 2 and isinstance(args[0], str):
        record = out.axioms(args[0])
        definition = _fs_definition(args[1])
        if definition is None:
            record.skipped += 1
        else:
            record.definitions.add(definition)
    elif head == "AnnotationAssertion" and len(args) == 3 and isinstance(args[1], str):
        _fs_annotation(out, args[0], args[1], args[2])
    elif head == "Declaration" and isinstance(args[0], list) and len(args[0]) == 2:
        kind, iri = args[0]
        if kind == "Class" and isinstance(iri, str):
            out.axioms(iri)
    elif head == "TransitiveObjectProperty" and isinstance(args[0], str):
        out.transitive.add(args[0])


def _fs_literal(value: SExpr) -> str | None:
    if not isinstance(value, str) or not value.startswith('"'):
        return None
    body = value[1 : value.rfind('"')]
    return body.replace('\\"', '"').replace("\\\\", "\\")


def _fs_annotation(out: OntologyFile, prop: SExpr, subject: str, value: SExpr) -> None:
    literal = _fs_literal(value)
    if literal is None:
        return
    if prop == RDFS_LABEL:
        out.labels.setdefault(subject, literal)
    elif prop == OWL_DEPRECATED and literal == "true":
        out.deprecated.add(subject)


_FS_HEADS = (
    "SubClassOf(",
    "EquivalentClasses(",
    "AnnotationAssertion(",
    "Declaration(",
    "TransitiveObjectProperty(",
)


def read_functional(path: Path, name: str) -> OntologyFile:
    out = OntologyFile(name)
    prefixes: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _PREFIX.match(line):
            prefixes[match["prefix"]] = match["iri"]
        elif line.startswith(_FS_HEADS):
            parsed = _sexpr(line, prefixes)
            if parsed and isinstance(parsed[0], list) and len(parsed[0]) > 1:
                _fs_axiom(out, parsed[0])
    for iri, record in out.classes.items():
        record.label = out.labels.get(iri)
        record.deprecated = iri in out.deprecated
    return out


# ---------------------------------------------------------------------------------------
# GO.sqlite (Bioconductor GO.db, as Debian's r-bioc-go.db ships it)
# ---------------------------------------------------------------------------------------

GO_PARENT_TABLES = ("go_bp_parents", "go_mf_parents", "go_cc_parents")


def read_go_sqlite(path: Path, name: str, relation_iris: Mapping[str, str]) -> OntologyFile:
    """GO terms with their is_a parents and typed relations (``relationship_type``).

    GO.db writes ``isa`` for is_a and the relation's label otherwise (``part of``,
    ``regulates``, ...); *relation_iris* maps those labels to RO/BFO IRIs, and a relation
    type it does not name is counted as skipped.
    """
    out = OntologyFile(name)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        ids = dict(con.execute("SELECT _id, go_id FROM go_term"))
        for go_id, term in con.execute("SELECT go_id, term FROM go_term"):
            out.axioms(obo_iri(go_id)).label = term
            out.labels[obo_iri(go_id)] = term
        for go_id, term in con.execute("SELECT go_id, term FROM go_obsolete"):
            record = out.axioms(obo_iri(go_id))
            record.label, record.deprecated = term, True
        for table in GO_PARENT_TABLES:
            rows = con.execute(f"SELECT _id, _parent_id, relationship_type FROM {table}")  # noqa: S608
            for child, parent, relation in rows:
                record = out.axioms(obo_iri(ids[child]))
                if relation == "isa":
                    record.parents.add(obo_iri(ids[parent]))
                elif relation in relation_iris:
                    record.relations.add((relation_iris[relation], obo_iri(ids[parent])))
                else:
                    record.skipped += 1
    return out


def sniff_format(path: Path) -> str:
    """The format of an ontology file, by its first bytes."""
    with path.open("rb") as handle:
        start = handle.read(200).lstrip()
    if start.startswith((b"<?xml", b"<rdf:RDF")):
        return "RDF/XML"
    if start.startswith((b"Prefix(", b"Ontology(")):
        return "OWL functional syntax"
    return "OBO 1.4" if start.startswith(b"format-version:") else "unknown"


READERS = {"OBO 1.4": read_obo, "RDF/XML": read_rdfxml, "OWL functional syntax": read_functional}
