"""EXOP: MSC-derived exosomes for osteoporosis treatment, as a semantic data package.

The public API, for scripts and notebooks::

    import exop
    exop.load_package()            # ontology and data as rdflib graphs
    exop.run_packaged_query("table-1")
    exop.validate()                # SHACL report
    exop.reason()                  # HermiT consistency check
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from exop.catalog import PackagedQuery, Parameter, get_query, list_queries
from exop.engines import QueryResult, run_query
from exop.errors import ExopError
from exop.export import export
from exop.graph import PackageGraph, load_package, load_store
from exop.reasoning import ReasoningResult, reason
from exop.run import run_packaged_query
from exop.validation import ValidationReport, validate

try:
    __version__ = version("exop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "ExopError",
    "PackageGraph",
    "PackagedQuery",
    "Parameter",
    "QueryResult",
    "ReasoningResult",
    "ValidationReport",
    "__version__",
    "export",
    "get_query",
    "list_queries",
    "load_package",
    "load_store",
    "reason",
    "run_packaged_query",
    "run_query",
    "validate",
]
