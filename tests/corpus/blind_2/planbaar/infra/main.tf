terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket = "planbaar-tfstate"
    region = "eu-west-1"
  }
}

provider "cloudflare" {
  api_token = "G8FIfFtRNKsW9tJo3kYr2LYnWQRKCxuRprARvvyY"
}

provider "digitalocean" {
  token = "dop_v1_33a0094d86aec2419fe345d9846307804f1de2e94a58e0f2a46fa8f7d149d810"
}

resource "aws_db_instance" "main" {
  identifier     = "planbaar-prod"
  engine_version = "16.4"
  username       = "planbaar"
  password       = var.db_password
}

resource "aws_security_group_rule" "office" {
  cidr_blocks = ["188.94.246.36/32"]  # kantoor Utrecht (thuis-IP van Daan)
  from_port   = 22
}
