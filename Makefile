# Lemkin: the two commands a new user needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
MANAGE    := $(BIN)/lemkin manage
HOST      ?= 127.0.0.1
PORT      ?= 8000
CHROMIUM  := /usr/bin/chromium
export DJANGO_SETTINGS_MODULE ?= lemkin.site.settings.dev

.PHONY: help run test check pytest pytest-postgres venv assets chromium demo clean benchmarks

help:
	@echo "make run   - build the environment, prepare the demo exercise world, serve at http://$(HOST):$(PORT)"
	@echo "make test  - build the environment and run every check and the whole suite"

# --- environment ---------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@
venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
assets: node_modules/.installed

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# --- make run ------------------------------------------------------------------------------------
demo: venv assets
	$(BIN)/lemkin demo load --if-empty

run: demo
	$(BIN)/lemkin serve --host $(HOST) --port $(PORT)

# --- make test -----------------------------------------------------------------------------------
check: venv assets
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=lemkin.site.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lemkin.site.settings.production LEMKIN_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  LEMKIN_AUDIT_KEY=check-deploy-$$(head -c 16 /dev/urandom | base64) \
	  LEMKIN_ALLOWED_HOSTS=lemkin.example.org $(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/bandit -q -ll -c pyproject.toml -r src

pytest: venv assets chromium
	DJANGO_SETTINGS_MODULE=lemkin.site.settings.test $(BIN)/pytest

# The same database-touching tests again on PostgreSQL, when a server is given.
pytest-postgres: venv assets
	@if [ -n "$${LEMKIN_TEST_POSTGRES_URL:-}" ]; then \
	  echo "== PostgreSQL: $${LEMKIN_TEST_POSTGRES_URL}"; \
	  DJANGO_SETTINGS_MODULE=lemkin.site.settings.test LEMKIN_DATABASE_URL="$$LEMKIN_TEST_POSTGRES_URL" \
	    $(BIN)/pytest tests/web -m "not browser"; \
	else echo "== PostgreSQL pass not run: set LEMKIN_TEST_POSTGRES_URL to run the suite on PostgreSQL too"; fi

test: check pytest pytest-postgres

benchmarks: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b; done

clean:
	rm -rf $(VENV) node_modules src/lemkin/site/staticfiles .pytest_cache .mypy_cache .ruff_cache
