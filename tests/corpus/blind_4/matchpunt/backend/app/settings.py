"""Instellingen van de Matchpunt-API (FastAPI)."""

import os

ENV = os.getenv("MATCHPUNT_ENV", "production")
DATABASE_URL = os.getenv(
    "DATABASE_URL", "postgresql+asyncpg://matchpunt:DijkTulp89!@pg-main.matchpunt.internal:5432/matchpunt"
)
TEST_DATABASE_URL = "postgresql://user:password@localhost/test"
AWS_S3_BUCKET = "matchpunt-photos-prod"
AWS_ACCESS_KEY_ID = "AKIAUR4CN7DYHW6TUJLQ"
AWS_SECRET_ACCESS_KEY = "oatBRZ2gfr8vCnoemtbhtwqb3WxHQ0IKy5m4SLUe"
AWS_EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "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")
MODERATION_MODEL = "omni-moderation-latest"
TWILIO_ACCOUNT_SID = "ACac10348855f0a9f04322e90718874c6a"
TWILIO_API_KEY = "SK66c470c4058c8fed0598bcdf054ddfd5"
TWILIO_API_SECRET = "HfTcdZcnf4MsRYVISWxgyqrG2W6ctD04"
SESSION_SECRET = "9uTymGPcSWcMJBjtJqU3VeeOZ1F-17WQv1vYFJcXHEXishx1oH"
HUGGINGFACE_TOKEN = "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"
PASSWORD_RESET_TTL = 3600
ADMIN_DEFAULT_PASSWORD = "changeme"
