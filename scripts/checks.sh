#!/usr/bin/env bash
# The checks of `make test`. Fails with the exit code of the first check that failed.
# Expects the environment that scripts/test-services.sh sets up.
set -euo pipefail

step() {
	printf '\n==> %s\n' "$*"
	"$@"
}

# The slower static checks, in order, stopping at the first failure.
static_checks() {
	step mypy
	step python manage.py makemigrations --check --dry-run
	step bandit -c pyproject.toml -r . -q --severity-level high
	# Our own rules only (.semgrep/), offline: no registry, no metrics, no version check.
	SEMGREP_ENABLE_VERSION_CHECK=0 step semgrep scan --metrics=off --disable-version-check --config .semgrep/ --error --quiet .
}

# DATABASE_URL's database, migrated once: each test process's database is a copy of it
# (tests/conftest.py), so no process migrates its own from scratch.
migration_log=$(mktemp)
python manage.py migrate --no-input -v0 >"$migration_log" 2>&1 &
migrating=$!
checks_log=$(mktemp)
checking=
trap 'kill $migrating $checking 2>/dev/null || true; rm -f "$migration_log" "$checks_log"' EXIT

step ruff check .
step ruff format --check .
# Beside the migration and then beside pytest, whose processes leave a core idle about a quarter of
# the time (waiting on browsers, servers and the database): the whole run takes half a minute less.
(set -e; static_checks) >"$checks_log" 2>&1 &
checking=$!
step wait "$migrating" || { cat "$migration_log" >&2; exit 1; }
export PORTAL_TEST_DATABASE_FROM_MIGRATED=1
# In parallel processes, each running whole modules in the order tests/conftest.py deals them, each
# on a PostgreSQL database and a Redis database of its own (portal/settings.py).
tests=0
step pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile --no-loadscope-reorder || tests=$?
checks=0
wait "$checking" || checks=$?
checking=
cat "$checks_log"
if ((checks)); then
	exit "$checks"
fi
exit "$tests"
