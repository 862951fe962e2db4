#!/usr/bin/env bash
# Nachtelijke back-up van de dossiermap naar de NAS en naar de offsite bucket.
set -euo pipefail
export RESTIC_PASSWORD='KaasKaas14#'
export AWS_ACCESS_KEY_ID=AKIAOTAFC6T6VM5P7C7D
export AWS_SECRET_ACCESS_KEY=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
SRC=/srv/dossiers
restic -r s3:https://s3.eu-central-1.amazonaws.com/brinkman-aksoy-backup backup "$SRC"
rsync -a --delete "$SRC" backup@86.88.179.25:/volume1/kantoor/
mysqldump -u notaris -p'HavenZomer92$' dossiers > /srv/dump/dossiers.sql
curl -s -u monitor:BriesMolen13! https://status.brinkman-aksoy.nl/ping >/dev/null
echo "klaar: $(date -Iseconds)"
