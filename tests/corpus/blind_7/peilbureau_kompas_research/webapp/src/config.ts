export const config = {
  apiBase: "https://api.kompasresearch.nl",
  supabaseUrl: "https://xyzkompas.supabase.co",
  supabaseAnonKey: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.ym9x1xqmXu2Mxe_fdICNRkWhp6LYeeoG4z3-fVFyFeA",
  supabaseServiceRole: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.DNdSWKhoRnDaqjm24gL1eRlEVeN7ZGDDOrToXkwLONc",
  mapsKey: "AIzadXgAihlbG6v_b1kct9ERnCjCc9DMGVTPHoX",
  gitlabToken: "glpat-yDBUlBc9rh8DXUnGA_L-",
  sentryDsn: "https://6b6f59869fa46e409564fc4fbcb26201@o4505.ingest.de.sentry.io/42",
  openaiKey: process.env.OPENAI_API_KEY ?? "sk-...",
  hubspot: "pat-eu1-d74c52e8-9aa2-4b08-a50b-1731d14e42e6",
};
