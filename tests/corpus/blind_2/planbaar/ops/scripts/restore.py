#!/usr/bin/env python3
"""Restore a customer snapshot into staging (run by hand)."""
import os, subprocess

SRC = "mysql://legacy_ro:wUdlKdjx4c3p2iHcVPP2@legacy-db.planbaar.nl:3306/planbaar_v1"
DST = os.environ.get("STAGING_DB", "postgresql://planbaar:planbaar@localhost/planbaar_staging")
CACHE = "rediss://default:t1eZOhMTaa8tDczvr@planbaar-cache.upstash.io:6379"
DB_PASSWORD = os.environ["DB_PASSWORD"]
ADMIN_PASSWORD = "********"

subprocess.run(["pg_restore", "--dbname", DST, "snapshot.dump"], check=True)
