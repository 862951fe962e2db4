"""`python cli.py scan image PATH` as a real process: findings, the exit gate and a PDF with previews."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from tests.cli.conftest import Run
from tests.scanners import image_fixtures as fx


def test_cli_scans_a_folder_of_pictures(cli: Callable[..., Run], tmp_path: Path) -> None:
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    fx.face_photo(384).save(pictures / "face.jpg")
    fx.landscape().save(pictures / "beach.jpg", "JPEG", exif=fx.camera_exif())
    fx.letter().save(pictures / "letter.png")
    run = cli("scan", "image", pictures, "--local", "--fail-on", "high", "--option", "redact=true")
    assert run.code == 1, run.stderr  # a face, a GPS position and a BSN are high
    (result,) = json.loads(run.stdout)["results"]
    found = {(Path(f["location"]["path"]).name, f["type"]) for f in result["findings"]}
    assert {("face.jpg", "image.face"), ("beach.jpg", "image.gps_location"), ("letter.png", "pii.bsn"),
            ("letter.png", "pii.iban")} <= found
    assert "image scan completed" in run.stderr
    copies = [line.rsplit(": ", 1)[1] for line in run.stderr.splitlines() if "redacted copy of" in line]
    assert len(copies) == 3 and all(Path(c).is_relative_to(tmp_path / "cli-var") for c in copies)
    pdf = tmp_path / "pictures.pdf"
    again = cli("scan", "image", pictures, "--local", "--format", "pdf", "--output", pdf,
                "--option", "ocr=false", "--language", "nl")
    assert again.code == 0, again.stderr
    reader = PdfReader(str(pdf))
    assert "Afbeeldingen" in " ".join(page.extract_text() or "" for page in reader.pages)
    assert sum(len(page.images) for page in reader.pages) == 3  # the three redacted previews
    run.assert_no_planted(again.stdout, again.stderr)
    for value in fx.PLANTED_RAW:
        assert value.encode() not in run.stdout and value not in run.stderr
