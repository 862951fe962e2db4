terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.70" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIA2IEJUI2MIT5D6A5P"
  secret_key = "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"
}

resource "aws_db_instance" "main" {
  identifier        = "matchpunt-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "matchpunt"
  password          = "79Clloiw7TcpDqZjCJrOrJjZ"
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
  cidr_blocks = ["31.20.33.24/32"]   # thuis-IP van de CTO
}
