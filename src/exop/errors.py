"""Typed errors of the EXOP library.

Library functions raise these; the command line turns each into one line on stderr and
exit code 2 ("could not run"). Messages are complete sentences a user can act on.
"""

from __future__ import annotations


class ExopError(Exception):
    """Base class: EXOP could not do what was asked (bad input, missing tool, remote failure)."""


class RdfInputError(ExopError):
    """An RDF input could not be read: missing, a directory, unknown format or bad syntax."""


class TextInputError(ExopError):
    """A text input (the review's plain text) could not be read or is not the review."""


class QueryNotFoundError(ExopError):
    """No packaged query has the requested id."""


class ParameterError(ExopError):
    """A query parameter is missing, unknown, or its value does not fit its declared type."""


class QueryError(ExopError):
    """A SPARQL query could not be parsed or run."""


class EndpointError(ExopError):
    """A remote SPARQL endpoint or Graph Store could not be reached or answered an error."""


class ReasonerError(ExopError):
    """The OWL reasoner could not run (for example, Java is missing)."""


class JavaNotFoundError(ReasonerError):
    """HermiT needs a Java runtime and none was found."""


class OutputError(ExopError):
    """An output file could not be written."""
