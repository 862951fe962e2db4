provider "aws" {
  region     = "eu-central-1"
  access_key = "AKIA46MDNQZC4QYYTHFW"
  secret_key = "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"
}

resource "aws_s3_bucket" "loonstroken" {
  bucket = "kb-loonstroken-archief"
}

resource "aws_kms_key" "archief" {
  description = "arn:aws:kms:eu-central-1:318462790113:key/c162d0b3-4f2d-4378-afa4-4c801a121426"
}

resource "aws_db_instance" "portal" {
  engine   = "mysql"
  username = "portal"
  password = var.db_password
}

variable "example_key" {
  default = "AKIAIOSFODNN7EXAMPLE"
}
