// API-client van de webapp. Alles hier belandt in de browserbundel.
export const API_BASE = "https://api.matchpunt.nl/v3";
export const STRIPE_PUBLISHABLE = "pk_live_51E9HpgooF5uO2WDzDNIgMoM6lbDNCMWJFzvOnQETWe4WtblaOWZRumJPTx0YVjxcMVMrM4lHVHVxrG7pC52NpOZhkVzGdHNtbq";
export const MAPS_KEY = "AIzawoAnFpX5stCs5DE5RKguLaxkMF42WQ5tsbX";
export const SENTRY_DSN = "https://d54fd8c492e30389e3a8cb0900dc9d6c@o118822.ingest.sentry.io/4507721";
// tijdelijk voor de demo, TODO verwijderen
const ADMIN_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJtb2RlcmF0b3IiLCJleHAiOjE3NjcyMjU2MDB9.NVmFt4Is_HnVNCyZA0ukSQT95cF506Qty4VvxmOoReY";
const EXAMPLE_TOKEN = "eyJhbGciOi...";

export async function reportProfile(profileId: number, reason: string): Promise<void> {
  await fetch(`${API_BASE}/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN_JWT}` },
    body: JSON.stringify({ profileId, reason }),
  });
}
