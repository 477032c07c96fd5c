# `make demo` serves the embedded demo; `make test` runs every check on PostgreSQL + Redis.
# Installs come from the lock files (exact versions, the same on every clone), are stamped in
# .venv and redone only when a lock file changes. `make lock` rewrites the locks from pyproject.toml.
# uv installs them (pip puts uv itself into .venv first): from a fresh clone it takes a fifth of pip's time.
# They are compiled to bytecode once, at install: where PYTHONDONTWRITEBYTECODE is set (as on our CI
# machines) every Python process (each test process, each server a test starts) compiled them afresh.

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check
UV_VERSION := 0.13.9
UV_INSTALL := $(BIN)/uv pip install --python $(BIN)/python --compile-bytecode

.PHONY: demo test bench lock messages
.DELETE_ON_ERROR:

demo: export PORTAL_ENV = demo
demo: $(VENV)/installed
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/installed-test
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/test-services.sh scripts/checks.sh

# Not part of `make test`: fills a throwaway PostgreSQL at four-country scale (BENCH_SCALE=0.1 for a
# quick run), times the pages, the WebSocket fan-out and a locust load through real ASGI servers and
# writes benchmarks/REPORT.md (about 15 minutes at full scale from a fresh clone: benchmarks/analysis.md).
bench: $(VENV)/installed-bench
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/test-services.sh benchmarks/run.sh

$(BIN)/python:
	python3 -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(PIP_INSTALL) 'uv==$(UV_VERSION)'

$(VENV)/installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -r requirements.lock
	$(UV_INSTALL) --no-deps -e .
	touch $@

# The test lock includes the project's own dependencies, so this stamp also stands for `installed`.
$(VENV)/installed-test: requirements-test.lock pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -r requirements-test.lock
	$(UV_INSTALL) --no-deps -e .
	touch $@ $(VENV)/installed

# The bench lock holds the test lock's versions plus locust and uvicorn's fast loop and parser.
$(VENV)/installed-bench: requirements-bench.lock pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -r requirements-bench.lock
	$(UV_INSTALL) --no-deps -e .
	touch $@ $(VENV)/installed $(VENV)/installed-test

# Needs network access to PyPI; uv resolves for Python 3.11 whatever the local Python is.
lock: | $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header --annotation-style line -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header --annotation-style line -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --constraint requirements-test.lock --python-version 3.11 --no-header --annotation-style line -o requirements-bench.lock

# After changing user-facing text: bring every catalogue in locale/ up to date with the code, translate
# the new entries (docs/glossary.md keeps the terms), then run this again to compile them.
# The compiled .mo files are committed, so a fresh clone needs no gettext; tests/portal/test_catalogues.py
# fails while a catalogue lacks a message, holds an untranslated or fuzzy one, or is not compiled.
MESSAGES_IGNORE := .venv var tests benchmarks node_modules
messages: export PORTAL_ENV = demo
messages: $(VENV)/installed
	$(BIN)/python manage.py makemessages --all --no-obsolete $(addprefix --ignore=,$(MESSAGES_IGNORE))
	$(BIN)/python manage.py compilemessages $(addprefix --ignore=,$(MESSAGES_IGNORE))
