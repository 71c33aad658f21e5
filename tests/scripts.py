"""Load the project's build-time scripts (tools/, benchmarks/) as modules in tests.

They live outside the installed package, so tests load them from their files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_script(relative_path: str, name: str) -> ModuleType:
    """The module in ``ROOT / relative_path``, registered as *name* in sys.modules
    (dataclasses look their module up there while decorating)."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
