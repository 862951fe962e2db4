export const config = {
  apiBase: "https://api.kompasresearch.nl",
  supabaseUrl: "https://xyzkompas.supabase.co",
  supabaseAnonKey: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.nsP4aj2NozPKAsmHrUnREVWkAm3tKlEgvhWxVsp9QtQ",
  supabaseServiceRole: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.18AYJQ7uQbxNrXRDiiUR7h7LMHXtkNZKD088XNGNLw4",
  mapsKey: "AIzadKTldNekKsKelMjI6Dc_isi_151cLJG2P_j",
  gitlabToken: "glpat-oYWGwByXPSlafZw9cDiZ",
  sentryDsn: "https://7952055857fe15044c5cee79a32cf642@o4505.ingest.de.sentry.io/42",
  openaiKey: process.env.OPENAI_API_KEY ?? "sk-...",
  hubspot: "pat-eu1-01d10a5d-59b0-49ab-ac39-82498a2bab94",
};
