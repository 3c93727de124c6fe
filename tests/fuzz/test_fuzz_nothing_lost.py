"""Nothing lost: every input file appears exactly once in every decision of `explain` and `check` (JSON).

Definition (docs/robustness.md): the input is the list of filename occurrences across all SOURCEs,
in order. Every decision's `considered` list holds one entry per occurrence, so the multiset of
`considered[].file` equals the multiset of input names. An occurrence is one of:
- chosen (`reason: null`; exactly one when the outcome is wheel or sdist, none when it is none),
- considered and usable but not chosen (`usable: true`, reason older-version/lower-priority/prefer-binary),
- rejected with a reason (wrong platform, version not requested, another project, yanked...), or
- unusable (`reason: "invalid"`): a malformed or non-ASCII name, a non-distribution file, or the second
  and later occurrences of a filename already listed (a duplicate).
`check` lists each unusable occurrence once more in `summary.unusable_files`, and its
`summary.counts` add up: cells == len(rows) == wheel + sdist + none.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from packaging.version import Version
from test_fuzz_filenames import mutated

from fuzz_support import count, fuzz
from tagsim.cli import main
from tagsim.files.filename import parse_filename

VERSIONS = ["0.9", "1.0", "1.1", "2.0rc1", "2.0", "2.0.post1", "10.0"]
PYS = ["py3", "cp312", "cp311", "cp313t", "pp310", "py2.py3"]
ABIS = ["none", "abi3", "cp312", "cp311", "cp313t", "pypy310_pp73"]
PLATS = ["any", "win_amd64", "manylinux_2_17_x86_64.manylinux2014_x86_64", "manylinux_2_28_aarch64",
         "musllinux_1_2_x86_64", "macosx_11_0_arm64", "macosx_10_9_universal2", "linux_x86_64", "win32"]
PLATFORMS = ["linux-x86_64-glibc2.17", "linux-aarch64-glibc2.28", "windows-amd64", "macos14-arm64", "linux-x86_64-musl1.2"]

wheels = st.builds(lambda proj, v, b, py, abi, plat: f"{proj}-{v}{b}-{py}-{abi}-{plat}.whl",
                   st.sampled_from(["demo", "demo", "demo", "Demo", "other"]), st.sampled_from(VERSIONS),
                   st.sampled_from(["", "", "-1", "-2_x"]), st.sampled_from(PYS), st.sampled_from(ABIS), st.sampled_from(PLATS))
sdists = st.builds(lambda proj, v, ext: f"{proj}-{v}{ext}", st.sampled_from(["demo", "demo", "Demo", "other"]),
                   st.sampled_from(VERSIONS), st.sampled_from([".tar.gz", ".zip"]))
invalid = st.one_of(mutated(st.one_of(wheels, sdists)), st.sampled_from(["demo-1.0.whl", "README.md", "demo-1.0.egg",
                                                                         "demo-1.0-py3-none-any.whl.whl", "\u00e9-1.0.tar.gz"]))
#: Issue 14 class 2: control characters and workflow commands in input-derived fields.
POISON = st.sampled_from(["\n::error::FORGED", "\r::add-mask::FORGED", "\x1b[2K\rFORGED", "\u2028FORGED", "\x0bFORGED",
                          "\x85FORGED", "\x00FORGED"])
poisoned = st.builds(lambda name, poison: name + poison, st.one_of(wheels, sdists), POISON)
entries = st.fixed_dictionaries({"filename": st.one_of(wheels, wheels, sdists, invalid, poisoned).filter(bool)},
                                optional={"yanked": st.one_of(st.sampled_from([True, "broken"]), POISON),
                                          "requires-python": st.sampled_from([">=3.8", "<3", ">=3.13", "nonsense"])})


@st.composite
def file_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    files = draw(st.lists(entries, min_size=1, max_size=14))
    for _ in range(draw(st.integers(0, 3))):  # duplicates, possibly with other index facts
        files.insert(draw(st.integers(0, len(files))), {**draw(st.sampled_from(files)), "yanked": draw(st.booleans())})
    return files


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1) and "internal error" not in err, (argv, code, err)
    data: dict[str, Any] = json.loads(out)
    return data


def _check_decision(decision: dict[str, Any], wanted: Counter[str], unusable: Counter[str]) -> None:
    considered = decision["considered"]
    assert Counter(c["file"] for c in considered) == wanted  # every occurrence, exactly once
    assert Counter(c["file"] for c in considered if c["reason"] == "invalid") == unusable
    chosen = [c for c in considered if c["reason"] is None]
    if decision["outcome"] == "none":
        assert chosen == [] and decision["file"] is None
    else:
        assert len(chosen) == 1 and chosen[0]["file"] == decision["file"] and chosen[0]["usable"]
    for c in considered:
        assert c["usable"] == (c["reason"] is None or c["reason"] in ("older-version", "lower-priority", "prefer-binary"))


def _expected(files: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    names = [f["filename"] for f in files]
    seen: set[str] = set()
    unusable: Counter[str] = Counter()
    for name in names:
        if name in seen or not parse_filename(name).usable:
            unusable[name] += 1
        seen.add(name)
    return Counter(names), unusable


@fuzz(ci=60, large=5_000)
@given(files=file_sets(), platform=st.sampled_from(PLATFORMS), flags=st.lists(st.sampled_from(
    [["--prefer-binary"], ["--pre"], ["--only-binary", ":all:"], ["--no-binary", "demo"], ["--installer", "pip==19.3.1"],
     ["--installer", "uv==0.4.30"], ["--python", "cp311"], ["--spec", "demo<2"]]), max_size=2))
@example(files=[{"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "demo-1.0-py3-none-any.whl", "yanked": True},
                {"filename": "demo-1.0.whl"}, {"filename": "other-1.0.tar.gz"}], platform="windows-amd64", flags=[])
def test_nothing_lost(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                      files: list[dict[str, Any]], platform: str, flags: list[list[str]]) -> None:
    count("nothing-lost")
    page = tmp_path_factory.mktemp("lost") / "page.json"
    page.write_text(json.dumps({"files": files}), encoding="utf-8")
    extra = [arg for flag in flags for arg in flag]
    if "--spec" not in extra:
        extra += ["--spec", "demo"]
    wanted, unusable = _expected(files)

    data = _run(capsys, ["explain", platform, str(page), "--format", "json", *extra])
    assert data["decisions"]
    for decision in data["decisions"]:
        _check_decision(decision, wanted, unusable)

    python = [] if "--python" in extra else ["--python", "cp312", "--python", "cp311"]
    argv = ["check", str(page), "--platform", platform, "--platform", "macos14-arm64", *python, "--require", platform,
            "--format", "json", *extra]
    data = _run(capsys, [*argv, "--all-considered"])
    rows, summary = data["rows"], data["summary"]
    for row in rows:
        _check_decision(row, wanted, unusable)
    # The default, short, form counts the same occurrences: every one but the chosen file, by reason.
    short = _run(capsys, argv)["rows"]
    for row, full in zip(short, rows, strict=True):
        assert {k: v for k, v in row.items() if k != "rejected"} == {k: v for k, v in full.items() if k != "considered"}
        assert row["rejected"]["counts"] == dict(Counter(c["reason"] for c in full["considered"] if c["reason"]))
        focus = row["rejected"]["version"]  # as a version: demo-1.0.tar.gz and demo-1.0.0-...whl are one release
        assert row["rejected"]["files"] == [c for c in full["considered"] if c["reason"] and focus and c["version"]
                                            and Version(c["version"]) == Version(focus)
                                            and c["reason"] not in ("invalid", "different-project")]
    counts = summary["counts"]
    assert counts["cells"] == len(rows) == counts["wheel"] + counts["sdist"] + counts["none"] > 0
    assert counts == {"cells": len(rows), **{k: sum(r["outcome"] == k for r in rows) for k in ("wheel", "sdist", "none")}}
    assert Counter(u["file"] for u in summary["unusable_files"]) == unusable
    assert all(u["reason"] for u in summary["unusable_files"])

    # The same inputs in the text formats: nothing from the page starts a line or carries a control character.
    for argv in (["explain", platform, str(page), *extra], ["check", str(page), "--platform", platform, *extra],
                 ["check", str(page), "--platform", platform, "--require", platform, "--format", "github", *extra]):
        main(argv)
        out, err = capsys.readouterr()
        lines = (out + err).split("\n")
        assert not [line for line in lines if line.lstrip().startswith(("::error::FORGED", "::add-mask::", "FORGED"))]
        assert not [line for line in lines if any(c in line for c in "\r\x0b\x1b\x85\u2028\x00")]


def test_command_line_and_folder_sources_are_counted_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same rule across SOURCE kinds: a name given twice (a folder and the command line) is listed twice."""
    folder = tmp_path / "dist"
    folder.mkdir()
    for name in ("demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "notes.txt"):
        (folder / name).write_bytes(b"")
    (folder / "sub").mkdir()  # folders inside are not files: not listed
    argv = ["explain", "windows-amd64", str(folder), "demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz", "--format", "json"]
    data = _run(capsys, argv)
    for decision in data["decisions"]:
        names = Counter(c["file"] for c in decision["considered"])
        assert names == Counter({"demo-1.0-py3-none-any.whl": 2, "demo-1.0.tar.gz": 1, "notes.txt": 1, "demo-2.0.tar.gz": 1})
