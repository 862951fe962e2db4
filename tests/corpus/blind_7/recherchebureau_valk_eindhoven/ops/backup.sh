#!/usr/bin/env bash
# nightly backup of the dossier share to Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="005a63aff4c65e7964bcc217a"
export B2_APPLICATION_KEY="K005i5KIylMZth1gDGIeWYEK2CBqmBY"
export PGPASSWORD="Kompas2746*vn8GB"
export RESTIC_PASSWORD="Sterk9815#NuyKw"
# export RESTIC_PASSWORD="xxxxxxxx"
pg_dump -h db.valk.local -U dossiers dossiers | gzip > /backup/dossiers.sql.gz
sha256sum /backup/dossiers.sql.gz  # b76d29602cb986e7d7f13bdc5875163e423512c773d2ca65036c64fb7f19bf62
curl -s -X POST "https://api.telegram.org/bot6469666363:AAzx2nMZCSGvVgMH6eyUQ3qjL5rfrgsceYJ/sendMessage" -d chat_id=-100123 -d text=backup-ok
