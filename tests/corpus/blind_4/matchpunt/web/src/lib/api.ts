// API-client van de webapp. Alles hier belandt in de browserbundel.
export const API_BASE = "https://api.matchpunt.nl/v3";
export const STRIPE_PUBLISHABLE = "pk_live_51E7TYvkGL83FsLShW5DwNBv5wadle5bH0bPN8PTf9x80YwYb2GasEoiSbFmjWyGpQdgFFX1Ce2sWsxNYSNAjnHrY8287Ny54At";
export const MAPS_KEY = "AIzaTfJPbvYxF0bCbc68Owbrrl3lCGn9urp9rQL";
export const SENTRY_DSN = "https://d35cb7170d741726795f8f926036de23@o118822.ingest.sentry.io/4507721";
// tijdelijk voor de demo, TODO verwijderen
const ADMIN_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJtb2RlcmF0b3IiLCJleHAiOjE3NjcyMjU2MDB9.I1lqyKapl2vKxeeTOhWQJnvz8rUNgwZjtpVUrs8PhiY";
const EXAMPLE_TOKEN = "eyJhbGciOi...";

export async function reportProfile(profileId: number, reason: string): Promise<void> {
  await fetch(`${API_BASE}/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN_JWT}` },
    body: JSON.stringify({ profileId, reason }),
  });
}
