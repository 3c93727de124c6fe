"""`tagsim verify` against the real pip of this test venv (offline), and its bad-input contract.

The pip cases run in CI without network: the installer is this interpreter's own pip and the
index is a throwaway file:// index. uv cases skip loudly when no uv is on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import warnings
from pathlib import Path

import pytest

from tagsim.choice.flags import Flags
from tagsim.cli import main
from tagsim.verify import AGREE, CRASHED, MISSING, NOT_EMULABLE, TIMEOUT, Pythons, Scenario, detect_installer, host_profile, verify
from tagsim.verify.dummy_index import IndexFile

HOST = host_profile()
PY = f"cp3{sys.version_info[1]}"
needs_host = pytest.mark.skipif(HOST is None, reason="this machine is not one of tagsim's Linux glibc profiles")


def scenario(files: list[str | IndexFile], spec: str = "demo", platform: str | None = None, **flags: object) -> Scenario:
    entries = tuple(f if isinstance(f, IndexFile) else IndexFile(f) for f in files)
    return Scenario(platform or (HOST.id if HOST else "linux-x86_64-glibc2.36"), PY, entries, spec, Flags(**flags))  # type: ignore[arg-type]


def only(results: list) -> object:
    assert len(results) == 1
    return results[0]


@needs_host
def test_native_pip_agrees_on_newest_sdist() -> None:
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"]), ["pip"]))
    assert (r.status, r.real, r.predicted) == (AGREE, "demo-2.0.tar.gz", "demo-2.0.tar.gz"), r
    assert "native" in r.detail


@needs_host
def test_native_pip_agrees_with_flags_and_yanked() -> None:
    files = [IndexFile("demo-1.0-py3-none-any.whl"), IndexFile("demo-2.0-py3-none-any.whl", yanked="broken"),
             IndexFile("demo-3.0-py3-none-any.whl", requires_python=">=4")]
    r = only(verify(scenario(files), ["pip"]))
    assert (r.status, r.real) == (AGREE, "demo-1.0-py3-none-any.whl"), r


@needs_host
def test_flag_emulated_pip_on_another_platform() -> None:
    sc = scenario([f"demo-1.0-{PY}-{PY}-manylinux_2_28_aarch64.whl", "demo-1.0.tar.gz"], platform="linux-aarch64-glibc2.17")
    r = only(verify(sc, ["pip"]))
    assert r.status in (AGREE, NOT_EMULABLE), r
    if r.status == AGREE:
        assert r.real == "demo-1.0.tar.gz" and "--platform manylinux_2_17_aarch64" in r.detail
    else:
        warnings.warn(f"pip here cannot emulate aarch64 glibc 2.17: {r.detail}", stacklevel=1)


@needs_host
def test_no_match_is_an_answer() -> None:
    r = only(verify(scenario(["demo-1.0-cp27-cp27mu-manylinux1_x86_64.whl"], only_binary=frozenset({":all:"})), ["pip"]))
    assert (r.status, r.real, r.predicted) == (AGREE, None, None), r


@needs_host
def test_uv_on_path() -> None:
    uv = os.environ.get("TAGSIM_TEST_UV") or shutil.which("uv")
    if not uv:
        pytest.skip("SKIPPED LOUDLY: no uv on PATH (nor TAGSIM_TEST_UV); tagsim verify's uv path is not tested in this run")
    if Pythons().find(PY) is None:
        pytest.skip(f"no real {PY} interpreter that uv could use")
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"]), [uv]))
    assert r.status == AGREE and r.real == "demo-2.0.tar.gz", r
    sc = scenario([f"demo-1.0-{PY}-{PY}-manylinux_2_28_aarch64.whl", "demo-1.0.tar.gz"], platform="linux-aarch64-glibc2.17")
    r = only(verify(sc, [uv]))
    assert r.status in (AGREE, NOT_EMULABLE), r


# ---------------------------------------------------------------- bad installers
def fake(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_missing_installer_path(tmp_path: Path) -> None:
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(tmp_path / "no-such-pip")]))
    assert r.status == MISSING and not r.tested


def test_not_an_installer(tmp_path: Path) -> None:
    exe = fake(tmp_path, "pip", 'echo "something else 1.0"\n')
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(exe)]))
    assert r.status == CRASHED and not r.tested


def test_crashing_pip(tmp_path: Path) -> None:
    exe = fake(tmp_path, "pip", 'case "$1" in --version) echo "pip 24.0 from /x (python 3.12)";; '
                                '*) echo "Traceback (most recent call last):" >&2; echo "RuntimeError: boom" >&2; exit 1;; esac\n')
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(exe)]))
    assert r.status == CRASHED and not r.tested, r
    assert "boom" in r.detail


def test_crashing_uv(tmp_path: Path) -> None:
    exe = fake(tmp_path, "uv", 'case "$1" in --version) echo "uv 0.4.30";; *) echo "error: segfault" >&2; exit 139;; esac\n')
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(exe)]))
    assert r.status == CRASHED and not r.tested, r


def test_timeout_is_not_an_answer(tmp_path: Path) -> None:
    exe = fake(tmp_path, "pip", 'case "$1" in --version) echo "pip 24.0 from /x (python 3.12)";; *) sleep 30;; esac\n')
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(exe)], timeout=0.5))
    assert r.status == TIMEOUT and not r.tested, r


def test_version_outside_the_modelled_range(tmp_path: Path) -> None:
    exe = fake(tmp_path, "pip", 'echo "pip 99.0 from /x (python 3.12)"\n')
    r = only(verify(scenario(["demo-1.0-py3-none-any.whl"]), [str(exe)]))
    assert r.status == "not-modelled" and "99.0" in r.detail


def test_detect_this_pip() -> None:
    inst = detect_installer("pip")
    assert inst.name == "pip" and inst.python == sys.executable


# ---------------------------------------------------------------- CLI
def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nope")
    assert main(["verify", "linux-x86_64-glibc2.36", "demo-1.0-py3-none-any.whl", "--installer", missing]) == 1
    out = capsys.readouterr().out
    assert "installer missing" in out and "nothing was tested" in out and "agree" not in out
    # explain's --build-backend is accepted, so an explain command line runs as verify unchanged.
    assert main(["verify", "linux-x86_64-glibc2.36", "demo-1.0.tar.gz", "--installer", missing,
                 "--build-backend", "maturin"]) == 1
    capsys.readouterr()
    assert main(["verify", "no-such-platform", "demo-1.0-py3-none-any.whl"]) == 2
    assert main(["verify", "linux-x86_64-glibc2.36", "demo-1.0-py3-none-any.whl", "--run-timeout", "0"]) == 2


@needs_host
def test_cli_json_agree(capsys: pytest.CaptureFixture[str]) -> None:
    assert HOST is not None
    code = main(["verify", HOST.id, "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "--python", PY,
                 "--installer", "pip", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc
    assert doc["results"][0]["status"] == AGREE and doc["results"][0]["real"] == "demo-1.0-py3-none-any.whl"
