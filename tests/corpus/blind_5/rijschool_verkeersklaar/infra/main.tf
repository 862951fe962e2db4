terraform {
  backend "s3" {
    bucket = "verkeersklaar-tfstate"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIARQYVSFOV64E2IPN3"
  secret_key = "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"
}

resource "aws_db_instance" "planning" {
  identifier = "planning"
  engine     = "postgres"
  username   = "planning"
  password   = "wTzFY!TEQQZP"
  kms_key_id = "arn:aws:kms:eu-west-1:156162702285:key/687ad8f5-8eab-9a53-22fb-e06eba15328c"
}

variable "db_password" {
  default = "REPLACE_ME"
}
