#!/usr/bin/env bash
# nachtelijke backup van de ledenapp (cron 02:30)
set -euo pipefail
export MYSQL_PWD='2873C*cHlU3Qp%RV'
mysqldump -u ledenapp -h 127.0.0.1 ledenapp | gzip > /var/backups/leden-$(date +%F).sql.gz
# NAS staat bij de scriba thuis (vast IP van haar KPN-aansluiting)
rsync -a /var/backups/ backup@185.39.70.174:/srv/pgdeark/
# offsite naar TransIP stack
curl -s -u "scriba:!xbx#d+IvSLO5xR3" -T /var/backups/leden-$(date +%F).sql.gz https://pgdeark.stackstorage.com/remote.php/webdav/
echo "klaar, zie https://status.pgdeark.nl (server 192.168.178.20)"
