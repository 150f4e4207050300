# `make run` serves the API with the embedded database; `make test` runs the suite.
# Both set up everything they need on a fresh machine (Python 3.11+, Go, package registries).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FERRETDB := bin/orbix-ferretdb
FERRETDB_SRC := $(wildcard tools/ferretdb/*.go) tools/ferretdb/go.mod tools/ferretdb/go.sum
INSTALLED := $(VENV)/.installed

.PHONY: run test lint fuzz bench clean db

run: $(INSTALLED) $(FERRETDB)
	$(BIN)/python tools/serve.py

test: $(INSTALLED) $(FERRETDB)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .

db: $(FERRETDB)

$(INSTALLED): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# FerretDB (SQLite backend) embedded through our launcher. The second attempt covers
# Go toolchains that reject FerretDB's go:linkname uses (see README).
$(FERRETDB): $(FERRETDB_SRC)
	mkdir -p bin
	cd tools/ferretdb && (go build -trimpath -o ../../$(FERRETDB) . || go build -trimpath -ldflags=-checklinkname=0 -o ../../$(FERRETDB) .)

clean:
	rm -rf $(VENV) bin build *.egg-info .pytest_cache
