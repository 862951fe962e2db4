"""Detector patterns compile on first use (services/detection/patterns.py): they must still all compile,
read as before (flags, hence the prefilter's cache key and hyperscan flags) and match as `re` does."""

from __future__ import annotations

import importlib
import re

import pytest

from services.detection.detectors import iban, national_id
from services.detection.patterns import LazyPattern, compiled_flags, lazy_regex
from services.detection.registry import ALL_DETECTORS, OCR_DETECTORS


@pytest.mark.parametrize("detector", ALL_DETECTORS + OCR_DETECTORS, ids=lambda d: d.name or d.type)
def test_every_detector_pattern_is_lazy_compiles_and_reports_the_flags_re_does(detector) -> None:
    pattern = detector.pattern
    assert isinstance(pattern, LazyPattern)  # a plain re.compile here would compile at start-up again
    compiled = pattern.compiled  # a bad pattern fails here, not mid-scan
    assert pattern.flags == compiled.flags  # what the prefilter's cache key and hyperscan flags read
    assert pattern.groupindex == compiled.groupindex


@pytest.mark.parametrize(("source", "flags"), [
    ("abc", 0), ("abc", re.IGNORECASE), ("(?i)abc", 0), ("(?is)a.c", 0), ("(?i)(?m)^a", 0),
    ("(?a)\\w+", 0), ("\\w+", re.ASCII), ("(?x) a b # comment", 0), ("(?i:abc)d", 0), ("a(?i)", 0),
])
def test_flags_are_known_without_compiling(source: str, flags: int) -> None:
    try:
        expected = re.compile(source, flags).flags
    except re.error:  # global flags not at the start: an error in 3.11, which compiling will raise
        return
    assert compiled_flags(source, flags) == expected


def test_a_lazy_pattern_compiles_on_first_use_and_matches_as_re_does() -> None:
    source, text = r"(?P<value>[a-z]+)(?P<digits>\d*)", "abc12 de, f3 GH"
    lazy, eager = lazy_regex(source), re.compile(source)
    assert not lazy.is_compiled
    assert lazy.pattern == source and lazy.flags == eager.flags
    assert not lazy.is_compiled  # reading the source and flags compiles nothing
    assert [m.span() for m in lazy.finditer(text, 1, 12)] == [m.span() for m in eager.finditer(text, 1, 12)]
    assert lazy.is_compiled
    assert lazy.search(text, 3).span() == eager.search(text, 3).span()
    assert lazy.match(text) is not None and lazy.fullmatch("abc1") is not None
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.sub("-", text) == eager.sub("-", text) and lazy.split(text) == eager.split(text)
    assert lazy.groups == eager.groups == 2


def test_the_iban_registry_copy_is_python_stdnums() -> None:
    # iban.py keeps its own copy so a scan starts without stdnum; a stdnum upgrade that changes the
    # registry fails here, and REGISTRY is regenerated from it
    from stdnum import numdb

    registry = {low: props["bban"] for _length, low, _high, props, _children in numdb.get("iban").prefixes
                if "bban" in props and len(low) == 2}
    assert registry == iban.REGISTRY


def test_every_national_id_validator_names_a_stdnum_module() -> None:
    for _country, module_name, *_rest in national_id._TABLE:
        module = importlib.import_module(f"stdnum.{module_name}")
        assert callable(module.is_valid)
