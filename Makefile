# EXOP: the two commands of the README Quickstart are `make run` and `make test`.
# Each creates .venv (once) and installs what it needs, again when pyproject.toml or
# constraints.txt changes:
# `make run` the package and its runtime dependencies only, `make test` (and `make setup`,
# the development environment) the package with its test extra.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per install level: a venv set up for tests also satisfies `make run`.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# -qq: the machine's pip configuration prints a warning per missing local index entry.
# -c constraints.txt: exact pins of a working set, or pip backtracks for over 15 minutes.
PIP_INSTALL := $(BIN)/python -m pip install -qq --disable-pip-version-check -c constraints.txt

.PHONY: setup run test lint typecheck pytest fmt bench clean release

setup: $(TEST_STAMP)

$(BIN)/python:
	@echo "==> creating $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "==> installing exop (runtime dependencies only)"
	$(PIP_INSTALL) -e .
	@touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "==> installing exop[test]"
	$(PIP_INSTALL) -e '.[test]'
	@touch $(TEST_STAMP) $(RUN_STAMP)

## The main job on the embedded default: SHACL validation, OWL consistency, Table 1.
run: $(RUN_STAMP)
	$(BIN)/exop validate
	$(BIN)/exop reason
	$(BIN)/exop query table-1

## Lint, type-check and the whole test suite.
test: lint typecheck pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks tools

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# One worker per core, each taking whole files (a file's module fixtures, such as the
# servers it starts, are built once); the slowest tests are listed at the end.
pytest: $(TEST_STAMP)
	$(BIN)/pytest -n auto --dist loadfile --durations=25

## Benchmarks (under 15 minutes on 2 cores): prints the tables, writes docs/benchmarks.md.
## Its peers pyrudof and the Oxigraph server come with the test extra; Jena, javac and
## Virtuoso from Debian (libapache-jena-java openjdk-17-jdk-headless virtuoso-opensource).
## `.venv/bin/python -m benchmarks --quick` is a smoke run that writes no report.
bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks

## Rewrite the committed RDF files in canonical form.
fmt: $(RUN_STAMP)
	$(BIN)/exop fmt

## The release files (ODK layout) into $(RELEASE_DIR).
RELEASE_DIR ?= release
release: setup
	$(BIN)/exop release $(RELEASE_DIR)

clean:
	rm -rf $(VENV) dist build
