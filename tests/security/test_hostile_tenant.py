"""The outside probe, end to end: two organisations on one platform, one of them hostile (issue 13).

The whole platform runs as a user runs it (`launcher.py` behind nginx, embedded Redis and PostgreSQL).
Bravo keeps personal data and secrets in its uploads; Alpha, with its own valid API key, tries what
the probe tried: paths into Bravo's uploads however spelt, Bravo's job ids, numbers and text no worker
can keep, git credentials in a URL, oversize and malformed bodies. Then both run ordinary scans and
download every report format. Every response Alpha got, every log, the Redis AOF and every Redis value,
and every PostgreSQL row are grepped for the planted values: none may appear raw anywhere, and
nothing of Bravo's may appear in what Alpha was answered.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.e2e.platform import RunningPlatform, running_platform
from tests.planted import AWS_KEY, BSN, EMAIL, GH_TOKEN, IBAN, PLANTED
from tests.security.leaks import database_text, files_text, redis_text
from tests.security.test_log_redaction import pdf_with_font_map_line
from utils import database_manager
from utils.config import Settings
from utils.ipc_manager import connect
from utils.repositories import api_keys, organisations

ADMIN_PASSWORD = "Hostile-Probe-Admin-7731"
GIT_PASSWORD = "pw-Qz81hostileGitSecret"
FAKE_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"  # nobody signs in with it
SCAN_TIMEOUT_S = 90


@dataclass
class Org:
    """An organisation with an API key, and everything the platform answered it."""

    name: str
    org_id: str
    key: str
    base: str
    answers: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        url = f"{self.base}/api/v1{path}"
        response = requests.request(method, url, headers=headers, timeout=30, **kwargs)
        # what the platform answered, not what was asked (a probe names Bravo's ids itself)
        self.answers.append(f"{response.status_code} {response.headers} {response.text}")
        return response

    def upload(self, name: str, data: bytes) -> str:
        response = self.call("POST", "/uploads", files={"file": (name, data)})
        assert response.status_code == 201, response.text
        return str(response.json()["upload"])

    def submit(self, scanner: str, request: dict[str, Any], **extra: Any) -> requests.Response:
        return self.call("POST", "/scans", json={"scanner": scanner, "request": request, **extra})

    def raw_submit(self, body: str) -> requests.Response:
        return self.call("POST", "/scans", data=body.encode("utf-8", "surrogatepass"),
                         headers={"Content-Type": "application/json"})

    def finished(self, job_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        while time.monotonic() < deadline:
            response = self.call("GET", f"/scans/{job_id}/result")
            if response.status_code == 200:
                return dict(response.json())
            assert response.status_code == 409, response.text
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s scan {job_id} did not finish")


@pytest.fixture(scope="module")
def platform() -> Iterator[RunningPlatform]:
    """The launcher with the code, document and report workers, the API and nginx."""
    with running_platform(ADMIN_PASSWORD, scanners="code,document,report") as running:
        yield running


def _settings(platform: RunningPlatform) -> Settings:
    return Settings.from_env({key: platform.env[key] for key in ("DG_DATA_DIR", "DG_REDIS_PORT",
                                                                 "DG_POSTGRES_PORT")})


def _organisation(platform: RunningPlatform, name: str) -> Org:
    db = database_manager.Database.from_settings(_settings(platform))
    try:
        org_id = organisations.create_organisation(name, plan="enterprise", db=db)
        user_id = organisations.create_user(org_id, f"security@{name.lower()}.example", "admin", FAKE_HASH,
                                            db=db)
        _key_id, key = api_keys.create_api_key(org_id, "probe", user_id=user_id, db=db)
    finally:
        db.close()
    return Org(name, org_id, key, platform.url)


def _bravo_files() -> dict[str, bytes]:
    letter = (f"Geachte heer Jansen,\nUw burgerservicenummer is {BSN}; wij storten op {IBAN}.\n"
              f"Vragen? Mail {EMAIL}.\n").encode()
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("app/settings.py", f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nGITHUB = "{GH_TOKEN}"\n')
    return {"brief.txt": letter, "source.zip": source.getvalue(),
            "statement.pdf": pdf_with_font_map_line(b"<48> <0048> " + AWS_KEY.encode())}


def _refused(response: requests.Response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"], body
    return dict(body["error"])


def _probe_paths(alpha: Org, bravo_upload: str, uploads_dir: str) -> None:
    padding = "./" * 2100
    relative = bravo_upload[len(uploads_dir) + 1:]
    for spelling in (bravo_upload, f"{uploads_dir}/{padding}", f"{uploads_dir}/{padding}{relative}",
                     f"{uploads_dir}/{alpha.org_id}/../{relative}", f"{uploads_dir}//./{relative}"):
        for scanner, name in (("document", "path"), ("code", "path"), ("code", "archive")):
            _refused(alpha.submit(scanner, {name: spelling}), 400, 413)
    answers = {_refused(alpha.submit("code", {"git_url": f"file://{path}"}), 400)["message"]
               for path in (Path(bravo_upload).parent, Path(uploads_dir) / "no-such-upload")}
    assert len(answers) == 1  # a file:// URL does not tell whether another organisation's path exists


def _probe_requests(alpha: Org) -> None:
    for timeout in ("NaN", "Infinity", "-Infinity", "1e308"):
        _refused(alpha.raw_submit(f'{{"scanner": "document", "request": {{}}, "timeout_s": {timeout}}}'), 400)
    _refused(alpha.raw_submit('{"scanner": "dpia", "request": {"answers": ' + "[" * 5000 + "]" * 5000 + "}}"),
             400, 413)
    _refused(alpha.raw_submit('{"scanner": "document", "request": {"path": "\\ud800"}}'), 400)
    _refused(alpha.call("POST", "/scans", data=b"{" * (2 * 1024 * 1024),
                        headers={"Content-Type": "application/json"}), 413)
    long_name = alpha.call("POST", "/uploads", files={"file": ("a" * 5000 + ".txt", b"hello")})
    assert long_name.status_code == 201, long_name.text


def _probe_job_ids(alpha: Org, bravo_job: str) -> None:
    for path in ("", "/result", "/report?format=json"):
        _refused(alpha.call("GET", f"/scans/{bravo_job}{path}"), 404)
    _refused(alpha.call("DELETE", f"/scans/{bravo_job}"), 404)
    assert bravo_job not in json.dumps(alpha.call("GET", "/scans?limit=500").json())


def _probe_platform_internals(alpha: Org) -> None:
    # other tenants' git hosts and job ids live in /stats: not public; /health says only ok or not
    stats = requests.get(f"{alpha.base}/stats", timeout=10)
    health = requests.get(f"{alpha.base}/health", timeout=10)
    alpha.answers += [stats.text, health.text]
    assert stats.status_code == 404
    assert set(health.json()) == {"status"}


def _probe_dead_keys(platform: RunningPlatform, alpha: Org) -> None:
    """A deactivated member's key stops working; guessing keys is rate-limited (run last: the limit is
    per client address, and this test's every request comes from one)."""
    db = database_manager.Database.from_settings(_settings(platform))
    try:
        member = organisations.create_user(alpha.org_id, "leaver@alpha.example", "analyst", FAKE_HASH,
                                           db=db)
        _key_id, key = api_keys.create_api_key(alpha.org_id, "leaver", user_id=member, db=db)
        leaver = Org("Leaver", alpha.org_id, key, alpha.base, alpha.answers)
        assert leaver.call("GET", "/scans").status_code == 200
        organisations.update_user(alpha.org_id, member, active=False, db=db)
    finally:
        db.close()
    _refused(leaver.call("GET", "/scans"), 401)
    guessers = [Org("Guess", alpha.org_id, f"dgp_guess{n:04d}", alpha.base, alpha.answers) for n in range(40)]
    guesses = [guesser.call("GET", "/scans") for guesser in guessers]
    assert {r.status_code for r in guesses} == {401, 429} and guesses[-1].status_code == 429
    assert int(guesses[-1].headers["Retry-After"]) >= 1


def _probe_git_credentials(alpha: Org) -> str:
    # a private address: the clone is refused, but the password must not have been kept on the way
    response = alpha.submit("code", {"git_url": f"https://probe:{GIT_PASSWORD}@127.0.0.1:9/repo.git"})
    assert response.status_code == 202, response.text
    result = alpha.finished(response.json()["job_id"])
    assert result["status"] == "failed" and result["summary"]["compliance_score"] is None, result
    return str(response.json()["job_id"])


def _ordinary_scans(org: Org, uploads: dict[str, str]) -> list[dict[str, Any]]:
    jobs = [org.submit("document", {"path": uploads["brief.txt"]}),
            org.submit("document", {"path": uploads["statement.pdf"]}),
            org.submit("code", {"archive": uploads["source.zip"]})]
    results = []
    for response in jobs:
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        results.append(org.finished(job_id))
        for fmt in ("pdf", "json", "csv", "sarif"):
            report = org.call("GET", f"/scans/{job_id}/report?format={fmt}")
            assert report.status_code == 200, report.text
            if fmt == "pdf":
                org.answers.append("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
                    report.content)).pages))
    return results


@pytest.mark.slow
def test_a_hostile_organisation_gets_nothing_and_nothing_raw_is_kept(platform: RunningPlatform) -> None:
    alpha, bravo = _organisation(platform, "Alpha"), _organisation(platform, "Bravo")
    bravo_uploads = {name: bravo.upload(name, data) for name, data in _bravo_files().items()}
    uploads_dir = str((platform.data_dir / "uploads").resolve())
    bravo_results = _ordinary_scans(bravo, bravo_uploads)
    assert {f["type"] for r in bravo_results for f in r["findings"]} >= {
        "pii.bsn", "pii.iban", "pii.email", "secret.aws_access_key", "secret.github_token"}
    bravo_job = bravo_results[0]["job_id"]

    _probe_paths(alpha, bravo_uploads["brief.txt"], uploads_dir)
    _probe_requests(alpha)
    _probe_job_ids(alpha, bravo_job)
    _probe_platform_internals(alpha)
    git_job = _probe_git_credentials(alpha)
    alpha_uploads = {name: alpha.upload(name, data) for name, data in _bravo_files().items()}
    _ordinary_scans(alpha, alpha_uploads)
    _probe_dead_keys(platform, alpha)

    what_alpha_saw = "\n".join(alpha.answers)
    assert bravo.org_id not in what_alpha_saw and bravo_job not in what_alpha_saw
    settings = _settings(platform)
    time.sleep(1.5)  # the AOF is written every second
    kept = {"responses": what_alpha_saw + "\n".join(bravo.answers),
            "files": files_text(platform.data_dir, patterns=("*.log", "*.out", "*.aof", "*.rdb")),
            "redis": redis_text(connect(settings.effective_redis_url())),
            "postgres": database_text(settings.effective_database_url())}
    for where, text in kept.items():
        for value in (*PLANTED, GIT_PASSWORD):
            assert value not in text, f"{value[:4]}… found raw in {where}"
    assert git_job in kept["postgres"]  # the grep did read what the platform kept
