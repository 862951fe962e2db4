"""Fixtures of the REST API tests: the stack in tests/rest_api/stack.py."""

from tests.rest_api.stack import (  # noqa: F401 - fixtures
    api_settings,
    app,
    client,
    db,
    org_a,
    org_b,
    platform,
    served,
    service,
)
