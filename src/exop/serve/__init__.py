"""``exop serve``: EXOP IRIs, SPARQL and the packaged queries over HTTP (a face).

Needs the ``serve`` extra (Starlette, uvicorn): ``pip install 'exop[serve]'``.
"""

from __future__ import annotations

from exop.serve.app import ServeOptions, create_app

__all__ = ["ServeOptions", "create_app"]
