"""Writing the answer can fail (issue 14 item 10): a full disk is one error line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tagsim.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this machine: cannot simulate a full disk")
@pytest.mark.parametrize("argv", [["platforms"], ["history", str(ROOT / "data" / "demo" / "pypi-simple-uv.json"),
                                                   "--platform", "windows-amd64"]])
def test_a_full_disk_is_an_error_line(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "tagsim", *argv], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr == "tagsim: error: stdout: No space left on device\n"


LOCK = str(ROOT / "tests" / "fixtures" / "locks" / "uv" / "uv.lock")


@pytest.mark.parametrize("source", ["demo-1.0-py3-none-any.whl", LOCK], ids=["release", "lock"])
def test_a_step_summary_fifo_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], source: str) -> None:
    """Issue 14 (smaller items): `$GITHUB_STEP_SUMMARY` naming a FIFO blocked `open()` for ever."""
    fifo = tmp_path / "summary"
    os.mkfifo(fifo)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(fifo))
    started = time.monotonic()
    code = main(["check", source, "--platform", "windows-amd64", "--format", "github", "--no-fetch-sdist"])
    _, err = capsys.readouterr()
    assert code == 2 and time.monotonic() - started < 10
    assert err.strip().endswith(f"{fifo}: cannot append to $GITHUB_STEP_SUMMARY: No such device or address")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", source, "--platform", "windows-amd64", "--format", "github", "--no-fetch-sdist"]) in (0, 1)
    assert summary.read_text().strip()
