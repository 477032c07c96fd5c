#!/usr/bin/env bash
# The checks of `make test`, in order. Stops at the first failure, with its exit code.
# Expects the environment that scripts/test-services.sh sets up.
set -euo pipefail

step() {
	printf '\n==> %s\n' "$*"
	"$@"
}

# DATABASE_URL's database, migrated once beside the static checks: each test process's database is a
# copy of it (tests/conftest.py), so no process migrates its own from scratch.
migration_log=$(mktemp)
python manage.py migrate --no-input -v0 >"$migration_log" 2>&1 &
migrating=$!
trap 'kill "$migrating" 2>/dev/null || true; rm -f "$migration_log"' EXIT

step ruff check .
step ruff format --check .
step mypy
step python manage.py makemigrations --check --dry-run
step bandit -c pyproject.toml -r . -q --severity-level high
# Our own rules only (.semgrep/), offline: no registry, no metrics, no version check.
SEMGREP_ENABLE_VERSION_CHECK=0 step semgrep scan --metrics=off --disable-version-check --config .semgrep/ --error --quiet .
step wait "$migrating" || { cat "$migration_log" >&2; exit 1; }
export PORTAL_TEST_DATABASE_FROM_MIGRATED=1
# In parallel processes, each running whole modules in the order tests/conftest.py deals them, each
# on a PostgreSQL database and a Redis database of its own (portal/settings.py).
step pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile --no-loadscope-reorder
