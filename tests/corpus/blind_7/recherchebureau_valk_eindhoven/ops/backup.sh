#!/usr/bin/env bash
# nightly backup of the dossier share to Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="005d9a84e690c82917abdf967"
export B2_APPLICATION_KEY="K005UQ8E07PSny8X9Xm7XekO7Y0ATY5"
export PGPASSWORD="Noorder1978&17C0e"
export RESTIC_PASSWORD="Kraam4720$0avDU"
# export RESTIC_PASSWORD="xxxxxxxx"
pg_dump -h db.valk.local -U dossiers dossiers | gzip > /backup/dossiers.sql.gz
sha256sum /backup/dossiers.sql.gz  # d221d245e54a9e9e8fcdc7510483fce64df938db24ce25e7395c44440dab34e0
curl -s -X POST "https://api.telegram.org/bot7182497032:AAS7EZsdhAjL40Hc1pH2RWI4JPzqYKMRiM6/sendMessage" -d chat_id=-100123 -d text=backup-ok
