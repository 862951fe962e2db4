"""Git repositories served over plain HTTP on 127.0.0.1 by `git http-backend` (git's smart protocol).

Run as `python -m tests.inputs.git_server DIRECTORY PORT [HOST]` (HOST a loopback address, default
127.0.0.1): a stdlib HTTP server hands each request to
`git http-backend` as a CGI call (the dumb protocol cannot serve shallow clones, which we make).
`GIT_SERVER_AUTH=user:password` in its environment (never its command line, which `ps` shows) makes it
demand HTTP Basic credentials; `GIT_SERVER_DELAY_S` makes every request it lets through wait first.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import requests

from tests.servers import stop_process, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
AWS_KEY = "AKIA2E0A8F3B244C9986"  # planted; must never appear raw in any output
EMAIL = "jan.jansen@kpn.nl"
PLANTED = (AWS_KEY, EMAIL)
AUTH_ENV, DELAY_ENV = "GIT_SERVER_AUTH", "GIT_SERVER_DELAY_S"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null"}


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**GIT_ENV, "HOME": str(cwd)})


def make_served_repo(root: Path, name: str = "repo.git") -> Path:
    """A bare repository under `root` with one commit holding planted values, ready for dumb HTTP."""
    work = root / "work"
    work.mkdir(parents=True)
    source = f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nCONTACT = "{EMAIL}"\n'
    (work / "settings.py").write_text(source, encoding="utf-8")
    _git("init", "-q", "-b", "main", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "planted", cwd=work)
    bare = root / "served" / name
    bare.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True, capture_output=True,
                   env={**GIT_ENV, "HOME": str(root)})
    return bare


class _BackendHandler(BaseHTTPRequestHandler):
    """Every request becomes one `git http-backend` CGI call."""

    root = "."
    authorization = ""  # the Authorization header a request must carry, "" when none is needed
    delay_s = 0.0

    def do_GET(self) -> None:
        self._backend()

    def do_POST(self) -> None:
        self._backend()

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def _backend(self) -> None:
        if self.authorization and self.headers.get("Authorization") != self.authorization:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        time.sleep(self.delay_s)
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = {"PATH": os.defpath, "GIT_PROJECT_ROOT": self.root, "GIT_HTTP_EXPORT_ALL": "1",
               "PATH_INFO": unquote(path), "QUERY_STRING": query, "REQUEST_METHOD": self.command,
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
               "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""), "REMOTE_ADDR": "127.0.0.1",
               "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": self.root}
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n") if b"\r\n\r\n" in out else out.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class GitHttpServer:
    """This module's server over a directory of bare repositories, as a child started and stopped by PID."""

    def __init__(self, directory: Path, port: int, host: str = "127.0.0.1", *, auth: str = "",
                 delay_s: float = 0.0) -> None:
        self.directory, self.port, self.host = directory, port, host
        self.env = {**os.environ, AUTH_ENV: auth, DELAY_ENV: str(delay_s)}
        self.proc: subprocess.Popen | None = None

    def url(self, name: str = "repo.git") -> str:
        return f"http://{self.host}:{self.port}/{name}"

    def start(self) -> None:
        command = [sys.executable, "-m", "tests.inputs.git_server", str(self.directory), str(self.port),
                   self.host]
        self.proc = subprocess.Popen(command, cwd=REPO_ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, what=f"git http server on {self.port}")

    def _answers(self) -> bool:
        try:
            return requests.get(f"http://{self.host}:{self.port}/probe", timeout=1).status_code > 0
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)


def serve(directory: str, port: int, host: str = "127.0.0.1") -> None:
    """Serve the bare repositories under `directory` on `host`:`port` until killed."""
    _BackendHandler.root = str(Path(directory).resolve())
    auth = os.environ.get(AUTH_ENV, "")
    if auth:
        _BackendHandler.authorization = "Basic " + base64.b64encode(auth.encode()).decode()
    _BackendHandler.delay_s = float(os.environ.get(DELAY_ENV) or 0)
    ThreadingHTTPServer((host, port), _BackendHandler).serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
