"""Installer versions newer than modelled (issue 13, part 4): decided with the newest era, said in one warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from tagsim import parse_installer
from tagsim.choice.registry import FAMILIES
from tagsim.cli import main
from tagsim.errors import InstallerError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "fidelity"))

from newest import parse_index_versions  # noqa: E402


def test_a_newer_version_uses_the_newest_era_with_a_note() -> None:
    newest = parse_installer("pdm")
    newer = parse_installer("pdm==99.0")
    assert newer.era == newest.era and newer.spec == "pdm==99.0"
    assert newer.note == ("pdm 99.0 is newer than the newest modelled pdm (2.29.4); "
                          "deciding with pdm 2.29.4's rules")
    assert newest.note == ""


def test_older_versions_and_verify_still_refuse() -> None:
    with pytest.raises(InstallerError, match="not modelled"):
        parse_installer("uv==0.1.0")
    with pytest.raises(InstallerError, match="not modelled"):
        parse_installer("uv==99.0", allow_newer=False)


def test_the_cli_warns_once_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["tags", "linux-x86_64-glibc2.28", "--installer", "uv==99.0", "--limit", "1"])
    out, err = capsys.readouterr()
    assert code == 0 and "uv==99.0 on linux-x86_64-glibc2.28" in out
    assert err.splitlines() == ["tagsim: warning: uv 99.0 is newer than the newest modelled uv (0.13.9); "
                                "deciding with uv 0.13.9's rules"]


def test_newest_reads_pip_index_output() -> None:
    output = "pdm (2.29.4)\nAvailable versions: 2.29.4, 2.29.3, 2.30.0rc1, 2.28.2\n  INSTALLED: 2.28.2\n"
    assert parse_index_versions("pdm", output) == Version("2.29.4")
    assert parse_index_versions("pdm", "ERROR: No matching distribution found for pdm\n") is None


@pytest.mark.live_installers
def test_newest_asks_the_index_for_every_installer() -> None:
    """Needs the package index: `pytest -m live_installers`. Exit 0 (all modelled) or 1 (a newer release)."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "fidelity" / "newest.py")], capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert len(done.stdout.splitlines()) == len(FAMILIES)
