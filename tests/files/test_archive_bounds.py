"""Issue 14 items 4, 5 and 14: hostile tar headers, the zip member cap, a duplicate pyproject.toml.

Each test failed before its fix: the tar headers were a MemoryError (or 1.5 GiB and 8 s), the zip64
trick let zipfile build a ZipInfo per entry past the cap, and the first pyproject.toml was read.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tagsim import load_sources
from tagsim.files import archives, zip_limits
from tagsim.files.build_needs import needs_from_sdist
from zip_games import zip_with

MATURIN = b"[build-system]\nrequires = ['maturin>=1,<2']\nbuild-backend = 'maturin'\n"
HATCH = b"[build-system]\nrequires = ['hatchling']\nbuild-backend = 'hatchling.build'\n"


def _header(name: str, size: int, kind: bytes) -> bytes:
    """A ustar header block whose size field claims `size` (written as GNU base-256 when huge)."""
    info = tarfile.TarInfo(name)
    info.size = 0
    block = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    block[156:157] = kind
    block[124:136] = b"\x80" + size.to_bytes(11, "big")  # base-256 size
    block[148:156] = b" " * 8
    block[148:156] = f"{sum(block) :06o}\0 ".encode()
    return bytes(block)


def _timed_peak(fn: object) -> tuple[object, float, int]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = fn()  # type: ignore[operator]
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("kind", [b"x", b"L", b"K"], ids=["pax", "gnu-longname", "gnu-longlink"])
def test_a_tar_header_claiming_a_tebibyte_is_refused(tmp_path: Path, kind: bytes) -> None:
    path = tmp_path / "demo-1.0.tar.gz"
    path.write_bytes(gzip.compress(_header("././@LongLink", 2**40, kind) + b"\0" * 1024))
    assert path.stat().st_size < 200
    loaded, elapsed, peak = _timed_peak(lambda: load_sources([str(path)]))
    (dist,) = loaded.files  # type: ignore[attr-defined]
    assert not dist.usable and "a tar header (pax or GNU long name) of" in (dist.problem or "")
    assert "over the 1049600-byte limit" in (dist.problem or "")
    assert elapsed < 2 and peak < 8 * 2**20


def test_a_gzip_bomb_inside_a_pax_header_is_refused_unread(tmp_path: Path) -> None:
    """1.5 GiB of zeros as a pax header payload, 1.5 MB compressed: 1.5 GiB of RSS and 8 s before."""
    size = 64 * 2**20  # enough to show the bound; the cap refuses before reading any of it
    path = tmp_path / "demo-1.0.tar.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(_header("././@PaxHeader", size, b"x"))
        chunk = b"\0" * 2**22
        for _ in range(size // len(chunk)):
            handle.write(chunk)
    loaded, elapsed, peak = _timed_peak(lambda: load_sources([str(path)]))
    assert not loaded.files[0].usable and elapsed < 2 and peak < 8 * 2**20  # type: ignore[attr-defined]


def test_a_hidden_zip64_record_cannot_bypass_the_member_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_limits, "MAX_MEMBERS", 500)
    data = zip_with(600, "hidden-zip64")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.infolist()) == 600  # what zipfile itself makes of it: 600 ZipInfo objects
    for name in ("demo-1.0-py3-none-any.whl", "demo-1.0.zip"):
        path = tmp_path / name
        path.write_bytes(data)
        (dist,) = load_sources([str(path)]).files
        assert not dist.usable and "over 500 members" in (dist.problem or ""), dist.problem


def test_zipfile_can_never_read_a_huge_central_directory() -> None:
    """The second guard: whatever directory a zipfile finds, one read of it over the cap fails."""
    capped = zip_limits.CappedFile(io.BytesIO(b"x" * 100), cap=10)
    assert capped.read(10) == b"x" * 10
    with pytest.raises(zip_limits.TooBig):
        capped.read(11)
    with pytest.raises(zip_limits.TooBig):
        capped.read()


def test_each_archive_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .zip sdist was opened two or three times (member check, build needs); now one pass gives both."""
    path = tmp_path / "demo-1.0.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("demo-1.0/pyproject.toml", MATURIN)
    calls: list[str] = []
    real = archives.scan
    monkeypatch.setattr(archives, "scan", lambda *a: (calls.append(a[0]), real(*a))[1])
    (dist,) = load_sources([str(path)]).files
    assert calls == [str(path)] and dist.build_needs is not None and dist.build_needs.backend == "maturin"


def _tar_gz(path: Path, members: list[tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_a_duplicate_pyproject_reads_the_copy_extraction_keeps(tmp_path: Path) -> None:
    """A hatchling-then-maturin sdist was "pure Python": extraction (pip's untar_file, tar, unzip) keeps the last."""
    tgz = tmp_path / "demo-1.0.tar.gz"
    _tar_gz(tgz, [("demo-1.0/pyproject.toml", HATCH), ("demo-1.0/pyproject.toml", MATURIN)])
    zipped = tmp_path / "demo-2.0.zip"
    with zipfile.ZipFile(zipped, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("demo-2.0/pyproject.toml", HATCH)
        archive.writestr("demo-2.0/pyproject.toml", MATURIN)
    for path in (tgz, zipped):
        needs = needs_from_sdist(str(path))
        assert needs.backend == "maturin" and needs.needs == ("Rust toolchain (cargo)",)
        assert "holds 2 top-level pyproject.toml; the last (kept by extraction) was read" in needs.summary()
    with tarfile.open(tgz) as archive:  # what extraction leaves, asked of tarfile itself
        archive.extractall(tmp_path / "out", filter="data")
    assert (tmp_path / "out" / "demo-1.0" / "pyproject.toml").read_bytes() == MATURIN
