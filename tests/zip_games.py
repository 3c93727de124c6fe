"""Zips whose end records play the games CPython's zipfile is open to (issue 14 item 5), for the pin
tests (tests/files/test_archive_bounds.py) and the archive campaign (tests/fuzz/test_fuzz_archives.py)."""

from __future__ import annotations

import io
import struct
import zipfile

GAMES = ("honest", "lying-count", "hidden-zip64", "comment-record")


def zip_with(entries: int, game: str) -> bytes:
    """`entries` members; then, by `game`: the honest end record; one that says 1 entry; one that says 1
    entry in 46 bytes with a zip64 record and locator just before it that say the truth (zipfile applies
    it anyway); or a fake second end record inside the comment, which the backward search finds first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(entries):
            archive.writestr(f"demo-1.0/m{i}.py", b"")
    data = buffer.getvalue()
    eocd = data.rfind(b"PK\x05\x06")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack("<4s4HLLH", data[eocd:eocd + 22])
    assert count == entries
    fake = struct.pack("<4s4HLLH", b"PK\x05\x06", 0, 0, 1, 1, 46, cd_offset, 0)
    if game == "honest":
        return data
    if game == "lying-count":
        return data[:eocd] + struct.pack("<4s4HLLH", b"PK\x05\x06", 0, 0, 1, 1, cd_size, cd_offset, 0)
    if game == "hidden-zip64":
        record64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset)
        locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, eocd, 1)
        return data[:eocd] + record64 + locator + fake
    assert game == "comment-record", game
    comment = b"x" + fake
    return data[:eocd] + struct.pack("<4s4HLLH", b"PK\x05\x06", 0, 0, count, count, cd_size, cd_offset,
                                     len(comment)) + comment
