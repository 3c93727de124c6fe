"""Lock reports: marker environments, the install-time rules, the CI gate, and agreement with packaging's
own `Pylock.select` (the code pip 26.1+ runs) on every bundled profile."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.markers import default_environment
from packaging.pylock import Pylock, PylockSelectError
from packaging.tags import Tag

from tagsim import bundled_profiles, parse_installer, parse_python, resolve_platform
from tagsim.choice.lock_choice import LockStatus
from tagsim.choice.registry import compatible_tags
from tagsim.cli import main
from tagsim.files.locks.detect import read_lock
from tagsim.files.locks.reading import parse_toml
from tagsim.platform.markers import marker_environment
from tagsim.report.check import Row
from tagsim.report.lock import run_lock

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "locks"
PIP = parse_installer("pip==26.3")


@pytest.mark.parametrize(("profile", "machine", "system", "sys_platform"), [
    ("macos14-arm64", "arm64", "Darwin", "darwin"), ("linux-aarch64-glibc2.17", "aarch64", "Linux", "linux"),
    ("windows-arm64", "ARM64", "Windows", "win32"), ("windows-amd64", "AMD64", "Windows", "win32"),
    ("macos14-x86_64-rosetta", "x86_64", "Darwin", "darwin"), ("freebsd14-amd64", "amd64", "FreeBSD", "freebsd14"),
    ("android24-arm64_v8a", "aarch64", "Android", "android")])
def test_marker_environment_values(profile: str, machine: str, system: str, sys_platform: str) -> None:
    env = marker_environment(resolve_platform(profile), parse_python("cp312"))
    assert (env["platform_machine"], env["platform_system"], env["sys_platform"]) == (machine, system, sys_platform)


def test_marker_environment_of_this_machine_is_what_packaging_reads_here() -> None:
    """On this host (linux-x86_64-glibc2.36), the profile's environment is the interpreter's own."""
    version = sys.version_info
    interp = parse_python(f"cp3{version.minor}@3.{version.minor}.{version.micro}")
    ours = marker_environment(resolve_platform("linux-x86_64-glibc2.36"), interp)
    real = dict(default_environment())
    if real["platform_machine"] != "x86_64" or real["sys_platform"] != "linux":
        pytest.skip("only on a linux x86_64 host")
    for key in ("platform_release", "platform_version"):
        real.pop(key)
        ours.pop(key)
    assert ours == real


def _packaging_select(path: Path, profile_id: str) -> dict[str, str] | str:
    """What packaging's `Pylock.select` installs with tagsim's pip tags and environment: name -> file, or its error."""
    profile, interp = resolve_platform(profile_id), parse_python("cp312")
    lock = Pylock.from_dict(parse_toml(path.read_text(), str(path)))
    tags = [Tag(*t.split("-")) for t in compatible_tags(profile, interp, PIP)]
    env = marker_environment(profile, interp)
    try:
        chosen = lock.select(environment=cast(Any, env), tags=tags)
        return {p.name: getattr(dist, "filename", "source tree") for p, dist in chosen}
    except PylockSelectError as exc:
        return f"error: {exc}"


@given(profile_id=st.sampled_from(sorted(bundled_profiles())),
       name=st.sampled_from(["pylock.toml", "pylock.nowheelonly.toml", "pylock.pip.toml"]))
def test_pip_pylock_agrees_with_packaging_select(profile_id: str, name: str) -> None:
    path = LOCKS / "uv" / name
    expected = _packaging_select(path, profile_id)
    row = Row(resolve_platform(profile_id), parse_python("cp312"))
    try:
        compatible_tags(row.profile, row.interp, PIP)
    except Exception:
        return  # a platform tagsim does not model for pip
    report = run_lock(read_lock(str(path)), [row], [PIP])
    cells = report.cells
    if isinstance(expected, str):  # packaging stops; tagsim fails the target or the package
        assert any(c.status is LockStatus.FAIL for c in cells), expected
        return
    got = {c.package.name: (c.decision.chosen.filename if c.decision and c.decision.chosen else "source tree")
           for c in cells if c.status in (LockStatus.WHEEL, LockStatus.BUILD)}
    sources = {c.package.name for c in cells if c.status is LockStatus.FAIL and "hash" in c.message}
    assert got == {k: v for k, v in expected.items() if k not in sources}


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", "--no-fetch-sdist", *argv])  # the recorded locks' sdist URLs name a dummy index now gone
    return code, capsys.readouterr().out


def test_require_gate_and_allow_build(capsys: pytest.CaptureFixture[str]) -> None:
    lock = str(LOCKS / "uv" / "uv.lock")
    args = ["--python", "cp312", "--require", "linux-x86_64-glibc2.17"]
    assert _check(capsys, lock, *args)[0] == 1  # sdistonly and the editable localpkg build
    assert _check(capsys, lock, *args, "--allow-build", "sdistonly,localpkg")[0] == 0
    code, out = _check(capsys, lock, "--python", "cp312", "--platform", "linux-x86_64-musl1.1",
                       "--require", "linux-x86_64-musl1.1", "--allow-build", "sdistonly,localpkg")
    assert code == 1 and "wheelonly==1.0: Distribution `wheelonly==1.0 @ registry+" in out
    assert "a wheel tagged" in out  # the tag that would have fitted


def test_default_targets_come_from_the_lock(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(LOCKS / "uv" / "uv.lock"), "--format", "json")
    data = json.loads(out)
    assert code == 0  # no --require: failures are reported, not a gate
    assert {t["python"] for t in data["targets"]} == {"cp310", "cp314"}  # requires-python >=3.10
    assert "emscripten-wasm32" not in {t["platform"] for t in data["targets"]}  # outside supported-markers
    assert {t["installer"].split("==")[0] for t in data["targets"]} == {"uv"}


def test_installers_that_cannot_read_the_lock(capsys: pytest.CaptureFixture[str]) -> None:
    pylock = str(LOCKS / "uv" / "pylock.pip.toml")
    code, out = _check(capsys, pylock, "--platform", "linux-x86_64-glibc2.17", "--python", "cp312",
                       "--installer", "pip==25.0", "--installer", "poetry", "--format", "json")
    errors = {t["installer"]: t["error"] for t in json.loads(out)["targets"]}
    assert code == 0
    assert "needs pip 26.1+" in errors["pip==25.0"]
    assert "poetry#10356" in errors[next(k for k in errors if k.startswith("poetry"))]


def test_skipped_packages_are_listed_with_their_marker(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(LOCKS / "uv" / "pylock.nowheelonly.toml"), "--platform", "windows-arm64",
                       "--python", "cp312", "--installer", "uv", "--format", "json")
    by_name = {d["project"]: d for d in json.loads(out)["decisions"]}
    assert code == 0
    assert by_name["darwinonly"]["status"] == "skipped"
    assert "sys_platform == \"darwin\"" in by_name["darwinonly"]["message"]
    assert by_name["winonly"]["status"] == "wheel"


def test_pdm_lock_target_mismatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (LOCKS / "pdm" / "pdm.lock").read_text().replace(
        'requires_python = ">=3.10"', 'requires_python = ">=3.10"\nplatform = "manylinux_2_17_x86_64"')
    path = tmp_path / "pdm.lock"
    path.write_text(text)
    code, out = _check(capsys, str(path), "--platform", "macos14-arm64", "--platform", "linux-x86_64-glibc2.28",
                       "--python", "cp312", "--format", "json")
    errors = {t["platform"]: t["error"] for t in json.loads(out)["targets"]}
    assert code == 0
    # pdm 2.29.4's words (recorded for this host: tests/fixtures/locks/pdm-foreign), then the targets
    assert errors["macos14-arm64"] == ("None of the lock targets matches the current env (==3.12.0, macos_14_0_arm64, "
                                       "cpython): - (>=3.10, manylinux_2_17_x86_64)")
    assert errors["linux-x86_64-glibc2.28"] is None


def test_explain_one_package_of_a_lock(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explain", "linux-aarch64-glibc2.17", str(LOCKS / "uv" / "uv.lock"), "--spec", "newglibc"])
    out = capsys.readouterr().out
    assert code == 0 and "builds newglibc-1.0.tar.gz from source" in out
    code = main(["explain", "linux-aarch64-glibc2.17", str(LOCKS / "uv" / "uv.lock"), "--spec", "darwinonly"])
    assert "darwinonly==1.0 is not installed on linux-aarch64-glibc2.17" in capsys.readouterr().err
