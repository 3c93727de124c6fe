"""Running real installers: a subprocess with a timeout that kills its whole group, in a clean environment."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = 180.0


@dataclass(frozen=True)
class Completed:
    """Exit code (None on timeout, -1 if it could not start) and stdout+stderr."""

    rc: int | None
    out: str

    @property
    def timed_out(self) -> bool:
        return self.rc is None


def run_command(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
                timeout: float = DEFAULT_TIMEOUT) -> Completed:
    """Run with a timeout; the whole process group is killed when it expires."""
    try:
        proc = subprocess.Popen(list(argv), env=dict(env) if env is not None else None, cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        return Completed(-1, f"{type(exc).__name__}: {exc}")
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, 9)
        except OSError:
            proc.kill()
        out, _ = proc.communicate()
        return Completed(None, out.decode(errors="replace"))
    return Completed(proc.returncode, out.decode(errors="replace"))


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without PIP_*/UV_*/PYTHON*/VIRTUAL_ENV, so no user config leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "PYTHON", "CONDA")) and k != "VIRTUAL_ENV"}
    env.update(extra or {})
    return env


def vkey(version: str) -> tuple[int, ...]:
    """Numeric key of an installer version (enough for pip and uv releases)."""
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])
