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
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement

from tagsim.choice.decide import decide, decide_all
from tagsim.choice.flags import Flags
from tagsim.choice.registry import parse_installer
from tagsim.cli import main
from tagsim.errors import TagsimError
from tagsim.files.filename import DistFile, parse_filename
from tagsim.files.sources import load_source
from tagsim.platform.interpreter import parse_python
from tagsim.platform.profile import Profile
from tagsim.render.json import Detail, decision_json
from tagsim.render.stream_json import decide_stream, stream_json
from tagsim.render.stream_lines import stream_lines
from tagsim.report.stream import Decided, stream_decisions

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


def _plain_windows(files: list[DistFile], project: str, req: Requirement | None) -> list[list[DistFile]]:
    """`version_windows` by its definition: every file's version compared in turn."""
    from tagsim.choice.requirement import ANY_VERSION

    specifier = req.specifier if req is not None else ANY_VERSION
    candidates = [d for d in files if d.usable and d.name == project and d.version is not None]
    versions = sorted({d.version for d in candidates if d.version is not None
                       and specifier.contains(d.version, prereleases=True)}, reverse=True)
    return [[d for d in candidates if d.version is not None and d.version >= versions[count - 1]]
            for count in (1, 4) if count < len(versions)]


_windows_file = st.builds(
    lambda project, version, suffix: parse_filename(f"{project}-{version}{suffix}"),
    st.sampled_from(["demo", "demo", "other"]),
    st.sampled_from(["1", "1.0", "1.0.0", "1.1", "2.0rc1", "2.0", "2.0.0", "3.0b2", "0.9", "1.0.post1", "bad!"]),
    st.sampled_from([".tar.gz", ".zip", "-py3-none-any.whl", "-cp312-cp312-win_amd64.whl"]))


@settings(max_examples=200)
@given(files=st.lists(_windows_file, max_size=20), spec=st.sampled_from([None, "demo", "demo<2", "demo>=1.0,!=1.1",
                                                                          "demo==1.0", "demo>=2.0rc1"]))
def test_version_windows_are_their_definition(files: list[DistFile], spec: str | None) -> None:
    """The windows compare each distinct Version object once (`1.0` and `1.0.0` are two objects, one version);
    they hold the same files, in listing order, as comparing every file's version."""
    from tagsim.choice.decide import version_windows
    from tagsim.choice.listing import Listing

    req = Requirement(spec) if spec else None
    windows = version_windows(Listing(files), "demo", req)
    assert [list(w) for w in windows] == _plain_windows(files, "demo", req)


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


# --- every line against the oracle ------------------------------------------------------------------

_STREAM_TAGS = ["py3-none-any", "py2.py3-none-any", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
                "cp312-cp312-manylinux_2_28_aarch64", "cp38-abi3-macosx_10_9_universal2", "cp312-cp312-win_amd64",
                "cp312-cp312-musllinux_1_2_x86_64", "cp313-cp313t-manylinux_2_17_x86_64", "py3-none-linux_armv7l"]
_entry = st.builds(
    lambda version, tag, build, sdist, requires, yanked: {
        "filename": f"{version}{sdist}" if sdist else f"{version}{build}-{tag}.whl",
        "requires-python": requires, "yanked": yanked},
    st.sampled_from(["1.0", "1.1", "2.0", "2.0rc1", "3.0b2"]), st.sampled_from(_STREAM_TAGS),
    st.sampled_from(["", "", "-1", "-2a"]), st.sampled_from([None, None, ".tar.gz", ".zip"]),
    st.sampled_from([None, None, ">=3.9", "<3.9", ">=3.13"]), st.sampled_from([False, False, True, "broken"]))
_projects = st.lists(st.lists(_entry, min_size=1, max_size=8, unique_by=lambda e: e["filename"]), min_size=1, max_size=4)
_stream_flags = st.builds(Flags, prefer_binary=st.booleans(), no_binary=st.sampled_from([frozenset(), frozenset({":all:"})]),
                          only_binary=st.sampled_from([frozenset(), frozenset({":all:"})]), pre=st.booleans())


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(projects=_projects, flags=_stream_flags,
       installers=st.lists(st.sampled_from(["pip", "uv", "pip==20.2.4", "uv==0.1.20", "poetry", "pdm"]), min_size=1,
                           max_size=3, unique=True),
       pythons=st.lists(st.sampled_from(["cp312", "cp38", "cp313t"]), min_size=1, max_size=2, unique=True),
       platforms=st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=3, unique=True))
def test_every_stream_line_is_decide_as_json(projects: list[list[dict[str, Any]]], flags: Flags, installers: list[str],
                                              pythons: list[str], platforms: list[str]) -> None:
    """Each decision line, byte for byte, is what `decide` says in that column (`decision_json` without
    the other files), an error line where `decide` raises; the same through `stream_decisions` and
    `stream_json` (a record per line, its decision built when read) and through `tagsim stream`."""
    from tagsim import bundled_profiles

    profiles, interps = bundled_profiles(), [parse_python(p) for p in pythons]
    chosen, insts = [profiles[p] for p in platforms], [parse_installer(i) for i in installers]
    lines = [json.dumps({"project": f"demo{k}", **entry, "filename": f"demo{k}-{entry['filename']}"})
             for k, entries in enumerate(projects) for entry in entries]
    expected = []
    for k, entries in enumerate(projects):
        files = [parse_filename(f"demo{k}-{e['filename']}", requires_python=e["requires-python"],
                                yanked=bool(e["yanked"]), yanked_reason=e["yanked"] if isinstance(e["yanked"], str) else None)
                 for e in entries]
        for profile in chosen:
            for interp in interps:
                for installer in insts:
                    head = {"project": f"demo{k}", "platform": profile.id, "python": interp.tag}
                    try:
                        decision = decide(profile, interp, installer, files, None, flags)
                    except TagsimError as exc:
                        expected.append({"kind": "error", **head, "installer": installer.spec, "error": str(exc)})
                    else:
                        expected.append({"kind": "decision", **head, **decision_json(decision, detail=Detail.NONE)})
    want = [json.dumps(r) for r in expected]
    assert [json.dumps(r) for r in decide_stream(lines, chosen, interps, insts, flags=flags, summary=False)] == want
    records = stream_decisions(lines, chosen, interps, insts, flags=flags, summary=False)
    assert [json.dumps(r) for r in stream_json(records)] == want
    compact = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in expected]
    assert list(stream_lines(lines, chosen, interps, insts, flags=flags, summary=False)) == compact
    # and a record's decision, read after the stream moved on, is that column's decision too
    decided = [r for r in stream_decisions(lines, chosen, interps, insts, flags=flags, summary=False)
               if isinstance(r, Decided)]
    assert [json.dumps(decision_json(r.decision, detail=Detail.NONE)) for r in decided] == \
        [json.dumps({k: v for k, v in e.items() if k not in ("kind", "project", "platform", "python")})
         for e in expected if e["kind"] == "decision"]


def test_cli_stream_lines_are_the_library_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tagsim stream` prints `decide_stream`'s records as compact JSON, one a line, in order."""
    listing = tmp_path / "files.txt"
    names = ["demo-1.0-py3-none-any.whl", "demo-1.1.tar.gz", "demo-1.1-cp312-cp312-win_amd64.whl", "nope.rpm",
             "other-2.0-cp312-cp312-manylinux_2_17_x86_64.whl", "other-2.0.zip", "other-2.0.zip", "third-1.0.tar.gz"]
    listing.write_text("\n".join(names) + "\n", encoding="utf-8")
    platforms = ["linux-x86_64-glibc2.28", "windows-amd64"]
    argv = ["stream", str(listing), "--python", "cp312", "--python", "cp313t", "--installer", "pip",
            "--installer", "pip==20.2.4", "--installer", "uv"]
    for platform in platforms:
        argv += ["--platform", platform]
    assert main(argv) == 0
    from tagsim import bundled_profiles

    profiles = bundled_profiles()
    want = decide_stream(names, [profiles[p] for p in platforms], [parse_python("cp312"), parse_python("cp313t")],
                         [parse_installer("pip"), parse_installer("pip==20.2.4"), parse_installer("uv")])
    out = capsys.readouterr().out
    assert out == "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in want)
    kinds = {json.loads(line)["kind"] for line in out.splitlines()}
    assert kinds == {"decision", "error", "unusable", "summary"}
