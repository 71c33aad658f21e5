"""EXOP: MSC-derived exosomes for osteoporosis treatment, as a semantic data package.

The public API, for scripts and notebooks::

    import exop
    exop.load_package()            # ontology and data as rdflib graphs
    exop.run_packaged_query("table-1")
    exop.validate()                # SHACL report
    exop.reason()                  # HermiT consistency check

The names below are imported on first use (PEP 562), so ``import exop`` and the ``exop``
command load only what a task needs: pySHACL and owlready2 are imported by
the functions that use them, and the version is read from the distribution when asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exop.catalog import PackagedQuery, Parameter, get_query, list_queries
    from exop.engines import Engine, EngineOptions, QueryResult, make_engine, run_query
    from exop.errors import ExopError
    from exop.exporters import export
    from exop.graph import PackageGraph, load_package, load_store
    from exop.package import Package, default_package
    from exop.reasoning import ReasoningResult, reason
    from exop.run import run_packaged_query
    from exop.validation import ValidationReport, validate

    __version__: str

_EXPORTS: dict[str, str] = {
    "Engine": "exop.engines",
    "EngineOptions": "exop.engines",
    "ExopError": "exop.errors",
    "Package": "exop.package",
    "PackageGraph": "exop.graph",
    "PackagedQuery": "exop.catalog",
    "Parameter": "exop.catalog",
    "QueryResult": "exop.engines",
    "ReasoningResult": "exop.reasoning",
    "ValidationReport": "exop.validation",
    "default_package": "exop.package",
    "export": "exop.exporters",
    "make_engine": "exop.engines",
    "get_query": "exop.catalog",
    "list_queries": "exop.catalog",
    "load_package": "exop.graph",
    "load_store": "exop.graph",
    "reason": "exop.reasoning",
    "run_packaged_query": "exop.run",
    "run_query": "exop.engines",
    "validate": "exop.validation",
}

__all__ = [
    "Engine",
    "EngineOptions",
    "ExopError",
    "Package",
    "PackageGraph",
    "PackagedQuery",
    "Parameter",
    "QueryResult",
    "ReasoningResult",
    "ValidationReport",
    "__version__",
    "default_package",
    "export",
    "get_query",
    "list_queries",
    "load_package",
    "load_store",
    "make_engine",
    "reason",
    "run_packaged_query",
    "run_query",
    "validate",
]


def _distribution_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exop")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _distribution_version()
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'exop' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
