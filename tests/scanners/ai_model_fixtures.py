"""Model files, datasets and hostile pickles for the AI model scanner's tests, generated small in the test.

Every malicious pickle here would create or touch a file if it were ever loaded; the tests assert the
marker never appears. Raw-opcode pickles are written byte by byte because that is how the public
bypasses were published: as callables pickle.dumps would never produce for an ordinary object.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import random
import struct
import zipfile
from pathlib import Path
from typing import Any

from tests.planted import EMAIL


class WritesMarker:
    """Unpickling this creates the marker file (builtins.open in write mode)."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (self.marker, "w"))


class RunsShell:
    """The classic: os.system with a command that touches the marker."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _text(value: str) -> bytes:
    """A SHORT_BINUNICODE opcode pushing `value`."""
    data = value.encode()
    return b"\x8c" + bytes([len(data)]) + data


def _global(module: str, name: str) -> bytes:
    return f"c{module}\n{name}\n".encode()


def call(module: str, name: str, *args: str) -> bytes:
    """A protocol-2 pickle that calls module.name(*args) when loaded."""
    return b"\x80\x02" + _global(module, name) + b"(" + b"".join(_text(a) for a in args) + b"tR."


def torch_state_dict() -> bytes:
    """What torch.save writes for {"weight": a 4-float tensor}: only globals of the allow-list."""
    return (
        b"\x80\x02"
        + _global("collections", "OrderedDict")
        + b")R"
        + _text("weight")
        + _global("torch._utils", "_rebuild_tensor_v2")
        + b"("
        + _global("torch", "FloatStorage")
        + _text("0")
        + b"K\x00K\x04\x85K\x01\x85\x89tR"
        + b"s."
    )


# Public bypasses of picklescan (advisories and issues on mmaitre314/picklescan and protectai/modelscan),
# reproduced offline: a dangerous callable its deny list did not name, or a way of hiding the import.
def bypass_pickles(marker: Path) -> dict[str, bytes]:
    """name -> pickle bytes; each would run something if loaded."""
    command = f"touch {marker}"
    return {
        "builtins_getattr_chain": (
            b"\x80\x02"
            + _global("builtins", "getattr")
            + _global("builtins", "__import__")
            + _text("os")
            + b"\x85R"
            + _text("system")
            + b"\x86R"
            + _text(command)
            + b"\x85R."
        ),
        "operator_attrgetter": call("operator", "attrgetter", "system"),
        "operator_methodcaller": call("operator", "methodcaller", "system", command),
        "pydoc_locate": call("pydoc", "locate", "os.system"),
        "importlib_import_module": call("importlib", "import_module", "os"),
        "runpy_run_code": call("runpy", "_run_code", f"open({str(marker)!r}, 'w')"),
        "pty_spawn": call("pty", "spawn", "true"),
        "shutil_rmtree": call("shutil", "rmtree", str(marker.parent / "nothing")),
        "asyncio_subprocess": call("asyncio.subprocess", "create_subprocess_shell", command),
        "bdb_run_stack_global": (
            b"\x80\x04"
            + _text("bdb")
            + b"\x94"
            + _text("Bdb.run")
            + b"\x94\x93"
            + b"\x94"
            + _text(command)
            + b"\x85R."
        ),
        "torch_load_internal": call("torch.serialization", "load", str(marker)),
        "stack_global_computed_name": (
            b"\x80\x04"
            + _text("os")
            + b"\x94"
            + _global("builtins", "str")
            + _text("system")
            + b"\x85R\x93"
            + _text(command)
            + b"\x85R."
        ),
        "protocol_0_text": pickle.dumps(RunsShell(marker), protocol=0),
        "code_type_exec": call("builtins", "exec", f"open({str(marker)!r}, 'w')"),
        # picklescan#14: memo filled by BINPUT and MEMOIZE mixed, so a tracker of one sees safe names
        "memo_confusion": (b"\x80\x04" + _text("os") + b"q\x00" + _text("system") + b"q\x01"
                           + _text("torch._utils") + b"\x94" + _text("_rebuild_tensor_v2") + b"\x94"
                           + b"h\x00h\x01\x93" + _text(command) + b"\x85R."),
        # picklescan#13: INST imports and calls in one opcode, no GLOBAL at all
        "inst_opcode": f"(S'{command}'\nios\nsystem\n.".encode(),
        "pkgutil_resolve_name": call("pkgutil", "resolve_name", "os:system"),  # GHSA-vvpj-8cmc-gx39
        "marshal_loads": call("marshal", "loads", "c"),  # picklescan#74
        "cprofile_run": call("cProfile", "run", f"open({str(marker)!r}, 'w')"),  # modelscan#313
        "timeit_timeit": call("timeit", "timeit", f"open({str(marker)!r}, 'w')"),
        "mailcap_findmatch": call("mailcap", "findmatch", "text/plain"),  # picklescan#69, modelscan#346
        "imaplib_imap4_stream": call("imaplib", "IMAP4_stream", command),
        "code_interactive_interpreter": call("code", "InteractiveInterpreter.runcode", "x"),
    }


def pytorch_zip(payload: bytes, *, member: str = "archive/data.pkl") -> bytes:
    """A zip laid out as torch.save writes it: a pickle, version, byteorder and raw storages."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, payload)
        archive.writestr("archive/version", "3\n")
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/data/0", struct.pack("<4f", 1.0, 2.0, 3.0, 4.0))
        archive.writestr("archive/.data/serialization_id", "0123456789")
    return buffer.getvalue()


def with_bad_crc(zipped: bytes, member: str) -> bytes:
    """The zip with `member`'s CRC wrong in both headers (PyTorch's reader does not check it)."""
    data = bytearray(zipped)
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        info = archive.getinfo(member)
    wrong = struct.pack("<I", info.CRC ^ 0xFFFFFFFF)
    data[info.header_offset + 14 : info.header_offset + 18] = wrong  # the local header's CRC
    position = data.find(b"PK\x01\x02")
    while position != -1:  # and the central directory entry's
        name_length = struct.unpack("<H", data[position + 28 : position + 30])[0]
        if data[position + 46 : position + 46 + name_length].decode() == member:
            data[position + 16 : position + 20] = wrong
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def keras_config(*, with_lambda: bool) -> dict[str, Any]:
    """A functional Keras model config; the Lambda layer's function is base64 bytecode, as Keras saves it."""
    layers: list[dict[str, Any]] = [
        {"class_name": "InputLayer", "config": {"name": "applicant_age", "batch_shape": [None, 1]}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 1}},
    ]
    if with_lambda:
        layers.append(
            {
                "class_name": "Lambda",
                "config": {
                    "name": "sneaky",
                    "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAA"}},
                },
            }
        )
    return {"class_name": "Functional", "config": {"name": "model", "layers": layers}}


def write_keras_archive(path: Path, *, with_lambda: bool) -> None:
    """A `.keras` zip: config.json, metadata.json, an (empty) weights file."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(keras_config(with_lambda=with_lambda)))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.6.0"}))
        archive.writestr("model.weights.h5", b"")


def write_h5(path: Path, *, with_lambda: bool) -> None:
    """A Keras HDF5 file: the model config as an attribute, as model.save("x.h5") writes it."""
    import h5py

    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = json.dumps(keras_config(with_lambda=with_lambda))
        handle.attrs["keras_version"] = "2.15.0"
        handle.create_dataset("model_weights/dense/kernel", data=[[0.5]])


def write_onnx(path: Path, inputs: list[str], *, external: str | None = None) -> None:
    """A one-node ONNX graph (Add of the inputs' first two, or Identity)."""
    import onnx
    from onnx import TensorProto, helper

    graph_inputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [1]) for name in inputs]
    output = helper.make_tensor_value_info("score", TensorProto.FLOAT, [1])
    node = helper.make_node("Identity", [inputs[0]], ["score"])
    initializers = []
    if external is not None:
        weight = helper.make_tensor("w", TensorProto.FLOAT, [1], [1.0])
        weight.data_location = TensorProto.EXTERNAL
        entry = weight.external_data.add()
        entry.key, entry.value = "location", external
        del weight.float_data[:]
        initializers.append(weight)
    graph = helper.make_graph([node], "g", graph_inputs, [output], initializer=initializers)
    model = helper.make_model(graph, producer_name="dg-tests")
    onnx.save(model, str(path))


def write_safetensors(path: Path) -> None:
    """Two tensors, saved by the library with PyTorch's format tag."""
    import numpy as np
    from safetensors.numpy import save_file

    save_file(
        {"weight": np.ones((2, 3), dtype=np.float32), "bias": np.zeros(3, dtype=np.float32)},
        str(path),
        metadata={"format": "pt"},
    )


def write_hiring_csv(path: Path, *, biased: bool, rows: int = 400, seed: int = 7) -> None:
    """Applicants with a gender, an e-mail column and a hired label; biased: men hired twice as often."""
    rng = random.Random(seed)
    lines = ["applicant_id,gender,email,hired,predicted"]
    for index in range(rows):
        gender = "f" if index % 2 else "m"
        if biased:
            hired = int(rng.random() < (0.3 if gender == "f" else 0.6))
            predicted = hired if rng.random() < 0.9 else 1 - hired
        else:  # the same pattern in both groups: 9 of every 20 hired, one of every 10 mispredicted
            hired = int((index // 2) % 20 < 9)
            predicted = hired if (index // 2) % 10 else 1 - hired
        email = EMAIL if index == 3 else f"applicant{index}@example.nl"
        lines.append(f"{index},{gender},{email},{hired},{predicted}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
