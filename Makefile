# `make demo` serves the embedded demo; `make test` runs every check on PostgreSQL + Redis.
# Installs are stamped in .venv and redone only when pyproject.toml changes.

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check

.PHONY: demo test
.DELETE_ON_ERROR:

demo: export PORTAL_ENV = demo
demo: $(VENV)/installed
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/installed-test
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/test-services.sh scripts/checks.sh

$(BIN)/python:
	python3 -m venv $(VENV)

$(VENV)/installed: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

# The test extras include the project, so this stamp also stands for `installed`.
$(VENV)/installed-test: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	touch $@ $(VENV)/installed
