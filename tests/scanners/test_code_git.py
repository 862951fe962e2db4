"""shallow_clone refuses what it must: other schemes, private hosts, paths outside the roots."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.inputs.git import shallow_clone
from utils.config import get_settings
from utils.errors import InvalidRequestError, RequestTooLargeError, UnsafeInputError


@pytest.fixture
def scan_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory inside the allowed scan roots."""
    root = tmp_path / "roots"
    root.mkdir()
    monkeypatch.setenv("DG_SCAN_ROOTS", str(root))
    get_settings.cache_clear()
    yield root
    monkeypatch.undo()
    get_settings.cache_clear()

@pytest.mark.parametrize(("url", "error"), [
    ("http://github.com/a/b.git", InvalidRequestError),
    ("ext::sh -c touch% /tmp/pwned", InvalidRequestError),
    ("--upload-pack=touch /tmp/x", InvalidRequestError),
    ("https://127.0.0.1/repo.git", UnsafeInputError),
    ("https://10.1.2.3/repo.git", UnsafeInputError),
    ("https://[::1]/repo.git", UnsafeInputError),
    ("ssh://169.254.169.254/meta.git", UnsafeInputError),
    ("git@192.168.1.10:org/repo.git", UnsafeInputError),
    ("https://user:tok3n@localhost/repo.git", UnsafeInputError),
])
def test_refused_urls(scan_root: Path, tmp_path: Path, url: str, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        shallow_clone(url, tmp_path / "dest", timeout_s=5, max_bytes=10**6)
    assert "tok3n" not in str(info.value)
    assert not (tmp_path / "dest").exists()

def test_file_url_outside_the_roots_is_refused(scan_root: Path, tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    with pytest.raises(UnsafeInputError):
        shallow_clone(f"file://{tmp_path / 'other'}", tmp_path / "dest", timeout_s=5, max_bytes=10**6)

def test_clone_over_the_size_cap_is_refused(scan_root: Path, tmp_path: Path) -> None:

    repo = scan_root / "big"
    repo.mkdir()
    (repo / "blob.txt").write_bytes(b"a random-ish line\n" * 200_000)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "big"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)
    with pytest.raises(RequestTooLargeError):
        shallow_clone(f"file://{repo}", tmp_path / "dest", timeout_s=30, max_bytes=100_000)
    clone = shallow_clone(f"file://{repo}", tmp_path / "ok", timeout_s=30, max_bytes=10**8)
    assert (clone / "blob.txt").stat().st_size == 18 * 200_000
    assert not (clone / ".git" / "hooks").exists() or not any((clone / ".git" / "hooks").iterdir())
