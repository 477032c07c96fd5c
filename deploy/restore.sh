#!/usr/bin/env bash
# Restore a dump of deploy/backup.sh into a NEW, empty database TARGET_URL (create it first with
# `createdb`); never into the live one. Check it, then point DATABASE_URL at it.
#
#   deploy/restore.sh DUMP TARGET_URL
set -euo pipefail
dump=${1:?usage: deploy/restore.sh DUMP TARGET_URL}
target=${2:?usage: deploy/restore.sh DUMP TARGET_URL}
pg_restore --exit-on-error --no-owner --single-transaction --dbname="$target" "$dump"
psql "$target" --no-psqlrc -Atc "SELECT count(*) || ' migrations applied' FROM django_migrations"
