#!/usr/bin/env bash
set -euo pipefail

# Deploy script used by the old Jenkins box. Do not run locally.
export AWS_ACCESS_KEY_ID=AKIAJHPC4FR6GHJQ3IGM
export AWS_SECRET_ACCESS_KEY=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
export AWS_DEFAULT_REGION=eu-west-1

VERSION=$(git describe --tags)
tar czf build-$VERSION.tar.gz dist/

curl -fsS -u deploy:N2ulZBSLMu! --upload-file build-$VERSION.tar.gz \
  https://nexus.koffiebranderij-demolen.nl/repository/releases/webshop/

curl -fsS -H "Authorization: Basic Y2ktZGVwbG95OllmQlZFbUFERjJCdk5E" \
  https://nexus.koffiebranderij-demolen.nl/service/rest/v1/status

curl -fsS -H "Authorization: Bearer $DEPLOY_TOKEN" https://api.koffiebranderij-demolen.nl/deploy/hook

echo "dckr_pat_va6dJ8JUB-qd8g13qhD4XsOFPhk" | docker login -u demolen --password-stdin
docker push demolen/webshop:$VERSION

# legacy staging (DigitalOcean + Heroku), to be removed
export DIGITALOCEAN_ACCESS_TOKEN=dop_v1_ef164526f198ede76137edc734c924e527eb82549576ac66b2d90fefd9339639
export HEROKU_API_KEY=0d46db00-1df8-4564-b875-75fdb04bd399

ssh deploy@203.0.113.10 "sudo systemctl restart webshop"
git push git@github.com:demolen/webshop.git --tags
