"""The HTTP side of a worker: a Flask app factory with an `ops` blueprint, served by waitress."""

from __future__ import annotations

import threading
from typing import Any, Protocol

import psutil
from flask import Blueprint, Flask, current_app, jsonify
from waitress.server import create_server
from werkzeug.exceptions import HTTPException

from utils.circuit_breaker import breaker_states

WSGI_THREADS = 2  # /health and /stats only; two threads keep a slow /stats from blocking /health


class Observable(Protocol):
    """What the ops blueprint needs from the process it describes."""

    def health(self) -> dict[str, Any]: ...

    def stats(self) -> dict[str, Any]: ...


ops = Blueprint("ops", __name__)


@ops.get("/health")
def health() -> Any:
    """200 when the process is healthy, 503 with the reason otherwise."""
    detail = current_app.config["OBSERVED"].health()
    return jsonify(detail), 200 if detail["status"] == "ok" else 503


@ops.get("/health/summary")
def health_summary() -> Any:
    """/health without the detail (nginx shows the public only this): the status and its HTTP code."""
    status = current_app.config["OBSERVED"].health()["status"]
    return jsonify({"status": status}), 200 if status == "ok" else 503


@ops.get("/stats")
def stats() -> Any:
    """The process's own figures, its circuit breakers (unless it lists its own) and its resource use."""
    process = psutil.Process()
    with process.oneshot():
        usage = {"rss_bytes": process.memory_info().rss, "cpu_percent": process.cpu_percent(None),
                 "threads": process.num_threads()}
    # only the breakers this process has used: /stats is polled, and each breaker costs Redis reads
    breakers = breaker_states(used_only=True)
    return jsonify({"breakers": breakers, **current_app.config["OBSERVED"].stats(), **usage})


def _json_error(error: HTTPException) -> Any:
    return jsonify({"error": error.name, "detail": error.description}), error.code


def create_app(observed: Observable) -> Flask:
    """Flask app serving /health and /stats for `observed`, with JSON errors."""
    app = Flask(__name__)
    app.config["OBSERVED"] = observed
    app.register_blueprint(ops)
    app.register_error_handler(HTTPException, _json_error)
    return app


def serve_in_thread(app: Flask, host: str, port: int) -> Any:
    """Bind now (so a taken port fails at start) and serve from a daemon thread; returns the server."""
    server = create_server(app, host=host, port=port, threads=WSGI_THREADS, ident="dataguardian")
    threading.Thread(target=server.run, name=f"http-{port}", daemon=True).start()
    return server
