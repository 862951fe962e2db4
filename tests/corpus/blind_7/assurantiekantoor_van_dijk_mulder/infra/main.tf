provider "azurerm" {
  features {}
  tenant_id       = "6b9382e9-d919-422b-ad0f-6d54d7dc2682"
  client_id       = "6f782608-c2a7-40f8-a4fc-85a188b32f82"
  client_secret   = "D188Q~YnZrsbleDrplBWwJHPIMk5hefieC.-tRo8"
  subscription_id = "5fa9834b-cc25-44e3-a094-1323563ac25d"
}

resource "azurerm_storage_account" "archief" {
  name                = "vdmarchief"
  resource_group_name = "rg-polis"
}

locals {
  archive_conn = "DefaultEndpointsProtocol=https;AccountName=vdmarchief;AccountKey=WaVEOtR6wj5R0OSNARDbTdI4ZSnSca9AlPRe//DoWd9f0/SH6IA604LwgNpaKGS33JCp5a/d7oQr5bCj3TZIo6==;EndpointSuffix=core.windows.net"
  image_digest = "sha256:aa44533d38486a107e4da64576a5353e570a1230042edac8550fd263b907d12e"
}
