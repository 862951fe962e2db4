"""Image scans through the REST API and a real image worker: bad input first (the worker stays healthy),
then an archive of photos with redacted copies downloaded by their owner and refused to anyone else."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from PIL import Image

from services.scan_service import ScanService
from tests.rest_api.stack import Tenant
from tests.runtime.conftest import Platform
from tests.scanners import image_fixtures as fx
from utils.config import Settings


def _upload(client: FlaskClient, tenant: Tenant, name: str, data: bytes) -> str:
    response = client.post("/api/v1/uploads", headers=tenant.headers, data={"file": (io.BytesIO(data), name)})
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["upload"])


def _scan(client: FlaskClient, tenant: Tenant, service: ScanService,
          request: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/scans", headers=tenant.headers,
                           json={"scanner": "image", "request": request})
    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.get_json()["job_id"]
    result = service.manager.queue.wait(job_id, 90)
    assert result is not None, "the image worker did not finish the job"
    return {**result, "job_id": job_id}


def _album() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as album:
        album.writestr("holiday/face.jpg", fx.jpeg_bytes(fx.face_photo(384)))
        album.writestr("holiday/beach.jpg", _with_exif(fx.landscape()))
    return buffer.getvalue()


def _with_exif(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=fx.camera_exif())
    return buffer.getvalue()


def test_image_scans_through_the_api_and_a_real_worker(
        api_settings: Settings, client: FlaskClient, org_a: Tenant, org_b: Tenant, service: ScanService,
        platform: Platform) -> None:
    (worker,) = platform.start_workers("image")
    before = platform.health(worker)
    assert before is not None
    bomb = _scan(client, org_a, service, {"path": _upload(client, org_a, "bomb.png", fx.png_bomb())})
    assert bomb["status"] == "failed" and bomb["job_state"] == "succeeded"
    assert "too many pixels" in bomb["errors"][0]["message"]
    empty = _scan(client, org_a, service, {"path": _upload(client, org_a, "empty.jpg", b"")})
    assert empty["errors"][0]["message"] == "empty.jpg: empty file (0 bytes)"
    after = platform.health(worker)
    assert after is not None and after["pid"] == before["pid"]  # healthy after bad input, not replaced
    album = _scan(client, org_a, service, {"path": _upload(client, org_a, "album.zip", _album()),
                                           "options": {"redact": True}})
    assert album["status"] == "completed", album["errors"]
    types = {(Path(f["location"]["path"]).name, f["type"]) for f in album["findings"]}
    assert {("face.jpg", "image.face"), ("beach.jpg", "image.gps_location")} <= types
    copies = album["artifacts"]
    own_folder = api_settings.upload_dir.resolve() / org_a.org_id / "artifacts" / "image"
    assert len(copies) == 2 and all(Path(c["path"]).parent.parent == own_folder for c in copies)
    job = album["job_id"]
    downloads = []
    for index, copy in enumerate(copies):
        response = client.get(f"/api/v1/scans/{job}/artifacts/{index}", headers=org_a.headers)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{copy["name"]}"'
        with Image.open(io.BytesIO(response.data)) as downloaded:
            assert not downloaded.getexif()
        downloads.append(response.data)
    assert client.get(f"/api/v1/scans/{job}/artifacts/0", headers=org_b.headers).status_code == 404
    assert client.get(f"/api/v1/scans/{job}/artifacts/2", headers=org_a.headers).status_code == 404
    for value in fx.PLANTED_RAW:
        assert value not in json.dumps([bomb, empty, album])
