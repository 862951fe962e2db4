#!/usr/bin/env bash
# Nachtelijke back-up van UitvaartNet naar Backblaze B2
set -euo pipefail
export B2_APPLICATION_KEY_ID="00517be12336ae0207ee7210e"
export B2_APPLICATION_KEY="K005FXzuGtwBiwVaBEF4ak0OJcU4rMw"
export PGPASSWORD='doXHwdd*FbLxl'
pg_dump -h localhost -U uitvaartnet uitvaartnet | gzip > /backup/uitvaartnet-$(date +%F).sql.gz
sha256sum /backup/*.gz > /backup/SHA256SUMS  # e.g. acc7e30b61171b629c83202134dded3a5e594f3103f6f9dafa0d7973a16bf8ef
mysql -u root -p'oFKDzQ$Wfxrw' -e 'FLUSH LOGS'
