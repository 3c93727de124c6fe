"""Bounds on zip archives, checked before `zipfile` parses a central directory.

`zipfile.ZipFile` turns every central-directory entry into a `ZipInfo` (a few hundred bytes each)
before anything can be counted, and it loops over the directory's *byte size*, not its entry
count. So the size and place of the directory are computed here exactly as CPython 3.11's
`Lib/zipfile.py` does (`_EndRecData`, `_EndRecData64`, `_RealGetContents`): a zip64 end record
lying just before a zip64 locator is applied even when the classic end record does not ask for it,
and the classic record is the *last* `PK\\x05\\x06` in the final 64 KiB. Then the entries are
counted by walking their headers. As a second guard, `CappedFile` refuses any single read over the
directory cap, so a zipfile of another Python version that finds a different directory still
cannot read a huge one.
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO

MAX_MEMBERS = 100_000
#: Decompressed bytes of an sdist scanned for member names; past this, the rest is not checked.
MAX_SCAN_BYTES = 512 * 1024 * 1024
#: The largest central directory parsed (about 100,000 entries of 120-byte names).
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024

_EOCD, _EOCD64, _LOCATOR, _CENTRAL = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x01\x02"


class TooBig(Exception):
    """The archive is over a bound; the message says which."""


def _directory(handle: BinaryIO) -> tuple[int, int] | None:
    """(offset, byte size) of the central directory as zipfile computes them, or None if zipfile finds none."""
    size = handle.seek(0, 2)
    if size < 22:
        return None
    handle.seek(size - 22)
    tail = handle.read()
    if tail[:4] == _EOCD and tail[-2:] == b"\0\0":
        record, location = tail, size - 22
    else:
        start = max(size - (1 << 16) - 22, 0)
        handle.seek(start)
        data = handle.read()
        at = data.rfind(_EOCD)
        if at < 0 or len(data) - at < 22:
            return None
        record, location = data[at:at + 22], start + at
    cd_size, cd_offset = struct.unpack("<12xLL2x", record)
    concat = location - cd_size - cd_offset
    if location >= 76:  # `_EndRecData64`: a locator 20 bytes before the record, the zip64 record 56 before that
        handle.seek(location - 20)
        locator = handle.read(20)
        if locator[:4] == _LOCATOR:
            handle.seek(location - 76)
            record64 = handle.read(56)
            if record64[:4] == _EOCD64:
                cd_size, cd_offset = struct.unpack("<40xQQ", record64)
                concat = location - cd_size - cd_offset - 76
    return cd_offset + concat, cd_size


def check_zip(handle: BinaryIO) -> None:
    """Raise `TooBig` when zipfile would parse a directory over the caps; say nothing of other damage
    (zipfile reports that itself)."""
    found = _directory(handle)
    if found is None:
        return
    offset, cd_size = found
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise TooBig(f"central directory of {cd_size} bytes, over the {MAX_CENTRAL_DIRECTORY_BYTES}-byte limit")
    if offset < 0:
        return
    handle.seek(offset)
    data = handle.read(cd_size)
    at = entries = 0
    while at + 46 <= len(data) and data[at:at + 4] == _CENTRAL:
        entries += 1
        if entries > MAX_MEMBERS:
            raise TooBig(f"over {MAX_MEMBERS} members")
        name, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        at += 46 + name + extra + comment


class CappedFile(io.RawIOBase):
    """A file whose single reads are capped: zipfile reads a central directory in one `read(size)`."""

    def __init__(self, handle: BinaryIO, cap: int = MAX_CENTRAL_DIRECTORY_BYTES) -> None:
        super().__init__()
        self._handle, self._cap = handle, cap

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        if n is None or n < 0:
            here = self._handle.tell()
            n = self._handle.seek(0, 2) - here
            self._handle.seek(here)
        if n > self._cap:
            raise TooBig(f"a read of {n} bytes, over the {self._cap}-byte limit")
        return self._handle.read(n)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()
