"""The ASGI application: EXOP IRIs, a read-only SPARQL endpoint and the packaged-query API.

Layout (the server's root stands for ``https://w3id.org/exop/``):

* ``/<iri path>``: 303 to the negotiated document (``Vary: Accept``; 406 lists the
  alternatives; ``?format=NAME`` overrides); 404 for anything that is no minted IRI;
* ``/current/...`` and ``/releases/<version>/...``: the documents themselves, at the paths
  the static site uses (``exop.site.paths.document_for``), rendered by ``exop.site``;
* ``/sparql``: SPARQL 1.1 Protocol, GET and POST, read-only;
* ``/api``, ``/api/<query id>``: the packaged queries; ``/openapi.json`` documents them.

Every error is a JSON body ``{"error": {...}}`` built from the library's structured error
fields; nothing a client sends produces a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exop import formats
from exop.binding import bind
from exop.catalog import PackagedQuery, get_query, list_queries
from exop.documents import catalogue, query_result
from exop.engines import Engine, EngineOptions, QueryResult, make_engine, run_query
from exop.errors import (
    EndpointError,
    ExopError,
    FormatError,
    ParameterError,
    QueryNotFoundError,
)
from exop.negotiation import API_OFFERS, IRI_OFFERS, RESULT_OFFERS, Decision, decide
from exop.openapi import openapi_document
from exop.results import FORMATTERS
from exop.site import paths
from exop.site.build import DEFAULT_ARTEFACTS
from exop.site.catalogue import queries_page
from exop.site.context import SiteContext
from exop.site.pages import renderer_for
from exop.site.slices import serialize
from exop.site.void import dump_size, void_graph
from exop.sparqltext import QueryText

log = logging.getLogger("exop.serve")

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_SPARQL_QUERY = "application/sparql-query"
_SPARQL_UPDATE = "application/sparql-update"
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class ServeOptions:
    """Limits and the data source of one server."""

    endpoint: str | None = None
    """A SPARQL endpoint URL to query instead of the embedded store (pages stay local)."""
    timeout: float = 30.0
    """Seconds a query may run before the answer is 504."""
    row_limit: int = 10_000
    """Most rows (or triples) an answer holds; the rest is cut and the header says so."""
    max_body: int = 1_000_000
    """Most bytes a request body may have (413 above)."""
    allow_service: bool = False
    """Whether queries may use SERVICE (off: the server would fetch any URL it is sent)."""


class HttpError(Exception):
    """An answer other than 200, with the library error's fields when there is one."""

    def __init__(self, status: int, message: str, *, error: ExopError | None = None,
                 extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error = error
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.error is not None:
            fields.update(what=self.error.what, parameter=self.error.parameter,
                          value=_jsonable(self.error.value), allowed=list(self.error.allowed),
                          example=self.error.example)
        fields.update(self.extra)
        return {"error": fields}


def _jsonable(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _error_response(error: HttpError) -> Response:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _status_of(error: ExopError) -> int:
    """The honest status for a library error."""
    if isinstance(error, QueryNotFoundError):
        return 404
    if isinstance(error, EndpointError):
        if error.what == "timeout":
            return 504
        # The endpoint refusing the query (400) is the client's fault, not the upstream's.
        return 400 if error.what == "HTTP status" and error.value == 400 else 502
    return 400


def _not_acceptable(decision: Decision, url: str | None = None) -> HttpError:
    alternatives = decision.alternatives()
    if url is not None:
        for item in alternatives:
            item["url"] = f"{url}?format={item['format']}"
    return HttpError(406, "none of the formats on offer is acceptable (see alternatives; "
                     "?format=NAME chooses one)", extra={"alternatives": alternatives},
                     headers={"Vary": "Accept"})


class Server:
    """The state behind the routes: the engine, the indexed package and the limits."""

    def __init__(self, options: ServeOptions, engine: Engine | None = None,
                 context: SiteContext | None = None) -> None:
        self.options = options
        if engine is None:
            engine_options = EngineOptions(timeout=options.timeout) if options.endpoint else None
            engine = make_engine(options.endpoint or "oxigraph", engine_options)
        self.engine = engine
        self._context = context
        self._lock = anyio.Lock()
        self._documents: dict[str, tuple[bytes, formats.Format]] = {}
        self._artefacts: dict[str, Graph] = {}
        self._queries: dict[str, PackagedQuery] | None = None

    # -- the package, indexed once --------------------------------------------------------

    async def context(self) -> SiteContext:
        if self._context is None:
            async with self._lock:
                if self._context is None:
                    self._context = await anyio.to_thread.run_sync(SiteContext.from_package)
        return self._context

    async def run(self, work: Callable[[], Any]) -> Any:
        """*work* in a worker thread, answered 504 past the time limit.

        The embedded store cannot be interrupted: the thread finishes on its own while the
        client already has its answer.
        """
        try:
            with anyio.fail_after(self.options.timeout):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except TimeoutError:
            raise HttpError(504, f"the query did not finish within {self.options.timeout:g} s",
                            extra={"what": "timeout"}) from None

    # -- IRIs and documents ---------------------------------------------------------------

    async def resource(self, request: Request) -> Response:
        path = request.path_params.get("path", "")
        document = _document_path(path)
        context = await self.context()
        if document is not None:
            return await self.document(context, *document)
        iri = f"{paths.BASE}{path}"
        if not _described(context, iri):
            raise HttpError(404, f"{iri} is not an EXOP IRI this server describes")
        try:
            decision = decide(request.headers.get("accept"), IRI_OFFERS,
                              request.query_params.get("format"))
        except FormatError as error:
            raise HttpError(400, str(error), error=error, headers={"Vary": "Accept"}) from None
        if decision.format is None:
            raise _not_acceptable(decision, str(request.url.replace(query="")))
        target = paths.document_for(iri, decision.format)
        location = f"{str(request.base_url).rstrip('/')}/{target}"
        return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})

    async def document(self, context: SiteContext, tree: str, name: str) -> Response:
        if tree not in (paths.CURRENT, f"{paths.RELEASES}/{context.version}"):
            raise HttpError(404, f"no release tree {tree!r} here (this is {context.version})")
        found = self._documents.get(name)
        if found is None:
            found = await anyio.to_thread.run_sync(_render, context, name, self._artefacts)
            if found is not None:  # only real documents: the cache stays as small as the site
                self._documents[name] = found
        if found is None:
            raise HttpError(404, f"no document {tree}/{name}")
        data, fmt = found
        return Response(data, media_type=None, headers={"Content-Type": fmt.content_type})

    # -- SPARQL ----------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        text = await self._query_text(request)
        query = QueryText(text)
        if not self.options.allow_service and _SERVICE.search(query.masked):
            raise HttpError(400, "federated queries (SERVICE) are not allowed on this server",
                            extra={"what": "SERVICE"})
        result = await self._answer(lambda: run_query(query, self.engine))
        return self._respond(request, result, RESULT_OFFERS[result.kind])

    async def _query_text(self, request: Request) -> str:
        if request.method == "GET":
            return _single(request.query_params.getlist("query"), "query")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request, self.options.max_body)
        if media == _SPARQL_QUERY:
            return _decode(body)
        if media == _SPARQL_UPDATE:
            raise HttpError(400, "refused: this endpoint only reads; updates are not accepted",
                            extra={"what": "update"})
        if media == _FORM:
            from urllib.parse import parse_qs

            fields = parse_qs(_decode(body), keep_blank_values=True)
            if "update" in fields:
                raise HttpError(400, "refused: this endpoint only reads; updates are not "
                                "accepted", extra={"what": "update"})
            return _single(fields.get("query", []), "query")
        raise HttpError(415, f"a SPARQL POST body is {_SPARQL_QUERY} or {_FORM}, not "
                        f"{media or 'untyped'}", extra={"allowed": [_SPARQL_QUERY, _FORM]})

    async def _answer(self, work: Callable[[], QueryResult]) -> QueryResult:
        try:
            result: QueryResult = await self.run(work)
        except ExopError as error:
            raise HttpError(_status_of(error), str(error), error=error) from None
        return result

    def _respond(self, request: Request, result: QueryResult,
                 offers: tuple[formats.Format, ...]) -> Response:
        try:
            decision = decide(request.headers.get("accept"), offers,
                              request.query_params.get("format"))
        except FormatError as error:
            raise HttpError(400, str(error), error=error) from None
        if decision.format is None:
            raise _not_acceptable(decision)
        limited, cut = _limited(result, self.options.row_limit)
        headers = {"Vary": "Accept"}
        if cut:
            headers["Exop-Row-Limit"] = f"{self.options.row_limit}; truncated"
        return Response(_serialise(limited, decision.format), headers={
            **headers, "Content-Type": decision.format.content_type})

    # -- the API ---------------------------------------------------------------------------

    def queries(self) -> dict[str, PackagedQuery]:
        """The packaged queries, read once (a request would otherwise parse a file)."""
        if self._queries is None:
            self._queries = {q.id: q for q in list_queries()}
        return self._queries

    async def api_index(self, request: Request) -> Response:
        return JSONResponse(catalogue(self.queries().values()))

    async def api(self, request: Request) -> Response:
        query_id = request.path_params["query_id"]
        try:
            query = self.queries().get(query_id) or get_query(query_id)
        except QueryNotFoundError as error:
            raise HttpError(404, str(error), error=error) from None
        values: dict[str, object] = {}
        for name in request.query_params:
            if name != "format":
                values[name] = _single(request.query_params.getlist(name), name)
        try:
            bound = bind(query, values)
        except ParameterError as error:
            raise HttpError(400, str(error), error=error) from None
        if not self.options.allow_service and any(True for _ in query.query_text
                                                  .service_positions()):
            raise HttpError(400, f"query {query.id!r} is federated (SERVICE), which is not "
                            "allowed on this server", extra={"what": "SERVICE"})
        result = await self._answer(
            lambda: run_query(bound.query.query_text, self.engine, bound.bindings))
        return self._respond(request, result, API_OFFERS)

    async def openapi(self, request: Request) -> Response:
        context = await self.context()
        return JSONResponse(openapi_document(self.queries().values(), version=context.version,
                                             server_url=str(request.base_url).rstrip("/")))


def _described(context: SiteContext, iri: str) -> bool:
    """Whether *iri* is minted and has documents here (the base, a module, a subject)."""
    where = paths.tree_and_path(iri)
    if where is None:
        return False
    tree, path = where
    if tree != paths.CURRENT:
        return tree == f"{paths.RELEASES}/{context.version}"
    return path in paths.MODULE_DOCUMENTS or URIRef(iri) in renderer_for(context).minted


def _single(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise HttpError(400, f"give {name!r} exactly once (it was given {len(values)} times)",
                        extra={"what": "parameter", "parameter": name})
    return values[0]


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8") from None


async def _read_body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpError(413, f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _limited(result: QueryResult, limit: int) -> tuple[QueryResult, bool]:
    if result.kind == "select" and len(result.rows) > limit:
        return QueryResult("select", result.variables, result.rows[:limit],
                           ordered=result.ordered, engine=result.engine), True
    if result.kind == "graph" and result.graph is not None and len(result.graph) > limit:
        kept = Graph()
        for index, triple in enumerate(sorted(result.graph)):
            if index >= limit:
                break
            kept.add(triple)
        return QueryResult("graph", graph=kept, engine=result.engine), True
    return result, False


def _serialise(result: QueryResult, fmt: formats.Format) -> bytes:
    """*result* in *fmt*; a graph asked for in a results format (the API) is its s/p/o rows."""
    if result.kind == "graph" and fmt.kind == "rdf":
        return serialize(result.graph if result.graph is not None else Graph(), fmt)
    if fmt.name == "json":
        return (json.dumps(query_result(result), ensure_ascii=False) + "\n").encode("utf-8")
    return FORMATTERS[fmt.name](result).encode("utf-8")


# -- documents at the static site's paths ---------------------------------------------------

_TREE = re.compile(r"(current|releases/[0-9]+\.[0-9]+\.[0-9]+)/(.+)")
_SUFFIXES = {f.suffix: f for f in IRI_OFFERS}


def _document_path(path: str) -> tuple[str, str] | None:
    """(tree, name) when *path* names a document of a release tree, else None (an IRI)."""
    match = _TREE.fullmatch(path)
    if match is None:
        return None
    name = match.group(2)
    suffix = name[name.rfind("."):] if "." in name else ""
    return (match.group(1), name) if suffix in _SUFFIXES else None


_ARTEFACTS = {a.stem: a for a in DEFAULT_ARTEFACTS}


def _artefact(context: SiteContext, stem: str, cache: dict[str, Graph]) -> Graph:
    if stem not in cache:
        cache[stem] = (void_graph(context, dump_size(context))
                       if stem == "void" else _ARTEFACTS[stem].graph(context))
    return cache[stem]


def _render(context: SiteContext, name: str,
            artefacts: dict[str, Graph]) -> tuple[bytes, formats.Format] | None:
    """The bytes of document *name* of a release tree (what build_tree writes there)."""
    stem, _, _ = name.rpartition(".")
    fmt = _SUFFIXES[name[len(stem):]]
    renderer = renderer_for(context)
    if fmt.kind == "page":
        if name == "index.html":
            return renderer.landing_page().encode("utf-8"), fmt
        if name == "queries.html":
            return queries_page(context).encode("utf-8"), fmt
        iri = URIRef(f"{paths.BASE}{stem}")
        if iri not in renderer.minted or stem in ("", "graph"):
            return None
        return renderer.resource_page(iri).encode("utf-8"), fmt
    if stem in _ARTEFACTS or stem == "void":
        return serialize(_artefact(context, stem, artefacts), fmt), fmt
    iri = URIRef(f"{paths.BASE}{stem}")
    if iri not in renderer.minted or stem in paths.MODULE_DOCUMENTS:
        return None
    return serialize(renderer.slice(iri), fmt), fmt


# -- middleware: errors, limits, the request log --------------------------------------------


class Guard:
    """Turns every failure into a readable answer, bounds request size, logs each request."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = 1
            await send(message)

        try:
            length = _content_length(scope)
            if length is not None and length > self.max_body:
                raise HttpError(413, f"the request body is larger than {self.max_body} bytes")
            await self.app(scope, receive, sending)
        except HttpError as error:
            if not status.get("started"):
                await _error_response(error)(scope, receive, sending)
        except Exception as error:
            # The one place nothing may escape: the client gets a readable 500, the log one
            # line, and nobody a traceback.
            log.error("internal error on %s %s: %s: %s", scope.get("method"),
                      scope.get("path"), type(error).__name__, error)
            if not status.get("started"):
                await _error_response(HttpError(500, "internal error"))(scope, receive,
                                                                        sending)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            client = scope.get("client") or ("-", 0)
            log.info('%s "%s %s" %d %.1f ms', client[0], scope.get("method"),
                     scope.get("path"), status["code"], elapsed)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                raise HttpError(400, "Content-Length is not a number") from None
    return None


def _handler(method: Callable[[Request], Awaitable[Response]]) \
        -> Callable[[Request], Awaitable[Response]]:
    @functools.wraps(method)
    async def handle(request: Request) -> Response:
        try:
            return await method(request)
        except HttpError as error:
            return _error_response(error)

    return handle


async def _not_found(request: Request, exc: Exception) -> Response:
    return _error_response(HttpError(404, f"nothing at {request.url.path}"))


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    return _error_response(HttpError(405, f"{request.method} is not allowed here",
                                     headers={"Allow": "GET, HEAD"}))


def create_app(options: ServeOptions | None = None, *, engine: Engine | None = None,
               context: SiteContext | None = None) -> Starlette:
    """The server's ASGI app (*engine* and *context* default to the shipped package)."""
    chosen = options or ServeOptions()
    server = Server(chosen, engine, context)
    routes = [
        Route("/sparql", _handler(server.sparql), methods=["GET", "POST"]),
        Route("/openapi.json", _handler(server.openapi), methods=["GET"]),
        Route("/api", _handler(server.api_index), methods=["GET"]),
        Route("/api/{query_id}", _handler(server.api), methods=["GET"]),
        Route("/{path:path}", _handler(server.resource), methods=["GET"]),
    ]
    middleware = [
        Middleware(Guard, max_body=chosen.max_body),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD"],
                   allow_headers=["Accept", "Content-Type"],
                   expose_headers=["Location", "Vary", "Exop-Row-Limit"]),
    ]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: _not_found, 405: _method_not_allowed})
    app.state.server = server
    return app
