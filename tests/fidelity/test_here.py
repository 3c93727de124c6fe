"""`here` (this machine) against the real installers on this machine.

pip: the installed pip's own `pip debug --verbose` list, read back through tagsim's pip debug reader,
must equal tagsim's list for `here` with that pip's era. uv: the installed uv (the test extra pins it)
ranks dummy wheels natively (no `--python-platform`) with this interpreter, by the same selection
sort `tools/fidelity/record_uv_tags.py` records with; its order must be tagsim's order on those tags.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tagsim.choice.registry import compatible_tags, parse_installer
from tagsim.cli import main
from tagsim.platform.here import detect_host
from tagsim.platform.pip_debug import load_pip_debug
from tagsim.platform.resolve import resolve_platform

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "fidelity"))


def test_here_is_this_machine() -> None:
    host = detect_host()
    assert resolve_platform("here") is host.profile
    assert host.sysconfig_platform == sysconfig.get_platform()
    assert host.interpreter.version == sys.version_info[:2] and host.interpreter.patch == sys.version_info[2]
    assert host.profile.sysconfig_platform() == sysconfig.get_platform() or host.profile.os == "macos"


def test_platforms_here_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["platforms", "--here", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["id"] == "here"
    assert data["sysconfig_platform"] == sysconfig.get_platform()
    assert data["python"]["version"] == "{}.{}.{}".format(*sys.version_info[:3])
    assert set(data["found_by"]) >= {"os", "arch", "python"}


def test_pip_tags_here_equal_the_installed_pips(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pip", "--isolated", "debug", "--verbose"], capture_output=True,
                         text=True, timeout=120, env={"PIP_CONFIG_FILE": "/dev/null", "PATH": "/usr/bin:/bin"})
    if out.returncode != 0:
        pytest.skip(f"`pip debug --verbose` failed here: {out.stderr[-300:]}")
    saved = tmp_path / "box.txt"
    saved.write_text(out.stdout, encoding="utf-8")
    debug = load_pip_debug(str(saved))
    host = detect_host()
    assert debug.interpreter == host.interpreter
    pip = parse_installer(f"pip=={debug.pip_version}")
    assert list(compatible_tags(host.profile, host.interpreter, pip)) == list(debug.tags)
    # and the profile read from the log is this machine's
    assert (debug.profile.os, debug.profile.arch, debug.profile.libc, debug.profile.libc_version) == (
        host.profile.os, host.profile.arch, host.profile.libc, host.profile.libc_version)


def test_uv_tags_here_equal_the_installed_uvs(tmp_path: Path) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv is None:
        pytest.skip("uv is not installed next to this Python (pip install '.[test]' installs it)")
    version = subprocess.run([uv, "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    from record_uv_tags import Runner, selection_sort

    host = detect_host()
    ours = list(compatible_tags(host.profile, host.interpreter, parse_installer(f"uv=={version}")))
    # The best 40, every 25th after them, and tags tagsim says do not fit (a newer glibc, the wrong
    # Python, musl on glibc...): uv must rank the first two groups as tagsim does and refuse the third.
    py = host.interpreter.interpreter
    plat = ours[0].split("-", 2)[2]
    decoys = [f"{py}-{host.interpreter.abi}-{p}" for p in ("manylinux_2_99_x86_64", "musllinux_1_2_x86_64",
                                                            "macosx_11_0_arm64", "win_amd64", "linux_aarch64")]
    decoys += [f"cp2{host.interpreter.minor}-none-any", f"{py}-cp39-{plat}", "py4-none-any"]
    candidates = list(dict.fromkeys([*ours[:40], *ours[40::25], *(d for d in decoys if d not in ours)]))
    runner = Runner(uv, sys.executable, None, None, {}, "seeded", tmp_path)
    order, rejected = selection_sort(runner, tmp_path, candidates)
    assert order == [t for t in ours if t in candidates]
    assert set(rejected) == set(candidates) - set(ours)
