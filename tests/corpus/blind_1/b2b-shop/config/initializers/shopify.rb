# config/initializers/shopify.rb
ShopifyAPI::Context.setup(
  api_key: ENV.fetch("SHOPIFY_API_KEY"),
  api_secret_key: "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",
  host: "https://b2b.koffiebranderij-demolen.nl",
  scope: "read_orders,write_products",
  is_embedded: false,
  api_version: "2024-07",
  is_private: true,
  private_shop: "demolen-b2b.myshopify.com",
)
SHOPIFY_ADMIN_TOKEN = "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"
