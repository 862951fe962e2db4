"""`python cli.py scan ai_model PATH --answers answers.yaml`: the model file and the AI Act answers from a
YAML file, in-process (--local) and through the REST API and a worker (remote)."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.rest_api.stack import Served, Tenant
from tests.runtime.conftest import Platform
from tests.scanners import ai_model_fixtures as fx

ANSWERS = "role: provider\nannex_iii: [creditworthiness]\ngenerates_synthetic_content: true\n"


def test_local_scan_with_answers_yaml(cli: Callable[..., Run], tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "model.pt").write_bytes(fx.pytorch_zip(pickle.dumps(fx.RunsShell(marker))))
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    run = cli(
        "scan", "ai_model", tmp_path / "models", "--answers", answers, "--local", "--fail-on", "critical"
    )
    assert run.code == 1, run.stderr  # the unsafe pickle is critical
    result = json.loads(run.stdout)["results"][0]  # the JSON export: findings and summary, not sections
    found = {f["type"]: f for f in result["findings"]}
    assert found["ai.act_high_risk"]["evidence"] == "high_risk: Art. 6(2), Annex III 5(b)"
    assert "AI Act Art. 50(2)" in found["ai.act_transparency"]["gdpr_articles"]
    assert found["ai.unsafe_model_file"]["location"]["path"] == "models/model.pt" and not marker.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("profiling: maybe\n", encoding="utf-8")
    refused = cli("scan", "ai_model", tmp_path / "models", "--answers", bad, "--local")
    assert refused.code == 2 and "profiling" in refused.stderr, refused.stderr
    run.assert_no_planted()


def test_remote_scan_uploads_the_model_and_sends_the_answers(
    cli: Callable[..., Run], served: Served, platform: Platform, org_a: Tenant, tmp_path: Path
) -> None:
    platform.start_workers("ai_model")
    fx.write_onnx(tmp_path / "score.onnx", ["applicant_age", "x"])
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    run = cli(
        "scan",
        "ai_model",
        tmp_path / "score.onnx",
        "--answers",
        answers,
        "--api-url",
        served.base + "/api/v1",
        "--api-key",
        org_a.key,
        "--format",
        "csv",
    )
    assert run.code == 0, run.stderr
    text = run.stdout.decode("utf-8-sig")
    assert ",ai_model,ai.act_high_risk," in text and ",ai_model,ai.sensitive_input," in text
    run.assert_no_planted()
