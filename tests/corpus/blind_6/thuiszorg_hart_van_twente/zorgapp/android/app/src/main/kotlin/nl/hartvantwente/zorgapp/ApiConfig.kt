package nl.hartvantwente.zorgapp

object ApiConfig {
    const val BASE_URL = "https://api.hartvantwente.nl/v2/"
    const val MAPS_KEY = "AIzahcAdr0M7GStmVJ5dfvzd1eQYf0YcgsP9rLg"
    // HMAC key for offline reports, shared with the backend
    private const val REPORT_SIGNING_SECRET = "GddzVUtTSBrzdKX3YflimZUamK1KWi6HzOat3tMvrk570sd0"
    const val SENTRY_DSN = "https://cc0f1d038c2c68c13b8007d5f390a53f@o44871.ingest.de.sentry.io/4507"
    const val BUILD_COMMIT = "b4ba683a1a369c275f39c24e98b74447f70893bc"
    const val DEMO_PIN = "0000"
    const val ONS_CLIENT_ID = "e293ed79-7fa5-4a21-a077-9b77e1756ba0"
    const val ONS_CLIENT_SECRET = "gZskIL3MP40XCgIIIdqeorDa986Vu6Acj0o4I45g"
}
