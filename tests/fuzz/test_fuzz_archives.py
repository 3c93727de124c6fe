"""Fuzz campaign: present archives (wheel `WHEEL` metadata, sdist `pyproject.toml`).

Rule: each archive gets a clear result (usable, usable with a warning, or unusable with the reason;
build needs known or "unknown" with the reason); nothing is extracted or written; time and memory
stay bounded on bombs (zip and tar.gz of gigabytes of zeros, headers claiming a terabyte).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_support import LARGE, budget, count, fuzz, peak
from tagsim.choice.requirement import parse_spec
from tagsim.files import zip_limits
from tagsim.files.archive_scan import Unreadable, scan_bytes
from tagsim.files.archives import inspect_files
from tagsim.files.build_needs import needs_from_scan, needs_from_sdist
from tagsim.files.filename import DistFile
from tagsim.files.sdist_contents import is_read_member
from tagsim.files.sources import load_source
from tagsim.platform.interpreter import parse_python
from tagsim.platform.resolve import resolve_platform
from tagsim.render.text import decision_text
from tagsim.report.explain import explain
from zip_games import GAMES, zip_with

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")  # generated zips repeat member names on purpose
WINDOWS = resolve_platform("windows-amd64")
CP312 = parse_python("cp312")

member_names = st.one_of(
    st.sampled_from(["demo-1.0.dist-info/WHEEL", "demo-1.0.dist-info/METADATA", "demo/__init__.py", "demo-1.0/pyproject.toml",
                     "demo-1.0/setup.py", "../evil.py", "/etc/passwd", "C:evil", "a\\..\\..\\b", "demo-1.0/../../x",
                     "x/WHEEL", "demo-1.0.dist-info/sub/WHEEL", "pyproject.toml", "demo-1.0/./pyproject.toml",
                     "demo-1.0/" + "d/" * 300 + "f", "d\u00e9mo-1.0/pyproject.toml", "demo-1.0.dist-info/"]),
    st.text(max_size=30))
wheel_meta = st.one_of(
    st.sampled_from([b"Wheel-Version: 1.0\nTag: py3-none-any\n", b"Tag: py3-none-any\nTag: py2-none-any\n", b"",
                     b"Tag: cp312-cp312-win_amd64\n", b"\xff\xfe\x00T\x00a\x00g", b"Tag: py3-none-any\n" * 20_000,
                     b"Tag:\n\n\n: \x00\n"]),
    st.binary(max_size=200))
pyprojects = st.one_of(
    st.sampled_from([b"[build-system]\nrequires=['maturin']\nbuild-backend='maturin'\n",
                     b"[build-system]\nbuild-backend = 'setuptools.build_meta'\nrequires = ['setuptools', 'setuptools-rust']\n",
                     b"[build-system]\nbuild-backend = 1\n", b"[project]\nname='demo'\n", b"build-system = 3\n",
                     b"a = " + b"[" * 5000, b"\xff\xfe[build-system]", b"[build-system]\nbuild-backend = 'x:y.z'\n",
                     b"[build-system\n"]),
    st.binary(max_size=200), st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))
COMPRESSIONS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in members:
            archive.writestr(zipfile.ZipInfo(name or "x"), data, compress_type=method)
    return buffer.getvalue()


def _tar_gz(members: list[tuple[str, bytes, str, str]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as archive:
        for name, data, kind, target in members:
            info = tarfile.TarInfo(name or "x")
            if kind == "file":
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                continue
            info.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "dir": tarfile.DIRTYPE,
                         "fifo": tarfile.FIFOTYPE, "device": tarfile.CHRTYPE}[kind]
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    mode = draw(st.sampled_from(["none", "none", "none", "flip", "truncate", "zero-tail", "garbage"]))
    if mode == "flip" and data:
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            raw[draw(st.integers(0, len(raw) - 1))] ^= draw(st.integers(1, 255))
        return bytes(raw)
    if mode == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if mode == "zero-tail" and data:
        cut = draw(st.integers(0, len(data) - 1))
        return data[:cut] + b"\0" * (len(data) - cut)
    if mode == "garbage":
        return draw(st.binary(max_size=300))
    return data


@st.composite
def wheels(draw: st.DrawFn) -> tuple[str, bytes]:
    members = draw(st.lists(st.tuples(member_names, st.one_of(wheel_meta, st.binary(max_size=50)), st.sampled_from(COMPRESSIONS)),
                            max_size=5))
    if draw(st.booleans()):
        members.append(("demo-1.0.dist-info/WHEEL", draw(wheel_meta), draw(st.sampled_from(COMPRESSIONS))))
    name = draw(st.sampled_from(["demo-1.0-py3-none-any.whl", "demo-1.0-cp312-cp312-win_amd64.whl"]))
    return name, draw(damage(_zip(members)))


@st.composite
def sdists(draw: st.DrawFn) -> tuple[str, bytes]:
    if draw(st.integers(0, 3)) == 0:
        members = draw(st.lists(st.tuples(member_names, pyprojects, st.sampled_from(COMPRESSIONS)), max_size=4))
        return "demo-1.0.zip", draw(damage(_zip(members)))
    kinds = st.sampled_from(["file", "file", "file", "symlink", "hardlink", "dir", "fifo", "device"])
    targets = st.sampled_from(["../../etc/passwd", "/etc/passwd", "demo-1.0/pyproject.toml", "pyproject.toml", "", "a/../b"])
    members = draw(st.lists(st.tuples(member_names, pyprojects, kinds, targets), max_size=5))
    if draw(st.booleans()):
        members.append(("demo-1.0/pyproject.toml", draw(pyprojects), draw(kinds), draw(targets)))
    return "demo-1.0.tar.gz", draw(damage(_tar_gz(members)))


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def check_archive(filename: str, data: bytes) -> tuple[DistFile, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        before, cwd_before = _listing(Path(folder)), set(os.listdir("."))
        files, warnings = inspect_files(load_source(str(path)))
        (dist,) = files
        assert dist.usable or (dist.problem and "\n" not in dist.problem)
        assert all("\n" not in w for w in warnings)
        if dist.usable and not dist.is_wheel:
            needs = needs_from_sdist(str(path))
            assert needs.backend is not None or needs.note  # known, or unknown with the reason
        expl = explain(WINDOWS, CP312, files, req=parse_spec("demo"))
        for decision in expl.decisions:
            decision_text(decision)
        assert _listing(Path(folder)) == before and set(os.listdir(".")) == cwd_before  # nothing extracted
        return dist, warnings


@fuzz(ci=150, large=8_000)
@given(wheels())
def test_wheels(archive: tuple[str, bytes]) -> None:
    count("archives")
    check_archive(*archive)


@fuzz(ci=150, large=8_000)
@given(sdists())
def test_sdists(archive: tuple[str, bytes]) -> None:
    count("archives")
    check_archive(*archive)


def _corrupt_deflate(payload: bytes, name: str) -> bytes:
    data = bytearray(_zip([(name, payload, zipfile.ZIP_DEFLATED)]))
    start = data.find(name.encode()) + len(name) + 10
    for i in range(start, start + 20):
        data[i] ^= 0x55
    return bytes(data)


def test_corrupt_deflate_stream_is_unusable_not_a_crash() -> None:
    """Crash pin: a damaged deflate stream raised zlib.error out of `inspect_wheel` and `needs_from_sdist`."""
    dist, _ = check_archive("demo-1.0-py3-none-any.whl",
                            _corrupt_deflate(b"Tag: py3-none-any\n" * 100, "demo-1.0.dist-info/WHEEL"))
    assert not dist.usable and "unreadable wheel" in (dist.problem or "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-1.0.zip"
        path.write_bytes(_corrupt_deflate(b"[build-system]\nbuild-backend='maturin'\n" * 50, "demo-1.0/pyproject.toml"))
        needs = needs_from_sdist(str(path))
        assert needs.backend is None and "unreadable sdist (error)" in needs.note


def test_deeply_nested_toml_is_unknown_backend() -> None:
    """Crash pin: `a = [[[[...` in pyproject.toml raised RecursionError out of tomllib."""
    dist, _ = check_archive("demo-1.0.tar.gz", _tar_gz([("demo-1.0/pyproject.toml", b"a = " + b"[" * 200_000, "file", "")]))
    assert dist.usable  # explain() read its build needs: unknown, with the reason
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-1.0.tar.gz"
        path.write_bytes(_tar_gz([("demo-1.0/pyproject.toml", b"a = " + b"[" * 200_000, "file", "")]))
        assert "RecursionError" in needs_from_sdist(str(path)).note


def _measure(label: str, fn: object) -> float:
    tracemalloc.start()
    started = time.monotonic()
    try:
        fn()  # type: ignore[operator]
    finally:
        elapsed = time.monotonic() - started
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    peak(label, top)
    assert top < 32 * 2**20, f"{label}: {top} bytes"
    return elapsed


def _zeros_tar_gz(path: Path, zeros: int, *, write_data: bool = True) -> None:
    """A tar.gz whose first member is `zeros` bytes of zeros, then a pyproject.toml (streamed, never in memory)."""
    with gzip.open(path, "wb", compresslevel=1) as handle:
        info = tarfile.TarInfo("demo-1.0/zeros")
        info.size = zeros
        handle.write(info.tobuf(format=tarfile.GNU_FORMAT))
        if write_data:
            chunk = b"\0" * (1 << 22)
            for _ in range(zeros // len(chunk)):
                handle.write(chunk)
            handle.write(b"\0" * (zeros % len(chunk)))
            handle.write(b"\0" * (-zeros % 512))
        data = b"[build-system]\nbuild-backend='maturin'\n"
        info = tarfile.TarInfo("demo-1.0/pyproject.toml")
        info.size = len(data)
        handle.write(info.tobuf(format=tarfile.GNU_FORMAT) + data + b"\0" * (512 - len(data)) + b"\0" * 1024)


@pytest.mark.parametrize("zeros,write_data", [(budget(600, 4096) * 2**20, True), (2**40, False)],
                         ids=["gigabytes-of-zeros", "header-claims-1TiB"])
def test_tar_bomb_is_bounded(tmp_path: Path, zeros: int, write_data: bool) -> None:
    """Crash pin (hang): a member of gigabytes of zeros was decompressed to reach the next header (7 s/GiB)."""
    path = tmp_path / "demo-1.0.tar.gz"
    _zeros_tar_gz(path, zeros, write_data=write_data)
    before = _listing(tmp_path)
    label = f"sdist tar.gz bomb ({zeros // 2**20} MiB {'of zeros' if write_data else 'claimed'}, {path.stat().st_size} B)"
    elapsed = _measure(label, lambda: inspect_files(load_source(str(path))))
    elapsed += _measure(label, lambda: needs_from_sdist(str(path)))
    count("archives")
    assert elapsed < 5
    assert "first 512 MiB" in needs_from_sdist(str(path)).note
    assert _listing(tmp_path) == before


def test_zip_bomb_wheel_is_bounded(tmp_path: Path) -> None:
    """A WHEEL member of gigabytes is never read (its header says so); a lying header is still read
    with `read(MAX_WHEEL_META_BYTES + 1)`, so at most 256 KiB are decompressed either way."""
    size = budget(256, 2048) * 2**20
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("demo-1.0.dist-info/WHEEL", "w", force_zip64=True) as member:
        chunk = b"Tag: py3-none-any\n" + b"\0" * ((1 << 22) - 18)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    label = f"wheel zip bomb ({size // 2**20} MiB WHEEL member, {path.stat().st_size} B)"
    elapsed = _measure(label, lambda: inspect_files(load_source(str(path))))
    files, warnings = inspect_files(load_source(str(path)))
    assert files[0].usable and "over the" in warnings[0] and elapsed < 5
    count("archives")


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Crash pin (memory): zipfile parsed all 100,001 central-directory entries (57 MB traced) before the
    member count was checked; the end record is read first now, so the wheel is refused unparsed."""
    limit = zip_limits.MAX_MEMBERS if LARGE else 500
    monkeypatch.setattr(zip_limits, "MAX_MEMBERS", limit)
    for name in ("demo-1.0-py3-none-any.whl", "demo-1.0.zip"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            for i in range(limit + 1):
                archive.writestr(f"demo-1.0/m{i}.py", b"")
        elapsed = _measure(f"{name} with {limit + 1} members", lambda: inspect_files(load_source(str(path))))  # noqa: B023
        files, _ = inspect_files(load_source(str(path)))
        count("archives")
        assert not files[0].usable and f"over {limit} members" in (files[0].problem or "") and elapsed < 10
        if name.endswith(".zip"):
            assert "over" in needs_from_sdist(str(path)).note


def test_oversized_central_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_limits, "MAX_CENTRAL_DIRECTORY_BYTES", 4096)
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(20):
            archive.writestr(f"demo/{'x' * 300}{i}.py", b"")
    files, _ = inspect_files(load_source(str(path)))
    count("archives")
    assert not files[0].usable and "central directory" in (files[0].problem or "")


def test_fifo_and_broken_links_in_a_folder_do_not_hang(tmp_path: Path) -> None:
    """Crash pin (hang): a FIFO named demo-1.0.tar.gz in a dist/ folder blocked tarfile.open for ever."""
    import subprocess
    import sys

    folder = tmp_path / "dist"
    folder.mkdir()
    os.mkfifo(folder / "demo-1.0.tar.gz")
    (folder / "demo-2.0-py3-none-any.whl").symlink_to(folder / "missing.whl")
    (folder / "demo-3.0-py3-none-any.whl").symlink_to(folder / "demo-3.0-py3-none-any.whl")  # a loop
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "tagsim", "explain", "windows-amd64", str(folder), "--spec", "demo",
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(root / "src")})
    count("archives")
    assert proc.returncode == 0, proc.stderr
    considered = {c["file"]: c for c in json.loads(proc.stdout)["decisions"][0]["considered"]}
    assert set(considered) == {"demo-1.0.tar.gz", "demo-2.0-py3-none-any.whl", "demo-3.0-py3-none-any.whl"}
    assert all("not a regular file" in c["detail"] for c in considered.values())


def _claiming_header(name: str, size: int, kind: bytes) -> bytes:
    info = tarfile.TarInfo(name)
    block = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    block[156:157] = kind
    block[124:136] = b"\x80" + size.to_bytes(11, "big")
    block[148:156] = b" " * 8
    block[148:156] = f"{sum(block):06o}\0 ".encode()
    return bytes(block)


#: `requires` is mandatory in a [build-system] table (pip refuses one without it; issue 16 reads it so).
BACKENDS = {name: f"[build-system]\nrequires = []\nbuild-backend='{name}'\n".encode()
            for name in ("maturin", "hatchling.build", "mesonpy")}


@fuzz(ci=40, large=3_000)
@given(kind=st.sampled_from([b"x", b"g", b"L", b"K"]), claimed=st.integers(0, 2**41), payload=st.binary(max_size=2048),
       backends=st.lists(st.sampled_from(sorted(BACKENDS)), min_size=1, max_size=3), zip_form=st.booleans())
def test_hostile_headers_and_duplicate_members(kind: bytes, claimed: int, payload: bytes, backends: list[str],
                                               zip_form: bool) -> None:
    """Issue 14 classes 4 and 14: tar header payloads that claim any size, and repeated pyproject.toml members.
    A header is read only up to the cap (never a MemoryError, bounded time); of repeated members the
    last one counts, as extraction keeps it."""
    count("archives")
    with tempfile.TemporaryDirectory() as folder:
        if zip_form:
            path = Path(folder) / "demo-1.0.zip"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the duplicate names it is asked to write
                with zipfile.ZipFile(path, "w") as archive:
                    for backend in backends:
                        archive.writestr("demo-1.0/pyproject.toml", BACKENDS[backend])
        else:
            path = Path(folder) / "demo-1.0.tar.gz"
            buffer = io.BytesIO()
            buffer.write(_claiming_header("././@LongLink", claimed, kind) + payload + b"\0" * (-len(payload) % 512))
            with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
                for backend in backends:
                    info = tarfile.TarInfo("demo-1.0/pyproject.toml")
                    info.size = len(BACKENDS[backend])
                    archive.addfile(info, io.BytesIO(BACKENDS[backend]))
            path.write_bytes(gzip.compress(buffer.getvalue(), compresslevel=1))
        started = time.monotonic()
        dist, _ = check_archive(path.name, path.read_bytes())
        assert time.monotonic() - started < 5
        if dist.usable and dist.build_needs is not None and dist.build_needs.backend is not None:
            assert dist.build_needs.backend == backends[-1]
        if zip_form:
            assert dist.usable and dist.build_needs is not None and dist.build_needs.backend == backends[-1]


@fuzz(ci=20, large=1_000)
@given(entries=st.integers(1, 40), game=st.sampled_from(GAMES),
       wheel=st.booleans())
def test_zip_directory_games(monkeypatch: pytest.MonkeyPatch, entries: int, game: str, wheel: bool) -> None:
    """Issue 14 class 5: whatever end records a zip carries, tagsim never lets zipfile parse more entries
    than the cap: the archive is refused when zipfile itself would make more `ZipInfo`s than that."""
    count("archives")
    monkeypatch.setattr(zip_limits, "MAX_MEMBERS", 20)
    data = zip_with(entries, game)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parsed = len(archive.infolist())  # what zipfile itself does with these records
    except (zipfile.BadZipFile, OSError, ValueError):
        parsed = 0
    name = "demo-1.0-py3-none-any.whl" if wheel else "demo-1.0.zip"
    dist, _ = check_archive(name, data)
    if parsed > 20:
        assert not dist.usable and "over 20 members" in (dist.problem or ""), (game, entries, dist.problem)


_BUILD_FILES = st.sampled_from(["demo-1.0/setup.py", "demo-1.0/Cargo.toml", "demo-1.0/CMakeLists.txt",
                                "demo-1.0/meson.build", "demo-1.0/src/a.c", "demo-1.0/a.pyx", "demo-1.0/x/Cargo.toml"])
_SETUP_TEXT = st.sampled_from([b"", b"setup(ext_modules=[Extension('a', ['a.c'])])", b"setup(ext_modules=f())",
                               b"setup(setup_requires=['x'])", b"rust-version = \"1.7", b"\xff\xfe", b"x" * 2000])


@fuzz(ci=150, large=8_000)
@given(sdists(), st.lists(st.tuples(_BUILD_FILES, _SETUP_TEXT), max_size=4), st.booleans())
def test_downloaded_sdists(archive: tuple[str, bytes], extra: list[tuple[str, bytes]], build_files: bool) -> None:
    """Issue 16: a downloaded sdist is read in memory by the same pass; whatever it holds, its needs come
    back (or Unreadable with one line), the in-memory and on-disk readings agree, and a build that is
    not certain is never called pure Python."""
    count("archives")
    name, data = archive
    if build_files and name.endswith(".tar.gz"):  # build files, sources and setup.py words instead
        data = _tar_gz([(n, body, "file", "") for n, body in extra])
    try:
        needs = needs_from_scan(scan_bytes(data, name, is_read_member, "sdist"))
    except Unreadable as exc:
        assert "\n" not in str(exc)
        return
    if needs.short() == "pure Python":
        assert needs.certain and not needs.needs
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        assert needs_from_sdist(str(path)) == needs
