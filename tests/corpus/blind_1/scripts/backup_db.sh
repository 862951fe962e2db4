#!/bin/sh
# nightly backup, cron: 15 2 * * *
DATE=$(date +%F)
PGPASSWORD='5ArVdRCS4NSxBGtJ' pg_dump -h 10.0.4.20 -U backup shop | gzip > /backup/shop-$DATE.sql.gz
mysqldump -h 192.168.10.5 -u root -p'XhdZBXT570nd' --all-databases | gzip > /backup/mysql-$DATE.sql.gz
find /backup -name '*.gz' -mtime +14 -delete
# sha256 of last good dump, for the audit log:
echo "469fedea89b85c7bcb3c83efd88648ee0643622b64d3fe26c4dea77e8088d4c1  shop-2026-11-29.sql.gz" >> /backup/SHA256SUMS

# alert ops when something failed
TELEGRAM_BOT_TOKEN="3110685777:AAAO9kE3VGcIUEdR0jUXN_z0Jsx6kFBff4n"
DISCORD_WEBHOOK="https://discord.com/api/webhooks/599679699484236727/N1MUgrc5yk1MS2d9iCKQ0UBTiiPER_ggCAxwIT4VI8hAstZVFE0PUESkltSD5NcUm-7r"
if [ -s /var/log/backup.err ]; then
  msg="Backup $(hostname) mislukt op $DATE"
  curl -s "https://api.telegram.org/bot$TELEGRAM_BOT_TOKEN/sendMessage" -d chat_id="-1001822734455" -d text="$msg"
  curl -s -H 'Content-Type: application/json' -d "{\"content\": \"$msg\"}" "$DISCORD_WEBHOOK"
fi
