"""Hosted databases and data platforms: PlanetScale, ClickHouse Cloud, Databricks, Supabase, Neon, DataStax
Astra, Airtable, Snowflake, MongoDB Atlas, ….

A database credential reads the data itself, personal data included: critical. Passwords inside
connection URLs and JDBC/ADO.NET strings are password.py's; these are the platforms' own API tokens.
"""

from __future__ import annotations

from services.detection.detectors.vendor import assigned, token
from services.detection.randomness import looks_random
from services.results import Severity

CRITICAL = Severity.CRITICAL

DETECTORS = (
    token("PlanetScale", "planetscale_token", ("pscale_tkn_", "pscale_oauth_", "pscale_pw_"),
          r"[A-Za-z0-9_=.-]{32,64}", severity=CRITICAL),
    token("ClickHouse Cloud", "clickhouse_secret_key", ("4b1d",), r"[A-Za-z0-9]{38}", severity=CRITICAL,
          confidence=0.8, context=("clickhouse",), context_confidence=0.97),
    token("Databricks", "databricks_token", ("dapi",), r"[a-f0-9]{32}(?:-\d)?", severity=CRITICAL),
    token("Supabase", "supabase_token", ("sbp_",), r"[a-f0-9]{40}", severity=CRITICAL),
    token("Supabase", "supabase_secret_key", ("sb_secret_",), r"[A-Za-z0-9_-]{31,40}", severity=CRITICAL),
    token("Neon", "neon_api_key", ("napi_",), r"[a-z0-9]{64}", severity=CRITICAL),
    token("DataStax Astra", "astra_db_token", ("AstraCS:",), r"[A-Za-z]{24}:[a-f0-9]{64}", severity=CRITICAL,
          validate=lambda v: looks_random(v.rsplit(":", 1)[1])),
    token("Airtable", "airtable_pat", ("pat",), r"[A-Za-z0-9]{14}\.[a-f0-9]{64}", severity=CRITICAL,
          validate=lambda v: looks_random(v.rsplit(".", 1)[1])),
    assigned("Airtable", "airtable_api_key_legacy", ("airtable",), r"key[A-Za-z0-9]{14}", severity=CRITICAL,
             margin=0.8),
    assigned("MongoDB Atlas", "mongodb_atlas_private_key", ("atlas_private_key", "mongodb_atlas",
                                                            "mongodbatlas"),
             r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", severity=CRITICAL),
    assigned("Upstash", "upstash_token", ("upstash",), r"[A-Za-z0-9]{40,100}=?", severity=CRITICAL),
    assigned("Firebase", "firebase_database_secret", ("firebase_secret", "firebase_db_secret",
                                                      "firebase_database_secret"),
             r"[A-Za-z0-9]{40}", severity=CRITICAL),
)
