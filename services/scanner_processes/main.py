"""The worker entry: `python -m services.scanner_processes --scanner NAME [--port N]` runs one Worker.

Any registered scanner runs through it (services/scanners): adding a scanner needs no entry module.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from services import scanners
from services.detection.redaction import RedactingFormatter
from services.scanner_processes.http import create_app, serve_in_thread
from services.scanner_processes.runtime import Worker
from services.scanners.base import install_clone_slots, install_outbound_guard
from utils import circuit_breaker
from utils.clone_slots import CloneSlots
from utils.config import Settings, get_settings
from utils.errors import ConfigError
from utils.ipc_manager import connect

log = logging.getLogger(__name__)

# libraries whose DEBUG lines quote the data they parse: Pillow's TIFF/EXIF reader logs every tag's
# value (artist and owner names, serial numbers, GPS positions), which redaction cannot recognise
QUIET_LOGGERS = ("PIL",)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")  # a worker id (host:scanner:port) as one path component




def configure_logging(level: str) -> None:
    """One format for every process: time, level, logger, message, with every value in it redacted.

    Libraries' warnings are logged too (and so redacted): pypdf's, for one, quote the bytes they failed on.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler])
    logging.captureWarnings(True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))


def install_breakers(scanner: str, settings: Settings) -> None:
    """Share this process's breakers through Redis and route the scanner's outbound calls through them."""
    client = circuit_breaker.breaker_redis_client(settings.effective_redis_url())
    circuit_breaker.configure(client, circuit_breaker.policies_for(settings))
    install_outbound_guard(circuit_breaker.outbound_guard(scanner))
    # each organisation's concurrent clones, counted over every worker of every host
    install_clone_slots(CloneSlots(connect(settings.effective_redis_url()), settings.git_clones_per_org))


def use_own_temp_dir(settings: Settings, worker_id: str) -> Path:
    """Empty this worker's temp folder under the data directory and send every temp file there.

    Scanners copy uploads and extract archives through `tempfile`. In the system temp folder a killed
    worker's copies stayed forever, beside whatever else uses it; here a restarted worker (same host,
    scanner and port, so the same folder) first removes what its predecessor left. Called once the port
    is bound, so no live worker on this host shares the folder.
    """
    folder = settings.temp_dir / _SAFE_NAME.sub("_", worker_id)
    settings.temp_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.is_symlink():
        folder.unlink()  # never follow a link planted in our place
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    left = sum(1 for _ in folder.iterdir())
    if left:
        log.warning("worker %s: %d entries of a previous run could not be removed from %s", worker_id, left,
                    folder)
    tempfile.tempdir = str(folder)
    # the programs scanners run (tesseract, git, pdftoppm) read TMPDIR: theirs go to the same folder
    os.environ["TMPDIR"] = str(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run the worker of the scanner named on the command line until it is told to stop."""
    settings = get_settings()
    parser = argparse.ArgumentParser(description="DataGuardian Pro scanner worker")
    parser.add_argument("--scanner", required=True, help="a registered scanner that can run on this machine")
    parser.add_argument("--port", type=int, help="HTTP port of /health and /stats (default: its fixed one)")
    args = parser.parse_args(argv)
    scanner = scanners.require_available(args.scanner, customer=False).name
    port = args.port or scanners.fixed_port(scanner, settings.worker_base_port)
    if port is None:
        raise ConfigError(f"the {scanner} scanner has no fixed port: pass --port")
    configure_logging(settings.log_level)
    install_breakers(scanner, settings)
    worker = Worker(scanner, port, settings)
    worker.install_signal_handlers()
    try:
        server = serve_in_thread(create_app(worker), settings.bind_host, args.port)
    except OSError as error:
        raise ConfigError(f"worker {worker.worker_id}: cannot listen on port {port}: {error}") from None
    try:
        use_own_temp_dir(settings, worker.worker_id)
        worker.run()
    finally:
        server.close()
    return 0
