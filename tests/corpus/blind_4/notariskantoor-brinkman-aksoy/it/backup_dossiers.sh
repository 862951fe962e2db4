#!/usr/bin/env bash
# Nachtelijke back-up van de dossiermap naar de NAS en naar de offsite bucket.
set -euo pipefail
export RESTIC_PASSWORD='em0V3J&C8hufNUBV8x'
export AWS_ACCESS_KEY_ID=AKIAAO4IM4YDMEISFDLA
export AWS_SECRET_ACCESS_KEY=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
SRC=/srv/dossiers
restic -r s3:https://s3.eu-central-1.amazonaws.com/brinkman-aksoy-backup backup "$SRC"
rsync -a --delete "$SRC" backup@62.195.236.179:/volume1/kantoor/
mysqldump -u notaris -p'0q0E2IdHPlhc9qEmNchCRSVR' dossiers > /srv/dump/dossiers.sql
curl -s -u monitor:GrachtFiets61! https://status.brinkman-aksoy.nl/ping >/dev/null
echo "klaar: $(date -Iseconds)"
