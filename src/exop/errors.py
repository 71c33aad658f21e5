"""Typed errors of the EXOP library, with structured fields each face words for itself.

Library functions raise these. The message (``str(error)``) is a complete sentence that
speaks of the library's own terms (query ids, parameter names, values), never of one face's
syntax: the command line adds "-p NAME=VALUE" hints and exit code 2, the server a status
code and a JSON body. The fields say what was wrong, which parameter or value, and what
would have been allowed, so a face can build its hint without parsing the message.
"""

from __future__ import annotations

from collections.abc import Sequence


class ExopError(Exception):
    """Base class: EXOP could not do what was asked (bad input, missing tool, remote failure)."""

    def __init__(
        self,
        message: str | None = None,
        *,
        what: str | None = None,
        parameter: str | None = None,
        value: object = None,
        allowed: Sequence[str] = (),
        example: str | None = None,
    ) -> None:
        self.what = what
        """The kind of thing that was wrong ("format", "parameter", "query", "engine option")."""
        self.parameter = parameter
        """The parameter or option concerned, in the library's own name for it."""
        self.value = value
        """The offending value, as given."""
        self.allowed = tuple(allowed)
        """The values that would have been accepted, where there is a closed set."""
        self.example = example
        """One value that would have worked, where the library knows one."""
        super().__init__(message if message is not None else self._default_message())

    def _default_message(self) -> str:
        parts = [f"unknown {self.what or 'value'} {self.value!r}"]
        if self.allowed:
            parts.append(f"known: {', '.join(self.allowed)}")
        return "; ".join(parts)

    @property
    def message(self) -> str:
        """The face-neutral sentence."""
        return str(self)


class RdfInputError(ExopError):
    """An RDF input could not be read: missing, a directory, unknown format or bad syntax."""


class TextInputError(ExopError):
    """A text input (the review's plain text) could not be read or is not the review."""


class FormatError(ExopError):
    """A format name, suffix or media type is not in the format registry."""


class QueryNotFoundError(ExopError):
    """No packaged query has the requested id."""


class ParameterError(ExopError):
    """A query parameter is missing, unknown, or its value does not fit its declared type."""


class QueryError(ExopError):
    """A SPARQL query could not be parsed or run."""


class EngineOptionError(ExopError):
    """An option was given to an engine it does not apply to (never silently ignored)."""


class EndpointError(ExopError):
    """A remote SPARQL endpoint or Graph Store could not be reached or answered an error."""


class ReasonerError(ExopError):
    """The OWL reasoner could not run (for example, Java is missing)."""


class JavaNotFoundError(ReasonerError):
    """HermiT needs a Java runtime and none was found."""


class OutputError(ExopError):
    """An output file could not be written."""
