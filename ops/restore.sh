#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into a database (which must exist and be empty) and a media folder.
# Usage: ops/restore.sh DUMP MEDIA_TARBALL TARGET_DATABASE_URL TARGET_MEDIA_DIR
set -euo pipefail
dump=${1:?usage: ops/restore.sh DUMP MEDIA_TARBALL TARGET_DATABASE_URL TARGET_MEDIA_DIR}
media_tar=${2:?missing MEDIA_TARBALL}
target=${3:?missing TARGET_DATABASE_URL}
media_dir=${4:?missing TARGET_MEDIA_DIR}
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$target" "$dump"
mkdir -p "$media_dir"
tar -C "$media_dir" -xzf "$media_tar"
echo "restored into $target and $media_dir"
