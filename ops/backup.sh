#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (custom format) and the media files (evidence uploads).
# Usage: ops/backup.sh DEST_DIR        (DATABASE_URL and MEDIA_ROOT from the environment)
set -euo pipefail
dest=${1:?usage: ops/backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
media=${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$dest/cqdt-$stamp.dump"
if [ -d "$media" ]; then tar -C "$media" -czf "$dest/cqdt-media-$stamp.tar.gz" .; else tar -czf "$dest/cqdt-media-$stamp.tar.gz" --files-from /dev/null; fi
echo "$dest/cqdt-$stamp.dump"
echo "$dest/cqdt-media-$stamp.tar.gz"
