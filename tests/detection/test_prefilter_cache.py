"""The prefilter's hyperscan database cached on disk: loaded instead of compiled, never from a file
another user could have written, rebuilt when corrupt or foreign."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from services.detection import prefilter, prefilter_cache
from services.detection.engine import _hits_everywhere, _located_hits
from services.detection.registry import detectors_for
from utils.config import Settings

pytest.importorskip("hyperscan")

ALL_KINDS = frozenset({"pii", "secret", "special", "code"})
TEXT = ("contact jan.jansen@ziggo.nl, BSN 111222333\n"
        'AWS_ACCESS_KEY_ID = "AKIAQWERTYUIOPASDFGH"\n' + "x = compute(1, 2)\n" * 50)
NOBODY = 65534


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{prefilter_cache.PREFIX}*{prefilter_cache.SUFFIX}"))


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the compiles of every Prefilter built from here on."""
    calls: list[int] = []
    real = prefilter._compiled

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(prefilter, "_compiled", counted)
    return calls


def _same_hits(built: prefilter.Prefilter, kinds: frozenset[str] = ALL_KINDS) -> None:
    detectors = detectors_for(kinds)
    plan = built.plan(TEXT)
    assert plan is not None
    located = sorted((h.detector.type, h.start, h.end) for h in _located_hits(TEXT, detectors, plan))
    assert located == sorted((h.detector.type, h.start, h.end) for h in _hits_everywhere(TEXT, detectors))
    assert {"pii.email", "secret.aws_access_key"} <= {t for t, _, _ in located}


def test_a_second_process_loads_the_database_instead_of_compiling(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "dataguardian"
    compiles = _compiles(monkeypatch)
    first = prefilter.Prefilter(detectors_for(ALL_KINDS), cache)
    assert len(compiles) == 1 and len(_files(cache)) == 1
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(_files(cache)[0].stat().st_mode) == 0o600
    second = prefilter.Prefilter(detectors_for(ALL_KINDS), cache)
    assert len(compiles) == 1, "the cached database was compiled again"
    _same_hits(first)
    _same_hits(second)
    assert second._whole == first._whole


def test_another_detector_selection_has_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = _compiles(monkeypatch)
    prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path)
    prefilter.Prefilter(detectors_for(frozenset({"secret"})), tmp_path)
    assert len(compiles) == 2 and len(_files(tmp_path)) == 2
    _same_hits(prefilter.Prefilter(detectors_for(frozenset({"pii", "secret"})), tmp_path),
               frozenset({"pii", "secret"}))
    assert len(compiles) == 3


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "another key", "not ours at all", "empty"])
def test_a_corrupt_or_foreign_file_is_ignored_and_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          damage: str) -> None:
    prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path)
    (path,) = _files(tmp_path)
    data = path.read_bytes()
    damaged = {"truncated": data[: len(data) // 2], "empty": b"",
               "flipped byte": data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:],
               "another key": data.replace(path.name[len(prefilter_cache.PREFIX):-5].encode(), b"0" * 40, 1),
               "not ours at all": b"\x7fELF" + os.urandom(4096)}[damage]
    path.write_bytes(damaged)
    compiles = _compiles(monkeypatch)
    _same_hits(prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path))
    assert len(compiles) == 1, "a damaged cache file was loaded"
    assert path.read_bytes() == data  # rebuilt in place, whole again
    prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path)
    assert len(compiles) == 1


@pytest.mark.parametrize("plant", ["group-writable file", "world-writable file", "file of another user",
                                   "symbolic link"])
def test_a_file_another_user_could_have_written_is_never_loaded(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 plant: str) -> None:
    prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path)
    (path,) = _files(tmp_path)
    if plant == "group-writable file":
        path.chmod(0o620)
    elif plant == "world-writable file":
        path.chmod(0o602)
    elif plant == "file of another user":
        _chown_or_skip(path, NOBODY)
    else:
        elsewhere = tmp_path.parent / f"{tmp_path.name}-planted.hsdb"
        path.rename(elsewhere)
        path.symlink_to(elsewhere)
    compiles = _compiles(monkeypatch)
    prefilter.Prefilter(detectors_for(ALL_KINDS), tmp_path)
    assert len(compiles) == 1, f"a {plant} was loaded"
    assert not path.is_symlink() and path.stat().st_uid == os.geteuid()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # replaced by one of our own


@pytest.mark.parametrize("plant", ["group-writable directory", "directory of another user", "symbolic link"])
def test_a_directory_another_user_could_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             plant: str) -> None:
    cache = tmp_path / "dataguardian"
    prefilter.Prefilter(detectors_for(ALL_KINDS), cache)
    if plant == "group-writable directory":
        cache.chmod(0o770)
    elif plant == "directory of another user":
        _chown_or_skip(cache, NOBODY)
    else:
        cache.rename(tmp_path / "elsewhere")
        cache.symlink_to(tmp_path / "elsewhere")
    compiles = _compiles(monkeypatch)
    prefilter.Prefilter(detectors_for(ALL_KINDS), cache)
    prefilter.Prefilter(detectors_for(ALL_KINDS), cache)
    assert len(compiles) == 2, f"the database in a {plant} was used"


def test_old_databases_are_pruned(tmp_path: Path) -> None:
    stale = []
    for index in range(prefilter_cache.KEEP_FILES + 3):
        path = tmp_path / f"{prefilter_cache.PREFIX}{index:040d}{prefilter_cache.SUFFIX}"
        path.write_bytes(b"old")
        os.utime(path, (1_000_000 + index, 1_000_000 + index))
        stale.append(path)
    prefilter.Prefilter(detectors_for(frozenset({"secret"})), tmp_path)
    kept = _files(tmp_path)
    assert len(kept) == prefilter_cache.KEEP_FILES
    assert not any(p.exists() for p in stale[:4])  # the oldest went first


def test_without_a_cache_directory_nothing_is_written(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = _compiles(monkeypatch)
    _same_hits(prefilter.Prefilter(detectors_for(ALL_KINDS), None))
    assert len(compiles) == 1 and not list(tmp_path.iterdir())


@pytest.mark.parametrize(("environ", "expected"), [
    ({"HOME": "/home/ann"}, "/home/ann/.cache/dataguardian"),
    ({"HOME": "/home/ann", "XDG_CACHE_HOME": "/var/cache/ann"}, "/var/cache/ann/dataguardian"),
    ({"HOME": "/home/ann", "XDG_CACHE_HOME": "relative/ignored"}, "/home/ann/.cache/dataguardian"),
    ({"HOME": "/home/ann", "DG_CACHE_DIR": "/srv/dg-cache"}, "/srv/dg-cache"),
    ({"HOME": "/home/ann", "DG_CACHE_DIR": ""}, None),  # empty: every process compiles
    ({}, None),  # no home (a service account): no cache rather than one in the working directory
])
def test_the_cache_directory_follows_the_xdg_spec(environ: dict[str, str], expected: str | None) -> None:
    found = Settings.from_env(environ).cache_dir
    assert (str(found) if found is not None else None) == expected


def _chown_or_skip(path: Path, uid: int) -> None:
    try:
        os.chown(path, uid, -1, follow_symlinks=False)
    except PermissionError:
        pytest.skip("changing a file's owner needs root")
