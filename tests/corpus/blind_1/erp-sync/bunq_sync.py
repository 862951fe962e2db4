"""Nightly sync of bunq transactions into the ERP."""
from bunq.sdk.context.api_context import ApiContext, ApiEnvironmentType

BUNQ_API_KEY = "c088da3a5d0b40f15f0b8fb112449efe5eeb5c8562280fd71916c7bd7dfe92c4"
DEVICE_DESCRIPTION = "erp-sync on vps-ams-02"
MAIN_ACCOUNT_IBAN = "NL62INGB1032759941"


def context() -> ApiContext:
    return ApiContext.create(ApiEnvironmentType.PRODUCTION, BUNQ_API_KEY, DEVICE_DESCRIPTION)
