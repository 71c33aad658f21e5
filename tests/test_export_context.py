"""The JSON-LD context: curies reads it as EXOP's prefix map; Bioregistry knows every external
prefix in it; the id patterns the package checks agree with Bioregistry's."""

from __future__ import annotations

import csv
import io
import json

from exop.exporters import SINGLE, get_exporter
from exop.namespaces import PREFIXES
from exop.package import default_package
from exop.resources import IMPORTS_DIR

from ecosystem import no_network, require

OWN = {"exop", "exopd", "exopsh"}


def _context() -> dict[str, str]:
    document = json.loads(get_exporter("context").render(default_package())[SINGLE])
    context: dict[str, str] = document["@context"]
    return context


def test_curies_reads_the_context_as_the_prefix_map() -> None:
    import curies

    converter = curies.Converter.from_jsonld(
        json.loads(get_exporter("context").render(default_package())[SINGLE]))
    assert converter.prefix_map == dict(PREFIXES)
    assert converter.compress("https://w3id.org/exop/data/cell-osteoblast") == (
        "exopd:cell-osteoblast")


def test_bioregistry_knows_every_external_prefix() -> None:
    bioregistry = require("bioregistry")
    with no_network():
        unknown = {p for p in _context() if p not in OWN and bioregistry.normalize_prefix(p)
                   is None}
    assert unknown == set()
    assert {p for p in OWN if bioregistry.normalize_prefix(p) is not None} == set()


def _patterns() -> dict[str, str]:
    text = (IMPORTS_DIR / "id-patterns.tsv").read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return {row["prefix"]: row["pattern"] for row in csv.DictReader(io.StringIO(body),
                                                                    delimiter="\t")}


def test_every_id_pattern_example_matches_bioregistry() -> None:
    # Each example local id (banana included, as EXOP's IRIs keep it) must be one Bioregistry
    # accepts; the patterns themselves are compared in tools/rewrite_prefixes.py's check.
    bioregistry = require("bioregistry")
    text = (IMPORTS_DIR / "id-patterns.tsv").read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body), delimiter="\t"))
    assert rows
    for row in rows:
        prefix = bioregistry.normalize_prefix(row["prefix"])
        assert prefix is not None, row["prefix"]
        assert bioregistry.normalize_curie(f"{row['prefix']}:{row['example']}") is not None, row
