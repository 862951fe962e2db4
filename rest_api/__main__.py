"""`python -m rest_api --port 5011`: the REST API served by waitress on the bind host."""

from __future__ import annotations

import argparse
import logging

from waitress import serve

from rest_api.app import MULTIPART_OVERHEAD, create_app
from services.scanner_processes.main import configure_logging
from utils.config import get_settings

log = logging.getLogger("rest_api")

# waitress answers a body over its own limit with a plain-text 413; above Flask's limit it leaves room,
# so Flask refuses those with the JSON error instead (nginx refuses anything larger, also as JSON)
WAITRESS_HEADROOM = MULTIPART_OVERHEAD + 1024 * 1024
WSGI_THREADS = 8  # report rendering takes a thread for a second or two; polls must not wait behind it


def main(argv: list[str] | None = None) -> int:
    """Serve the API until interrupted."""
    settings = get_settings()
    parser = argparse.ArgumentParser(description="DataGuardian Pro REST API")
    parser.add_argument("--port", type=int, default=settings.api_port)
    args = parser.parse_args(argv)
    configure_logging(settings.log_level)
    log.info("api: serving on http://%s:%d/api/v1", settings.bind_host, args.port)
    serve(create_app(settings), host=settings.bind_host, port=args.port, threads=WSGI_THREADS,
          ident="dataguardian-api", max_request_body_size=settings.max_upload_bytes + WAITRESS_HEADROOM)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
