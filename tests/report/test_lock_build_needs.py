"""Issue 16 in lock-file reports: a locked package that builds gets what its build needs, read from the sdist
downloaded from the lock's own URL and checked against the lock's digest (as `check` does for an index page)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from index_server import Route, serve
from tagsim.cli import main

PYPROJECT = b"[build-system]\nrequires = ['maturin>=1,<2']\nbuild-backend = 'maturin'\n"


def _sdist() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("rusty-1.0/pyproject.toml", PYPROJECT), ("rusty-1.0/Cargo.toml", b"[package]\nname = 'rusty'\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


SDIST = _sdist()


def _pylock(tmp_path: Path, url: str, digest: str) -> Path:
    path = tmp_path / "pylock.toml"
    path.write_text(f"""lock-version = "1.0"
created-by = "test"

[[packages]]
name = "rusty"
version = "1.0"
sdist = {{ url = "{url}", hashes = {{ sha256 = "{digest}" }} }}
wheels = [{{ url = "{url.replace('.tar.gz', '-cp312-cp312-manylinux_2_28_x86_64.whl')}", hashes = {{ sha256 = "00" }} }}]
""", encoding="utf-8")
    return path


def test_a_locked_sdist_is_read_for_its_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path / "cache"))
    with serve({"/files/rusty-1.0.tar.gz": Route(SDIST, "application/octet-stream")}) as srv:
        lock = _pylock(tmp_path, srv.url("/files/rusty-1.0.tar.gz"), hashlib.sha256(SDIST).hexdigest())
        argv = ["check", str(lock), "--platform", "linux-x86_64-glibc2.17", "--python", "cp312", "--installer", "uv"]
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert main([*argv, "--no-fetch-sdist"]) == 0
        unread = capsys.readouterr().out
        downloads = [path for path, _ in srv.requests]
    # glibc 2.17 cannot take the manylinux_2_28 wheel: uv builds the sdist, which needs cargo (Cargo.toml, maturin)
    assert "rusty==1.0: rusty-1.0.tar.gz (needs: Rust toolchain (cargo)" in out
    assert downloads == ["/files/rusty-1.0.tar.gz"]  # once, though several cells build it
    assert "Rust toolchain" not in unread and "unknown requirements" in unread


def test_a_locked_sdist_that_does_not_match_its_digest_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path / "cache"))
    with serve({"/files/rusty-1.0.tar.gz": Route(SDIST, "application/octet-stream")}) as srv:
        lock = _pylock(tmp_path, srv.url("/files/rusty-1.0.tar.gz"), hashlib.sha256(b"another").hexdigest())
        code = main(["check", str(lock), "--platform", "linux-x86_64-glibc2.17", "--python", "cp312", "--installer", "uv"])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("tagsim: error: rusty-1.0.tar.gz: sha256 of the download is ")
    assert err.count("\n") == 1 and "does not match its hash" in err
