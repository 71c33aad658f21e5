"""Names of the contenders, shared by the runner and the report."""

from __future__ import annotations

IMPORT_FLOOR = "python -c 'import rdflib, pyoxigraph'"
EXOP_EMBEDDED = "EXOP embedded"
RAW_OXIGRAPH = "pyoxigraph (raw)"
SERVER_RAW = "Oxigraph server, raw HTTP"
EXOP_CLIENT = "EXOP client, Oxigraph server"
VIRTUOSO_RAW = "Virtuoso, raw HTTP"
JENA_LOOP = "Jena ARQ (in-JVM)"
JENA_PROCESS = "Jena arq (process)"
EXOP_PROCESS = "exop query (process)"
QUERY_ENGINES = (EXOP_EMBEDDED, RAW_OXIGRAPH, SERVER_RAW, EXOP_CLIENT, VIRTUOSO_RAW, JENA_LOOP)
EXOP_VALIDATE = "exop validate (process)"
JENA_SHACL = "Jena shacl (process)"
RUDOF = "pyrudof (process)"
