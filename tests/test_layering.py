"""The library's layers: faces on top, resources and namespaces at the bottom.

Every module of ``exop`` sits in one layer and imports (at module level or inside a
function) only modules of its own layer or below. The command line and the server are
faces: nothing in the library imports them. A new module must be placed in ``LAYERS``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "exop"

LAYERS: dict[str, int] = {
    # 0: what everything may use: errors, the prefix map, where the files are
    "exop.errors": 0,
    "exop.namespaces": 0,
    "exop.resources": 0,
    # 1: formats, terms, writing files, HTTP
    "exop.formats": 1,
    "exop.terms": 1,
    "exop.output": 1,
    "exop.http": 1,
    "exop.rdfout": 3,
    # 2: query text
    "exop.sparqltext": 2,
    # 3: reading the package's files
    "exop.graph": 3,
    "exop.catalog": 3,
    "exop.canonical": 3,
    "exop.coverage": 3,
    # 4: the package object, engines, binding, validation, reasoning, loading stores
    "exop.package": 4,
    "exop.engines": 4,
    "exop.binding": 4,
    "exop.validation": 4,
    "exop.reasoning": 4,
    "exop.endpoint": 4,
    # 5: what is built from results: documents, renderings, exports, the site
    "exop.results": 5,
    "exop.documents": 5,
    "exop.info": 5,
    "exop.run": 5,
    "exop.exporters": 5,
    "exop.release": 5,
    "exop.artefacts": 4,
    "exop.obo": 3,
    "exop.site": 5,
    "exop.search": 5,
    "exop.answers": 5,
    "exop.negotiation": 5,
    "exop.openapi": 5,
    "exop": 5,
    # 6: the faces
    "exop.cli": 6,
    "exop.serve": 6,
    "exop.__main__": 6,
}
FACES = 6


def _module_name(path: Path) -> str:
    parts = ["exop", *path.relative_to(SRC).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int | None:
    """The layer of *module*: its own entry, else that of its closest package."""
    parts = module.split(".")
    while parts:
        name = ".".join(parts)
        if name in LAYERS and (name != "exop" or module == "exop"):
            return LAYERS[name]
        parts.pop()
    return None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("exop")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "exop":
                found += [(node.lineno, f"exop.{a.name}") for a in node.names]
            elif node.module.startswith("exop."):
                found.append((node.lineno, node.module))
    return found


MODULES = sorted(SRC.rglob("*.py"))


def test_modules_found() -> None:
    assert len(MODULES) > 15


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_module_imports_only_its_layer_or_below(path: Path) -> None:
    name = _module_name(path)
    own = layer(name)
    assert own is not None, f"{name} is in no layer: add it to LAYERS in {__file__}"
    wrong = []
    for line, target in _imports(path):
        theirs = layer(target)
        if target.startswith("exop.") and theirs is None:
            theirs = layer(target.rsplit(".", 1)[0])  # `from exop.pkg import name`
        if theirs is not None and theirs > own:
            wrong.append(f"line {line}: imports {target} (layer {theirs} > {own})")
    assert not wrong, f"{name} (layer {own}) imports upwards: " + "; ".join(wrong)


def test_library_never_imports_a_face() -> None:
    offenders = [
        f"{_module_name(p)} -> {t}"
        for p in MODULES
        if (layer(_module_name(p)) or 0) < FACES
        for _, t in _imports(p)
        if (layer(t) or 0) >= FACES
    ]
    assert not offenders


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("exop.engines", ("exop.catalog", "exop.binding", "yaml", "click", "rich")),
        ("exop.engines.oxigraph", ("exop.catalog", "yaml", "pyshacl", "owlready2")),
        ("exop.formats", ("rdflib", "pyoxigraph", "exop.graph")),
        ("exop.documents", ("click", "rich", "yaml")),
        ("exop.openapi", ("starlette", "uvicorn", "click")),
        ("exop.negotiation", ("starlette", "uvicorn", "click")),
    ],
)
def test_loading_a_layer_does_not_load_what_it_does_not_use(
    module: str, absent: tuple[str, ...]
) -> None:
    probe = (
        f"import sys, {module}\n"
        f"print(' '.join(m for m in {absent!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"importing {module} loaded: {out.stdout.strip()}"
