"""Checksums issuers embed in their tokens, so a made-up token can be told from an issued one."""

from __future__ import annotations

import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGIT = {char: value for value, char in enumerate(BASE62)}
CRC_CHARS = 6  # base62 digits of the CRC32 at the end of GitHub and npm tokens
CRC_BODY = 30  # random base62 characters before it


def base62_crc_ok(value: str) -> bool:
    """GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens: prefix, 30 random base62 characters,
    then the CRC32 of those 30 as six base62 digits (GitHub's published token format, 2021)."""
    tail = value.rsplit("_", 1)[-1]
    if len(tail) != CRC_BODY + CRC_CHARS:
        return False
    body, check = tail[:CRC_BODY], tail[CRC_BODY:]
    number = 0
    for char in check:
        digit = _DIGIT.get(char)
        if digit is None:
            return False
        number = number * 62 + digit
    return number == zlib.crc32(body.encode("ascii", "replace"))


def with_base62_crc(prefix: str, body: str) -> str:
    """A token in that format for `body` (tests and documentation build valid examples with it)."""
    number = zlib.crc32(body.encode("ascii"))
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = BASE62[rest] + digits
    return prefix + body + digits.rjust(CRC_CHARS, "0")
