"""Writing the answer can fail (issue 14 item 10): a full disk is one error line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
