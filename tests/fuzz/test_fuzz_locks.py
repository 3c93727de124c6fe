"""Lock files, fuzzed: every locked package appears once per target, as installed, built, failed or skipped.

Random pylock.toml and uv.lock documents (valid and damaged names, markers that do or do not parse,
entries with no files, forks of one name, extras and groups) go through `tagsim check LOCKFILE
--format json`. The run ends with exit 0 or 1 and JSON, or exit 2 and one `tagsim: error:` line:
never a traceback. In the JSON, each modelled target has exactly one decision per package entry,
its status is one of the four, and the target's counts add up to the number of entries.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_support import count, fuzz
from tagsim.cli import main

NAMES = ["demo", "other", "third"]
FILES = ["{n}-1.0-py3-none-any.whl", "{n}-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "{n}-1.0.tar.gz",
         "{n}-1.0-cp39-abi3-musllinux_1_2_x86_64.whl", "{n}-1.0-1-py3-none-win_arm64.whl", "{n}-1.0.whl",
         "{n}-1.0-py3-none-macosx_11_0_arm64.whl", "not-a-dist.txt", ""]
MARKERS = [None, "sys_platform == 'darwin'", "platform_machine == 'aarch64'", "python_version < '3.11'",
           "sys_platform == 'win32' and platform_machine == 'ARM64'", "'dev' in dependency_groups", "os_name ==",
           "extra == 'x'"]
PLATFORMS = ["linux-x86_64-glibc2.17", "linux-aarch64-musl1.1", "windows-arm64", "macos14-arm64", "freebsd14-amd64"]

packages = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES), "files": st.lists(st.sampled_from(FILES), max_size=4),
    "marker": st.sampled_from(MARKERS), "source": st.sampled_from(["files", "files", "files", "vcs", "directory", "none"])})


def _toml(value: str) -> str:
    return json.dumps(value)


def _pylock(pkgs: list[dict[str, Any]], environments: bool) -> str:
    lines = ['lock-version = "1.0"', 'created-by = "fuzz"']
    if environments:
        lines.append("environments = [\"sys_platform != 'win32'\"]")
    for p in pkgs:
        lines += ["", "[[packages]]", f"name = {_toml(p['name'])}", 'version = "1.0"']
        if p["marker"]:
            lines.append(f"marker = {_toml(p['marker'])}")
        if p["source"] == "vcs":
            lines.append('vcs = { type = "git", url = "https://example.org/x.git", commit-id = "abc" }')
        elif p["source"] == "directory":
            lines.append('directory = { path = "src/x", editable = true }')
        elif p["source"] == "files":
            wheels = [f.format(n=p["name"]) for f in p["files"] if not f.format(n=p["name"]).endswith(".tar.gz")]
            sdists = [f.format(n=p["name"]) for f in p["files"] if f.format(n=p["name"]).endswith(".tar.gz")]
            if wheels:
                lines.append("wheels = [" + ", ".join(f'{{ url = "https://f.example/{w}" }}' for w in wheels) + "]")
            if sdists:
                lines.append(f'sdist = {{ url = "https://f.example/{sdists[0]}" }}')
    return "\n".join(lines) + "\n"


def _uv_lock(pkgs: list[dict[str, Any]]) -> str:
    lines = ["version = 1", 'requires-python = ">=3.10"', "", "[[package]]", 'name = "root"', 'version = "0.1"',
             'source = { virtual = "." }', "dependencies = ["]
    for p in pkgs:
        marker = f", marker = {_toml(p['marker'])}" if p["marker"] else ""
        lines.append(f"    {{ name = {_toml(p['name'])}, version = \"1.0\"{marker} }},")
    lines.append("]")
    for p in {p["name"]: p for p in pkgs}.values():
        source = {"vcs": 'git = "https://example.org/x.git"', "directory": 'directory = "x"'}.get(
            p["source"], 'registry = "https://pypi.org/simple"')
        lines += ["", "[[package]]", f"name = {_toml(p['name'])}", 'version = "1.0"', f"source = {{ {source} }}"]
        files = [f.format(n=p["name"]) for f in p["files"]]
        wheels = [f for f in files if not f.endswith(".tar.gz")]
        if wheels:
            lines.append("wheels = [" + ", ".join(f'{{ url = "https://f.example/{w}" }}' for w in wheels) + "]")
        sdists = [f for f in files if f.endswith(".tar.gz")]
        if sdists:
            lines.append(f'sdist = {{ url = "https://f.example/{sdists[0]}" }}')
    return "\n".join(lines) + "\n"


@fuzz(ci=40, large=3_000)
@given(pkgs=st.lists(packages, min_size=1, max_size=6), fmt=st.sampled_from(["pylock", "uv"]),
       environments=st.booleans(), platforms=st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=3, unique=True),
       extra=st.sampled_from([[], ["--no-build"], ["--group", "dev"], ["--installer", "pip==25.0"],
                              ["--require", "windows-arm64"]]))
def test_nothing_lost_in_a_lock(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                                pkgs: list[dict[str, Any]], fmt: str, environments: bool, platforms: list[str],
                                extra: list[str]) -> None:
    count("locks-nothing-lost")
    folder = tmp_path_factory.mktemp("lock")
    path: Path = folder / ("pylock.toml" if fmt == "pylock" else "uv.lock")
    path.write_text(_pylock(pkgs, environments) if fmt == "pylock" else _uv_lock(pkgs), encoding="utf-8")
    argv = ["check", str(path), "--no-fetch-sdist", "--format", "json", "--python", "cp312", "--python", "cp310",
            *(a for p in platforms for a in ("--platform", p)), *extra]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err, (argv, err)
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tagsim: error: "), err
        return
    assert code in (0, 1), (code, err)
    data = json.loads(out)
    entries = data["lock"]["packages"]
    for target in data["targets"]:
        if target["not_modelled"]:
            continue
        mine = [d for d in data["decisions"] if (d["platform"], d["python"], d["installer"]) ==
                (target["platform"], target["python"], target["installer"])]
        assert len(mine) == entries  # once per entry: nothing lost, nothing doubled
        assert {d["status"] for d in mine} <= {"wheel", "build", "fail", "skipped"}
        assert target["counts"] == dict(Counter({"wheel": 0, "build": 0, "fail": 0, "skipped": 0})
                                        + Counter(d["status"] for d in mine)) | {
            k: sum(d["status"] == k for d in mine) for k in ("wheel", "build", "fail", "skipped")}
        if target["error"]:
            assert all(d["status"] == "fail" and d["message"] == target["error"] for d in mine)
