"""Generators of hostile archives for the safe-input tests: bombs built in milliseconds.

A deflate stream of zeros is made of identical pieces once the compressor is fully flushed
after each mebibyte, so a gibibyte of zeros costs one compression of one mebibyte; the zip and
gzip containers around it are written with struct (a test generator, not a parser we rely on).
"""

from __future__ import annotations

import struct
import tarfile
import zlib
from pathlib import Path

MIB = 1024 * 1024
_ZERO_MIB = bytes(MIB)


def _zero_pieces(compressor: zlib._Compress) -> bytes:
    return compressor.compress(_ZERO_MIB) + compressor.flush(zlib.Z_FULL_FLUSH)


def _zeros_crc(mib: int, crc: int = 0) -> int:
    for _ in range(mib):
        crc = zlib.crc32(_ZERO_MIB, crc)
    return crc


def zip_bomb(path: Path, *, mib: int = 1024, name: str = "zeros.bin") -> Path:
    """A zip holding one member of `mib` MiB of zeros, deflated (about 1 KiB per MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = _zero_pieces(compressor)
    data = piece * mib + compressor.flush()
    crc, size, raw_name = _zeros_crc(mib), mib * MIB, name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size,
                        len(raw_name), 0)
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                          len(raw_name), 0, 0, 0, 0, 0o100644 << 16, 0)
    offset = len(local) + len(raw_name) + len(data)
    directory = central + raw_name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), offset, 0)
    path.write_bytes(local + raw_name + data + directory + end)
    return path


def tar_gz_bomb(path: Path, *, mib: int = 1024, name: str = "zeros.bin") -> Path:
    """A .tar.gz holding one member of `mib` MiB of zeros."""
    info = tarfile.TarInfo(name)
    info.size = mib * MIB
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    tail = bytes(2 * tarfile.BLOCKSIZE)  # end-of-archive marker
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    data += _zero_pieces(compressor) * mib + compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(tail, _zeros_crc(mib, zlib.crc32(header)))
    total = len(header) + mib * MIB + len(tail)
    gzip_header = b"\x1f\x8b\x08\x00" + bytes(4) + b"\x00\xff"
    path.write_bytes(gzip_header + data + struct.pack("<2L", crc, total & 0xFFFFFFFF))
    return path
