"""pip's pylock choice under `--no-binary`, against the real code it runs.

pip 26.3 (`utils/pylock.py`) hands packaging's `Pylock.select` a `prefer_sdist_predicate` made from its
`FormatControl.get_allowed_formats`; `Pylock.select` then takes a package's sdist before any wheel.
Then pip checks the chosen file as a locked link: a wheel its format control allows no binary for, or
an sdist it allows no source for, is an error (pip 26.3 `PackageFinder.find_all_candidates`; recorded in
tests/fixtures/locks/answers.json, step `pipflags`). This test runs packaging's own `Pylock.select` (the
installed packaging, 26.4 here) with pip's own `FormatControl` (the pip in this venv; `get_allowed_formats`
is unchanged since pip 20), over the recorded pylocks, with tagsim's tag list and marker environment for
each profile, and requires tagsim's pip decision to name the file `Pylock.select` yields, or that error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib
from packaging.tags import Tag

from tagsim import bundled_profiles, parse_installer, parse_python
from tagsim.choice.flags import Flags
from tagsim.choice.lock_choice import Column, answer_package
from tagsim.choice.registry import compatible_tags
from tagsim.files.locks.detect import read_lock
from tagsim.files.locks.model import LockFormat
from tagsim.platform.markers import marker_environment

pylock = pytest.importorskip("packaging.pylock")
format_control = pytest.importorskip("pip._internal.models.format_control")

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "locks"
#: The pylocks with sdists and wheels (the archive, vcs and directory ones hold none: their rules are tested
#: in tests/fidelity/test_fidelity_locks.py).
PYLOCKS = sorted(p for p in LOCKS.glob("*/pylock*.toml") if not {"vcs", "dir", "archive"} & set(p.name.split(".")))
PROFILES = ["linux-x86_64-glibc2.28", "linux-aarch64-glibc2.17", "linux-x86_64-musl1.2", "windows-arm64",
            "macos14-arm64"]
PIP = parse_installer("pip")


def _flag_sets(names: list[str]) -> list[tuple[set[str], set[str]]]:
    """(no_binary, only_binary) as pip's options spell them."""
    first = names[0] if names else "none"
    return [({":all:"}, set()), ({first}, set()), ({":all:"}, {first}), (set(), {":all:"}), (set(), set())]


@pytest.mark.parametrize("path", PYLOCKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pip_takes_the_file_pylock_select_takes(path: Path) -> None:
    lock = read_lock(str(path))
    real = pylock.Pylock.from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
    names = [p.name for p in lock.packages]
    compared = 0
    for pid in PROFILES:
        profile, interp = bundled_profiles()[pid], parse_python("cp312")
        tags = [Tag(*t.split("-")) for t in compatible_tags(profile, interp, PIP)]
        for no_binary, only_binary in _flag_sets(names):
            control = format_control.FormatControl(set(no_binary), set(only_binary))

            def prefer_sdist(name: str, control: object = control) -> bool:
                allowed = control.get_allowed_formats(name)  # type: ignore[attr-defined]
                return "source" in allowed and "binary" not in allowed

            try:
                selected = list(real.select(environment=marker_environment(profile, interp), tags=tags,
                                            prefer_sdist_predicate=prefer_sdist))
            except Exception:
                continue
            flags = Flags(no_binary=frozenset(no_binary), only_binary=frozenset(only_binary))
            locked = {(p.name, str(p.version)): p for p in lock.packages}  # a fork locks two versions of one name
            for package, entry in selected:
                pkg = locked[(package.name, str(package.version))]
                filename = getattr(entry, "filename", None)
                if filename is None:  # an archive or a source tree: their rules are tested elsewhere
                    continue
                answers = answer_package(LockFormat.PYLOCK, pkg, [Column(profile, interp, PIP)], flags,
                                         lock_name=path.name)
                decision = answers.decision(0)
                # pip then checks the chosen file as a locked link (`LinkEvaluator.evaluate_link`): a format its
                # FormatControl does not allow is an error, not an install
                kind = "binary" if filename.endswith(".whl") else "source"
                if kind not in control.get_allowed_formats(package.name):
                    what = "binaries" if kind == "binary" else "sources"
                    assert decision.chosen is None and decision.message.endswith(
                        f"No {what} permitted for {package.name}"), (pid, no_binary, only_binary, decision.message)
                else:
                    assert decision.chosen is not None and decision.chosen.filename == filename, (
                        pid, no_binary, only_binary, package.name, decision.message)
                    assert answers.chosen(0)[1] is decision.chosen  # the compact answer says the same
                compared += 1
    assert compared > 0
