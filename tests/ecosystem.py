"""The ecosystem's own tools, loaded for offline use: KGX and bmt on the packaged Biolink model.

KGX builds a ``bmt.Toolkit()`` when it is imported, and bmt's default schema and predicate
map are URLs on GitHub; KGX also downloads a JSON-LD context for its prefix manager. Here
the Toolkit defaults point at the ``biolink_model.yaml`` that the biolink-model package
ships, and KGX's context cache is filled from that package's prefix map, before KGX is
imported, so nothing is fetched. :func:`no_network` makes any attempt fail loudly.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.resources
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def require(module: str) -> ModuleType:
    """Import a test tool; skip locally where it is missing, fail under CI=true."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        if IN_CI:
            pytest.fail(f"{module} is missing (CI=true: the test extra must install it): {error}",
                        pytrace=False)
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Refuse every connection that leaves the machine while the block runs."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in _LOOPBACK:
            raise OSError(f"test attempted a network connection to {address!r}")
        original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]


def biolink_schema() -> Path:
    """The Biolink model YAML shipped in the biolink-model package."""
    require("biolink_model")
    return Path(str(importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml"))


def biolink_version() -> str:
    """The version of the packaged Biolink model, as its YAML states it."""
    import yaml

    with biolink_schema().open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("version:"):
                return str(yaml.safe_load(line)["version"])
    raise AssertionError("biolink_model.yaml states no version")


def offline_kgx(extra_prefixes: dict[str, str] | None = None) -> ModuleType:
    """KGX's validator module, bound to the packaged Biolink model (nothing downloaded).

    *extra_prefixes* are added to the Biolink prefix map KGX validates CURIEs against: KGX
    has no other way to learn the prefixes a graph declares for itself.
    """
    toolkit_module = require("bmt.toolkit")
    schema = str(biolink_schema())
    # The Toolkit's defaults are bound at definition: point them at local resources.
    toolkit_module.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    prefix_map = json.loads(
        (importlib.resources.files("biolink_model") / "prefixmaps"
         / "biolink-model-prefix-map.json").read_text(encoding="utf-8")
    )
    with no_network():
        config = require("kgx.config")
        config.jsonld_context_map["biolink"] = {**prefix_map, **(extra_prefixes or {})}
        return require("kgx.validator")
