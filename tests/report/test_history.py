"""`tagsim history`: per-release coverage and regressions, on the real uv listing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from tagsim.choice.reasons import Outcome
from tagsim.choice.registry import parse_installer
from tagsim.cli import main
from tagsim.files.sources import load_sources
from tagsim.platform.interpreter import parse_python
from tagsim.platform.resolve import resolve_platform
from tagsim.report.check import build_rows
from tagsim.report.history import find_regressions, run_history

DEMO = str(Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json")


def test_uv_lost_aarch64_glibc217_in_0_1_44_and_regained_it_in_0_1_45(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["history", DEMO, "--platform", "linux-aarch64-glibc2.17", "--platform", "linux-aarch64-glibc2.28",
                 "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    found = [(r["platform"], r["installer"].split("==")[0], r["last_good"], r["first_bad"], r["recovered_in"])
             for r in data["regressions"]]
    assert ("linux-aarch64-glibc2.17", "pip", "0.1.43", "0.1.44", "0.1.45") in found
    assert ("linux-aarch64-glibc2.17", "uv", "0.1.43", "0.1.44", "0.1.45") in found
    versions = [r["version"] for r in data["releases"]]
    assert versions == sorted(versions, key=Version) and len(versions) > 300


def test_regressions_open_close_and_stay_open() -> None:
    names = ["p-1.0-py3-none-win_amd64.whl", "p-1.0.tar.gz", "p-2.0.tar.gz", "p-3.0-py3-none-win_amd64.whl",
             "p-4.0.tar.gz"]
    files = load_sources(names).files
    rows = build_rows([resolve_platform("windows-amd64")], [parse_python("cp312")])
    history = run_history(files, "p", rows, [parse_installer("pip")])
    regs = [(str(r.last_good), str(r.first_bad), str(r.recovered_in) if r.recovered_in else None)
            for r in history.regressions]
    assert regs == [("1.0", "2.0", "3.0"), ("3.0", "4.0", None)]
    assert find_regressions(history.releases[:1]) == []


def test_since_and_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["history", DEMO, "--platform", "linux-aarch64-glibc2.17", "--since", "0.1.42", "--installer", "uv"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("uv: ") and "0.1.41 " not in out
    assert "linux-aarch64-glibc2.17 cp312 uv==0.13.9: wheel in 0.1.43, sdist (backend unknown) from 0.1.44, " \
           "recovered in 0.1.45" in out
    code = main(["history", DEMO, "--since", "not a version"])
    assert code == 2 and "--since" in capsys.readouterr().err


# --- find_regressions against a plain walk of every column, on generated outcome sequences ---------------



@dataclass
class _Cell:
    key: tuple[str, str, str]


@dataclass
class _Result:
    outcomes: tuple[Outcome, ...]
    cells: list[_Cell] = field(default_factory=list)

    def text_at(self, i: int) -> str:
        return f"{self.outcomes[i].value}@{i}"


@dataclass
class _Release:
    version: Version
    result: _Result


def _plain_walk(releases: list[_Release]) -> list[tuple[object, ...]]:
    """The definition: per column, a wheel then non-wheels opens a regression, the next wheel closes it."""
    out: list[tuple[object, ...]] = []
    for i, cell in enumerate(releases[0].result.cells):
        last_good: Version | None = None
        open_bad: tuple[Version, str] | None = None
        for release in releases:
            if release.result.outcomes[i] is Outcome.WHEEL:
                if open_bad is not None and last_good is not None:
                    out.append((*cell.key, last_good, *open_bad, release.version))
                    open_bad = None
                last_good = release.version
            elif last_good is not None and open_bad is None:
                open_bad = (release.version, release.result.text_at(i))
        if open_bad is not None and last_good is not None:
            out.append((*cell.key, last_good, *open_bad, None))
    return out


@given(st.integers(1, 4).flatmap(lambda width: st.lists(
    st.lists(st.sampled_from(list(Outcome)), min_size=width, max_size=width), min_size=1, max_size=12)))
def test_find_regressions_equals_a_plain_walk_of_every_column(rows: list[list[Outcome]]) -> None:
    cells = [_Cell((f"p{i}", "cp312", "pip")) for i in range(len(rows[0]))]
    releases = [_Release(Version(f"{n}.0"), _Result(tuple(row), cells)) for n, row in enumerate(rows, 1)]
    found = [(r.platform, r.python, r.installer, r.last_good, r.first_bad, r.bad_cell, r.recovered_in)
             for r in find_regressions(releases)]  # type: ignore[arg-type]
    assert found == _plain_walk(releases)
