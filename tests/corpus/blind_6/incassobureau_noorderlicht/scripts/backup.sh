#!/usr/bin/env bash
# nightly backup of the collection database to Backblaze B2
set -euo pipefail
export PGPASSWORD='%VaW2Tac8yl2Luq5'
export B2_APPLICATION_KEY_ID='0031b353ddf70000000003'
export B2_APPLICATION_KEY='K003RvrUi7Zbe9DK6i8Xxg1NT7hmfpr'
pg_dump -h db01 -U incasso incasso | gzip > /backup/incasso-$(date +%F).sql.gz
mysqldump --user=portal --password='owx42eip7Qp#0lfj' betaalportaal > /backup/portal.sql
rclone copy /backup b2:noorderlicht-backup
curl -s -X POST "https://hooks.slack.com/services/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" -d '{"text":"backup ok"}'
sha256sum /backup/*.gz  # e.g. 23b7a81ad7590f273e512bafd75145e7aabff80b3b8b3caf0b960973e09f1f39
