"""The packaged SPARQL queries and their grlc-style decorators.

Each ``queries/<id>.rq`` starts with YAML decorator lines, exactly as grlc reads them::

    #+ summary: Findings whose target cell is a given cell type
    #+ tags:
    #+   - findings
    #+ method: GET
    #+ defaults:
    #+   - cell: CL:0000062
    #+ examples:
    #+   - cell: CL:0000092

Parameters follow grlc's variable-name conventions: ``?_name`` (required plain literal),
``?__name`` (optional), ``?_name_iri`` (an IRI; a CURIE is expanded with the EXOP prefix
map), ``?_name_integer`` / ``?_name_number``, ``?_name_xsd_date`` (literal of that
datatype, any prefix the query or EXOP declares) and ``?_name_en`` (language-tagged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from exop import resources
from exop.errors import QueryError, QueryNotFoundError
from exop.namespaces import PREFIXES
from exop.sparqltext import QueryForm, QueryText

ParameterKind = Literal["iri", "literal", "number"]

# grlc's own matcher (grlc.gquery.get_parameters), so both read the same parameters.
_PARAMETER = re.compile(
    r"\?(?P<required>[_]{1,2})(?P<name>[a-zA-Z0-9]+)"
    r"([_](?P<type>(iri)|(number)|(literal)|(integer)))?"
    r"([_](?P<prefix>[a-zA-Z0-9]+)[_](?P<userdefined>[a-zA-Z0-9]+))?"
    r"([_](?P<lang>[a-zA-Z0-9]+))?"
)
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Parameter:
    """One query parameter, as declared by its variable name and the decorators."""

    name: str
    """The name users pass (``-p name=value``)."""
    variable: str
    """The SPARQL variable it binds, without ``?`` (e.g. ``_cell_iri``)."""
    kind: ParameterKind
    required: bool
    datatype: str | None = None
    """Full datatype IRI for typed literals (xsd:integer for ``_integer``)."""
    lang: str | None = None
    default: str | None = None
    example: str | None = None
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackagedQuery:
    """A packaged query: its id (the file stem), decorators, parameters and text."""

    id: str
    path: Path
    query_text: QueryText
    """The text, lexed once (form, order, WHERE group, SERVICE positions)."""
    summary: str
    description: str
    tags: tuple[str, ...]
    method: str
    parameters: tuple[Parameter, ...]
    metadata: dict[str, Any]

    @property
    def text(self) -> str:
        """The query text as written."""
        return self.query_text.text

    @property
    def form(self) -> QueryForm | None:
        """SELECT, CONSTRUCT, ASK or DESCRIBE."""
        return self.query_text.form

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called *name*, if the query has one."""
        return next((p for p in self.parameters if p.name == name), None)


def _decorators(text: str, source: str) -> dict[str, Any]:
    lines = [row.lstrip("#+") for row in text.split("\n") if row.startswith("#+")]
    if not lines:
        return {}
    try:
        loaded = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        detail = str(error).replace("\n", " ")
        raise QueryError(f"{source}: decorators are not valid YAML: {detail}") from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise QueryError(f"{source}: decorators must be 'key: value' lines")
    return loaded


def _lookup(metadata: dict[str, Any], key: str, name: str) -> Any:
    entries = metadata.get(key) or []
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, dict) and name in entry:
            return entry[name]
    return None


def _datatype(match: re.Match[str], prefixes: dict[str, str]) -> str | None:
    if match.group("type") == "integer":
        return f"{_XSD}integer"
    prefix, local = match.group("prefix"), match.group("userdefined")
    if prefix and local:
        namespace = prefixes.get(prefix, PREFIXES.get(prefix))
        return f"{namespace}{local}" if namespace else f"{prefix}:{local}"
    return None


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _parameters(query_text: QueryText, metadata: dict[str, Any]) -> tuple[Parameter, ...]:
    text, masked = query_text.text, query_text.masked
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    found: dict[str, Parameter] = {}
    for match in _PARAMETER.finditer(masked):
        name = match.group("name")
        if name in found:
            continue
        kind: ParameterKind = "literal"
        if match.group("type") == "iri":
            kind = "iri"
        elif match.group("type") == "number":
            kind = "number"
        enum = _lookup(metadata, "enumerate", name)
        found[name] = Parameter(
            name=name,
            variable=match.group(0)[1:],
            kind=kind,
            required=len(match.group("required")) == 1,
            datatype=_datatype(match, prefixes),
            lang=match.group("lang"),
            default=_as_text(_lookup(metadata, "defaults", name)),
            example=_as_text(_lookup(metadata, "examples", name)),
            enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
        )
    return tuple(found.values())


def _tags(metadata: dict[str, Any]) -> tuple[str, ...]:
    tags = metadata.get("tags") or []
    return tuple(str(t) for t in (tags if isinstance(tags, list) else [tags]))


def parse_query(text: str, query_id: str, path: Path | None = None) -> PackagedQuery:
    """Read decorators and parameters from a query's text (packaged or ad hoc)."""
    source = str(path) if path else query_id
    metadata = _decorators(text, source)
    query_text = QueryText(text)
    return PackagedQuery(
        id=query_id,
        path=path or Path(f"{query_id}.rq"),
        query_text=query_text,
        summary=str(metadata.get("summary") or "").strip(),
        description=str(metadata.get("description") or "").strip(),
        tags=_tags(metadata),
        method=str(metadata.get("method") or "GET").upper(),
        parameters=_parameters(query_text, metadata),
        metadata=metadata,
    )


def load_query_file(path: Path) -> PackagedQuery:
    """Parse one .rq file (its id is the file name without suffix)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"{path}: cannot read query: {error.strerror}") from error
    return parse_query(text, path.stem, path)


def query_ids() -> tuple[str, ...]:
    """The ids of all packaged queries, sorted."""
    return tuple(p.stem for p in resources.query_files())


def list_queries() -> tuple[PackagedQuery, ...]:
    """All packaged queries, sorted by id."""
    return tuple(load_query_file(p) for p in resources.query_files())


def get_query(query_id: str) -> PackagedQuery:
    """The packaged query *query_id*; QueryNotFoundError lists close matches otherwise."""
    path = resources.QUERIES_DIR / f"{query_id}.rq"
    if "/" in query_id or "\\" in query_id or not path.is_file():
        import difflib  # only for this message: keeps it off the start-up path

        ids = query_ids()
        close = difflib.get_close_matches(query_id, ids, n=5, cutoff=0.5)
        close += [i for i in ids if query_id and query_id in i and i not in close][:5]
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise QueryNotFoundError(
            f"no packaged query {query_id!r}{hint} ({len(ids)} queries are packaged)",
            what="query",
            value=query_id,
            allowed=tuple(close),
        )
    return load_query_file(path)
