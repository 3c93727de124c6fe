"""The build chain end to end on a local index: the seed case (uv 0.1.40 on CentOS 7 aarch64), one
download per file, hashes, the cache and --offline, --no-fetch-sdist, cycles, depth, a failing index,
and bad sdists. Every case ends in a readable answer or one error line, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index_server import IndexServer, Route, serve
from sdist_support import FETCH_HINT, FIXTURES, REAL_DIR, rebuilt, recorded, tar_gz
from tagsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
MATURIN_PAGE = (FIXTURES / "maturin-page.json").read_bytes()
UV_SDIST = "uv-0.1.40.tar.gz"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def uv_page(sdist: bytes, *, digest: str | None = None) -> bytes:
    """The bundled uv listing with the sdist's URL (relative, as PyPI mirrors give) and sha256 added."""
    page = json.loads((ROOT / "data" / "demo" / "pypi-simple-uv.json").read_text())
    for entry in page["files"]:
        if entry["filename"] == UV_SDIST:
            entry["url"] = f"../../files/{UV_SDIST}"
            entry["hashes"] = {"sha256": digest or hashlib.sha256(sdist).hexdigest()}
    return json.dumps(page).encode()


def uv_index(sdist: bytes, **page: Any) -> dict[str, Route]:
    return {"/simple/uv/": Route(uv_page(sdist, **page)), "/simple/maturin/": Route(MATURIN_PAGE),
            f"/files/{UV_SDIST}": Route(sdist, content_type="application/octet-stream")}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_seed_answer(out: str) -> None:
    assert "pip==26.3: builds uv-0.1.40.tar.gz from source: needs Rust toolchain (cargo)" in out
    assert "evidence for Rust toolchain (cargo): `maturin>=1.0,<2.0` in build-system.requires; Cargo.toml at the root" in out
    assert "maturin>=1.0,<2.0: installs maturin-1." in out and "manylinux_2_17_aarch64" in out
    assert out.rstrip().splitlines()[-1].startswith("needs: Rust toolchain (cargo) >= 1.")


@pytest.fixture
def real_uv_sdist() -> bytes:
    path = REAL_DIR / UV_SDIST
    if not path.exists():
        pytest.skip(f"{path} is absent: {FETCH_HINT}")
    return path.read_bytes()


def test_seed_case_with_the_real_sdist(capsys: pytest.CaptureFixture[str], real_uv_sdist: bytes) -> None:
    with serve(uv_index(real_uv_sdist)) as server:
        code, out, err = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
    assert code == 0 and "Traceback" not in err
    assert_seed_answer(out)


@pytest.fixture
def seed() -> bytes:
    """The uv sdist rebuilt from its record (same members, real pyproject.toml and Cargo.toml): always here."""
    return rebuilt(recorded(UV_SDIST))


def test_seed_case_always(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    with serve(uv_index(seed)) as server:
        code, out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
    assert code == 0
    assert_seed_answer(out)


def test_json_carries_the_chain(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    with serve(uv_index(seed)) as server:
        _, out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40",
                        "--format", "json", "--installer", "uv")
    build = json.loads(out)["decisions"][0]["build"]
    assert build["requires"] == ["maturin>=1.0,<2.0"] and build["toolchains"] == ["Rust toolchain (cargo)"]
    assert {"need": "Rust toolchain (cargo)", "evidence": "Cargo.toml at the root"} in build["evidence"]
    (node,) = build["chain"]
    assert node["requirement"] == "maturin>=1.0,<2.0" and node["decision"]["outcome"] == "wheel"
    assert node["decision"]["file"].startswith("maturin-1.") and node["stop"] is None


def test_check_downloads_each_sdist_once_and_cells_name_the_toolchain(capsys: pytest.CaptureFixture[str],
                                                                       seed: bytes) -> None:
    with serve(uv_index(seed)) as server:
        code, out, _ = run(capsys, "check", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
        hits = [path for path, _ in server.requests]
    assert code == 0 and hits.count(f"/files/{UV_SDIST}") == 1 and hits.count("/simple/maturin/") == 1
    row = next(line for line in out.splitlines() if line.startswith("linux-aarch64-glibc2.17 "))
    assert "sdist (needs cargo)" in row


def test_offline_reads_the_cache_and_nothing_else(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    argv = ["explain", "linux-aarch64-glibc2.17", "--spec", "uv==0.1.40"]
    with serve(uv_index(seed)) as server:
        run(capsys, *argv[:2], server.url("/simple/uv/"), *argv[2:])
        before = len(server.requests)
        code, out, _ = run(capsys, *argv[:2], server.url("/simple/uv/"), *argv[2:], "--offline")
        assert len(server.requests) == before
    assert code == 0
    assert_seed_answer(out)


def test_offline_edge_is_said(capsys: pytest.CaptureFixture[str], seed: bytes, cache: Path) -> None:
    from tagsim.files import cache as page_cache

    with serve(uv_index(seed)) as server:
        url = server.url("/simple/uv/")
        page_cache.write(cache / "http", url, "application/vnd.pypi.simple.v1+json", uv_page(seed))
        code, out, err = run(capsys, "explain", "linux-aarch64-glibc2.17", url, "--spec", "uv==0.1.40", "--offline")
    assert code == 0 and server.requests == []
    assert "not in the cache (--offline)" in err and "backend unknown" not in out
    assert "run once without --offline" in out


def test_no_fetch_sdist(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    with serve(uv_index(seed)) as server:
        code, out, _ = run(capsys, "check", server.url("/simple/uv/"), "--spec", "uv==0.1.40", "--no-fetch-sdist")
        assert all(not path.startswith("/files/") for path, _ in server.requests)
    assert code == 0 and "sdist (backend unknown)" in out


def test_hash_mismatch_is_an_error_naming_the_file(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    with serve(uv_index(seed, digest="0" * 64)) as server:
        code, out, err = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
    assert code == 2 and out == ""
    assert err.startswith(f"tagsim: error: {UV_SDIST}: sha256 of the download is ") and "does not match" in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(("body", "said"), [
    (b"\x1f\x8b\x08\x00garbage", "truncated or corrupt"),
    (b"not gzip at all", "not a gzip-compressed tar archive"),
    (b"", "truncated or corrupt tar.gz"),
])
def test_bad_sdist_leaves_the_needs_unknown_with_why(capsys: pytest.CaptureFixture[str], body: bytes, said: str) -> None:
    with serve(uv_index(body)) as server:
        code, out, err = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
    assert code == 0 and said in out and said in err and "Traceback" not in err


def test_huge_sdist_is_refused_by_its_length(capsys: pytest.CaptureFixture[str]) -> None:
    routes = uv_index(b"x")
    routes[f"/files/{UV_SDIST}"] = Route(b"x", content_length=200 * 2**20, content_type="application/octet-stream")
    with serve(routes) as server:
        code, out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40")
    assert code == 0 and "over the 104857600-byte limit" in out


def project(name: str, version: str, requires: list[str], *, wheels: tuple[str, ...] = ()) -> dict[str, Route]:
    """A project page with one sdist (its build requiring `requires`) and the given wheel filenames."""
    filename = f"{name}-{version}.tar.gz"
    pyproject = f'[build-system]\nrequires = {json.dumps(requires)}\nbuild-backend = "setuptools.build_meta"\n'
    sdist = tar_gz({f"{name}-{version}/pyproject.toml": pyproject, f"{name}-{version}/src/{name}.c": ""})
    files = [{"filename": filename, "url": f"/files/{filename}"}, *({"filename": w} for w in wheels)]
    return {f"/simple/{name}/": Route(json.dumps({"name": name, "files": files}).encode()),
            f"/files/{filename}": Route(sdist, content_type="application/octet-stream")}


@pytest.fixture
def chain_index() -> Iterator[IndexServer]:
    routes = {**project("app", "1.0", ["tool-a", "tool-b; sys_platform == 'win32'", "x>=>1"]),
              **project("tool-a", "1.0", ["tool-c"]), **project("tool-c", "1.0", ["tool-d", "app"]),
              **project("tool-d", "1.0", ["tool-e"]),
              **project("setuptools", "80.0", [], wheels=("setuptools-80.0-py3-none-any.whl",))}
    with serve(routes) as server:
        yield server


def test_cycle_depth_marker_and_bad_requirement(capsys: pytest.CaptureFixture[str], chain_index: IndexServer) -> None:
    code, out, err = run(capsys, "explain", "linux-x86_64-glibc2.17", chain_index.url("/simple/app/"),
                         "--installer", "pip")
    assert code == 0 and "Traceback" not in err
    assert "tool-b; sys_platform == 'win32': not installed here: its marker is false" in out
    assert "x>=>1: does not parse" in out
    assert "app: cycle: app -> tool-a -> tool-c -> app; pip and uv fail here" in out
    assert "tool-e: not followed: over 3 levels of build requirements" in out
    assert out.rstrip().splitlines()[-1].startswith("needs: C compiler; not known for: ")


def test_index_timing_out_mid_chain(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    routes = uv_index(seed)
    routes["/simple/maturin/"] = Route(MATURIN_PAGE, delay=3)
    with serve(routes) as server:
        code, out, err = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40",
                             "--timeout", "0.5", "--installer", "pip")
    assert code == 0 and "timed out after 0.5s" in out and "timed out" in err
    assert "not known for: maturin>=1.0,<2.0" in out


def test_build_isolation_off(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    with serve(uv_index(seed)) as server:
        url = server.url("/simple/uv/")
        _, pip_out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", url, "--spec", "uv==0.1.40",
                            "--no-build-isolation", "--installer", "pip")
        _, uv_out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", url, "--spec", "uv==0.1.40",
                           "--no-build-isolation-package", "uv", "--installer", "uv", "--installer", "pip")
    assert "build isolation is off (--no-build-isolation)" in pip_out and "maturin>=1.0,<2.0: installs" not in pip_out
    uv_part, pip_part = uv_out.split("\n\npip==")[0], uv_out.split("\n\npip==")[1]
    assert "(--no-build-isolation-package)" in uv_part and "maturin>=1.0,<2.0: installs" in pip_part  # pip has no such flag


def test_only_binary_applies_to_build_requirements(capsys: pytest.CaptureFixture[str], seed: bytes) -> None:
    routes = uv_index(seed)
    page = json.loads(MATURIN_PAGE)
    page["files"] = [f for f in page["files"] if f["filename"].endswith(".tar.gz")]
    routes["/simple/maturin/"] = Route(json.dumps(page).encode())
    with serve(routes) as server:
        _, out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", server.url("/simple/uv/"), "--spec", "uv==0.1.40",
                        "--only-binary", "maturin", "--installer", "pip")
    assert "maturin>=1.0,<2.0: no file can be installed for maturin<2.0,>=1.0" in out


def test_cache_dir_env_is_used(cache: Path) -> None:
    assert os.environ["TAGSIM_CACHE_DIR"] == str(cache)
