"""Write docs/w3id/.htaccess, the w3id.org rules, from the package's terms.

    python tools/gen_w3id_rules.py          # rewrite docs/w3id/.htaccess
    python tools/gen_w3id_rules.py --check  # exit 1 if docs/w3id/.htaccess is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import URIRef

from exop.graph import load_ontology
from exop.output import atomic_write
from exop.site import paths
from exop.site.w3id import COMMAND, render_htaccess

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "w3id" / ".htaccess"


def term_names() -> list[str]:
    """Local names of the terms the ontology describes."""
    ontology = load_ontology()
    return sorted({
        str(s)[len(paths.BASE):] for s in ontology.subjects()
        if isinstance(s, URIRef) and paths.family(str(s)) == "term"
    })


def expected_text() -> str:
    return render_htaccess(term_names())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report a stale file")
    options = parser.parse_args(argv)
    text = expected_text()
    if options.check:
        if RULES.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{RULES} is stale; run `{COMMAND}`\n")
            return 1
        return 0
    atomic_write(RULES, text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
