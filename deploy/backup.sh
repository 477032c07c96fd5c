#!/usr/bin/env bash
# Dump the portal's database to DIRECTORY/portal-YYYYmmddTHHMMSSZ.dump (pg_dump's custom format,
# compressed; restore with deploy/restore.sh) and delete dumps older than KEEP_DAYS (default 30).
#
#   DATABASE_URL=postgres://… deploy/backup.sh DIRECTORY
#
# Uploaded files (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) are not in the database: copy them alongside.
set -euo pipefail
directory=${1:?usage: deploy/backup.sh DIRECTORY}
: "${DATABASE_URL:?DATABASE_URL is required}"
mkdir -p "$directory"
dump="$directory/portal-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
find "$directory" -name 'portal-*.dump' -mtime +"${KEEP_DAYS:-30}" -delete
echo "$dump"
