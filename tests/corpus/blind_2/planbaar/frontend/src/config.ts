export const config = {
  apiBase: "https://api.planbaar.nl/v2",
  stripePublishableKey: "pk_live_PqoFAqe14AllDgIwplnP7hW4k4w0S53byu8VSLOIUNHZECyrDzpwsnGx7RN9t0wnyGATK94VIlQq9PK0BbHghz7Fj2ojmA0ahV4",
  sentryRelease: "planbaar-web@3.41.0.7",
  posthogHost: "https://eu.posthog.com",
  buildSha: "57f53b41f6156c487260bc3166801adef317a0f6",
  featureFlags: { healthDashboard: true, politicalAdsOptOut: false },
};
