"""A stand-in for api.stripe.com on 127.0.0.1: answers the two endpoints billing calls, records requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

MISSING_PRICE = "price_does_not_exist"


@dataclass
class Recorded:
    """One request the Stripe library sent."""

    path: str
    form: dict[str, str]
    authorization: str
    idempotency_key: str | None


@dataclass
class FakeStripe:
    """The running stand-in: its base URL and what it received."""

    url: str
    requests: list[Recorded] = field(default_factory=list)


def _app(state: FakeStripe) -> Flask:
    app = Flask(__name__)

    def record() -> dict[str, str]:
        form = request.form.to_dict()
        state.requests.append(Recorded(request.path, form, request.headers.get("Authorization", ""),
                                       request.headers.get("Idempotency-Key")))
        return form

    @app.post("/v1/checkout/sessions")
    def checkout() -> Any:
        form = record()
        if form.get("line_items[0][price]") == MISSING_PRICE:
            error = {"type": "invalid_request_error", "code": "resource_missing", "param": "line_items",
                     "message": f"No such price: '{MISSING_PRICE}'"}
            return jsonify({"error": error}), 400
        return jsonify({"id": "cs_test_local1", "object": "checkout.session", "mode": "subscription",
                        "url": "https://checkout.stripe.com/c/pay/cs_test_local1"})

    @app.post("/v1/billing_portal/sessions")
    def portal() -> Any:
        form = record()
        return jsonify({"id": "bps_test_local1", "object": "billing_portal.session",
                        "customer": form.get("customer"), "url": "https://billing.stripe.com/p/session/test_local1"})

    return app


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    """Serve the stand-in on a free loopback port for the duration of the block."""
    server = make_server("127.0.0.1", 0, _app(state := FakeStripe("")), threaded=True)
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
