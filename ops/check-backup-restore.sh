#!/usr/bin/env bash
# Proves a backup can be restored: back up DATABASE_URL, restore into a fresh database on the same server,
# and compare the row count of every table and the media files. Exits non-zero on any difference.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${fresh:-}" ] && dropdb --if-exists --maintenance-db="$DATABASE_URL" "$fresh" >/dev/null 2>&1 || true' EXIT
mapfile -t files < <("$here/backup.sh" "$work/backup")
fresh="cqdt_restore_check_$$"
createdb --maintenance-db="$DATABASE_URL" "$fresh"
fresh_url="${DATABASE_URL%/*}/$fresh"
"$here/restore.sh" "${files[0]}" "${files[1]}" "$fresh_url" "$work/media" >/dev/null
count_rows() {
  psql --dbname="$1" -Atc "select table_name from information_schema.tables where table_schema='public' and table_type='BASE TABLE' order by 1" |
    while read -r t; do printf '%s %s\n' "$t" "$(psql --dbname="$1" -Atc "select count(*) from \"$t\"")"; done
}
count_rows "$DATABASE_URL" > "$work/source.txt"
count_rows "$fresh_url" > "$work/restored.txt"
diff -u "$work/source.txt" "$work/restored.txt"
media=${MEDIA_ROOT:-$here/../media}
if [ -d "$media" ]; then diff -r "$media" "$work/media"; fi
echo "backup and restore agree: $(wc -l < "$work/source.txt") tables, $(awk '{s+=$2} END {print s}' "$work/source.txt") rows"
