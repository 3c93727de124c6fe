"""Ctrl-C is "tagsim: interrupted" and exit 130 at any moment, start-up included (issue 14, smaller items)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Runs the console script's entry point as the generated `tagsim` script does, sending itself SIGINT
#: the moment `tagsim.cli` (or one of its commands) starts to import: before `main` has its `try`.
TRIP = """
import importlib.abc, os, signal, sys
TARGET = sys.argv[1]
class Trip(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == TARGET:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Trip())
sys.argv = ["tagsim", *sys.argv[2:]]
from tagsim.__main__ import run
sys.exit(run())
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.mark.parametrize("module", ["tagsim.cli", "tagsim.cli.explain", "tagsim.report.explain"])
def test_ctrl_c_while_importing_is_interrupted_not_a_traceback(module: str) -> None:
    """It printed a KeyboardInterrupt traceback in the first ~50 ms, while modules were imported."""
    proc = subprocess.run([sys.executable, "-c", TRIP, module, "explain", "windows-amd64", "demo-1.0-py3-none-any.whl"],
                          capture_output=True, text=True, env=_env(), timeout=60)
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "tagsim: interrupted\n", "")


def test_ctrl_c_while_running_is_interrupted(tmp_path: Path) -> None:
    """Once `main` runs, Python's own handler is back and `main` turns KeyboardInterrupt into exit 130."""
    reader, writer = os.pipe()
    proc = subprocess.Popen([sys.executable, "-m", "tagsim", "stream", "--platform", "windows-amd64"], stdin=reader,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    os.close(reader)
    try:
        os.write(writer, b'{"filename": "demo-1.0-py3-none-any.whl"}\n')
        time.sleep(1.5)  # started, and waiting for more lines
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        os.close(writer)
    assert proc.returncode == 130 and err.endswith("tagsim: interrupted\n") and "Traceback" not in err


def test_importing_tagsim_does_not_change_ctrl_c() -> None:
    """Library users keep Python's own SIGINT handling: only the command's entry point sets one."""
    code = "import signal, tagsim, tagsim.cli; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=60).stdout
    assert out.strip() == "True"
