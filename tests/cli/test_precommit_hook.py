"""The pre-commit hook (.pre-commit-hooks.yaml): its entry command run as pre-commit runs it, in a real
git repository, over the staged files; the baseline, `.dgignore` and `dg:ignore` work there as in a
full scan. (The `pre-commit` package is not installed here: the test does what it does — run the
entry from the hook repository's root, in the committing repository, with the staged file names.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import write_tree
from tests.planted import AWS_KEY, BSN, EMAIL, GH_TOKEN, PLANTED

ROOT = Path(__file__).resolve().parents[2]
HOOK_ID = "dataguardian-code"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The hook's environment: our interpreter, a data directory (the fingerprint salt) of the test's."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DG_", "STRIPE_", "GIT_"))}
    return {**clean, "DG_PYTHON": sys.executable, "DG_DATA_DIR": str(tmp_path / "dg-var"),
            "DG_CACHE_DIR": str(tmp_path / "dg-cache"), "HOME": str(tmp_path)}


@pytest.fixture
def repo(tmp_path: Path, env: dict[str, str]) -> Path:
    """A git repository with one commit."""
    path = tmp_path / "shop"
    path.mkdir()
    git(path, env, "init", "-q", "-b", "main")
    git(path, env, "config", "user.email", "dev@shop.test")
    git(path, env, "config", "user.name", "Dev")
    write_tree(path, {"README.md": "# shop\n"})
    git(path, env, "add", "README.md")
    git(path, env, "commit", "-q", "-m", "start")
    return path


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True,
                          timeout=60).stdout


def hook_entry() -> list[str]:
    """The entry of our hook as pre-commit runs a `script` hook: a path in the hook repository."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (ours,) = [h for h in hooks if h["id"] == HOOK_ID]
    assert ours["language"] == "script"
    return [str(ROOT / ours["entry"]), *ours.get("args", [])]


def run_hook(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The hook over the staged files (added, copied, modified: what pre-commit passes), plus `args`."""
    staged = git(repo, env, "diff", "--cached", "--name-only", "--diff-filter=ACM", "-z").split("\0")
    proc = subprocess.run([*hook_entry(), *args, *[n for n in staged if n]], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    for value in PLANTED:
        assert value not in proc.stdout + proc.stderr, "raw planted value in the hook's output"
    return proc


def stage(repo: Path, env: dict[str, str], files: dict[str, str]) -> None:
    write_tree(repo, files)
    git(repo, env, "add", *files)


def test_a_staged_secret_fails_the_commit_and_is_listed_masked(repo: Path, env: dict[str, str]) -> None:
    stage(repo, env, {"shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nDEBUG = True\n',
                      "shop/views.py": "def index():\n    return 'ok'\n"})
    write_tree(repo, {"unstaged.py": f'TOKEN = "{GH_TOKEN}"\n'})  # not staged: pre-commit never passes it
    proc = run_hook(repo, env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines == [f"shop/settings.py:1: critical secret.aws_access_key {AWS_KEY[:4]}{'*' * 14}"
                     f"{AWS_KEY[-2:]}"], lines
    assert "at or above high: failing" in proc.stderr


def test_clean_staged_files_pass(repo: Path, env: dict[str, str]) -> None:
    stage(repo, env, {"shop/views.py": "def index():\n    return 'ok'\n"})
    proc = run_hook(repo, env)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
    assert run_hook(repo, env).returncode == 0  # nothing staged but that: still clean


def test_a_baseline_from_a_full_scan_accepts_what_it_holds_and_nothing_else(repo: Path,
                                                                          env: dict[str, str]) -> None:
    stage(repo, env, {"shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n',
                      "shop/crm.py": f"# klant {EMAIL}, BSN {BSN}\n"})
    git(repo, env, "commit", "-q", "-m", "accepted for now")
    full = subprocess.run([sys.executable, str(ROOT / "cli.py"), "scan", "code", ".", "--local",
                           "--output", ".dg-baseline.json"], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert full.returncode == 0, full.stderr
    stage(repo, env, {"shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nDEBUG = False\n'})
    assert run_hook(repo, env).returncode == 1  # without the baseline it still fails
    proc = run_hook(repo, env, "--baseline", ".dg-baseline.json")
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout + proc.stderr
    # a new secret in a baselined file is not covered by the baseline
    stage(repo, env, {"shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\nGH = "{GH_TOKEN}"\n'})
    proc = run_hook(repo, env, "--baseline", ".dg-baseline.json")
    assert proc.returncode == 1 and [line.split()[1:3] for line in proc.stdout.splitlines()] == [
        ["critical", "secret.github_token"]], proc.stdout


def test_dg_ignore_comments_and_the_dgignore_file_hold_in_the_hook(repo: Path, env: dict[str, str]) -> None:
    stage(repo, env, {"shop/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"  # dg:ignore rotated, test key\n',
                      "shop/ci.py": f'GH = "{GH_TOKEN}"\n'})
    proc = run_hook(repo, env)
    listed = [line.split(":")[0] for line in proc.stdout.splitlines()]
    assert proc.returncode == 1 and listed == ["shop/ci.py"], proc.stdout
    # the fingerprint a full scan of the repository gives, accepted in .dgignore
    full = subprocess.run([sys.executable, str(ROOT / "cli.py"), "scan", "code", ".", "--local"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    (finding,) = [f for f in json.loads(full.stdout)["results"][0]["findings"]
                  if f["location"]["path"] == "shop/ci.py"]
    stage(repo, env, {".dgignore": f"# accepted: CI token of the sandbox\n{finding['fingerprint']}\n"})
    proc = run_hook(repo, env)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout + proc.stderr


def test_names_outside_the_repository_and_links_are_not_followed(repo: Path, env: dict[str, str],
                                                                tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "elsewhere", {"keys.py": f'K = "{AWS_KEY}"\n'}) / "keys.py"
    (repo / "link.py").symlink_to(outside)
    git(repo, env, "add", "link.py")
    proc = run_hook(repo, env, str(outside), "../elsewhere/keys.py")
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout
    assert proc.stderr.count(" is outside ") == 2


def test_a_missing_baseline_is_a_usage_error(repo: Path, env: dict[str, str]) -> None:
    stage(repo, env, {"a.py": "x = 1\n"})
    proc = run_hook(repo, env, "--baseline", "nope.json")
    assert proc.returncode == 2 and "cannot read baseline" in proc.stderr
