provider "aws" {
  region     = "eu-central-1"
  access_key = "AKIAPKOOSQJ3D2NCLP3S"
  secret_key = "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"
}

resource "aws_s3_bucket" "loonstroken" {
  bucket = "kb-loonstroken-archief"
}

resource "aws_kms_key" "archief" {
  description = "arn:aws:kms:eu-central-1:318462790113:key/ccf2fe69-4391-4736-adb5-6143e1ce9e4d"
}

resource "aws_db_instance" "portal" {
  engine   = "mysql"
  username = "portal"
  password = var.db_password
}

variable "example_key" {
  default = "AKIAIOSFODNN7EXAMPLE"
}
