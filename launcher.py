"""Start and supervise the whole platform: `python launcher.py` (see --help).

Order: embedded Redis and PostgreSQL (unless DG_REDIS_URL / DG_DATABASE_URL name existing ones),
database migrations, the scanner workers, the UI and the REST API, then nginx in front. Ctrl-C or
SIGTERM stops them in reverse order; workers get a grace period to finish their running job, else it
is requeued. The launcher serves GET /health and GET /stats on 127.0.0.1:5050.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import stat
import string
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import psutil
import psycopg2
import redis

from services import accounts, embedded_servers, scanners
from services.persistence import OutboxDrainer, SupervisedDrainer
from services.process_manager import (
    Probe,
    ProcessManager,
    ProcessSpec,
    ProcState,
    child_env,
    http_health,
    worker_spec,
)
from services.scanner_processes.http import create_app, serve_in_thread
from services.scanner_processes.main import configure_logging
from ui.page_scripts import content_security_policy
from utils import circuit_breaker, credentials, database_manager
from utils.config import Settings, get_settings
from utils.errors import ConfigError, DataGuardianError

log = logging.getLogger("launcher")

ROOT = Path(__file__).resolve().parent
NGINX_TEMPLATE = ROOT / "nginx.conf"
START_TIMEOUT_S = 60.0
UMASK = 0o077  # what the launcher and its children create (uploads, logs, the Redis AOF) is theirs alone
DATA_DIR_MODE = 0o711  # others may pass through to the entries below, never list or read them
# reached through by other OS users: the postgres user (its cluster) and nginx's workers (nobody)
PASSAGE_ENTRIES = ("postgres", "nginx")
NGINX_DIR_MODES = {"": DATA_DIR_MODE, "client_body": 0o700, "proxy": 0o700, "fastcgi": 0o700,
                   "uwsgi": 0o700, "scgi": 0o700, "logs": 0o700}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description="Start and supervise DataGuardian Pro.")
    parser.add_argument("--scanners", help="comma-separated scanners to run (default: every one that can "
                        "run on this machine)")
    parser.add_argument("--no-nginx", action="store_true", help="do not start nginx")
    parser.add_argument("--no-ui", action="store_true", help="do not start the Streamlit UI")
    parser.add_argument("--role", choices=("all", "workers"), default="all",
                        help="workers: only scanner workers, against DG_REDIS_URL/DG_DATABASE_URL")
    return parser.parse_args(argv)


# --- process specs -------------------------------------------------------------------------
def redis_spec(settings: Settings) -> ProcessSpec:
    """The embedded Redis (AOF on, data under DG_DATA_DIR/redis)."""
    directory = settings.data_dir / "redis"
    directory.mkdir(parents=True, exist_ok=True)
    password = settings.embedded_credentials().redis_password
    config = embedded_servers.write_redis_config(directory, password)
    client = redis.Redis(host=settings.bind_host, port=settings.redis_port, password=password,
                         socket_timeout=1)

    def probe() -> Probe:
        try:
            return Probe(bool(client.ping()))
        except redis.RedisError as error:
            return Probe(False, detail={"error": type(error).__name__})

    command = embedded_servers.redis_command(settings.redis_server, settings.redis_port, directory, config,
                                             settings.bind_host)
    return ProcessSpec("redis", command, kind="redis", port=settings.redis_port, health=probe,
                       log_path=settings.log_dir / "redis.log")


def postgres_spec(settings: Settings) -> ProcessSpec:
    """The embedded PostgreSQL cluster (initdb on first run), run as an unprivileged user."""
    layout = embedded_servers.postgres_layout(settings.data_dir / "postgres", settings.postgres_port,
                                              settings.postgres_bin_dir, settings.postgres_os_user)
    password = settings.embedded_credentials().postgres_superuser_password
    embedded_servers.ensure_cluster(layout, password)
    url = layout.url(credentials.PG_SUPERUSER, password, settings.bind_host, "postgres")

    def probe() -> Probe:
        try:
            psycopg2.connect(url, connect_timeout=1).close()
            return Probe(True)
        except psycopg2.OperationalError:
            return Probe(False)

    return ProcessSpec("postgres", layout.command(settings.bind_host), kind="postgres",
                       port=layout.port, env=embedded_servers.SERVER_ENV, user=layout.os_user, health=probe,
                       stop_signal=signal.SIGINT, log_path=settings.log_dir / "postgres.log")


def ui_spec(settings: Settings) -> ProcessSpec:
    """The Streamlit UI on 127.0.0.1:5000 (behind nginx)."""
    upload_mb = max(1, settings.max_upload_bytes // (1024 * 1024))
    argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(settings.ui_port), "--server.address", settings.bind_host,
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.maxUploadSize", str(upload_mb), "--server.fileWatcherType", "none",
            "--client.toolbarMode", "minimal"]  # no "Deploy" button: this is a product, not a notebook
    return ProcessSpec("ui", argv, kind="ui", port=settings.ui_port, env=child_env(settings), cwd=str(ROOT),
                       health=http_health(f"http://{settings.bind_host}:{settings.ui_port}/_stcore/health"),
                       log_path=settings.log_dir / "ui.log")


def api_spec(settings: Settings) -> ProcessSpec:
    """The REST API on 127.0.0.1:5011 (behind nginx at /api/v1), healthy when Redis and PostgreSQL answer."""
    argv = [sys.executable, "-m", "rest_api", "--port", str(settings.api_port)]
    return ProcessSpec("api", argv, kind="api", port=settings.api_port, env=child_env(settings),
                       cwd=str(ROOT), health=http_health(f"http://{settings.bind_host}:{settings.api_port}/api/v1/health"),
                       log_path=settings.log_dir / "api.log")


def render_nginx_conf(settings: Settings) -> Path:
    """Write nginx.conf (from the template at the repository root) with the real ports and UI policy."""
    prefix = settings.data_dir / "nginx"
    # nginx workers run as nobody and must pass through the prefix to their temp dirs, which nginx
    # itself hands to that user at start; its logs and this file stay the launcher user's alone
    for sub, mode in NGINX_DIR_MODES.items():
        (prefix / sub).mkdir(parents=True, exist_ok=True)
        (prefix / sub).chmod(mode)
    upload_mb = max(1, settings.max_upload_bytes // (1024 * 1024))
    text = string.Template(NGINX_TEMPLATE.read_text()).substitute(
        PREFIX=str(prefix), LISTEN=f"{settings.nginx_listen}:{settings.nginx_port}",
        BIND=settings.bind_host, UI_PORT=settings.ui_port, API_PORT=settings.api_port,
        OPS_PORT=settings.ops_port, MAX_BODY=f"{upload_mb}m", CSP=content_security_policy())
    target = prefix / "nginx.conf"
    target.write_text(text)
    target.chmod(0o600)  # a file an older version wrote keeps its mode otherwise
    return target


def nginx_spec(settings: Settings) -> ProcessSpec:
    """nginx in the foreground with the rendered configuration."""
    conf = render_nginx_conf(settings)
    argv = [settings.nginx_bin, "-p", str(conf.parent), "-c", str(conf), "-e", "stderr",
            "-g", "daemon off;"]
    health = http_health(f"http://127.0.0.1:{settings.nginx_port}/nginx-health")
    return ProcessSpec("nginx", argv, kind="nginx", port=settings.nginx_port, health=health,
                       stop_signal=signal.SIGQUIT, log_path=settings.log_dir / "nginx.log")


def worker_specs(settings: Settings, names: list[str]) -> list[ProcessSpec]:
    """One spec per worker process: built-in scanners on their fixed ports, the rest on the next free ones."""
    fixed = {name: scanners.fixed_port(name, settings.worker_base_port) for name in names}
    reserved = reserved_ports(settings)
    for name, port in fixed.items():
        if port in reserved:
            raise ConfigError(f"the {name} worker's port {port} (DG_WORKER_BASE_PORT "
                              f"{settings.worker_base_port} + its place) is also {reserved[port]}; "
                              "move one of them")
    reserved |= {port: f"the {name} worker's port" for name, port in fixed.items() if port is not None}
    specs = []
    next_port = settings.worker_base_port + len(scanners.BUILT_IN) + 1
    for scanner in names:
        for index in range(settings.workers.get(scanner, 1)):
            port = fixed[scanner] if index == 0 else None
            if port is None:
                next_port = _next_free_port(next_port, reserved)
                port, reserved[next_port] = next_port, f"a {scanner} worker's port"
            specs.append(worker_spec(settings, scanner, port, index))
    return specs


def reserved_ports(settings: Settings) -> dict[int, str]:
    """Every port the platform's other processes listen on, with the setting that names it."""
    return {settings.ui_port: "DG_UI_PORT", settings.api_port: "DG_API_PORT",
            settings.ops_port: "DG_OPS_PORT", settings.nginx_port: "DG_NGINX_PORT",
            settings.redis_port: "DG_REDIS_PORT", settings.postgres_port: "DG_POSTGRES_PORT"}


def _next_free_port(start: int, reserved: dict[int, str]) -> int:
    port = start
    while port in reserved or not port_is_free(port):
        port += 1
    return port


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def chosen_scanners(settings: Settings, flag: str | None) -> list[str]:
    """Scanners to run: --scanners, else DG_SCANNERS, else every one that can run on this machine.

    A scanner named explicitly that cannot run here is a ConfigError saying why; left to the default,
    it is skipped (and logged), so no worker is started that could only refuse its jobs.
    """
    named = [n.strip() for n in flag.split(",") if n.strip()] if flag else list(settings.scanners)
    for name in named:
        scanners.require_available(name, customer=False)  # unknown or unavailable: refused, saying why
    if named:
        return named
    for name in scanners.scanner_names():
        reason = scanners.unavailable_because(name)
        if reason is not None:
            log.info("launcher: no %s worker: the scanner is %s", name, reason)
    return scanners.available_scanners(customer=True)


# --- the launcher --------------------------------------------------------------------------
class StartAborted(DataGuardianError):
    """A stop signal arrived while the platform was starting. Exit 0 after stopping what started."""


class Launcher:
    """Builds the process specs, starts them in order, supervises them, stops them in reverse."""

    def __init__(self, settings: Settings, args: argparse.Namespace) -> None:
        self.settings = settings
        self.args = args
        self.manager = ProcessManager(settings)
        self.groups: list[list[str]] = []  # start order; stopped in reverse
        self.stop_requested = False
        self.ready = False
        self.db = database_manager.Database.from_settings(settings)
        self.drainer: SupervisedDrainer | None = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = True

    def start_group(self, specs: list[ProcessSpec]) -> None:
        """Start specs together and wait until all are RUNNING."""
        names = [self.manager.add(spec).spec.name for spec in specs]
        self.groups.append(names)
        for name in names:
            self.manager.start(name)
        if not self.manager.wait_until_running(names, START_TIMEOUT_S, lambda: self.stop_requested):
            if self.stop_requested:
                raise StartAborted("stop requested during start-up")
            bad = [n for n in names if self.manager.children[n].state != ProcState.RUNNING]
            raise DataGuardianError(f"did not become healthy: {', '.join(bad)} (see {self.settings.log_dir})")

    def start(self) -> None:
        """Bring up everything this role runs."""
        s, role = self.settings, self.args.role
        if role == "workers" and not (s.redis_url and s.database_url):
            raise ConfigError("--role workers needs DG_REDIS_URL and DG_DATABASE_URL of the shared servers")
        if role == "all" and not s.redis_url:
            self.start_group([redis_spec(s)])
        if role == "all" and not s.database_url:
            self.start_group([postgres_spec(s)])
            self._prepare_embedded_database()
        self._migrate()
        self._start_drainer()
        front = [] if (role == "workers" or self.args.no_ui) else [ui_spec(s)]
        front += [api_spec(s)] if role == "all" else []
        self.start_group([*worker_specs(s, chosen_scanners(s, self.args.scanners)), *front])
        if role == "all" and not self.args.no_nginx:
            self.start_group([nginx_spec(s)])

    def _prepare_embedded_database(self) -> None:
        s = self.settings
        layout = embedded_servers.postgres_layout(s.data_dir / "postgres", s.postgres_port,
                                                  s.postgres_bin_dir, s.postgres_os_user)
        embedded_servers.ensure_database(layout, s.embedded_credentials(), s.bind_host)

    def _migrate(self) -> None:
        applied = database_manager.migrate(self.db)
        if applied:
            log.info("launcher: applied database migrations %s", applied)
        _announce_first_admin(accounts.ensure_bootstrap_admin(), self.settings)

    def _start_drainer(self) -> None:
        """Finished jobs flow from the Redis outbox into PostgreSQL from here, under supervision."""
        s = self.settings
        consumer = f"{s.hostname}:launcher:{s.ops_port}"
        self.drainer = SupervisedDrainer(
            OutboxDrainer(self.manager.queue, self.db, consumer), backlog_max=s.outbox_backlog_max,
            backoff_initial_s=s.backoff_initial_s, backoff_max_s=s.backoff_max_s,
            stable_after_s=s.stable_after_s)
        self.drainer.start(time.monotonic())

    def _stop_drainer(self) -> None:
        if self.drainer is not None:
            self.drainer.stop(10)
            self.drainer = None

    def serve_ops(self) -> Any:
        """GET /health and /stats of the whole platform on 127.0.0.1:5050."""
        return serve_in_thread(create_app(_PlatformView(self)), self.settings.bind_host,
                               self.settings.ops_port)

    def supervise(self) -> None:
        """Tick the supervisor until asked to stop."""
        while not self.stop_requested:
            now = time.monotonic()
            self.manager.tick(now)
            if self.drainer is not None:
                self.drainer.tick(now)
            time.sleep(0.1)

    def shutdown(self) -> None:
        """Stop every group in reverse start order."""
        log.info("launcher: stopping")
        for names in reversed(self.groups):
            kinds = {self.manager.children[n].spec.kind for n in names}
            if kinds & {"redis", "postgres"}:
                self._stop_drainer()  # workers are down; what is still in the outbox waits in Redis
            grace = self.settings.shutdown_grace_s if "worker" in kinds else self.settings.stop_timeout_s
            self.manager.stop(names, grace)
        self._stop_drainer()
        self.manager.close()
        self.db.close()
        log.info("launcher: stopped")

    def print_table(self) -> None:
        """What runs where."""
        rows = [("process", "pid", "address", "log")]
        for child in self.manager.children.values():
            address = f"{self.settings.bind_host}:{child.spec.port}" if child.spec.port else "-"
            if child.spec.kind == "nginx":
                address = f"{self.settings.nginx_listen}:{child.spec.port}"
            rows.append((child.spec.name, str(child.pid), address, str(child.spec.log_path or "-")))
        rows.append(("launcher ops", "-", f"{self.settings.bind_host}:{self.settings.ops_port}", "-"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)), flush=True)


def _announce_first_admin(password: str | None, settings: Settings) -> None:
    """Print the first admin's one-time password to the terminal once (never to a log file)."""
    if password is None:
        return
    rule = "=" * 72
    print(f"{rule}\nFirst start: an admin account was created.\n  e-mail:   {settings.admin_email}\n"
          f"  password: {password}\nIt is shown only this once and stored only as a hash; note it now.\n"
          f"{rule}", flush=True)


class _PlatformView:
    """Adapts the launcher to the ops blueprint: unhealthy until every group has started."""

    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher

    def health(self) -> dict[str, Any]:
        detail = self.launcher.manager.health_check()
        drainer = self.launcher.drainer
        if drainer is not None:
            # results that pile up in Redis unseen are an outage of their own
            detail["persistence"] = {"state": drainer.state, "healthy": drainer.healthy()}
            if not detail["persistence"]["healthy"]:
                detail["status"] = "unhealthy"
        if not self.launcher.ready:
            detail["status"] = "starting"
        return detail

    def stats(self) -> dict[str, Any]:
        figures = self.launcher.manager.stats()
        own_rss = psutil.Process().memory_info().rss
        figures["launcher_rss_bytes"] = own_rss
        figures["total_rss_bytes"] += own_rss  # the platform's idle memory includes its supervisor
        drainer = self.launcher.drainer
        figures["persistence"] = None if drainer is None else drainer.stats()
        figures["database_pool"] = self.launcher.db.stats()
        figures["breakers"] = _shared_breakers(self.launcher.manager.queue.redis)
        return {"ready": self.launcher.ready, **figures}


def _shared_breakers(client: redis.Redis) -> dict[str, Any]:
    """Every breaker any process of the platform keeps in Redis, or why they cannot be read now."""
    try:
        return circuit_breaker.shared_states(client)
    except redis.RedisError as error:
        return {"error": f"Redis unavailable ({type(error).__name__})"}


def prepare_data_dir(settings: Settings) -> None:
    """Make the data directory private to our OS user, and the embedded servers' passwords at first start.

    Its own mode lets others through to the entries they need (PASSAGE_ENTRIES); every other entry,
    including what an older version left readable, loses its group and other permissions.
    """
    root = settings.data_dir
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(DATA_DIR_MODE)
    for entry in root.iterdir():
        if entry.is_symlink():
            continue
        mode = stat.S_IMODE(entry.stat().st_mode)
        allowed = DATA_DIR_MODE if entry.name in PASSAGE_ENTRIES and entry.is_dir() else 0o700
        if mode & ~allowed:
            entry.chmod(mode & allowed)
    if not (settings.redis_url and settings.database_url):
        credentials.load_or_create(settings.credentials_path)
    settings.log_dir.mkdir(exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Run the platform until SIGINT/SIGTERM."""
    args = parse_args(argv)
    os.umask(UMASK)
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        prepare_data_dir(settings)
    except (OSError, DataGuardianError) as error:
        log.error("launcher: data directory %s: %s", settings.data_dir, error)
        return 1
    launcher = Launcher(settings, args)
    signal.signal(signal.SIGTERM, launcher._on_signal)
    signal.signal(signal.SIGINT, launcher._on_signal)
    server = launcher.serve_ops()
    code = 0
    try:
        launcher.start()
        launcher.ready = True
        launcher.print_table()
        log.info("launcher: platform up; ops on http://%s:%d", settings.bind_host, settings.ops_port)
        launcher.supervise()
    except StartAborted:
        log.info("launcher: stop requested during start-up")
    except DataGuardianError as error:
        log.error("launcher: %s", error)
        code = 1
    finally:
        launcher.shutdown()
        server.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
