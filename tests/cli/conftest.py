"""CLI fixtures: planted source trees, a runner for `python cli.py` as a real process, the REST stack."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli import main as cli_main
from tests.planted import AWS_KEY, BSN, EMAIL, GH_TOKEN, IBAN, PLANTED  # noqa: F401 - re-exported
from tests.rest_api.stack import (  # noqa: F401 - fixtures of the real REST API stack, for remote mode
    api_settings,
    db,
    org_a,
    platform,
    served,
    service,
)
from utils.config import get_settings

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """One finished `python cli.py` process."""

    code: int
    stdout: bytes
    stderr: str

    def assert_no_planted(self, *more: bytes | str) -> None:
        """No planted raw value in stdout, stderr or any other output given."""
        for output in (self.stdout, self.stderr, *more):
            text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
            for value in PLANTED:
                assert value not in text, f"raw planted value leaked: {value[:4]}…"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative name -> text) under root; returns root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def secrets_tree(tmp_path: Path) -> Path:
    """A source tree with two secrets (critical) and personal data in it."""
    return write_tree(tmp_path / "shop", {
        "shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nDEBUG = True\n',
        "shop/views.py": f"import logging\nlog = logging.getLogger(__name__)\n"
                         f"# support: {EMAIL}, BSN {BSN}\n",
        "tests/test_api.py": f'TOKEN = "{GH_TOKEN}"\n',
    })


@pytest.fixture
def pii_tree(tmp_path: Path) -> Path:
    """A source tree with personal data but nothing critical (high at most)."""
    return write_tree(tmp_path / "crm", {"crm/notes.py": f"# klant: {EMAIL}, BSN {BSN}, IBAN {IBAN}\n"})


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    """Run `python cli.py ARGS` with a clean DG_* environment (nothing of the test's leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DG_", "STRIPE_"))}
    env["DG_DATA_DIR"] = str(tmp_path / "cli-var")

    def run(*args: str | Path, extra_env: dict[str, str] | None = None) -> Run:
        proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], cwd=tmp_path,
                              env={**env, **(extra_env or {})}, capture_output=True, timeout=120, check=False)
        return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))

    return run


@pytest.fixture
def cli_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Run]]:
    """Run `cli.main(ARGS)` in this process (the scanner imports are paid once, not per run).

    The environment is cleaned as for a real process; DG_SCAN_ROOTS, which a local run extends for
    its target, is restored afterwards by monkeypatch.
    """
    for key in [k for k in os.environ if k.startswith(("DG_", "STRIPE_"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("DG_DATA_DIR", str(tmp_path / "cli-var"))
    monkeypatch.setenv("DG_SCAN_ROOTS", "")
    get_settings.cache_clear()

    def run(*args: str | Path) -> Run:
        stdout, stderr = io.BytesIO(), io.StringIO()
        code = cli_main([str(a) for a in args], stdout, stderr)
        return Run(code, stdout.getvalue(), stderr.getvalue())

    yield run
    get_settings.cache_clear()
