"""Fingerprints are keyed per organisation (issue 13, item 3).

Anyone who can scan can compute the fingerprint of a guessed value by scanning it. With one key for
the whole installation, a member of one organisation could match another organisation's fingerprints
(all valid BSNs with a known prefix take seconds) and learn its values.
"""

from __future__ import annotations

from typing import Any

from services.scan_service import ScanService
from tests.planted import BSN, IBAN
from tests.rest_api import stack
from tests.rest_api.stack import Tenant
from tests.runtime.conftest import Platform

api_settings, db, service, platform = stack.api_settings, stack.db, stack.service, stack.platform
org_a, org_b = stack.org_a, stack.org_b

SOURCE = f'CUSTOMER_BSN = "{BSN}"  # support case\nREFUND_IBAN = "{IBAN}"\n'


def _scan(service: ScanService, tenant: Tenant, options: dict[str, Any] | None = None) -> dict[str, Any]:
    path = service.save_upload(tenant.org_id, "customers.py", SOURCE.encode())
    request: dict[str, Any] = {"path": str(path)}
    if options:
        request["options"] = options
    job_id = service.submit(tenant.org_id, tenant.user_id, "code", request)
    result = service.manager.queue.wait(job_id, 30)
    assert result is not None and result["status"] == "completed", result
    return result


def _fingerprints(result: dict[str, Any]) -> dict[str, str]:
    return {f["type"]: f["fingerprint"] for f in result["findings"]}


def test_the_same_value_has_another_fingerprint_in_another_organisation(
        service: ScanService, platform: Platform, org_a: Tenant, org_b: Tenant) -> None:
    platform.start_workers("code")
    alpha, alpha_again, bravo = _scan(service, org_a), _scan(service, org_a), _scan(service, org_b)
    assert set(_fingerprints(alpha)) == {"pii.bsn", "pii.iban"}
    assert _fingerprints(alpha) == _fingerprints(alpha_again)  # stable within the organisation
    shared = set(_fingerprints(alpha).values()) & set(_fingerprints(bravo).values())
    assert not shared  # Bravo cannot confirm Alpha's values by scanning candidates
    # a baseline holds within its organisation only
    own = _scan(service, org_a, {"baseline": alpha})
    assert all(f.get("suppressed") for f in own["findings"])
    foreign = _scan(service, org_b, {"baseline": list(_fingerprints(alpha).values())})
    assert not any(f.get("suppressed") for f in foreign["findings"])
