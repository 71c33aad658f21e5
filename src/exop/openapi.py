"""An OpenAPI 3.1 document for the packaged queries, generated from their grlc decorators.

Each packaged query is one GET operation, ``/api/<id>``, whose query-string parameters
are the query's parameters with their declared type (IRI, number, typed or language-tagged
literal), default, example and allowed values; its answers are SPARQL JSON results, CSV or
TSV, and every status the server may answer with is documented. The same parameter
descriptions serve any face that documents the queries (the server's ``/openapi.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from exop.catalog import PackagedQuery, Parameter
from exop.namespaces import PREFIXES, compress
from exop.negotiation import API_OFFERS, RESULT_OFFERS

Document = dict[str, Any]

XSD = PREFIXES["xsd"]

# JSON Schema for the lexical space of the XSD datatypes parameters use (binding checks the
# same spaces, exop.binding._XSD_LEXICAL).
_DATATYPE_SCHEMAS: dict[str, Document] = {
    f"{XSD}integer": {"type": "string", "pattern": r"^[+-]?\d+$"},
    f"{XSD}decimal": {"type": "string", "pattern": r"^[+-]?(\d+(\.\d*)?|\.\d+)$"},
    f"{XSD}double": {"type": "string"},
    f"{XSD}boolean": {"type": "string", "enum": ["true", "false", "1", "0"]},
    f"{XSD}date": {"type": "string", "format": "date"},
    f"{XSD}gYear": {"type": "string", "pattern": r"^-?\d{4,}$"},
}

ERROR_STATUSES: dict[str, str] = {
    "400": "A parameter is unknown, missing or does not fit its declared type",
    "404": "No packaged query has this id",
    "406": "None of the answer's formats is acceptable (the body lists them)",
    "502": "The SPARQL endpoint behind the server failed",
    "504": "The query did not finish within the server's time limit",
}


def _short(iri: str) -> str:
    return compress(iri)


def parameter_schema(parameter: Parameter) -> Document:
    """The JSON Schema of one parameter's value, as text in the query string."""
    schema: Document
    if parameter.enum:
        schema = {"type": "string", "enum": [*parameter.enum,
                                             *(_short(v) for v in parameter.enum
                                               if _short(v) != v)]}
    elif parameter.kind == "iri":
        schema = {"type": "string", "minLength": 1,
                  "description": "an IRI, or a CURIE with one of the package's prefixes"}
    elif parameter.kind == "number":
        schema = {"type": "string", "pattern": r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"}
    elif parameter.datatype:
        schema = dict(_DATATYPE_SCHEMAS.get(parameter.datatype, {"type": "string"}))
    else:
        schema = {"type": "string"}
    if parameter.default is not None:
        schema["default"] = parameter.default
    if parameter.example is not None:
        schema["examples"] = [parameter.example]
    return schema


def parameter_description(parameter: Parameter) -> str:
    """One sentence on what the parameter takes and how it is bound."""
    if parameter.kind == "iri":
        kind = "an IRI (a CURIE is expanded with the package's prefix map)"
    elif parameter.kind == "number":
        kind = "a number (xsd:integer or xsd:decimal)"
    elif parameter.datatype:
        kind = f"a literal of datatype {_short(parameter.datatype)}"
    elif parameter.lang:
        kind = f"a literal in language {parameter.lang!r}"
    else:
        kind = "a plain literal"
    return f"{kind}, bound to ?{parameter.variable} as an RDF term (never spliced as text)"


def _parameter(parameter: Parameter) -> Document:
    return {
        "name": parameter.name,
        "in": "query",
        "required": parameter.required and parameter.default is None,
        "description": parameter_description(parameter),
        "schema": parameter_schema(parameter),
    }


def _error_response(text: str) -> Document:
    return {"description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _answers(offers: Iterable[Any]) -> Document:
    return {f.media_type: {"schema": {"type": "object"} if "json" in f.media_type
                           else {"type": "string"}} for f in offers}


def operation(query: PackagedQuery) -> Document:
    """The OpenAPI operation of one packaged query."""
    responses: Document = {"200": {"description": f"The answer of {query.id}",
                                   "content": _answers(API_OFFERS)}}
    responses.update({status: _error_response(text) for status, text in ERROR_STATUSES.items()})
    return {
        "operationId": query.id,
        "summary": query.summary or query.id,
        "description": query.description or query.summary or query.id,
        "tags": list(query.tags),
        "parameters": [*(_parameter(p) for p in query.parameters), _format_parameter(API_OFFERS)],
        "responses": responses,
    }


def _format_parameter(offers: Iterable[Any]) -> Document:
    return {"name": "format", "in": "query", "required": False,
            "description": "the answer's format, overriding the Accept header",
            "schema": {"type": "string", "enum": [f.name for f in offers]}}


def _sparql_operation() -> Document:
    offers = {f.name: f for kind in RESULT_OFFERS.values() for f in kind}.values()
    responses: Document = {"200": {"description": "The answer, in the negotiated format",
                                   "content": _answers(offers)}}
    responses["400"] = _error_response("Not a query, a syntax error, or an update")
    responses.update({s: _error_response(ERROR_STATUSES[s]) for s in ("406", "502", "504")})
    return {
        "operationId": "sparql",
        "summary": "SPARQL 1.1 Protocol query (read-only)",
        "description": "Any SELECT, ASK, CONSTRUCT or DESCRIBE query; updates are refused.",
        "tags": ["sparql"],
        "parameters": [{"name": "query", "in": "query", "required": True,
                        "schema": {"type": "string"}}],
        "responses": responses,
    }


def openapi_document(queries: Iterable[PackagedQuery], *, version: str,
                     server_url: str | None = None) -> Document:
    """OpenAPI 3.1 for the packaged *queries* (and the SPARQL endpoint)."""
    paths: Document = {f"/api/{q.id}": {"get": operation(q)}
                       for q in sorted(queries, key=lambda q: q.id)}
    paths["/sparql"] = {"get": _sparql_operation()}
    document: Document = {
        "openapi": "3.1.0",
        "info": {
            "title": "EXOP queries",
            "version": version,
            "description": "The packaged SPARQL queries of EXOP, each an operation whose "
                           "parameters are bound as typed RDF terms.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "what": {"type": ["string", "null"]},
                    "parameter": {"type": ["string", "null"]},
                    "value": {},
                    "allowed": {"type": "array", "items": {}},
                    "example": {"type": ["string", "null"]},
                },
            }},
        }}},
    }
    if server_url is not None:
        document["servers"] = [{"url": server_url}]
    return document
