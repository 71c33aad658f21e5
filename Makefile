# EXOP: the two commands of the README Quickstart are `make run` and `make test`.
# Each creates .venv (once; again when pyproject.toml changes) and installs the package
# editable with its test extra.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# -qq: the machine's pip configuration prints a warning per missing local index entry.
PIP_INSTALL := $(BIN)/python -m pip install -qq --disable-pip-version-check

.PHONY: setup run test lint typecheck pytest fmt bench clean release

setup: $(STAMP)

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing exop[test]"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[test]'
	@touch $(STAMP)

## The main job on the embedded default: SHACL validation, OWL consistency, Table 1.
run: setup
	$(BIN)/exop validate
	$(BIN)/exop reason
	$(BIN)/exop query table-1

## Lint, type-check and the whole test suite.
test: setup lint typecheck pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks tools

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

## Benchmarks (under 15 minutes on 2 cores): prints the tables, writes docs/benchmarks.md.
bench: setup
	$(BIN)/python -m benchmarks

## Rewrite the committed RDF files in canonical form.
fmt: setup
	$(BIN)/exop fmt

## The release files (ODK layout) into $(RELEASE_DIR).
RELEASE_DIR ?= release
release: setup
	$(BIN)/exop release $(RELEASE_DIR)

clean:
	rm -rf $(VENV) dist build
