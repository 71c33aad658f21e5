"""Write ontology/catalog-v001.xml, which maps the import of exop.ttl to its file.

OWL API (under ROBOT and Protégé) resolves owl:imports through this catalog, offline;
tests/test_release.py fails while the committed file differs from what this writes.
"""

from __future__ import annotations

import sys

from exop import resources
from exop.output import atomic_write
from exop.release import CATALOG_NAME, repository_catalog


def main() -> int:
    atomic_write(resources.ONTOLOGY_DIR / CATALOG_NAME, repository_catalog().encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
