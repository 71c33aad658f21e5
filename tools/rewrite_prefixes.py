"""Rewrite the legacy identifiers.org IRIs of five prefixes into the form Bioregistry gives.

EXOP wrote HGNC, miRBase (precursor and mature), DrugBank, MeSH and Cellosaurus classes as
``http://identifiers.org/<prefix>/<id>``, a legacy form that Bioregistry's converter reads
but never writes, so those IRIs do not round-trip through it, and ``cellosaurus:CVCL_3708``
is not a Cellosaurus CURIE for Bioregistry (its local id is ``3708``). The decision
(docs/iris.md, "External IRIs"): each prefix's IRI is the one
``bioregistry.get_converter(uri_prefix_priority=["rdf", "default"])`` expands its CURIE to:
the prefix's RDF form where Bioregistry records one (MeSH), its primary URI otherwise.
:data:`NAMESPACES` fixes those namespaces here, so the rewrite needs no Bioregistry, and the
tests check them against Bioregistry.

The rewrite is plain text substitution, so it keeps every file's layout and can be re-run
at any time (after a merge, say): a file that holds no legacy IRI is left as it is.

    python tools/rewrite_prefixes.py            # rewrite the files in place
    python tools/rewrite_prefixes.py --check    # exit 1 if a file still has a legacy IRI
    python tools/rewrite_prefixes.py FILE...    # only these files
    python tools/rewrite_prefixes.py --patterns # also id-patterns.tsv from Bioregistry
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

ROOT = Path(__file__).resolve().parent.parent

NAMESPACES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # EXOP prefix: (legacy namespace, Bioregistry namespace)
        "HGNC": ("http://identifiers.org/hgnc/",
                 "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/"),
        "mirbase": ("http://identifiers.org/mirbase/",
                    "http://www.mirbase.org/cgi-bin/mirna_entry.pl?acc="),
        "mirbase.mature": ("http://identifiers.org/mirbase.mature/",
                           "http://mirbase.org/cgi-bin/mature.pl?mature_acc="),
        "drugbank": ("http://identifiers.org/drugbank/", "https://go.drugbank.com/drugs/"),
        "MESH": ("http://identifiers.org/mesh/", "http://id.nlm.nih.gov/mesh/"),
        # The banana CVCL_ moves into the namespace: the CURIE's local id is the 4 characters.
        "cellosaurus": ("http://identifiers.org/cellosaurus/", "https://www.cellosaurus.org/CVCL_"),
    }
)

BIOREGISTRY_PREFIX = {"HGNC": "hgnc", "mirbase": "mirbase", "mirbase.mature": "mirbase.mature",
                      "drugbank": "drugbank", "MESH": "mesh", "cellosaurus": "cellosaurus"}

# The two SHACL patterns that spell the legacy namespaces as regular expressions: which
# namespaces are known, and the identifier pattern within each.
_LEGACY_NAMESPACES_REGEX = (
    r"http://identifiers[.]org/(hgnc|mirbase|mirbase[.]mature|drugbank|mesh|cellosaurus)/"
)
_LEGACY_REGEX = (
    r"http://identifiers[.]org/(hgnc/[0-9]{1,6}|mirbase/MI[0-9]{7}|mirbase[.]mature/"
    r"MIMAT[0-9]{7}|drugbank/DB[0-9]{5}|mesh/[CD][0-9]{6,9}|cellosaurus/CVCL_[A-Z0-9]{4})"
)
# Both miRBase namespaces at once: under identifiers.org they shared a prefix, under
# Bioregistry they do not, so each such test becomes an alternation.
_LEGACY_MIRBASE_REGEX = r"http://identifiers[.]org/mirbase([.]mature)?/"
_LEGACY_MIRBASE_STRSTARTS = re.compile(
    r'STRSTARTS\((STR\(\?\w+\)), "http://identifiers\.org/mirbase"\)')
_LEGACY_MIRBASE_STRING = '"http://identifiers.org/mirbase"'
_LOCAL_PATTERNS = {"HGNC": "[0-9]{1,5}", "mirbase": "MI[0-9]{7}",
                   "mirbase.mature": "MIMAT[0-9]{7}", "drugbank": "DB[0-9]{5}",
                   "MESH": "[CDQ][0-9]+", "cellosaurus": "[A-Z0-9]{4}"}


def _regex_escape(text: str) -> str:
    # The style of the shapes file: metacharacters in brackets, not backslashes (Turtle
    # strings would need the backslashes doubled).
    return "".join(f"[{c}]" if c in ".?#!" else c for c in text)


def new_regex() -> str:
    """The alternation that replaces :data:`_LEGACY_REGEX` in the shapes."""
    parts = [_regex_escape(NAMESPACES[p][1]) + _LOCAL_PATTERNS[p] for p in NAMESPACES]
    return "(" + "|".join(parts) + ")"


def new_namespaces_regex() -> str:
    """The alternation that replaces :data:`_LEGACY_NAMESPACES_REGEX` in the shapes."""
    return "(" + "|".join(_regex_escape(new) for _, new in NAMESPACES.values()) + ")"


def rewrite_text(text: str) -> str:
    """*text* with every legacy IRI, namespace and Cellosaurus CURIE in the new form."""
    text = text.replace(_LEGACY_REGEX, new_regex())
    text = text.replace(_LEGACY_NAMESPACES_REGEX, new_namespaces_regex())
    precursor, mature = NAMESPACES["mirbase"][1], NAMESPACES["mirbase.mature"][1]
    text = text.replace(_LEGACY_MIRBASE_REGEX,
                        f"({_regex_escape(precursor)}|{_regex_escape(mature)})")
    text = _LEGACY_MIRBASE_STRSTARTS.sub(
        lambda m: f'(STRSTARTS({m[1]}, "{precursor}") || STRSTARTS({m[1]}, "{mature}"))', text)
    text = text.replace(_LEGACY_MIRBASE_STRING, f'"{precursor}", "{mature}"')
    text = text.replace("        # identifiers.org\n",
                        "        # as Bioregistry writes them (docs/iris.md, External IRIs)\n")
    old_cvcl, new_cvcl = NAMESPACES["cellosaurus"]
    text = text.replace(old_cvcl + "CVCL_", new_cvcl)
    text = re.sub(r"(?<![\w.])cellosaurus:CVCL_", "cellosaurus:", text)
    # Longest legacy namespace first: mirbase.mature/ before mirbase/; then the same
    # namespaces as the shapes' regular expressions spell them (dots in brackets).
    for _prefix, (old, new) in sorted(NAMESPACES.items(), key=lambda i: -len(i[1][0])):
        text = text.replace(old, new)
        text = text.replace(old.replace(".", "[.]"), _regex_escape(new))
    return text


def default_files() -> list[Path]:
    """Every committed file that may hold a legacy IRI."""
    patterns = ("data/*.ttl", "ontology/*.ttl", "ontology/imports/*", "shapes/*.ttl",
                "queries/*.rq", "tests/expected/*", "tests/fixtures/*/*.ttl", "tests/*.py",
                "src/exop/*.py")
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})
    # The verified-terms table records each CURIE as its source spelled it (the import build
    # reads its Cellosaurus CURIEs with Bioregistry's local id).
    keep = {"rewrite_prefixes.py", "verified-terms.tsv"}
    return [p for p in files if p.name not in keep]


def rewrite_files(paths: Iterable[Path], *, check: bool = False) -> list[Path]:
    """Rewrite (or, with *check*, only find) the files holding legacy IRIs; return them."""
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = rewrite_text(text)
        if new != text:
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return changed


PATTERNS_PATH = ROOT / "ontology" / "imports" / "id-patterns.tsv"
PATTERNS_HEADER = (
    "# Local-identifier patterns per prefix: Bioregistry's \"pattern\" field, which applies to\n"
    "# the local id of a CURIE (a banana such as CVCL_ is not part of it). Regenerate with\n"
    "#   python tools/rewrite_prefixes.py --patterns\n"
)


def patterns_text(current: str) -> str:
    """id-patterns.tsv with each prefix's pattern as Bioregistry records it (needs bioregistry,
    which ships its registry: nothing is downloaded)."""
    import bioregistry

    rows = [line.split("\t") for line in current.splitlines()
            if line and not line.startswith("#")]
    out = [PATTERNS_HEADER + "\t".join(rows[0])]
    for prefix, _pattern, example in rows[1:]:
        key = bioregistry.normalize_prefix(prefix)
        banana = bioregistry.get_banana(key) if key else None
        if banana and example.startswith(f"{banana}_"):
            example = example[len(banana) + 1:]
        out.append("\t".join((prefix, str(bioregistry.get_pattern(key)), example)))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--patterns", action="store_true",
                        help="also rewrite ontology/imports/id-patterns.tsv from Bioregistry")
    args = parser.parse_args(argv)
    if args.patterns:
        current = PATTERNS_PATH.read_text(encoding="utf-8")
        new = patterns_text(rewrite_text(current))
        if args.check and new != current:
            sys.stderr.write(f"stale {PATTERNS_PATH}\n")
            return 1
        if not args.check:
            PATTERNS_PATH.write_text(new, encoding="utf-8")
    changed = rewrite_files(args.files or default_files(), check=args.check)
    for path in changed:
        sys.stderr.write(f"{'legacy IRIs in' if args.check else 'rewrote'} {path}\n")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
