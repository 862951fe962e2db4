"""Property tests with schemathesis against the OpenAPI document the API serves, over real HTTP.

Every operation gets a bounded number of generated requests (authenticated as one organisation);
each response must be a declared status with a body that matches the declared schema, and never a 5xx.
"""

from __future__ import annotations

from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.rest_api.stack import Served, Tenant, assert_no_planted

MAX_EXAMPLES = 6  # per operation and mode: about 100 requests in all, a few seconds


# any request may also be refused as too large (413): every string may be 4,096 characters while a
# request is bounded as a whole (DG_MAX_REQUEST_BYTES, small in the tests), and the API says 413 first
CONFIG = SchemathesisConfig.from_dict({"checks": {
    "negative_data_rejection": {"expected-statuses": [
        "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]},
    "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "413",
                                                       "429", "5xx"]}}})


def _operations(base: str) -> list[Any]:
    """Every operation of the document exactly as served."""
    loaded = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=CONFIG)
    operations = []
    for result in loaded.get_all_operations():
        assert isinstance(result, Ok), result  # the served document must load cleanly
        operations.append(result.ok())
    return operations


ROUTES = {"/api/v1/health", "/api/v1/openapi.json", "/api/v1/scanners", "/api/v1/uploads", "/api/v1/scans",
          "/api/v1/scans/{job_id}", "/api/v1/scans/{job_id}/result", "/api/v1/scans/{job_id}/report",
          "/api/v1/scans/{job_id}/artifacts/{index}", "/api/v1/billing/webhook", "/api/v1/session"}


# schemathesis's own pytest plugin (from_fixture) does not run under pytest 9, so each operation's
# strategy is driven by hypothesis directly; the checks are the same as call_and_validate's.
# One test for both modes: the served process starts once.
def test_every_operation_conforms_to_the_served_document(served: Served, org_a: Tenant) -> None:
    document = requests.get(f"{served.base}/api/v1/openapi.json", timeout=10).json()
    assert set(document["paths"]) == ROUTES
    operations = _operations(served.base)
    assert len(operations) >= 10  # schemathesis leaves out the document's own path
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for operation in operations:
            if mode == GenerationMode.NEGATIVE and not _has_inputs(operation):
                continue  # nothing to make invalid
            _check_operation(operation, served.base, org_a, mode)


def _names_a_dsn(case: Any) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    return body.get("scanner") == "database" and isinstance(body.get("request"), dict) \
        and "dsn" in body["request"]


def _has_inputs(operation: Any) -> bool:
    return bool(len(operation.query) or len(operation.path_parameters) or len(operation.body))


def _check_operation(operation: Any, base: str, tenant: Tenant, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    def conforms(case: Any) -> None:
        # a schema cannot express "signed with the endpoint secret": generated webhooks are refused (400);
        # nor a connection string's grammar (scheme, user, one host, port range, database, parameters),
        # which tests/inputs/test_dsn.py checks case by case: a generated dsn may be refused (400)
        unexpressible = operation.path.endswith("/webhook") or _names_a_dsn(case)
        excluded = [positive_data_acceptance] if unexpressible else []
        response = case.call_and_validate(base_url=base, headers=tenant.headers, excluded_checks=excluded)
        assert_no_planted(response.content)
        assert tenant.key not in response.text

    conforms()
