"""The command lines and library calls whose output the redesign (issue 12) must keep byte for byte.

`record.py` runs them and writes `outputs.json`; `tests/cli/test_golden.py` runs them again and compares.
Command lines are relative to the repository root. Output of 256 KiB or less is kept whole (so a
change shows as a diff); larger output is kept as its SHA-256 and length.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
UV = "data/demo/pypi-simple-uv.json"
CORPUS = "tests/golden/corpus"
KEEP_WHOLE = 256 * 1024

_PLATFORMS = ["linux-aarch64-glibc2.17", "linux-x86_64-glibc2.28", "linux-x86_64-musl1.1", "macos11-arm64",
              "windows-arm64", "macos10.15-x86_64"]

COMMANDS: list[list[str]] = [
    ["platforms"], ["platforms", "--format", "json"],
    ["tags", "linux-aarch64-glibc2.17"], ["tags", "linux-aarch64-glibc2.17", "--format", "json", "--limit", "12"],
    ["tags", "macos10.15-x86_64", "--installer", "uv==0.1.20", "--limit", "30"],
    ["tags", "linux-x86_64-glibc2.28", "--installer", "pip==9.0.3", "--python", "cp37"],
    ["tags", "linux-x86_64-glibc2.28", "--installer", "pip==20.2.4", "--python", "cp310", "--limit", "5"],
    ["tags", "linux-x86_64-musl1.2", "--installer", "pdm", "--format", "json"],
    ["tags", "windows-amd64", "--installer", "poetry", "--python", "cp313"],
    ["tags", "linux-aarch64-glibc2.17", "--diff-installer", "uv"],
    ["tags", "macos14-arm64", "--installer", "uv", "--diff-installer", "pip==20.3", "--format", "json"],
    ["tags", "os=linux,arch=aarch64,glibc=2.17", "--python", "cp313t"],
    ["tags", "aarch64-manylinux_2_28", "--installer", "uv"],
    ["tags", "nowhere"], ["tags", "linux-aarch64-glibc2.17", "--installer", "pip==99"],
    ["tags", "linux-aarch64-glibc2.17", "--python", "cp2"],
]
for _platform in _PLATFORMS:
    for _fmt in ("text", "json", "markdown"):
        COMMANDS.append(["explain", _platform, UV, "--spec", "uv==0.1.40", "--format", _fmt,
                         "--installer", "pip", "--installer", "uv", "--installer", "poetry", "--installer", "pdm",
                         "--installer", "pip==19.3.1", "--installer", "uv==0.1.20", "--build-backend", "maturin"])
COMMANDS += [
    ["explain", "linux-aarch64-glibc2.17", UV, "--spec", "uv<0.1.45", "--prefer-binary"],
    ["explain", "linux-aarch64-glibc2.17", UV, "--spec", "uv", "--python", "cp38", "--installer", "pip==9.0.3"],
    ["explain", "linux-x86_64-glibc2.28", UV, "--spec", "uv==0.1.40", "--only-binary", ":all:"],
    ["explain", "linux-x86_64-glibc2.28", UV, "--spec", "uv==0.1.40", "--no-binary", "uv", "--installer", "uv"],
    ["explain", "linux-x86_64-glibc2.28", UV, "--spec", "uv==0.1.40", "--no-build", "--python", "pp310"],
    ["explain", "linux-x86_64-glibc2.28", UV, "--spec", "uv>=0.5", "--pre", "--installer", "pdm",
     "--prefer-binary-for", "uv", "--format", "json"],
    ["explain", "linux-x86_64-glibc2.28", f"{CORPUS}/dist", "--format", "json"],
    ["explain", "linux-aarch64-glibc2.17", f"{CORPUS}/dist"],
    ["explain", "linux-aarch64-glibc2.17", f"{CORPUS}/names.txt"],
    ["explain", "linux-aarch64-glibc2.17", f"{CORPUS}/page.html", "--installer", "pip==20.2.4"],
    ["explain", "linux-aarch64-glibc2.17", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "demo-1.0.tar.gz"],
    ["explain", "linux-aarch64-glibc2.17", "a-1.0.tar.gz", "b-1.0.tar.gz"],
    ["explain", "linux-aarch64-glibc2.17", "notafile"],
    ["explain", "linux-aarch64-glibc2.17", UV, "--spec", "uv==="],
    ["check", UV, "--spec", "uv==0.1.44"],
    ["check", UV, "--spec", "uv==0.1.44", "--format", "markdown", "--require", "linux-aarch64-glibc2.17"],
    ["check", UV, "--spec", "uv==0.1.44", "--format", "github", "--require", "linux-aarch64-glibc2.17:cp312"],
    ["check", UV, "--spec", "uv==0.1.44", "--format", "json", "--platform", "linux-aarch64-glibc2.17",
     "--platform", "windows-arm64", "--python", "cp38", "--python", "cp313t"],
    ["check", UV, "--spec", "uv==0.1.40", "--require", "linux-aarch64-glibc2.17",
     "--retag", "uv-0.1.40-*musllinux_1_2_aarch64.whl=+manylinux_2_17_aarch64.manylinux2014_aarch64"],
    ["check", UV, "--spec", "uv==0.1.40", "--format", "markdown",
     "--retag", "uv-0.1.40-*musllinux_1_2_aarch64.whl=+manylinux_2_17_aarch64", "--drop", "*.tar.gz",
     "--add", "uv-0.1.40-py3-none-win_arm64.whl"],
    ["check", UV, "--spec", "uv==0.1.40", "--format", "json", "--platform", "linux-aarch64-glibc2.17",
     "--retag", "uv-0.1.40-*musllinux_1_2_aarch64.whl=+manylinux_2_17_aarch64"],
    ["check", UV, "--spec", "uv==0.1.40", "--drop", "nothing*"],
    ["check", UV, "--spec", "uv==0.1.40", "--installer", "pip==20.2.4", "--installer", "uv==0.4.30",
     "--installer", "poetry", "--installer", "pdm", "--python", "cp39", "--python", "cp312", "--platform",
     "linux-aarch64-glibc2.17", "--platform", "macos11-arm64", "--platform", "windows-amd64"],
    ["explain", "linux-armv8l-glibc2.31", UV, "--spec", "uv==0.1.40", "--installer", "pdm"],
    ["explain", "linux-armv8l-glibc2.31", UV, "--spec", "uv==0.1.40", "--installer", "pip==19.3.1",
     "--installer", "uv", "--format", "markdown"],
    ["explain", "macos14-x86_64-rosetta", UV, "--spec", "uv==0.1.40", "--installer", "uv==0.1.20"],
    ["check", f"{CORPUS}/dist", "--format", "markdown"],
    ["history", UV, "--platform", "linux-aarch64-glibc2.17", "--platform", "linux-x86_64-musl1.1",
     "--installer", "pip", "--installer", "uv", "--installer", "pip==20.2.4"],
    ["history", UV, "--since", "0.4", "--format", "markdown"],
    ["history", UV, "--since", "0.1.40", "--format", "json", "--spec", "uv<0.1.50", "--platform",
     "linux-aarch64-glibc2.17"],
    ["history", UV, "--since", "nope"],
    ["stream", f"{CORPUS}/stream.jsonl", "--platform", "linux-aarch64-glibc2.17", "--platform", "windows-amd64",
     "--installer", "pip", "--installer", "uv", "--installer", "pip==19.3.1", "--prefer-binary"],
]
#: Lock files (issue 15): the recorded uv.lock/pylock/poetry.lock/pdm.lock, every format, the gate, explain, markers.
#: `--no-fetch-sdist`: their sdist URLs name the recording's dummy index, gone now (issue 16 fetches them otherwise).
_LOCKS = "tests/fixtures/locks"
COMMANDS += [
    ["check", "--no-fetch-sdist", f"{_LOCKS}/uv/uv.lock", "--platform", "linux-x86_64-musl1.1", "--platform", "windows-arm64",
     "--platform", "linux-x86_64-glibc2.17", "--python", "cp312", "--require", "linux-x86_64-musl1.1",
     "--allow-build", "localpkg"],
    ["check", "--no-fetch-sdist", f"{_LOCKS}/uv/uv.lock", "--platform", "macos14-arm64", "--platform", "emscripten-wasm32",
     "--python", "cp310", "--format", "markdown"],
    ["check", "--no-fetch-sdist", f"{_LOCKS}/uv/pylock.toml", "--platform", "linux-aarch64-glibc2.28", "--python", "cp312",
     "--installer", "pip", "--installer", "uv", "--installer", "pip==25.0", "--format", "github",
     "--require", "linux-aarch64-glibc2.28"],
    ["check", "--no-fetch-sdist", f"{_LOCKS}/uv/pylock.nowheelonly.toml", "--platform", "windows-arm64", "--python", "cp312",
     "--format", "json"],
    ["check", "--no-fetch-sdist", f"{_LOCKS}/poetry/poetry.lock", "--platform", "linux-x86_64-glibc2.17", "--platform",
     "linux-aarch64-musl1.1", "--python", "cp312", "--all-extras", "--group", "dev"],
    ["check", "--no-fetch-sdist", f"{_LOCKS}/pdm/pdm.lock", "--platform", "macos11-x86_64", "--platform", "linux-i686-glibc2.17",
     "--python", "cp311"],
    ["explain", "linux-aarch64-glibc2.17", f"{_LOCKS}/uv/uv.lock", "--spec", "abi3pkg", "--format", "markdown"],
    ["explain", "windows-arm64", f"{_LOCKS}/uv/uv.lock", "--spec", "darwinonly"],
    ["platforms", "--markers", "windows-amd64"],
    ["platforms", "--markers", "linux-armv8l-glibc2.31", "--python", "pp310", "--format", "json"],
]
#: Big outputs, kept as hashes: the whole uv history and whole-listing check matrices.
COMMANDS += [
    ["history", UV],
    ["history", UV, "--format", "json"],
    ["check", UV, "--python", "cp38", "--python", "cp312", "--python", "cp313t"],
]


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _keep(text: str) -> dict[str, Any]:
    data = text.encode("utf-8", "backslashreplace")
    if len(data) <= KEEP_WHOLE:
        return {"text": text}
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def run_command(argv: list[str]) -> dict[str, Any]:
    from tagsim.cli import main

    out, err = io.StringIO(), io.StringIO()
    env = {k: os.environ.pop(k) for k in ("NO_COLOR", "GITHUB_STEP_SUMMARY") if k in os.environ}
    try:
        with _cwd(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.environ.update(env)
    return {"argv": argv, "exit": code, "stdout": _keep(out.getvalue()), "stderr": _keep(err.getvalue())}


def _library() -> tuple[Any, ...]:
    """The library names the recording needs, where they live now (the recording predates the redesign)."""
    try:
        from tagsim.choice.flags import Flags, parse_names
        from tagsim.choice.requirement import parse_spec
        from tagsim.files.filename import parse_filename
        from tagsim.render.json import decision_json
    except ImportError:  # the flat layout before issue 12
        from tagsim.dists import parse_filename  # type: ignore[no-redef]
        from tagsim.policy import Flags, parse_names, parse_spec  # type: ignore[no-redef]

        def decision_json(decision: Any) -> Any:  # type: ignore[misc]
            return decision.to_json()
    try:
        from tagsim.choice.decide import decide
    except ImportError:
        from tagsim.policy import decide  # type: ignore[no-redef]
    return Flags, parse_names, parse_spec, parse_filename, decision_json, decide


def scenario_decisions() -> dict[str, Any]:
    """Every recorded scenario, decided by every installer version the fixtures name: the whole decision JSON."""
    from tagsim import parse_installer, parse_python, resolve_platform

    Flags, parse_names, parse_spec, parse_filename, decision_json, decide = _library()
    out: dict[str, Any] = {}
    installers = sorted({p.stem.replace("-", "==", 1) for kind in ("choices", "tools")
                         for p in (ROOT / "tests" / "fixtures" / kind).glob("*.json")})
    for kind in ("choices", "tools"):
        for raw in json.loads((ROOT / "tests" / "scenarios" / f"{kind}.json").read_text(encoding="utf-8")):
            f = raw.get("flags", {})
            flags = Flags(prefer_binary=f.get("prefer_binary", False), only_binary=parse_names(f.get("only_binary", [])),
                          no_binary=parse_names(f.get("no_binary", [])), no_build=f.get("no_build", False),
                          pre=f.get("pre", False), prefer_binary_for=parse_names(f.get("prefer_binary_for", [])))
            files = [parse_filename(x["filename"], requires_python=x.get("requires_python"),
                                    yanked=x.get("yanked", False) is not False,
                                    yanked_reason=x["yanked"] if isinstance(x.get("yanked"), str) else None)
                     for x in raw["files"]]
            for spec in installers:
                key = f"{kind}/{raw['id']}/{spec}"
                try:
                    decision = decide(resolve_platform(raw["platform"]), parse_python(raw["python"]),
                                      parse_installer(spec), files, parse_spec(raw["spec"]), flags)
                except Exception as exc:  # a refusal is an answer too
                    out[key] = {"error": f"{exc.__class__.__name__}: {exc}"}
                    continue
                out[key] = decision_json(decision)
    return out
