"""poetry 2.x and pdm 2.x: the documented differences from pip and uv, one test each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.choice.decide import decide
from tagsim.choice.decision import Decision
from tagsim.choice.flags import Flags
from tagsim.choice.requirement import parse_spec
from tagsim.errors import InstallerError
from tagsim.files.filename import parse_filename

HOST = resolve_platform("linux-x86_64-glibc2.36")
CP312 = parse_python("cp312")
ROOT = Path(__file__).resolve().parents[2]


def _decide(installer: str, names: list[str], spec: str = "demo", flags: Flags | None = None) -> Decision:
    files = [parse_filename(n) for n in names]
    return decide(HOST, CP312, parse_installer(installer), files, parse_spec(spec), flags)


def _chosen(decision: Decision) -> str | None:
    return decision.chosen.filename if decision.chosen else None


def _detail(decision: Decision, filename: str) -> str:
    return next(c.detail for c in decision.considered if c.file.filename == filename)


def test_installer_specs_and_ranges() -> None:
    assert parse_installer("poetry").spec == "poetry==2.5.1"
    assert parse_installer("poetry==2.1.3").spec == "poetry==2.1.3"
    assert parse_installer("pdm==2.22.0").spec == "pdm==2.22.0"
    with pytest.raises(InstallerError, match=re.escape("poetry 1.8.3 is not modelled; supported: poetry 2.0.0 to 2.5.1")):
        parse_installer("poetry==1.8.3")
    with pytest.raises(InstallerError, match=re.escape("pdm 2.16.1 is not modelled")):
        parse_installer("pdm==2.16.1")


def test_poetry_newest_version_wins_even_if_only_its_sdist_fits() -> None:
    decision = _decide("poetry", ["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"])
    assert decision.outcome == "sdist" and _chosen(decision) == "demo-2.0.tar.gz"
    # pip with --prefer-binary, or pdm with prefer-binary, would take the 1.0 wheel; poetry has no such option.
    assert _chosen(_decide("poetry", ["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"],
                           flags=Flags(prefer_binary=True))) == "demo-2.0.tar.gz"
    assert "never goes back" in _detail(decision, "demo-1.0-py3-none-any.whl")


def test_poetry_locks_a_version_with_no_file_for_this_machine() -> None:
    names = ["demo-1.0-py3-none-any.whl", "demo-2.0-cp312-cp312-win_amd64.whl"]
    poetry = _decide("poetry", names)
    assert poetry.outcome == "none" and "locks demo 2.0 but no file of 2.0 installs here" in poetry.message
    assert _chosen(_decide("pip", names)) == "demo-1.0-py3-none-any.whl"
    # installer.only-binary acts at install time only: the sdist-only 2.0 is still locked.
    only = _decide("poetry", ["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"],
                   flags=Flags(only_binary=frozenset({"demo"})))
    assert only.outcome == "none" and "locks demo 2.0" in only.message


def test_poetry_ranks_build_tag_before_tag_priority() -> None:
    names = ["demo-1.5-cp312-cp312-manylinux_2_17_x86_64.whl", "demo-1.5-1-py3-none-any.whl"]
    poetry = _decide("poetry", names)
    assert _chosen(poetry) == "demo-1.5-1-py3-none-any.whl"
    assert "build tag before the tag priority" in _detail(poetry, names[0])
    assert _chosen(_decide("pip", names)) == names[0]  # pip >= 21.1: priority first
    assert _chosen(_decide("pdm", names)) == names[0]  # pdm never compares build tags


def test_poetry_requires_python_is_per_release_from_one_files_metadata() -> None:
    # The release's Requires-Python comes from the py3 universal wheel; the cp312 wheel's own is never checked.
    names = ["demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "demo-1.0-py3-none-any.whl"]
    files = [parse_filename(names[0], requires_python=">=3.13"), parse_filename(names[1])]
    poetry = decide(HOST, CP312, parse_installer("poetry"), files, parse_spec("demo"))
    assert _chosen(poetry) == names[0]
    pdm = decide(HOST, CP312, parse_installer("pdm"), files, parse_spec("demo"))
    assert _chosen(pdm) == names[1]


@pytest.mark.parametrize(("installer", "expected"), [("poetry==2.1.4", None),
                                                     ("poetry==2.2.0", "demo-1.0-py3-none-any.whl")])
def test_poetry_binary_policy_precedence_changed_in_2_2(installer: str, expected: str | None) -> None:
    flags = Flags(no_binary=frozenset({":all:"}), only_binary=frozenset({"demo"}))
    assert _chosen(_decide(installer, ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"], flags=flags)) == expected


def test_pdm_prefer_binary_is_per_package() -> None:
    names = ["demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz"]
    assert _chosen(_decide("pdm", names)) == "demo-2.0.tar.gz"
    mine = _decide("pdm", names, flags=Flags(prefer_binary_for=frozenset({"demo"})))
    assert _chosen(mine) == "demo-1.0-py3-none-any.whl"
    assert _detail(mine, "demo-2.0.tar.gz").startswith("resolution.prefer-binary")
    other = _decide("pdm", names, flags=Flags(prefer_binary_for=frozenset({"other"})))
    assert _chosen(other) == "demo-2.0.tar.gz"
    everything = _decide("pdm", names, flags=Flags(prefer_binary_for=frozenset({":all:"})))
    assert _chosen(everything) == "demo-1.0-py3-none-any.whl"


def test_pdm_locks_for_every_platform() -> None:
    # prefer-binary takes the 1.0 Windows wheel at lock time; on Linux nothing of 1.0 installs.
    names = ["demo-0.9-py3-none-any.whl", "demo-1.0-cp312-cp312-win_amd64.whl", "demo-2.0.tar.gz"]
    decision = _decide("pdm", names, flags=Flags(prefer_binary_for=frozenset({"demo"})))
    assert decision.outcome == "none" and "locks demo 1.0" in decision.message
    # but a wheel for another Python is not lockable, so pdm falls back to an older version there
    other_python = _decide("pdm", ["demo-1.0-py3-none-any.whl", "demo-2.0-cp311-cp311-manylinux_2_17_x86_64.whl"])
    assert _chosen(other_python) == "demo-1.0-py3-none-any.whl"


def test_pdm_ranks_the_python_minor_before_abi_and_platform() -> None:
    names = ["demo-1.0-cp310-abi3-manylinux_2_17_x86_64.whl", "demo-1.0-py312-none-any.whl"]
    pdm = _decide("pdm", names)
    assert _chosen(pdm) == "demo-1.0-py312-none-any.whl"
    assert "dep_logic score (3, 10, 1" in _detail(pdm, names[0])
    assert _chosen(_decide("poetry", names)) == names[0]


def test_explain_cli_takes_poetry_and_pdm() -> None:
    argv = [sys.executable, "-m", "tagsim", "explain", "linux-x86_64-glibc2.36", "demo-1.0-py3-none-any.whl",
            "demo-2.0.tar.gz", "--installer", "poetry==2.1.3", "--installer", "pdm", "--prefer-binary-for", "demo"]
    env = {"PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([*argv, "--format", "json"], capture_output=True, text=True, env=env, check=True).stdout
    decisions = {d["installer"]: d["file"] for d in json.loads(out)["decisions"]}
    assert decisions == {"poetry==2.1.3": "demo-2.0.tar.gz", "pdm==2.29.4": "demo-1.0-py3-none-any.whl"}
    for fmt in ("text", "markdown"):
        text = subprocess.run([*argv, "--format", fmt], capture_output=True, text=True, env=env, check=True).stdout
        assert "poetry==2.1.3" in text and "pdm==2.29.4" in text


def test_pdm_platforms_not_modelled_are_refused() -> None:
    from tagsim.errors import NotModelledError
    from tagsim.tags.pdm import pdm_platforms

    assert pdm_platforms(resolve_platform("linux-x86_64-musl1.2")) == [
        "linux_x86_64", "musllinux_1_1_x86_64", "musllinux_1_2_x86_64"]  # dep_logic: linux_* first, ascending
    for profile in ("linux-i686-glibc2.17", "linux-x86_64-glibc2.17-32bit", "freebsd14-amd64"):
        with pytest.raises(NotModelledError):
            pdm_platforms(resolve_platform(profile))
    with pytest.raises(NotModelledError):
        decide(HOST, parse_python("pp310"), parse_installer("poetry"), [parse_filename("demo-1.0.tar.gz")])
