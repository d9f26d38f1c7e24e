# Qwen Atlas — the two commands are `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONPATH := hooks
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible: the same commit builds the same bytes. MkDocs stamps the build date into the
# sitemaps; pin it to the commit's time (only when there is a commit, an empty value breaks MkDocs).
COMMIT_TIME := $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(COMMIT_TIME),)
export SOURCE_DATE_EPOCH ?= $(COMMIT_TIME)
endif

.PHONY: serve build test check schemas bench clean browser-deps

$(STAMP): requirements.lock requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

serve: $(STAMP)  ## serve at http://127.0.0.1:8000/ with live reload (also on data/ changes)
	SITE_URL=$${SITE_URL:-http://127.0.0.1:8000/} $(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## build into site/ with --strict
	$(BIN)/mkdocs build --strict --clean

check: $(STAMP)  ## check all data and pages, printing every problem as file:line; then the schemas' freshness
	$(BIN)/python -m atlas.workspace check; found=$$?; $(BIN)/python -m atlas.workspace schemas --check && exit $$found

schemas: $(STAMP)  ## regenerate data/schemas/*.json and the field docs from the pydantic models
	$(BIN)/python -m atlas.workspace schemas

test: $(STAMP)  ## the whole test suite on two processes (browser tests skip locally without Chromium; fail in CI)
	$(BIN)/python -m pytest --numprocesses 2 --dist load

bench: $(STAMP)  ## build-time and page-weight benchmark; writes bench/REPORT.md and README's summary
	$(BIN)/python bench/run.py --readme

clean:
	rm -rf site .pytest_cache
