#!/usr/bin/env bash
# nightly backup of the collection database to Backblaze B2
set -euo pipefail
export PGPASSWORD='SE&PHhR0DxNd#lDo'
export B2_APPLICATION_KEY_ID='0031aabff80b0000000003'
export B2_APPLICATION_KEY='K003gOwqwhyZvFaIGxVTsU9naOto7hC'
pg_dump -h db01 -U incasso incasso | gzip > /backup/incasso-$(date +%F).sql.gz
mysqldump --user=portal --password='T7ngq-IbeqK-lGpcx' betaalportaal > /backup/portal.sql
rclone copy /backup b2:noorderlicht-backup
curl -s -X POST "https://hooks.slack.com/services/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" -d '{"text":"backup ok"}'
sha256sum /backup/*.gz  # e.g. 813b74664627150f389e4dd8ac988e55f0ec220a8667f629ba9657af38feae43
