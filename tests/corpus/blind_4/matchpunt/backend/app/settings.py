"""Instellingen van de Matchpunt-API (FastAPI)."""

import os

ENV = os.getenv("MATCHPUNT_ENV", "production")
DATABASE_URL = os.getenv(
    "DATABASE_URL", "postgresql+asyncpg://matchpunt:kL89VqZCPrHiojSLqDRti2jX@pg-main.matchpunt.internal:5432/matchpunt"
)
TEST_DATABASE_URL = "postgresql://user:password@localhost/test"
AWS_S3_BUCKET = "matchpunt-photos-prod"
AWS_ACCESS_KEY_ID = "AKIAHK6WTRNE4OORSGJD"
AWS_SECRET_ACCESS_KEY = "Oto72ELSz73GrJGfbVVkSMQqokvDcOzfleBR0oWG"
AWS_EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "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")
MODERATION_MODEL = "omni-moderation-latest"
TWILIO_ACCOUNT_SID = "AC79b5e36f478e7d23d63e46711e9897a7"
TWILIO_API_KEY = "SKf48499bbb69f89b05cdbdef3a1afc19b"
TWILIO_API_SECRET = "kW6RUcvaDAbmPUf36ALmn7BGbpZs8YeQ"
SESSION_SECRET = "6qG-KrMNLTfuY3sqKTvLWzvl14t4Rmut7pNjx7rII_It28ou5D"
HUGGINGFACE_TOKEN = "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"
PASSWORD_RESET_TTL = 3600
ADMIN_DEFAULT_PASSWORD = "changeme"
