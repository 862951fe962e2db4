"""The API behind the nginx configuration the launcher renders: proxied, with uploads and JSON 413s,
and standing up to one client that holds hundreds of slow connections (issue 13 item 10)."""

from __future__ import annotations

import contextlib
import dataclasses
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import requests.adapters

from launcher import nginx_spec
from tests.rest_api.stack import Served, Tenant, planted_zip
from tests.servers import free_port, stop_process, wait_until
from utils.config import Settings


@pytest.fixture
def nginx_base(api_settings: Settings, served: Served) -> Iterator[str]:
    """nginx started from launcher.nginx_spec in front of the served API, stopped by PID."""
    # nginx workers run as nobody: their temp dirs must be reachable, unlike pytest's 0700 tmp_path
    prefix = Path(tempfile.mkdtemp(prefix="dg-api-nginx-"))
    prefix.chmod(0o755)
    settings = dataclasses.replace(api_settings, data_dir=prefix, nginx_port=free_port(),
                                   nginx_listen="127.0.0.1", api_port=int(served.base.rsplit(":", 1)[1]))
    spec = nginx_spec(settings)
    proc = subprocess.Popen(spec.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{settings.nginx_port}"
    try:
        wait_until(lambda: _up(base), 10, what="nginx")
        yield base
    finally:
        stop_process(proc, signal.SIGQUIT)
        shutil.rmtree(prefix, ignore_errors=True)


def _up(base: str) -> bool:
    try:
        return requests.get(f"{base}/nginx-health", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def test_the_api_through_the_rendered_nginx(nginx_base: str, org_a: Tenant) -> None:
    health = requests.get(f"{nginx_base}/api/v1/health", timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    missing = requests.get(f"{nginx_base}/api/v1/nothing", headers=org_a.headers, timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    # 100 KB: over nginx's in-memory body buffer, so it travels through the client_body temp dir
    archive = planted_zip() + b"\0" * 100_000
    upload = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                           files={"file": ("shop.zip", archive, "application/zip")})
    assert upload.status_code == 201, upload.text
    assert Path(upload.json()["upload"]).read_bytes() == archive
    # over the API's limit (256 KiB in the stack) but under nginx's whole-megabyte one: the API's 413
    mid = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                        files={"file": ("big.bin", b"\0" * 400_000)})
    assert mid.status_code == 413 and mid.json()["error"]["code"] == "request_too_large"
    # over nginx's limit too: refused at the door, in the same JSON shape
    huge = requests.post(f"{nginx_base}/api/v1/uploads", headers=org_a.headers, timeout=10,
                         files={"file": ("huge.bin", b"\0" * 2_000_000)})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "request_too_large"


ATTACKER = "127.0.0.2"  # Linux routes all of 127/8 on lo: a second client address on this machine
SLOW_CLIENTS = 600  # what the security probe held open
PER_CLIENT_CONNECTIONS = 128  # nginx.conf limit_conn
HEADER_TIMEOUT_S = 10  # nginx.conf client_header_timeout
PROMPT_S = 2.0  # a healthy request through nginx takes milliseconds; this is far above that
REQUEST_BURST = 400  # nginx.conf limit_req burst
FLOOD = 1000  # over 400 + 50/s for as long as they take, on any machine this runs on


def _attacker_socket(port: int, payload: bytes) -> socket.socket:
    sock = socket.socket()
    sock.bind((ATTACKER, 0))
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    sock.sendall(payload)
    return sock


def _answers(sockets: list[socket.socket], within_s: float) -> dict[socket.socket, bytes]:
    """What each socket receives within `within_s` (b"" when the server closed it); silent ones left out."""
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ, data=sock)
    received: dict[socket.socket, bytes] = {}
    deadline = time.monotonic() + within_s
    while len(received) < len(sockets) and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
            sock = key.data
            try:
                received[sock] = sock.recv(4096)
            except (ConnectionResetError, TimeoutError):  # reset_timedout_connection closes with RST
                received[sock] = b""
            selector.unregister(sock)
    selector.close()
    return received


def test_one_client_with_hundreds_of_slow_connections_starves_nobody(nginx_base: str) -> None:
    port = int(nginx_base.rsplit(":", 1)[1])
    slow: list[socket.socket] = []
    with contextlib.ExitStack() as stack:
        # slowloris: request headers that never end
        for _ in range(SLOW_CLIENTS):
            slow.append(stack.enter_context(_attacker_socket(port, b"GET / HTTP/1.1\r\nHost: dg\r\nX-a: ")))
        # and bodies that never end, past the per-client limit: the extra ones are refused at once
        upload = b"POST /api/v1/uploads HTTP/1.1\r\nHost: dg\r\nContent-Length: 100000\r\n\r\nx"
        bodies = [stack.enter_context(_attacker_socket(port, upload))
                  for _ in range(PER_CLIENT_CONNECTIONS + 20)]
        refused = _answers(bodies, PROMPT_S)
        assert len(refused) == 20 and all(r.startswith(b"HTTP/1.1 429") for r in refused.values())
        assert b'"code": "rate_limited"' in next(iter(refused.values()))

        started = time.monotonic()  # meanwhile another client is answered at once
        assert requests.get(f"{nginx_base}/api/v1/health", timeout=PROMPT_S).status_code == 200
        assert time.monotonic() - started < PROMPT_S

        closed = _answers(slow, HEADER_TIMEOUT_S + 5)  # each trickling connection is cut at the timeout
        assert len(closed) == SLOW_CLIENTS and set(closed.values()) == {b""}


def test_a_flood_from_one_address_is_limited_and_another_address_is_not(nginx_base: str) -> None:
    flooder = requests.Session()
    flooder.mount("http://", _SourceAddressAdapter(ATTACKER))
    # a path the API answers with a quick 404: the flood outruns the 50/s refill of the burst of 400
    answers = [flooder.get(f"{nginx_base}/api/v1/nothing", timeout=5) for _ in range(FLOOD)]
    codes = [answer.status_code for answer in answers]
    assert codes[:REQUEST_BURST] == [404] * REQUEST_BURST and 429 in codes
    assert answers[codes.index(429)].json()["error"]["code"] == "rate_limited"
    assert flooder.get(f"{nginx_base}/nginx-health", timeout=5).status_code == 200  # the launcher's probe
    assert requests.get(f"{nginx_base}/api/v1/nothing", timeout=5).status_code == 404  # another address


class _SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connections from a chosen loopback source address."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)
