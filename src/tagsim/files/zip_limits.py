"""Bounds on zip archives, checked from the end record before `zipfile` parses a central directory."""

from __future__ import annotations

import struct

MAX_MEMBERS = 100_000
#: Decompressed bytes of an sdist scanned for member names; past this, the rest is not checked.
MAX_SCAN_BYTES = 512 * 1024 * 1024
#: zipfile parses the whole central directory into ZipInfo objects (~600 bytes each) before anything
#: can be counted, so its size and entry count are read from the end record first.
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024


def zip_too_big(path: str) -> str | None:
    """Why a zip's central directory is too big to parse, from its end record (zip64 aware), or None."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - (1 << 16) - 22))
            tail = handle.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) - at < 22:
                return None  # not a zip: zipfile says so
            entries, cd_size = struct.unpack("<10xHL6x", tail[at:at + 22])
            if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":
                (offset,) = struct.unpack("<8xQ4x", tail[at - 20:at])  # the zip64 locator: where its end record is
                handle.seek(offset)
                record = handle.read(56)
                if len(record) == 56 and record[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack("<32xQQ8x", record)
    except OSError:
        return None  # unreadable: zipfile says why
    if entries > MAX_MEMBERS:
        return f"over {MAX_MEMBERS} members ({entries})"
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
        return f"central directory of {cd_size} bytes, over the {MAX_CENTRAL_DIRECTORY_BYTES}-byte limit"
    return None
