"""Copies of uploads live in the worker's own temp folder under the data directory, and a worker
killed in the middle of a scan leaves nothing behind once it is restarted."""

from __future__ import annotations

import os
import random
import shutil
import signal
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import Platform
from tests.servers import wait_until

MEMBERS = 16  # each about 1.7 MB of words: a scan of some seconds, so the kill lands in the middle of it
LINES_PER_MEMBER = 12_000


def slow_archive(path: Path, marker: str) -> Path:
    """A zip of text members under the directory `marker`: plain words, no personal data, slow to read.

    Random words compress about threefold, far from the hundredfold of an archive bomb.
    """
    rng = random.Random(13)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(4000)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(MEMBERS):
            text = "\n".join(" ".join(rng.choices(words, k=12)) for _ in range(LINES_PER_MEMBER))
            archive.writestr(f"{marker}/part-{index:02d}.txt", text)
    return path


def copies(root: Path, marker: str, depth: int = 0) -> list[Path]:
    """Extraction folders (dg-document-*) `depth` levels below `root` that hold the archive's members."""
    return [hit.parents[1] for hit in root.glob("*/" * depth + f"dg-document-*/archive-1/{marker}")]


@pytest.fixture
def marker() -> Iterator[str]:
    """A directory name no other archive has; whatever still holds it in the system temp is removed."""
    name = f"dg-temp-drill-{uuid.uuid4().hex}"
    yield name
    for leftover in copies(Path(tempfile.gettempdir()), name):  # left by a failing run only
        shutil.rmtree(leftover, ignore_errors=True)


def test_a_killed_worker_leaves_no_copy_of_an_upload_behind(platform: Platform, tmp_path: Path,
                                                           marker: str) -> None:
    system_temp = Path(tempfile.gettempdir())
    archive = slow_archive(tmp_path / "upload.zip", marker)
    (worker,) = platform.start_workers("document")
    own_temp = platform.settings.data_dir / "tmp"  # settings.temp_dir
    job_id = platform.manager.submit_scan_job("document", {"path": str(archive)})
    last_member = f"{marker}/part-{MEMBERS - 1:02d}.txt"
    # the archive is extracted: its copy exists while the members are scanned
    [killed_copy] = wait_until(lambda: [c for c in copies(own_temp, marker, 1) + copies(system_temp, marker)
                                        if (c / "archive-1" / last_member).exists()],
                               30, step_s=0.05, what="the archive extracted by the worker")
    assert not copies(system_temp, marker), "a copy of the upload went to the system temp folder"
    assert killed_copy.is_relative_to(own_temp)
    folder = killed_copy.parent
    assert folder.parent == own_temp and (folder.stat().st_mode & 0o777) == 0o700
    old_pid = worker.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    wait_until(lambda: (h := platform.health(worker)) and h["pid"] != old_pid, 15, what="a new worker")
    # the restarted worker removed its predecessor's copy before it took the job up again
    wait_until(lambda: not killed_copy.exists(), 5, what="the killed run's copy removed")
    result = platform.manager.queue.wait(job_id, 60)
    assert result is not None and result["status"] == "completed", result
    assert result["summary"]["items_scanned"] == MEMBERS
    assert list(folder.iterdir()) == [], "the finished scan left files in the worker's temp folder"
    assert not copies(system_temp, marker)
