package nl.hartvantwente.zorgapp

object ApiConfig {
    const val BASE_URL = "https://api.hartvantwente.nl/v2/"
    const val MAPS_KEY = "AIzaCZT010evdWv7s8cNSwrxiVEympOhQdk24xw"
    // HMAC key for offline reports, shared with the backend
    private const val REPORT_SIGNING_SECRET = "Jr9GYMks72qyh6xUVIWcyUwNytuPhHutb2z6LNFbcGCwIEJq"
    const val SENTRY_DSN = "https://92701cf9f4c29ee0148110604d9e8b43@o44871.ingest.de.sentry.io/4507"
    const val BUILD_COMMIT = "b8e01560d1ac1dc014af49111c9d8c12546064c0"
    const val DEMO_PIN = "0000"
    const val ONS_CLIENT_ID = "0372a54d-ab6f-44df-ad7d-5dfca218b04f"
    const val ONS_CLIENT_SECRET = "Mvrk570sd0YyzbFdBbgSrzezOmK4Wrzd4UhIwHra"
}
