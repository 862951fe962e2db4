provider "azurerm" {
  features {}
  tenant_id       = "60e3f717-dc00-410b-a3d2-8c85d42e625c"
  client_id       = "975fd08f-0057-4b22-a88c-a03e92ab13f4"
  client_secret   = "tb58Q~SZy99Ta9acKw33SQSeDGY1q5oIj_lzQWOI"
  subscription_id = "8c289dcb-794e-4ef2-aef7-256fd60ea428"
}

resource "azurerm_storage_account" "archief" {
  name                = "vdmarchief"
  resource_group_name = "rg-polis"
}

locals {
  archive_conn = "DefaultEndpointsProtocol=https;AccountName=vdmarchief;AccountKey=BNpHeR3GcSPoOCBgrPMxuRI/EBHbSkyji6vqRj2wg1nJ5Hp07YHbPRi15x5X/0oadQHLjgd31nUcYo4r1+r4Q2==;EndpointSuffix=core.windows.net"
  image_digest = "sha256:49d1924dc3935bf33573e5ca64b0ded3df943327f02e6631e4fbb54a10527ad4"
}
