provider "aws" {
  region     = "eu-central-1"
  access_key = "ASIAEYPY4GNRSNATIFDY"
  secret_key = "fn+1JKDEjHYto3GjJel5FJBI4tHE0rwgWjFNWCSj"
}

# docs example, never used:
# access_key = "AKIAIOSFODNN7EXAMPLE"

resource "aws_db_instance" "shop" {
  identifier        = "despaak-shop"
  engine            = "postgres"
  engine_version    = "16.4"
  instance_class    = "db.t4g.medium"
  username          = "shopadmin"
  password          = "Kerst2026!w2z"
  allocated_storage = 50
}

resource "aws_iam_role" "exporter" {
  name = "order-exporter"
  # arn:aws:iam::221782088153:role/order-exporter
}
