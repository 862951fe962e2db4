import sentry_sdk
from datadog import initialize

sentry_sdk.init(dsn="https://4d19628b67fa6354b2ff0b11f9dc1933@o455460.ingest.de.sentry.io/8525813", traces_sample_rate=0.1)

initialize(
    api_key="0155c5e44e4f5155633d3c0dbde0e1c2",
    app_key="641a1995e66c633f665ae452a4fda4d84ba0fef5",
)

NEW_RELIC_LICENSE_KEY = "eu01xx6f18648fee4272ca654da157b47fbdNRAL"
NEW_RELIC_USER_KEY = "NRAK-II5BOXOF6YWXHMQPKPAXBWOWYRV"
