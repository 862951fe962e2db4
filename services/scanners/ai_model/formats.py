"""What a model file is and what it declares: framework, size, inputs and outputs, Lambda layers.

Every format is read as data: safetensors through its library's header reader, ONNX with
`load_external_data=False` (external data may name any file on the host: its locations are listed,
never opened), Keras `.keras` archives as the JSON of their config.json, and Keras HDF5 files through
h5py's attributes only (the `model_config` JSON; no layer is built, no Lambda is deserialised).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ZIP_MAGIC = b"PK\x03\x04"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
NUMPY_MAGIC = b"\x93NUMPY"
PICKLE_SUFFIXES = (
    ".pkl",
    ".pickle",
    ".joblib",
    ".pt",
    ".pth",
    ".ckpt",
    ".bin",
    ".dat",
    ".data",
    ".mar",
    ".npz",
)
MAX_CONFIG_BYTES = 16 * 1024 * 1024  # a Keras config.json this large is not a model description
MAX_LAYERS = 100_000  # configs are walked iteratively; this bounds a hostile, deeply nested one
MAX_NAMES = 200  # input and output names kept per model


class ModelFormatError(ValueError):
    """The file is not a readable model of the format its name or content claims."""


@dataclass
class ModelInfo:
    """What one model file declares."""

    format: str
    framework: str
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    lambda_layers: list[str] = field(default_factory=list)
    external_data: list[str] = field(default_factory=list)  # ONNX locations, never opened
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the result's model section."""
        return {
            "format": self.format,
            "framework": self.framework,
            "inputs": self.inputs[:MAX_NAMES],
            "outputs": self.outputs[:MAX_NAMES],
            "lambda_layers": self.lambda_layers[:MAX_NAMES],
            "external_data": self.external_data[:MAX_NAMES],
            "details": self.details,
        }


def sniff(path: Path, head: bytes) -> str | None:
    """The kind of model file: keras, zip (PyTorch, .npz or any pickle zip), hdf5, numpy (.npy),
    safetensors, onnx, keras_json, pickle; None for a file that is none of them (a README, a vocabulary)."""
    suffix = path.suffix.lower()
    if head.startswith(HDF5_MAGIC) or suffix in (".h5", ".hdf5", ".keras") and not head.startswith(ZIP_MAGIC):
        return "hdf5"
    if suffix == ".keras" or head.startswith(ZIP_MAGIC) or (suffix in PICKLE_SUFFIXES and _is_zip(path)):
        return "keras" if suffix == ".keras" else "zip"
    if head.startswith(NUMPY_MAGIC) or suffix == ".npy":
        return "numpy"
    if suffix == ".safetensors":
        return "safetensors"
    if suffix == ".onnx":
        return "onnx"
    if suffix == ".json" and head.lstrip()[:1] == b"{":
        return "keras_json"
    if suffix in PICKLE_SUFFIXES or head[:1] == b"\x80":
        return "pickle"
    return None


def _is_zip(path: Path) -> bool:
    """A zip found by its central directory (zipfile's rule): bytes put before it do not hide it."""
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


# --- safetensors ---------------------------------------------------------------------------------


def read_safetensors(path: Path) -> ModelInfo:
    """Tensor names, dtypes and parameter count from the header; the tensors are not read."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), framework="numpy") as handle:
            metadata = handle.metadata() or {}
            names = list(handle.keys())
            parameters, dtypes = 0, set()
            for name in names:
                piece = handle.get_slice(name)
                parameters += _product(piece.get_shape())
                dtypes.add(str(piece.get_dtype()))
    except (SafetensorError, OSError, ValueError) as error:
        raise ModelFormatError(f"not a readable safetensors file ({type(error).__name__})") from None
    framework = {"pt": "pytorch", "tf": "tensorflow", "flax": "flax", "np": "numpy"}.get(
        str(metadata.get("format", "")), "unknown"
    )
    return ModelInfo(
        "safetensors",
        framework,
        details={
            "tensors": len(names),
            "parameters": parameters,
            "dtypes": sorted(dtypes),
            "metadata_keys": sorted(metadata)[:50],
        },
    )


def _product(shape: list[int]) -> int:
    total = 1
    for size in shape:
        total *= int(size)
    return total


# --- ONNX ----------------------------------------------------------------------------------------


def read_onnx(path: Path) -> ModelInfo:
    """Graph inputs (not initializers), outputs, producer and opsets; external data listed, never read."""
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load(str(path), load_external_data=False)
    except (DecodeError, OSError, ValueError, RuntimeError) as error:
        raise ModelFormatError(f"not a readable ONNX model ({type(error).__name__})") from None
    graph = model.graph
    initializers = {tensor.name for tensor in graph.initializer}
    external = [
        entry.value
        for tensor in graph.initializer
        for entry in tensor.external_data
        if entry.key == "location"
    ]
    return ModelInfo(
        "onnx",
        model.producer_name or "unknown",
        inputs=[i.name for i in graph.input if i.name not in initializers],
        outputs=[o.name for o in graph.output],
        external_data=sorted(set(external)),
        details={
            "producer": model.producer_name,
            "producer_version": model.producer_version,
            "ir_version": model.ir_version,
            "nodes": len(graph.node),
            "opsets": {o.domain or "ai.onnx": o.version for o in model.opset_import},
        },
    )


# --- Keras ---------------------------------------------------------------------------------------


def read_keras_archive(path: Path) -> ModelInfo:
    """A `.keras` zip: config.json and metadata.json read as JSON, nothing deserialised."""
    try:
        with zipfile.ZipFile(path) as archive:
            config = _json_member(archive, "config.json")
            metadata = _json_member(archive, "metadata.json") if "metadata.json" in archive.namelist() else {}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ModelFormatError(f"not a readable .keras archive ({type(error).__name__})") from None
    info = keras_config_info(config, "keras")
    info.details["keras_version"] = str(metadata.get("keras_version", ""))[:40]
    return info


def _json_member(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        member = archive.getinfo(name)
    except KeyError:
        raise ModelFormatError(f"the archive has no {name}") from None
    if member.file_size > MAX_CONFIG_BYTES:
        raise ModelFormatError(f"{name} is larger than {MAX_CONFIG_BYTES} bytes")
    return _json(archive.read(member))


def read_hdf5(path: Path) -> ModelInfo:
    """A Keras HDF5 file: its `model_config` attribute as JSON; the weights are not read."""
    import h5py

    try:
        with h5py.File(path, "r") as handle:
            raw = handle.attrs.get("model_config")
            version = handle.attrs.get("keras_version", b"")
    except (OSError, ValueError) as error:
        raise ModelFormatError(f"not a readable HDF5 file ({type(error).__name__})") from None
    if raw is None:
        return ModelInfo("hdf5", "keras", details={"weights_only": True})
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    info = keras_config_info(_json(text.encode("utf-8")), "hdf5")
    info.details["keras_version"] = (version.decode() if isinstance(version, bytes) else str(version))[:40]
    return info


def read_keras_json(path: Path) -> ModelInfo:
    """A Keras model config saved as JSON (model.to_json())."""
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ModelFormatError(f"larger than {MAX_CONFIG_BYTES} bytes")
    config = _json(path.read_bytes())
    if not isinstance(config, dict) or "class_name" not in config:
        raise ModelFormatError("JSON without a Keras model config (no class_name)")
    return keras_config_info(config, "keras_json")


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ModelFormatError(f"config is not JSON ({type(error).__name__})") from None


def keras_config_info(config: Any, kind: str) -> ModelInfo:
    """Lambda layers and input/output names found anywhere in a Keras config (nested models too)."""
    info = ModelInfo(kind, "keras")
    layers = 0
    stack = [config]
    while stack and layers < MAX_LAYERS:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        layers += 1
        name = str((node.get("config") or {}).get("name", "")) if isinstance(node.get("config"), dict) else ""
        if node.get("class_name") == "Lambda":
            info.lambda_layers.append(name or "(unnamed)")
        elif node.get("class_name") == "InputLayer" and name:
            info.inputs.append(name)
        stack.extend(value for value in node.values() if isinstance(value, dict | list))
    info.details["config_nodes"] = layers
    return info


# --- names that are personal or protected attributes ------------------------------------------------

# attribute -> (words or word pairs that name it, GDPR Art. 9 special category?)
SENSITIVE_ATTRIBUTES: dict[str, tuple[tuple[str, ...], bool]] = {
    "age": (
        ("age", "birth", "dob", "birthdate", "birthday", "leeftijd", "geboortedatum", "birthyear"),
        False,
    ),
    "gender": (("gender", "sex", "geslacht"), False),
    "nationality": (("nationality", "citizenship", "nationaliteit", "country_of_birth"), False),
    "ethnicity": (
        ("ethnicity", "ethnic", "race", "racial", "etniciteit", "afkomst", "skin_colour", "skin_color"),
        True,
    ),
    "religion": (("religion", "religious", "faith", "geloof", "religie"), True),
    "health": (
        ("health", "disability", "disabled", "diagnosis", "medical", "pregnant", "pregnancy", "gezondheid"),
        True,
    ),
    "sexual_orientation": (("sexual_orientation", "orientation", "sexuality"), True),
    "political_opinion": (("political", "politics", "party_affiliation"), True),
    "trade_union": (("trade_union", "union_member", "vakbond"), True),
    "postcode": (("postcode", "postal", "zipcode", "zip", "postalcode", "zip_code", "postal_code"), False),
    "marital_status": (("marital", "married", "burgerlijke_staat"), False),
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words_of(name: str) -> list[str]:
    """A column or tensor name as lower-case words: `applicantAge:0` -> applicant, age, 0."""
    return [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub("_", name).lower()) if w]


def sensitive_attribute(name: str) -> tuple[str, bool] | None:
    """(attribute, special category?) when `name` names a personal or protected attribute."""
    words = words_of(name)
    pairs = {f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)}
    for attribute, (names, special) in SENSITIVE_ATTRIBUTES.items():
        if any(n in words or n in pairs for n in names):
            return attribute, special
    return None
