terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.70" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAKHYIP356DCHAFEVO"
  secret_key = "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"
}

resource "aws_db_instance" "main" {
  identifier        = "matchpunt-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "matchpunt"
  password          = "VyiqwU5JSqT7VyWuxi"
  allocated_storage = 100
}

variable "stripe_secret" {
  default = "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"
}

variable "example_secret" {
  default = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["212.238.248.42/32"]   # thuis-IP van de CTO
}
