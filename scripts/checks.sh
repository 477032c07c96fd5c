#!/usr/bin/env bash
# The checks of `make test`, in order. Stops at the first failure, with its exit code.
# Expects the environment that scripts/test-services.sh sets up.
set -euo pipefail

step() {
	printf '\n==> %s\n' "$*"
	"$@"
}

step ruff check .
step ruff format --check .
step mypy
step python manage.py makemigrations --check --dry-run
step pytest
