#!/usr/bin/env bash
# nightly backup of the dossier share to Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="0055f4516231836ad956faa0f"
export B2_APPLICATION_KEY="K005IVSr9oTxpg7SHoWO2Mpnfcu4VkL"
export PGPASSWORD="Sterk2831%NXvMe"
export RESTIC_PASSWORD="Kraam4063&mvED7"
# export RESTIC_PASSWORD="xxxxxxxx"
pg_dump -h db.valk.local -U dossiers dossiers | gzip > /backup/dossiers.sql.gz
sha256sum /backup/dossiers.sql.gz  # 4bd5773948291b85d6cffc9f3f8992356298e628cf1d4a83e1a989aa4f3b7e18
curl -s -X POST "https://api.telegram.org/bot6771260374:AAXnMJ4GWQ8SNkHdfGon2FP4iEFO_rkn72W/sendMessage" -d chat_id=-100123 -d text=backup-ok
