#!/bin/sh
# Herstel van leerlingdossiers uit S3 (handmatig draaien)
export AWS_ACCESS_KEY_ID=AKIAJXMPA2UKFA4VCUWF
export AWS_SECRET_ACCESS_KEY=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
export AWS_DEFAULT_REGION=eu-central-1
aws s3 cp s3://itvs-backups/lvs/latest.bak /tmp/lvs.bak
sqlcmd -S sql01 -U sa -P 'OAhfJJ_B9FbnSCaus' -Q "RESTORE DATABASE Leerlingvolg FROM DISK='/tmp/lvs.bak'"
curl -u api:key-038290f1ba309f68d5c5b3d39113b6aa https://api.eu.mailgun.net/v3/itvoorscholen.nl/messages -F to=beheer@itvoorscholen.nl -F text=restored
curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJsdnMiLCJzdWIiOiJyZXN0b3JlLWJvdCIsInNjb3BlIjoiYWRtaW4ifQ.zG93Kqq6V8OWRBpAqF1Cr04COMPTNDa4R1WKNyg4H1k" https://lvs.itvoorscholen.nl/api/reindex
# wachtwoord van de testomgeving staat in de kluis, niet hier: ********
