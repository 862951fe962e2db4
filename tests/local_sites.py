"""Local web servers for scanner tests: a Flask app served on 127.0.0.1 from a thread, recording requests.

Scanners that reach the web (website, API) are tested only against these: never any other host.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, request
from werkzeug.serving import BaseWSGIServer, make_server


class LocalSite:
    """`app` served on 127.0.0.1 (any free port) in a daemon thread; `requests` lists (method, path)."""

    def __init__(self, app: Flask, host: str = "127.0.0.1") -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        app.before_request(self._record)
        self._server: BaseWSGIServer = make_server(host, 0, app, threaded=True)
        self.host, self.port = host, self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"site-{self.port}",
                                        daemon=True)

    def _record(self) -> None:
        with self._lock:
            self.requests.append((request.method, request.full_path.rstrip("?")))

    def url(self, path: str = "/") -> str:
        """The absolute http URL of `path` on this site."""
        return f"http://{self.host}:{self.port}{path}"

    def start(self) -> LocalSite:
        """Start serving; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serving(app: Flask, host: str = "127.0.0.1") -> Iterator[LocalSite]:
    """A started LocalSite for the block's duration."""
    site = LocalSite(app, host).start()
    try:
        yield site
    finally:
        site.stop()
