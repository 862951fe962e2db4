// Rustpunt API configuration
export const config = {
  stripe: {
    secretKey: process.env.STRIPE_SECRET_KEY ?? "sk_live_gMlpwiODsiwzXQcFiDpGJ9G4",
    publishableKey: "pk_live_k7NZ4bn4bcM4c06Q7Erksslaj9YHG9wPPhUKG4hpadoDF9sx0hyMINvbXqzWTjIqec0fRNgeYfjObBLArhw3pyiqfDxnyiE2inC",
    webhookSecret: "whsec_y8K0S5ohRAuktSjVWayHfGHrTdTbGVJb",
  },
  openai: { apiKey: "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", model: "gpt-4o-mini" },
  jwtSecret: "ScuqDwWREeXypVoyDkSkDo39heXhVoI6ntyZbAyt808CK13CFnr0HcCerXA0IBy3",
  firebase: { apiKey: "AIzaZwdvJma35kkxe8hkD9RswUVXF9jHPDCkBQd", projectId: "rustpunt-app" },
  mongoUrl: "mongodb+srv://rustpunt-api:o6KVHAiHSdv1rPZ9PUl7@cluster0.x1abc.mongodb.net/prod",
  buildHash: "1154ceb35af20b2c6ea4925a5cf4c7edc600c2ed10a582bd1f180404eaa87a7b",
};
