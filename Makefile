# `make run` serves the API with the embedded database; `make test` runs the suite.
# Both set up everything they need on a fresh machine (Python 3.11+, Go, package registries).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FERRETDB := bin/orbix-ferretdb
FERRETDB_SRC := $(wildcard tools/ferretdb/*.go) tools/ferretdb/go.mod tools/ferretdb/go.sum \
	tools/ferretdb/build.sh $(wildcard tools/ferretdb/patches/*.patch)
INSTALLED := $(VENV)/.installed
# Stripe's API mock for the card payment tests (a Go module, built like the database launcher).
STRIPE_MOCK := bin/stripe-mock

.PHONY: run test lint fuzz bench clean db redis fonts browser ferretdb-test mustang

run: $(INSTALLED) $(FERRETDB) redis fonts
	$(BIN)/python tools/serve.py

test: $(INSTALLED) $(FERRETDB) $(STRIPE_MOCK) redis fonts browser mustang
	$(BIN)/pytest $(PYTEST_ARGS)

# Rate-limit counters live in Redis (shared by all workers); make run and the tests start
# a throwaway redis-server from Debian's package unless RATELIMIT_STORAGE_URI is set.
# tools/apt-install waits (up to 5 minutes) for another apt process to release its locks.
redis:
	@if [ -z "$$RATELIMIT_STORAGE_URI" ] && ! command -v redis-server >/dev/null 2>&1; then \
		echo "installing redis-server (Debian package)"; \
		tools/apt-install redis-server; \
	fi

# PDFs draw Japanese, Chinese, Korean, Arabic, Hebrew, Devanagari, Thai, symbols and emoji
# with Debian's Noto fonts (the bundled DejaVu lacks them); the Dockerfile installs the same.
# Skipped when PDF_FONT_DIRS points elsewhere.
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
fonts:
	@if [ -z "$$PDF_FONT_DIRS" ] && ! dpkg -s $(FONT_PACKAGES) >/dev/null 2>&1; then \
		echo "installing $(FONT_PACKAGES) (Debian packages)"; \
		tools/apt-install --no-install-recommends $(FONT_PACKAGES); \
	fi

# The public invoice page is tested in a real browser: Playwright drives Debian's chromium
# (Playwright's own browser download is never used), so the tests fail without it.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing chromium (Debian package)"; \
		tools/apt-install chromium; \
	fi

# E-invoices are also checked with the Mustang validator (Java, from Maven Central; its EN 16931 and
# XRechnung schematron and veraPDF) in tests/einvoice/test_mustang.py; cached under build/.
MUSTANG_VERSION := 2.16.2
MUSTANG_JAR := build/mustang/validator-$(MUSTANG_VERSION)-shaded.jar
mustang: $(MUSTANG_JAR)

$(MUSTANG_JAR):
	@command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || tools/apt-install maven default-jre-headless
	mvn -q dependency:copy -Dartifact=org.mustangproject:validator:$(MUSTANG_VERSION):jar:shaded \
		-DoutputDirectory=build/mustang

lint: $(INSTALLED)
	$(BIN)/ruff check .

db: $(FERRETDB)

# Property-based API fuzzing against a live server (minutes; not part of make test).
fuzz: $(INSTALLED) $(FERRETDB) $(STRIPE_MOCK) redis
	$(BIN)/python -m pip install --quiet 'schemathesis>=4,<5'
	$(BIN)/python tools/fuzz.py

# Benchmarks print figures; see bench/README.md.
bench: $(INSTALLED) $(FERRETDB) redis
	$(BIN)/python bench/load.py

$(INSTALLED): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# FerretDB (SQLite backend) embedded through our launcher, with our patches to FerretDB
# (tools/ferretdb/patches) applied to a vendored copy in build/ferretdb. The script retries
# with -ldflags=-checklinkname=0 for Go toolchains that reject FerretDB's go:linkname uses
# (see README).
$(FERRETDB): $(FERRETDB_SRC)
	tools/ferretdb/build.sh $(FERRETDB)

# stripe-mock at the version pinned in the script (go install, from the module proxy or cache);
# rebuilt when the script (its version) changes.
$(STRIPE_MOCK): tools/stripe-mock/build.sh
	tools/stripe-mock/build.sh $(STRIPE_MOCK)

# FerretDB's Go tests of the packages our patches change, patches applied (needs the module proxy).
ferretdb-test:
	tools/ferretdb/test.sh

clean:
	rm -rf $(VENV) bin build *.egg-info .pytest_cache
