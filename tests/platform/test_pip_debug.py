"""Saved `pip debug --verbose` outputs as profiles: real outputs of four pips on four host-patched profiles.

The fixtures are recorded by `tools/fidelity/record_pip_debug.py`. Each must give back the profile it
was recorded on, the interpreter and the pip that printed it, and tagsim's tag list for what was read
must equal the list that pip printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tagsim.choice.registry import compatible_tags, parse_installer
from tagsim.cli import main
from tagsim.errors import ProfileError
from tagsim.platform.pip_debug import load_pip_debug
from tagsim.platform.profile_file import bundled_profiles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pip_debug"
SAVED = sorted(FIXTURES.glob("*.txt"))
UV = str(Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json")


def test_fixtures_are_present() -> None:
    assert len(SAVED) == 16  # 4 pips x glibc 2.17 aarch64, musl 1.1, macOS 11 arm64, Windows amd64


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.stem)
def test_real_output_gives_back_its_profile(path: Path) -> None:
    pid, _, pip = path.stem.partition("--pip-")
    if pid == "linux-x86_64-musl1.1" and pip == "20.3.4":
        # pip 20.3 predates musllinux: on musl it prints linux_x86_64 tags only
        with pytest.raises(ProfileError, match="no manylinux or musllinux tag: the libc and its version cannot be told"):
            load_pip_debug(str(path))
        return
    debug = load_pip_debug(str(path))
    want = bundled_profiles()[pid]
    got = debug.profile
    assert (got.os, got.arch, got.libc, got.libc_version, got.os_version, got.python_bits) == (
        want.os, want.arch, want.libc, want.libc_version, want.os_version, want.python_bits)
    assert debug.pip_version == pip and not debug.truncated
    assert debug.interpreter.implementation == "cp" and debug.interpreter.patch is not None
    assert list(compatible_tags(got, debug.interpreter, parse_installer(f"pip=={pip}"))) == list(debug.tags)


def test_explain_uses_the_pip_that_printed_it(capsys: pytest.CaptureFixture[str]) -> None:
    box = str(FIXTURES / "linux-aarch64-glibc2.17--pip-21.3.1.txt")
    assert main(["explain", box, UV, "--spec", "uv==0.1.40"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "linux-aarch64-glibc2.17--pip-21.3.1.txt (linux aarch64, glibc 2.17), CPython 3.9.18"
    assert out.splitlines()[2].startswith("pip==21.3.1: builds uv-0.1.40.tar.gz from source")
    assert "printed by pip 21.3.1 on CPython 3.9.18: linux aarch64, glibc 2.17" in err


@pytest.mark.parametrize(("text", "message"), [
    ("hello\n", "not a `pip debug --verbose` output: no 'pip version: pip X' line"),
    ("pip version: pip 24.0 from x\nsys.version: 3.12.1\nsys.platform: linux\n",
     "not a `pip debug --verbose` output: no 'Compatible tags: N' line"),
    ("pip version: pip 24.0 from x\nsys.version: 3.12.1\nsys.platform: linux\nCompatible tags: 0\n",
     "the output lists no compatible tags: too little to tell the machine"),
    ("pip version: pip 24.0 from x\nsys.version: 3.12.1\nsys.platform: sunos5\nCompatible tags: 1\n  cp312-cp312-sunos_5\n",
     "sys.platform 'sunos5' is not a system"),
])
def test_refuses_what_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    box = tmp_path / "box.txt"
    box.write_text(text, encoding="utf-8")
    assert main(["explain", str(box), "demo-1.0.tar.gz"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"tagsim: error: {box}: {message}") and err.count("\n") == 1


def test_a_truncated_list_is_read_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = (FIXTURES / "linux-aarch64-glibc2.17--pip-26.3.txt").read_text(encoding="utf-8")
    head, _, tags = full.partition("Compatible tags: 96\n")
    box = tmp_path / "short.txt"
    box.write_text(head + "Compatible tags: 96 (truncated, use --verbose to show all)\n"
                   + "".join(tags.splitlines(keepends=True)[:10]) + "  ...\n", encoding="utf-8")
    debug = load_pip_debug(str(box))
    assert debug.truncated and len(debug.tags) == 10 and debug.profile.glibc == (2, 17)
    assert main(["tags", str(box), "--limit", "1"]) == 0
    assert "a truncated tag list" in capsys.readouterr().err
