"""One bounded, read-only pass over a wheel or sdist: member names, links, and the few small members asked for.

Every archive is opened once (`scan`); what the archive checks and the build needs want is taken
from that pass. Nothing is extracted. Bounds:
- zip: the central directory is checked before zipfile parses it (`zip_limits`);
- tar.gz: no single read of the decompressed stream may exceed `MAX_HEADER_READ`, which caps the
  pax (`x`) and GNU long-name (`L`) header payloads that tarfile reads whole (a header claiming
  1 TiB was a `MemoryError`, a gzip bomb inside one 1.5 GiB of memory);
- the scan stops before a member ending past `MAX_SCAN_BYTES` of decompressed data;
- a member asked for is read only up to `MAX_MEMBER_BYTES`.
A member asked for that appears twice keeps its *last* copy: extraction (pip's `untar_file` and
`unzip_file`, tar, unzip) writes both, and the later one stays.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from . import zip_limits

MAX_MEMBER_BYTES = 1024 * 1024
#: The largest single read tarfile may make: a member asked for (1 MiB) plus its last block.
MAX_HEADER_READ = MAX_MEMBER_BYTES + 1024


class Unreadable(Exception):
    """The archive cannot be read as a whole; the message says why (one line)."""


@dataclass(frozen=True)
class Scan:
    names: tuple[str, ...]
    links: tuple[tuple[str, str], ...] = ()  # (member, target) of tar symbolic and hard links
    texts: dict[str, bytes] = field(default_factory=dict)  # members asked for: last copy, first MAX_MEMBER_BYTES
    oversized: dict[str, int] = field(default_factory=dict)  # members asked for but over MAX_MEMBER_BYTES
    repeats: dict[str, int] = field(default_factory=dict)  # members asked for that appear more than once
    not_files: tuple[str, ...] = ()  # members asked for that are not regular files (a link, a folder)
    stopped: str | None = None  # why the scan ended before the archive did


def scan(path: str, wanted: Callable[[str], bool], kind: str) -> Scan:
    """`path` as a zip (`.whl`, `.zip`) or a tar.gz; `Unreadable` with the reason for anything broken
    (`kind`, "wheel" or "sdist", names the file in it)."""
    try:
        with open(path, "rb") as handle:
            return _scan_handle(handle, path.endswith((".whl", ".zip")), wanted, kind)
    except OSError as exc:
        raise Unreadable(f"unreadable {kind} ({exc.__class__.__name__})") from None


def scan_bytes(data: bytes, filename: str, wanted: Callable[[str], bool], kind: str) -> Scan:
    """`scan` of an archive held in memory (a downloaded sdist: read, never written out or extracted)."""
    return _scan_handle(io.BytesIO(data), filename.endswith((".whl", ".zip")), wanted, kind)


def _scan_handle(handle: BinaryIO, is_zip: bool, wanted: Callable[[str], bool], kind: str) -> Scan:
    import gzip
    import lzma
    import tarfile
    import zipfile
    import zlib

    try:
        return _scan_zip(handle, wanted) if is_zip else _scan_tar(handle, wanted)
    except gzip.BadGzipFile:
        raise Unreadable("not a gzip-compressed tar archive (BadGzipFile)") from None
    except zip_limits.TooBig as exc:
        raise Unreadable(f"{kind} has {exc}") from None
    except _HeaderTooBig as exc:
        raise Unreadable(str(exc)) from None
    except zipfile.BadZipFile:
        raise Unreadable(f"not a zip archive (truncated or corrupt {kind})") from None
    except (tarfile.ReadError, EOFError) as exc:
        kind = "not a gzip-compressed tar archive" if "gzip" in str(exc) else "truncated or corrupt tar.gz"
        raise Unreadable(f"{kind} ({exc.__class__.__name__})") from None
    except MemoryError:
        raise Unreadable(f"unreadable {kind} (it needs more memory than is safe to give it)") from None
    except (OSError, tarfile.TarError, RuntimeError, NotImplementedError, ValueError, zlib.error,
            lzma.LZMAError) as exc:
        raise Unreadable(f"unreadable {kind} ({exc.__class__.__name__})") from None


def _scan_zip(handle: BinaryIO, wanted: Callable[[str], bool]) -> Scan:
    import zipfile

    zip_limits.check_zip(handle)
    with zipfile.ZipFile(zip_limits.CappedFile(handle)) as archive:
        infos = archive.infolist()
        picked: dict[str, zipfile.ZipInfo] = {}
        repeats: dict[str, int] = {}
        for info in infos:
            if wanted(info.filename):
                repeats[info.filename] = repeats.get(info.filename, 0) + 1
                picked[info.filename] = info  # the last copy, as extraction keeps
        texts: dict[str, bytes] = {}
        oversized: dict[str, int] = {}
        for name, info in picked.items():
            if info.file_size > MAX_MEMBER_BYTES:
                oversized[name] = info.file_size
                continue
            with archive.open(info) as member:
                texts[name] = member.read(MAX_MEMBER_BYTES + 1)[:MAX_MEMBER_BYTES]
        return Scan(tuple(i.filename for i in infos), texts=texts, oversized=oversized,
                    repeats={n: c for n, c in repeats.items() if c > 1})


class _HeaderTooBig(Exception):
    pass


class _CappedStream:
    """The decompressed tar stream with each read capped (tarfile reads pax and long-name payloads whole)."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream

    def read(self, n: int = -1) -> bytes:
        if n < 0 or n > MAX_HEADER_READ:
            raise _HeaderTooBig(f"a tar header (pax or GNU long name) of {n} bytes, over the "
                                f"{MAX_HEADER_READ}-byte limit" if n >= 0 else "an unbounded read of the tar stream")
        return self._stream.read(n)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


def _scan_tar(handle: BinaryIO, wanted: Callable[[str], bool]) -> Scan:
    import gzip
    import tarfile

    names: list[str] = []
    links: list[tuple[str, str]] = []
    texts: dict[str, bytes] = {}
    oversized: dict[str, int] = {}
    repeats: dict[str, int] = {}
    not_files: list[str] = []
    stopped = None
    with gzip.GzipFile(fileobj=handle) as stream, \
            tarfile.open(fileobj=cast(BinaryIO, _CappedStream(stream)), mode="r:") as archive:
        for member in archive:
            names.append(member.name)
            if member.issym() or member.islnk():
                links.append((member.name, member.linkname))
            if wanted(member.name):
                repeats[member.name] = repeats.get(member.name, 0) + 1
                texts.pop(member.name, None)
                oversized.pop(member.name, None)
                if not member.isfile():
                    not_files.append(member.name)
                elif member.size > MAX_MEMBER_BYTES:
                    oversized[member.name] = member.size
                else:
                    extracted = archive.extractfile(member)
                    texts[member.name] = extracted.read(member.size) if extracted else b""
            # Stop before seeking past a member that ends beyond the cap: reaching the next header
            # means decompressing it (a tar bomb of zeros is seconds per GiB).
            if len(names) >= zip_limits.MAX_MEMBERS:
                stopped = f"over {zip_limits.MAX_MEMBERS} members"
                break
            if member.offset_data + member.size > zip_limits.MAX_SCAN_BYTES:
                stopped = f"the first {zip_limits.MAX_SCAN_BYTES // 2**20} MiB of the archive"
                break
    return Scan(tuple(names), tuple(links), texts, oversized, {n: c for n, c in repeats.items() if c > 1},
                tuple(n for n in not_files if n not in texts and n not in oversized), stopped)
