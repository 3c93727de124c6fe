"""tagsim's lock reports against what real installers installed from locks that real tools wrote.

The locks and answers in tests/fixtures/locks/ come from `python tools/fidelity/locks/record_locks.py`
(uv 0.13.9 `uv lock` / `uv export`, `uv sync --python-platform`, `uv pip install -r pylock.toml
--python-platform`, also with --no-build/--no-binary; pip 26.3 `pip lock`, and `pip install -r pylock.toml`
on this host and, host-patched, as the other profiles; poetry and pdm on this host, pdm also with
`--platform` targets and `static_urls`). Each answer is one (lock, installer, platform, python, options):
the file the installer used for every package it installed, or the error it stopped with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fidelity_support import ROOT, load_json
from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.choice.flags import Flags
from tagsim.choice.lock_choice import LockStatus
from tagsim.choice.lock_select import LockOptions
from tagsim.files.locks.detect import read_lock
from tagsim.files.locks.reading import parse_toml
from tagsim.report.check import Row
from tagsim.report.lock import LockCell, run_lock

LOCKS = ROOT / "fixtures" / "locks"
ANSWERS = load_json(LOCKS / "answers.json") if (LOCKS / "answers.json").exists() else {"answers": []}
#: The patch levels of the pyenv interpreters the answers were recorded with (markers may read them).
PATCH = {"cp310": "cp310@3.10.13", "cp312": "cp312@3.12.1"}
#: pip names the source tree by its absolute URL (a temporary folder when recorded), tagsim by the lock's path.
_PATHS = re.compile(r"(?<=requirement )\S+(?= \(from)")
#: pip wraps `Pylock.select`'s error in its own words naming the file (pip 26.3 `utils/pylock.py`
#: `select_from_pylock_path_or_url`); tagsim's cell message is packaging's error itself.
_PIP_WRAPPER = re.compile(r"^Cannot select requirements from pylock file '[^']*': ")


def _id(answer: dict[str, Any]) -> str:
    opts = ",".join(f"{k}={v}" for k, v in sorted(answer.get("options", {}).items()))
    mode = f"-{answer['mode']}" if "mode" in answer else ""
    return (f"{answer['lock']}-{answer['installer']}-{answer['platform']}-{answer['python']}{mode}"
            + (f"-{opts}" if opts else ""))


def _report(answer: dict[str, Any]) -> list[LockCell]:
    lock = read_lock(str(LOCKS / answer["lock"]))
    options = answer.get("options", {})
    opts = LockOptions(extras=frozenset(options.get("extras", [])), all_extras=bool(options.get("all_extras")),
                       groups=frozenset(options.get("groups", [])),
                       no_default_groups=bool(options.get("no_default_groups")))
    # uv `--no-build`, `--no-binary[-package]`, `--no-build-package` (uv pip: `--only-binary`), as tagsim's flags
    flags = Flags(no_build=bool(options.get("no_build")), no_binary=frozenset(options.get("no_binary", [])),
                  only_binary=frozenset(options.get("only_binary", [])))
    row = Row(resolve_platform(answer["platform"]), parse_python(PATCH[answer["python"]]))
    report = run_lock(lock, [row], [parse_installer(answer["installer"])], options=opts, flags=flags)
    return list(report.cells)


def _chosen(cell: LockCell) -> str:
    d = cell.decision
    assert d is not None
    return d.chosen.filename if d.chosen is not None else f"{cell.package.name} (source tree)"


CASES = [pytest.param(a, id=_id(a)) for a in ANSWERS["answers"] if a["status"] in ("installed", "error")]


@pytest.mark.skipif(not CASES, reason="no recorded lock answers (run tools/fidelity/locks/record_locks.py)")
@pytest.mark.parametrize("answer", CASES)
def test_lock_report_matches_the_real_installer(answer: dict[str, Any]) -> None:
    cells = _report(answer)
    left_out = set(answer.get("options", {}).get("no_install", []))
    if answer["status"] == "installed":
        got = {c.package.name: _chosen(c) for c in cells
               if c.status in (LockStatus.WHEEL, LockStatus.BUILD) and c.package.name not in left_out}
        assert got == answer["files"]
        failing = [c.package.label for c in cells if c.status is LockStatus.FAIL and c.package.name not in left_out]
        assert failing == []
    else:
        expected = _PATHS.sub("PATH", _PIP_WRAPPER.sub("", answer["error"].removeprefix("error: ").removeprefix("ERROR: ")))
        messages = {_PATHS.sub("PATH", c.message) for c in cells if c.status is LockStatus.FAIL}
        if answer.get("detail") or expected.endswith(":"):
            # a heading whose items follow on the next lines (pip `HashErrors`, pdm's lock targets): tagsim adds
            # them after a space
            assert any(m.startswith(expected + " ") for m in messages), sorted(messages)
        else:
            assert expected in messages, sorted(messages)


def _host_pairs() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    def key(a: dict[str, Any]) -> tuple[str, str, str]:
        return (a["lock"], a["python"], json.dumps(a.get("options", {}), sort_keys=True))

    plain = {key(a): a for a in ANSWERS["answers"] if a.get("mode") == "host"}
    return [(plain[key(a)], a) for a in ANSWERS["answers"]
            if a.get("mode") == "host-patched" and a["platform"] == plain.get(key(a), {}).get("platform")]


@pytest.mark.skipif(not _host_pairs(), reason="no host-patched pip answers recorded")
def test_host_patched_pip_agrees_with_plain_pip_on_this_host() -> None:
    """The host-patched mode, set to this machine's own profile, answers as pip unpatched does
    (emulating-installers.md: the check that the patch itself changes nothing)."""
    for plain, patched in _host_pairs():
        assert (patched["status"], patched.get("files"), patched.get("error")) == (
            plain["status"], plain.get("files"), plain.get("error")), plain["lock"]


def test_every_recorded_lock_is_read_whole() -> None:
    """Every package of every recorded lock is read (no entry lost, none unusable)."""
    paths = sorted(p for p in LOCKS.glob("*/*") if p.is_file() and p.parent.name != "public")
    assert paths, "no recorded locks"
    for path in paths:
        lock = read_lock(str(path))
        doc = parse_toml(Path(path).read_text(), str(path))  # entries by TOML, not by `[[package]]` headers: pip lock
        entries = doc.get("packages", doc.get("package", []))  # writes an inline array for a single entry
        assert entries, path
        assert len(lock.packages) == len(entries), path
        assert all(p.problem is None for p in lock.packages), path
        assert all(f.usable for p in lock.packages for f in p.files), path
