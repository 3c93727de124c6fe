"""Lock files as sources: each format read into typed records, and every kind of bad input said in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tagsim.cli import main
from tagsim.errors import SourceError
from tagsim.files.filename import FileKind
from tagsim.files.locks.detect import read_lock
from tagsim.files.locks.model import LockFormat, PackageSource
from tagsim.files.locks.reading import MAX_LOCK_BYTES
from tagsim.files.sources import SourceKind, classify, load_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "locks"

PYLOCK = """\
lock-version = "1.0"
created-by = "hand"
requires-python = ">=3.10"

[[packages]]
name = "Demo"
version = "1.0"
marker = "sys_platform == 'linux'"
wheels = [{ url = "https://f.example/demo-1.0-py3-none-any.whl", hashes = { sha256 = "00" } }]

[[packages]]
name = "named"
version = "2.0"
sdist = { name = "named-2.0.tar.gz", url = "https://f.example/download?id=3" }

[[packages]]
name = "pct"
version = "1.0"
wheels = [{ url = "https://f.example/pct-1.0-py3-none-any%2Bx.whl" }, { url = "https://f.example/dir/" }]

[[packages]]
name = "empty"
version = "1.0"

[[packages]]
name = "badmarker"
version = "1.0"
marker = "os_name =="
wheels = [{ path = "wheels\\\\badmarker-1.0-py3-none-any.whl" }]
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_pylock_records(tmp_path: Path) -> None:
    lock = read_lock(write(tmp_path, "pylock.dev.toml", PYLOCK))
    assert lock.format is LockFormat.PYLOCK and str(lock.requires_python) == ">=3.10"
    demo, named, pct, empty, bad = lock.packages
    assert (demo.name, str(demo.version), demo.line) == ("demo", "1.0", 5)
    assert str(demo.marker) == 'sys_platform == "linux"'
    assert [f.filename for f in demo.wheels] == ["demo-1.0-py3-none-any.whl"]
    assert named.sdist is not None and named.sdist.filename == "named-2.0.tar.gz"  # `name` beats the URL
    # percent-decoded last segment; a URL ending in / has no filename: listed unusable, never dropped
    assert pct.files[0].filename == "pct-1.0-py3-none-any+x.whl"
    assert pct.files[1].kind is FileKind.UNUSABLE and "without a filename" in (pct.files[1].problem or "")
    assert empty.problem is not None and "neither files" in empty.problem
    assert bad.problem is not None and bad.problem.startswith("marker does not parse")
    assert bad.files[0].filename == "badmarker-1.0-py3-none-any.whl"  # a Windows path's last part


def test_recorded_uv_lock_has_forks_sources_and_edges() -> None:
    lock = read_lock(str(FIXTURES / "uv" / "uv.lock"))
    assert lock.format is LockFormat.UV and lock.members == ("envproj",)
    by = {(p.name, str(p.version)): p for p in lock.packages}
    assert {("forked", "1.0"), ("forked", "2.0")} <= set(by)
    assert by[("localpkg", "0.1")].source is PackageSource.EDITABLE
    assert by[("envproj", "0.1")].source is PackageSource.VIRTUAL
    assert [str(m) for m in lock.environments] == ['sys_platform != "emscripten"']
    root = by[("envproj", "0.1")]
    assert {d.name for d in root.dev_dependencies["dev"]} == {"devdep"}
    assert {d.name for d in root.optional_dependencies["extra1"]} == {"extradep"}


@pytest.mark.parametrize(("name", "fmt"), [("uv/uv.lock", LockFormat.UV), ("uv/pylock.toml", LockFormat.PYLOCK),
                                           ("poetry/poetry.lock", LockFormat.POETRY), ("pdm/pdm.lock", LockFormat.PDM)])
def test_recognised_by_content_when_renamed(tmp_path: Path, name: str, fmt: LockFormat) -> None:
    renamed = tmp_path / "locked.toml"
    renamed.write_bytes((FIXTURES / name).read_bytes())
    assert classify(str(renamed)) is SourceKind.LOCK_FILE
    assert read_lock(str(renamed)).format is fmt


def test_a_lock_is_a_source_of_files() -> None:
    files = load_source(str(FIXTURES / "uv" / "uv.lock"))
    assert "abi3pkg-1.0-cp39-abi3-musllinux_1_2_x86_64.whl" in {f.filename for f in files}


BAD = [
    ("uv.lock", 'version = 1\nrequires-python = ">=3.10"\n[[package]]\nname = "a"\nversion = "1.0\n',
     r"uv\.lock:5: invalid TOML"),
    ("uv.lock", 'version = 2\nrequires-python = ">=3.10"\n', "version: unknown lock version 2"),
    ("uv.lock", 'version = 1\n', "requires-python: missing"),
    ("uv.lock", 'version = 1\nrequires-python = ">=3"\n\n[[package]]\nname = "a"\nversion = "1"\n'
                'source = { registry = "x" }\ndependencies = [{ name = "b", marker = "os_name ==" }]\n',
     r"uv\.lock:4: dependencies\[0\]\.marker: marker does not parse"),
    ("pylock.toml", 'lock-version = "2.0"\ncreated-by = "x"\npackages = []\n', "unknown lock version 2.0"),
    ("pylock.toml", 'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nversion = "1"\n',
     r"pylock\.toml:4: name: missing"),
    ("poetry.lock", '[metadata]\nlock-version = "3.0"\n', "unknown lock version '3.0'"),
    ("pdm.lock", '[metadata]\nlock_version = "5.0"\n', "unknown lock version '5.0'"),
    ("pdm.lock", '[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "a"\nversion = "not a version"\n',
     r"pdm\.lock:4: version: not a version"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD)
def test_malformed_lock_is_one_line_naming_file_line_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(SourceError, match=message):
        read_lock(path)
    assert main(["check", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"tagsim: error: {path}")


def test_50_mb_lock_is_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "uv.lock"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the size is what is checked
    assert os.path.getsize(path) > MAX_LOCK_BYTES
    assert main(["check", str(path)]) == 2
    assert "over the" in capsys.readouterr().err


def test_unusable_entries_are_listed_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "pylock.toml", PYLOCK)
    assert main(["check", path, "--platform", "linux-x86_64-glibc2.17", "--python", "cp312", "--no-fetch-sdist"]) == 0
    out = capsys.readouterr().out
    assert "empty==1.0: unusable lock entry: neither files" in out
    assert "badmarker==1.0: unusable lock entry: marker does not parse" in out
    assert "unusable files (1):" in out and "https://f.example/dir/" in out
