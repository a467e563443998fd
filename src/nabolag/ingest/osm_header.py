"""The header of an OpenStreetMap PBF file: when the extract was made and by what program.

A PBF file starts with a 4-byte length, a ``BlobHeader`` of type ``OSMHeader`` and a ``Blob`` holding
the ``HeaderBlock`` (raw or zlib). Only the few fields needed here are decoded (protobuf wire format).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) for varint and length-delimited fields; other wire types are skipped."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
            yield number, value
        elif wire == 2:
            size, i = _varint(buf, i)
            yield number, buf[i:i + size]
            i += size
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def read_pbf_header(path: Path) -> dict[str, str]:
    """``writingprogram``, ``source`` and ``timestamp`` (ISO date-time, UTC) when the file has them.

    Raises ``ValueError`` when the file does not start like an OSM PBF file.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if len(head) < 4:
            raise ValueError("file too short")
        (size,) = struct.unpack(">I", head)
        if size > 64 * 1024:
            raise ValueError("not an OSM PBF file (BlobHeader too large)")
        header = dict(_fields(fh.read(size)))
        if header.get(1) != b"OSMHeader":
            raise ValueError("not an OSM PBF file (no OSMHeader)")
        blob = dict(_fields(fh.read(int(header.get(3, 0)))))  # type: ignore[arg-type]
    data = blob.get(1) or (zlib.decompress(blob[3]) if 3 in blob else b"")  # type: ignore[arg-type]
    out: dict[str, str] = {}
    for number, value in _fields(data):  # type: ignore[arg-type]
        if number == 16 and isinstance(value, bytes):
            out["writingprogram"] = value.decode("utf-8", "replace")
        elif number == 17 and isinstance(value, bytes):
            out["source"] = value.decode("utf-8", "replace")
        elif number == 32 and isinstance(value, int) and value > 0:
            out["timestamp"] = datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
    return out
