export const config = {
  apiBase: "https://api.kompasresearch.nl",
  supabaseUrl: "https://xyzkompas.supabase.co",
  supabaseAnonKey: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.7Czyl_ZFFj1B5SfyAAy12mPJc5mqK5XhKW9IQh3B7Fo",
  supabaseServiceRole: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.iAwNUQ5IvKIgGjJ6mQPW5FjYJdQKfLyiBD5fpxDZKZU",
  mapsKey: "AIza6cWZVKI6Ge0A6h2qx4Gr8at97embK_mSWPs",
  gitlabToken: "glpat-RRoymI_6L-Au-eIgFtVM",
  sentryDsn: "https://a09cc88b6001268851bf8ce43072de44@o4505.ingest.de.sentry.io/42",
  openaiKey: process.env.OPENAI_API_KEY ?? "sk-...",
  hubspot: "pat-eu1-d9f6eaab-bb1a-4a7e-a63a-9f91c95fe903",
};
