"""`cli.py scan api URL --option spec=…` in local mode against the planted API on 127.0.0.1, tokens read from
the environment (`env:NAME`) so they are in no command line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from tests.cli.conftest import Run
from tests.local_sites import LocalSite, serving
from tests.scanners.api_sites import TOKEN_A, TOKEN_B, leaky_api


@pytest.fixture(scope="module")
def leaky() -> Iterator[LocalSite]:
    with serving(leaky_api()) as site:
        yield site


def test_cli_scans_an_api_with_its_document_and_tokens_from_the_environment(
        cli: Callable[..., Run], leaky: LocalSite) -> None:
    run = cli("scan", "api", leaky.url("/"), "--local", "--option", f"spec={leaky.url('/openapi.json')}",
              "--option", "bearer_token=env:API_TOKEN_A", "--option", "other_bearer_token=env:API_TOKEN_B",
              "--option", "burst=3", "--option", "rate_per_s=50", "--fail-on", "high",
              extra_env={"DG_ALLOW_PRIVATE_TARGETS": "1", "API_TOKEN_A": TOKEN_A, "API_TOKEN_B": TOKEN_B})
    assert run.code == 1, run.stderr  # high findings, as --fail-on asks
    result = json.loads(run.stdout)["results"][0]
    assert result["scanner"] == "api" and result["status"] == "completed"
    assert "api.broken_object_authorization" in {f["type"] for f in result["findings"]}  # B's token arrived
    run.assert_no_planted()
    for token in (TOKEN_A, TOKEN_B):
        assert token not in run.stdout.decode() and token not in run.stderr
    assert {method for method, _ in leaky.requests} <= {"GET", "HEAD", "OPTIONS"}


def test_cli_names_a_missing_environment_variable(cli: Callable[..., Run], leaky: LocalSite) -> None:
    run = cli("scan", "api", leaky.url("/"), "--local", "--option", "bearer_token=env:NOT_SET_ANYWHERE")
    assert run.code == 2 and "the environment has no NOT_SET_ANYWHERE" in run.stderr
