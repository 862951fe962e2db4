provider "azurerm" {
  features {}
  tenant_id       = "9382e9d9-1962-4b1d-af6d-54d7dc26826f"
  client_id       = "782608c2-a7f0-48b4-ac85-a188b32f8260"
  client_secret   = "8mH8Q~nZrsbleDrplBWwJHPIMk5hefieC.-tRo8K"
  subscription_id = "fa9834bc-c25f-4e39-a941-323563ac25d8"
}

resource "azurerm_storage_account" "archief" {
  name                = "vdmarchief"
  resource_group_name = "rg-polis"
}

locals {
  archive_conn = "DefaultEndpointsProtocol=https;AccountName=vdmarchief;AccountKey=aVEOtR6wj5R0OSNARDbTdI4ZSnSca9AlPRe//DoWd9f0/SH6IA604LwgNpaKGS33JCp5a/d7oQr5bCj3TZIo6F==;EndpointSuffix=core.windows.net"
  image_digest = "sha256:d56066d951aec5f0c41dcffbc782c78e2d81a2e1d6a3e1d79d2ff5f1973c5324"
}
