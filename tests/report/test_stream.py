"""`tagsim.stream` and `tagsim stream`: the same answers as `policy.decide`, nothing dropped, bounded input.

Also guards the fast path of `policy.decide` (newest-version windows): on real listings and with
every flag that can move a choice to an older version, it must agree with the decision over all files.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tagsim.choice.decide import decide, decide_all
from tagsim.choice.flags import Flags
from tagsim.choice.registry import parse_installer
from tagsim.cli import main
from tagsim.files.filename import DistFile
from tagsim.files.sources import load_source
from tagsim.platform.interpreter import parse_python
from tagsim.platform.profile import Profile
from tagsim.render.json import decide_stream

UV_LISTING = Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json"
PLATFORMS = ["linux-aarch64-glibc2.17", "linux-x86_64-glibc2.28", "linux-x86_64-musl1.2", "macos14-arm64", "macos10.9-x86_64",
             "windows-amd64", "linux-armv7l-glibc2.31", "linux-riscv64-glibc2.39"]


@pytest.fixture(scope="module")
def uv_files() -> list[DistFile]:
    return load_source(str(UV_LISTING))


def _json_lines(files: list[DistFile]) -> list[str]:
    return [json.dumps({"project": "uv", "filename": f.filename, "requires-python": f.requires_python,
                        "yanked": f.yanked_reason or f.yanked}) for f in files]


def _pick(profiles: dict[str, Profile], ids: list[str]) -> list[Profile]:
    return [profiles[i] for i in ids if i in profiles]


def test_stream_equals_decide(uv_files: list[DistFile], profiles: dict[str, Profile]) -> None:
    chosen = _pick(profiles, PLATFORMS)
    assert len(chosen) >= 4
    interps = [parse_python("cp312"), parse_python("cp38")]
    installers = [parse_installer("pip"), parse_installer("uv"), parse_installer("pip==20.2.4")]
    records = [r for r in decide_stream(_json_lines(uv_files), chosen, interps, installers) if r["kind"] == "decision"]
    assert len(records) == len(chosen) * len(interps) * len(installers)
    for record in records:
        profile = profiles[record["platform"]]
        decision = decide(profile, parse_python(record["python"]), parse_installer(record["installer"]), uv_files)
        assert record["outcome"] == decision.outcome
        assert record["file"] == (decision.chosen.filename if decision.chosen else None)
        assert (record["tag"], record["rank"], record["message"]) == (decision.tag, decision.rank, decision.message)


def test_unusable_lines_are_reported_not_dropped(profiles: dict[str, Profile]) -> None:
    lines = [
        "demo-1.0-py3-none-any.whl",
        "",
        "# a comment",
        "setup.exe",
        '{"project": "demo", "filename": "demo-1.0.tar.gz", "requires-python": ">=3.8"}',
        "{not json",
        '{"project": "demo", "filename": "other-1.0.tar.gz"}',
        '{"project": "demo"}',
        "demo-1.0-py3-none-any.whl",
        '{"project": "demo", "filename": "demo-2.0-bad.whl"}',
        '{"filename": "x-1.0.tar.gz", "yanked": 3}',
    ]
    records = list(decide_stream(lines, _pick(profiles, ["linux-x86_64-glibc2.28"]), [parse_python("cp312")],
                                 [parse_installer("pip")]))
    unusable = {r["line"]: r["problem"] for r in records if r["kind"] == "unusable"}
    assert set(unusable) == {4, 6, 7, 8, 9, 10, 11}
    assert "archive format" in unusable[4] and "invalid JSON" in unusable[6]
    assert "not 'demo'" in unusable[7] and "filename" in unusable[8] and "duplicate" in unusable[9]
    assert "invalid wheel filename" in unusable[10] and "yanked" in unusable[11]
    decisions = [r for r in records if r["kind"] == "decision"]
    assert [(d["project"], d["outcome"], d["file"]) for d in decisions] == [("demo", "wheel", "demo-1.0-py3-none-any.whl")]
    summary = records[-1]
    assert summary["kind"] == "summary" and summary["lines"] == 9 and summary["unusable"] == 7


def test_stream_reads_lazily_one_group_at_a_time(profiles: dict[str, Profile]) -> None:
    """The first project is answered before the input is read past the start of the second."""
    read: list[int] = []

    def lines() -> Iterator[str]:
        for number in itertools.count():
            read.append(number)
            yield f"proj{number // 3}-1.{number % 3}-py3-none-any.whl"

    stream = decide_stream(lines(), _pick(profiles, ["linux-x86_64-glibc2.28"]), [parse_python("cp312")],
                           [parse_installer("pip")])
    first = next(stream)
    assert first["project"] == "proj0" and first["file"] == "proj0-1.2-py3-none-any.whl"
    assert len(read) == 4  # three lines of proj0, one of proj1


def test_unmodelled_combination_is_an_error_record(profiles: dict[str, Profile]) -> None:
    records = list(decide_stream(["demo-1.0-py3-none-any.whl"], _pick(profiles, ["linux-x86_64-glibc2.28"]),
                                 [parse_python("cp313t")], [parse_installer("pip==20.2.4")], summary=False))
    assert [r["kind"] for r in records] == ["error"] and "free-threaded" in records[0]["error"]


def test_cli_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "files.txt"
    listing.write_text("demo-1.0-py3-none-any.whl\ndemo-1.1.tar.gz\nnope.rpm\n", encoding="utf-8")
    assert main(["stream", str(listing), "--platform", "linux-x86_64-glibc2.28", "--installer", "pip",
                 "--installer", "uv", "--prefer-binary"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_installer = {r["installer"].split("==")[0]: r for r in records if r["kind"] == "decision"}
    assert by_installer["pip"]["file"] == "demo-1.0-py3-none-any.whl"  # --prefer-binary: the older wheel
    assert by_installer["uv"]["file"] == "demo-1.1.tar.gz"  # uv has no --prefer-binary
    assert [r["kind"] for r in records].count("unusable") == 1 and records[-1]["kind"] == "summary"
    assert main(["stream", str(tmp_path / "missing.txt")]) == 2


# --- the fast path of policy.decide -------------------------------------------------------------

_FLAGS = [Flags(), Flags(pre=True), Flags(prefer_binary=True), Flags(no_build=True),
          Flags(only_binary=frozenset({":all:"})), Flags(no_binary=frozenset({":all:"}))]
_INSTALLERS = ["pip", "uv", "pip==20.2.4", "pip==19.3.1", "pip==21.1.3", "pip==22.0", "pip==9.0.3", "uv==0.1.20",
               "uv==0.2.2", "uv==0.2.18", "uv==0.4.30"]


def _same(a: object, b: object) -> None:
    from tagsim.choice.decision import Decision

    assert isinstance(a, Decision) and isinstance(b, Decision)
    assert (a.outcome, a.chosen, a.tag, a.rank, a.message, a.hints, a.build) == \
        (b.outcome, b.chosen, b.tag, b.rank, b.message, b.hints, b.build)
    assert a.considered == b.considered


def test_version_windows_agree_with_all_files(uv_files: list[DistFile], profiles: dict[str, Profile]) -> None:
    rng = random.Random(7)
    reqs = [None, Requirement("uv<0.2"), Requirement("uv>=0.1.40,!=0.4.*"), Requirement("uv==0.1.40")]
    for _ in range(250):
        profile = profiles[rng.choice(PLATFORMS)] if rng.random() < 0.8 else rng.choice(list(profiles.values()))
        installer = parse_installer(rng.choice(_INSTALLERS))
        interp = parse_python(rng.choice(["cp312", "cp38", "cp311"]))
        flags = rng.choice(_FLAGS)
        req = rng.choice(reqs)
        files = uv_files if rng.random() < 0.3 else _mutated(uv_files, rng)
        try:
            fast = decide(profile, interp, installer, files, req, flags)
        except Exception as exc:  # an unmodelled combination must fail the same way on both paths
            with pytest.raises(type(exc)):
                decide_all(profile, interp, installer, files, req, flags)
            continue
        _same(fast, decide_all(profile, interp, installer, files, req, flags))


def _mutated(files: list[DistFile], rng: random.Random) -> list[DistFile]:
    """A sample of the listing with yanked files, pre-releases and Requires-Python sprinkled in."""
    from dataclasses import replace

    from tagsim.files.filename import parse_filename

    out = []
    for dist in rng.sample(files, k=min(len(files), rng.randint(5, 300))):
        roll = rng.random()
        if roll < 0.1:
            dist = replace(dist, yanked=True)
        elif roll < 0.2:
            dist = replace(dist, requires_python=rng.choice([">=3.12", "<3.9", ">=3.8,<3.11", "==3.*"]))
        elif roll < 0.25 and dist.version is not None:
            pre = dist.filename.replace(str(dist.version), f"{dist.version}rc1", 1)
            dist = parse_filename(pre, requires_python=dist.requires_python)
        out.append(dist)
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("names, flags, expected", [
    (["demo-2.0.tar.gz", "demo-1.0-py3-none-any.whl", "demo-0.9.tar.gz"], Flags(prefer_binary=True),
     "demo-1.0-py3-none-any.whl"),
    (["demo-2.0rc1-py3-none-any.whl", "demo-1.0-py3-none-any.whl", "demo-0.9.tar.gz"], Flags(), "demo-1.0-py3-none-any.whl"),
    (["demo-2.0rc1-py3-none-any.whl", "demo-1.0-py3-none-any.whl", "demo-0.9.tar.gz"], Flags(pre=True),
     "demo-2.0rc1-py3-none-any.whl"),
    (["demo-3.0-cp27-cp27mu-manylinux1_x86_64.whl", "demo-2.0-py3-none-any.whl", "demo-1.0.tar.gz"], Flags(),
     "demo-2.0-py3-none-any.whl"),
])
def test_older_version_wins_through_the_windows(names: list[str], flags: Flags, expected: str,
                                                profiles: dict[str, Profile]) -> None:
    from tagsim.files.filename import parse_filename

    files = [parse_filename(n) for n in names]
    for name in ("pip", "pip==20.2.4", "pip==19.3.1"):
        decision = decide(profiles["linux-x86_64-glibc2.28"], parse_python("cp312"), parse_installer(name), files,
                          None, flags)
        assert decision.chosen is not None and decision.chosen.filename == expected, name


def test_cli_start_up_stays_light() -> None:
    """`tagsim --help` builds every parser without loading the library (import time is a benchmark)."""
    import subprocess
    import sys

    from tagsim.cli import verify as cli_verify
    from tagsim.verify import process

    assert cli_verify.DEFAULT_TIMEOUT == process.DEFAULT_TIMEOUT
    code = ("import sys; from tagsim.cli import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith(('tagsim.', 'tabulate', 'http'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("tagsim.choice", "tagsim.verify", "tagsim.tags", "tagsim.report", "tabulate", "http.server"):
        assert f"'{heavy}'" not in loaded, loaded


def test_hostile_json_lines_are_unusable_lines_not_crashes(profiles: dict[str, Profile]) -> None:
    """Issue 14 item 8: a 5,000-digit integer, arrays nested past the stack and undecodable bytes each come out
    as an `unusable` record with the reason."""
    lines = ['{"filename": "demo-1.0.tar.gz", "n": ' + "1" * 5000 + "}",
             '{"filename": "demo-1.0.tar.gz", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
             b"\xff\xfe-1.0.tar.gz".decode("utf-8", "surrogateescape")]
    records = list(decide_stream(lines, _pick(profiles, ["linux-x86_64-glibc2.28"]), [parse_python("cp312")],
                                 [parse_installer("pip")]))
    problems = [r["problem"] for r in records if r["kind"] == "unusable"]
    assert problems[0].startswith("unreadable JSON (ValueError: Exceeds the limit")
    assert problems[1].startswith("unreadable JSON (RecursionError")
    assert problems[2] == "not UTF-8 text (byte 0xff)"
    assert records[-1]["unusable"] == 3
