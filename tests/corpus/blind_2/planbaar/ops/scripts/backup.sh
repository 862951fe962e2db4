#!/usr/bin/env bash
set -euo pipefail
# nightly backup, runs on bastion
export AWS_ACCESS_KEY_ID=AKIAKHPYUJ72OE4HWNKS
export AWS_SECRET_ACCESS_KEY=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
PGPASSWORD='Zomer#2011DIx' pg_dump -h planbaar-prod.c9xk2.eu-west-1.rds.amazonaws.com -U backup planbaar | gzip > /backup/planbaar-$(date +%F).sql.gz
curl -fsS -u backup:Fiets#2019zbk https://objects.planbaar.nl/upload -T /backup/planbaar-$(date +%F).sql.gz
sha256sum /backup/*.gz  # e.g. 0989a22ceda741c1e6e6297f8dac93ca4660cff344a7b9c26894c533dba3c919
curl -fsS -X POST -d '{"text":"backup ok"}' https://hooks.slack.com/services/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
