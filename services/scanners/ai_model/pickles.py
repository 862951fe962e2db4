"""Whether a pickle-based model file runs code when it is loaded, decided without ever unpickling it.

Two maintained analysers read the opcodes: picklescan (its deny list of dangerous globals, and the
globals it cannot resolve, e.g. a STACK_GLOBAL whose names are computed) and fickling (a symbolic
interpretation that flags overtly malicious calls). Neither list is complete: every public bypass of
picklescan used a callable its deny list did not name yet. So a third rule decides what is safe: a
pickle whose globals are all on ALLOWED_GLOBALS (what numpy, scikit-learn-free state dicts and PyTorch
checkpoints need to rebuild tensors) is safe; any other global makes the file at least one to review.

Verdicts, worst first: `unsafe` (a library calls it dangerous), `unverifiable` (it could not be read to
the end: unknown protocol, truncated, too large; treat as unsafe until someone looks), `review`
(globals outside the allow-list), `safe`.

A zip (PyTorch's format, or a zip with a pickle under any name) is read member by member with
picklescan's RelaxedZipFile, which like PyTorch ignores bad CRCs and odd flags; the raw tensor storages
PyTorch keeps under `<archive>/data/<n>` are never unpickled by it and are not read as pickles.
"""

from __future__ import annotations

import contextlib
import io
import logging
import pickle
import pickletools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from fickling.analysis import Severity as FicklingSeverity
from fickling.analysis import check_safety
from fickling.fickle import PickleDecodeError, StackedPickle
from picklescan.relaxed_zipfile import RelaxedZipFile
from picklescan.scanner import SafetyLevel, scan_pickle_bytes

logger = logging.getLogger(__name__)

VERDICTS = ("unsafe", "unverifiable", "review", "safe")  # worst first
NUMPY_MAGIC = b"\x93NUMPY"
MAX_ZIP_MEMBERS = 10_000  # a checkpoint has a handful plus one per tensor storage

# Globals an ordinary ML pickle needs and that call nothing the data can steer: rebuilding numpy
# arrays and dtypes, PyTorch tensors, storages and parameters, and ordered dicts of them. A name here
# is a promise that calling it with attacker-chosen arguments only builds data.
ALLOWED_GLOBALS = frozenset(
    {
        "collections.OrderedDict",
        "builtins.set",
        "builtins.frozenset",
        "builtins.complex",
        "builtins.slice",
        "builtins.bytearray",
        "__builtin__.set",
        "__builtin__.frozenset",
        "copy_reg._reconstructor",
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar",
        "numpy._core.multiarray._reconstruct",
        "numpy._core.multiarray.scalar",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.Size",
        "torch.device",
        *(
            f"torch.{kind}Storage"
            for kind in (
                "Float",
                "Double",
                "Half",
                "BFloat16",
                "Long",
                "Int",
                "Short",
                "Char",
                "Byte",
                "Bool",
                "ComplexFloat",
                "ComplexDouble",
            )
        ),
        "torch.float32",
        "torch.float16",
        "torch.bfloat16",
        "torch.int64",
        "torch.int32",
        "torch.uint8",
        "torch.bool",
    }
)
# Public bypasses the installed libraries do not name yet (open pull requests upstream): each reaches a
# shell or arbitrary code. Kept short and dated; remove an entry once picklescan lists it.
KNOWN_DANGEROUS = frozenset(
    {
        "mailcap.findmatch",  # runs a mailcap entry's test command (picklescan#69, modelscan#346; 2026-05)
        "marshal.loads",  # code objects from bytes (picklescan#74; fickling flags it, picklescan 1.0.5 not)
        "importlib.import_module",  # any module by name (picklescan#66; likewise)
    }
)
# PyTorch's zip layout: raw tensor bytes, read by torch as storage, never as a pickle
_STORAGE_MEMBER = re.compile(r"^[^/]+/data/\d+$")
# the opcodes a pickle can start with (protocol 2+ starts with PROTO; 0 and 1 start with any of these)
_PICKLE_START = frozenset(b"\x80(cdeilt}])NIFLSVUGJKMX")
FICKLING_MAX_OPCODES = 20_000  # ~2 s of fickling here; numpy and torch pickles hold far fewer
_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|b'(?:[^'\\]|\\.)*'")
_UNSAFE_FICKLING = (
    FicklingSeverity.LIKELY_UNSAFE
)  # this or worse, with a global outside the allow-list: unsafe
_OVERT_FICKLING = FicklingSeverity.LIKELY_OVERTLY_MALICIOUS  # this or worse: unsafe whatever it imports
_FICKLING_FAILURES = (
    PickleDecodeError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    NotImplementedError,
    AssertionError,
    UnicodeError,
    OverflowError,
)


@dataclass
class PickleCheck:
    """What the analysers said of one pickle stream (a file, or a member of a zip)."""

    member: str | None
    verdict: str
    globals: list[str] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)  # globals picklescan or fickling call dangerous
    outside_allow_list: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why, in words (fickling's messages, read problems)
    analysers: dict[str, str] = field(default_factory=dict)  # each library's own verdict

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form for the result's model section."""
        return {
            "member": self.member,
            "verdict": self.verdict,
            "globals": self.globals[:50],
            "dangerous": self.dangerous[:50],
            "outside_allow_list": self.outside_allow_list[:50],
            "reasons": self.reasons[:10],
            "analysers": self.analysers,
        }


def worst(verdicts: list[str]) -> str:
    """The worst of several verdicts; `safe` for none."""
    return min(verdicts, key=VERDICTS.index, default="safe")


def looks_like_pickle(head: bytes) -> bool:
    """True when the first bytes could open a pickle stream (any protocol)."""
    return bool(head) and head[0] in _PICKLE_START


def check_pickle(data: bytes, member: str | None = None) -> PickleCheck:
    """Analyse one pickle stream with picklescan and fickling, never loading it."""
    check = PickleCheck(member, "safe")
    protocol = _declared_protocol(data)
    if protocol is not None and protocol > pickle.HIGHEST_PROTOCOL:
        # no Python reads it today; a future one might, with opcodes neither analyser knows
        check.reasons.append(f"pickle protocol {protocol} is unknown (highest is {pickle.HIGHEST_PROTOCOL})")
        check.verdict = "unverifiable"
    _picklescan(data, check)
    _fickling(data, check)
    check.outside_allow_list = sorted(g for g in check.globals if g not in ALLOWED_GLOBALS)
    check.verdict = worst([check.verdict, _verdict_of(check)])
    return check


def _declared_protocol(data: bytes) -> int | None:
    return data[1] if len(data) >= 2 and data[0] == 0x80 else None


def _picklescan(data: bytes, check: PickleCheck) -> None:
    result = scan_pickle_bytes(io.BytesIO(data), check.member or "model", multiple_pickles=True)
    for found in result.globals:
        name = f"{found.module}.{found.name}"
        check.globals.append(name)
        if found.safety is SafetyLevel.Dangerous:
            check.dangerous.append(name)
    check.globals = sorted(set(check.globals))
    check.analysers["picklescan"] = (
        "dangerous" if result.issues_count else "suspicious" if result.suspicious_count else "clean"
    )
    if result.scan_err:
        check.reasons.append("picklescan could not read the pickle to its end")
        check.verdict = worst([check.verdict, "unverifiable"])


def _opcodes_over(data: bytes, limit: int) -> bool:
    """True when the stream holds more than `limit` opcodes (counted up to there, not further)."""
    try:
        for count, _ in enumerate(pickletools.genops(io.BytesIO(data)), start=1):
            if count > limit:
                return True
    except (ValueError, EOFError, UnicodeError, IndexError, OverflowError):
        pass
    return False


def _fickling(data: bytes, check: PickleCheck) -> None:
    if _opcodes_over(data, FICKLING_MAX_OPCODES):
        # fickling interprets every opcode into an AST: 100 000 opcodes take ~9 s here. The verdict then
        # rests on picklescan and the allow-list, which still holds any unknown global for review.
        check.analysers["fickling"] = f"skipped (more than {FICKLING_MAX_OPCODES} opcodes)"
        return
    try:
        # fickling writes its interpreter's complaints, which may quote the pickle's strings, straight to
        # stderr, i.e. the worker's log: they are dropped (a worker runs one scan at a time)
        with contextlib.redirect_stderr(io.StringIO()):
            severities = _fickling_severities(data, check)
    except _FICKLING_FAILURES as error:
        check.analysers["fickling"] = f"unreadable ({type(error).__name__})"
        check.reasons.append(f"fickling could not interpret the pickle ({type(error).__name__})")
        check.verdict = worst([check.verdict, "unverifiable"])
        return
    severity = max(severities, default=FicklingSeverity.LIKELY_SAFE)
    check.analysers["fickling"] = severity.name.lower()
    outside = {g for g in check.globals if g not in ALLOWED_GLOBALS}
    # fickling calls every non-standard import "likely unsafe", torch's tensor rebuilders included: that
    # level condemns only globals outside the allow-list; an overtly malicious verdict condemns any pickle
    if severity >= _OVERT_FICKLING or (severity >= _UNSAFE_FICKLING and outside):
        check.dangerous = sorted(set(check.dangerous) | outside)
        check.verdict = worst([check.verdict, "unsafe"])


def _fickling_severities(data: bytes, check: PickleCheck) -> list[FicklingSeverity]:
    """fickling's severity for each stacked pickle; invalid opcodes make the check unverifiable."""
    severities = []
    for pickled in StackedPickle.load(data, fail_on_decode_error=False):
        if pickled.has_invalid_opcode:
            check.reasons.append("fickling met an invalid opcode")
            check.verdict = worst([check.verdict, "unverifiable"])
        analysis = check_safety(pickled)
        severities.append(analysis.severity)
        # kept as words, literals cut; the verdict is decided by the caller
        check.reasons += [
            _without_literals(str(r)) for r in analysis.results if r.severity >= _UNSAFE_FICKLING
        ][:5]
    return severities


def _without_literals(message: str) -> str:
    """fickling's message with every quoted literal cut: the arguments of a call may be a secret or a
    person's data carried in the pickle, and a result never repeats what it found."""
    return _LITERAL.sub("'…'", message)[:300]


def _verdict_of(check: PickleCheck) -> str:
    check.dangerous = sorted(set(check.dangerous) | (set(check.globals) & KNOWN_DANGEROUS))
    if check.dangerous:
        return "unsafe"
    return "review" if check.outside_allow_list else "safe"


def check_zip(data: bytes, max_member_bytes: int) -> Iterator[PickleCheck]:
    """Every pickle in a zip archive (PyTorch's format or any other), whatever its members are called."""
    with RelaxedZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            yield PickleCheck(
                None, "unverifiable", reasons=[f"more than {MAX_ZIP_MEMBERS} members: not read"]
            )
            return
        for info in members:
            if info.is_dir() or _STORAGE_MEMBER.match(info.filename):
                continue
            if info.file_size > max_member_bytes:
                yield PickleCheck(
                    info.filename,
                    "unverifiable",
                    reasons=[f"member larger than {max_member_bytes} bytes: not read"],
                )
                continue
            try:
                with archive.open(info) as member:
                    content = member.read(max_member_bytes + 1)  # the header's size may lie
                if len(content) > max_member_bytes:
                    yield PickleCheck(
                        info.filename,
                        "unverifiable",
                        reasons=[f"member larger than {max_member_bytes} bytes: not read"],
                    )
                    continue
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
                yield PickleCheck(
                    info.filename, "unverifiable", reasons=[f"member unreadable ({type(error).__name__})"]
                )
                continue
            if content.startswith(NUMPY_MAGIC):  # an .npz member
                found = check_numpy(content, info.filename)
                if found is not None:
                    yield found
            elif looks_like_pickle(content) and _parses_as_pickle(content):
                yield check_pickle(content, info.filename)


def check_numpy(data: bytes, member: str | None = None) -> PickleCheck | None:
    """An .npy array's pickle, when its dtype holds Python objects (np.load(allow_pickle=True) would
    unpickle it); None for a plain numeric array, which holds no code."""
    import numpy as np

    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        _, _, dtype = header(stream)
    except (ValueError, SyntaxError, EOFError) as error:
        return PickleCheck(
            member, "unverifiable", reasons=[f"unreadable .npy header ({type(error).__name__})"]
        )
    if not dtype.hasobject:
        return None
    return check_pickle(data[stream.tell() :], member)


def _parses_as_pickle(content: bytes) -> bool:
    """True when the bytes decode to a STOP, start with a PROTO header, or import a global before they
    break: a text member (PyTorch's `byteorder` says "little") that merely starts like a pickle does not."""
    imports = False
    try:
        for opcode, _, _ in pickletools.genops(io.BytesIO(content)):
            imports = imports or opcode.name in ("GLOBAL", "STACK_GLOBAL", "INST")
            if opcode.name == "STOP":
                return True
    except (ValueError, EOFError, UnicodeError, IndexError, OverflowError):
        pass
    return imports or content[:1] == b"\x80"
