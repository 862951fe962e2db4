terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIYUZMTDHSDYPWGUU"
  secret_key = "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"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "tWcpTEAzsYr9GRWjkw"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_db_instance" "shop" {
  identifier        = "shop-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "shop"
  password          = var.db_password
  allocated_storage = 50
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["198.51.100.24/32"]
}
