#!/usr/bin/env python3
"""Record what real installers install from lock files that real tools wrote, for tests/fixtures/locks/.

Usage: python tools/fidelity/locks/record_locks.py [--only STEP ...]   (STEPS; default: all)

1. A dummy index (tagsim.verify.dummy_index) of the packages in PACKAGES is served on a fixed localhost
   port, so the locks that the tools write name the same URLs on every run.
2. A throwaway project (PROJECT: markers on platform and Python, a fork, sdist-only, wheel-only,
   build tags, abi3 and musllinux wheels, an extra, a dev group, an editable path package) is
   locked by the real tools: `uv lock` (then `uv export --format pylock.toml`), `poetry lock`,
   `pdm lock`. The locks are copied to tests/fixtures/locks/<format>/.
3. The real installers install from them, and the marker file of every installed dummy names the
   file that was used (an sdist's built wheel names the sdist):
   - `uv sync --frozen --python-platform TRIPLE` for each triple in TRIPLES, CPython 3.10 and 3.12
     from pyenv (the venv is a throwaway: the dummies have no code, so foreign wheels install);
   - `uv pip install -r pylock.toml --python-platform TRIPLE --target DIR` for the same triples;
   - pip 26.3 `install -r pylock.toml --dry-run --report` on this host only (pip refuses
     --platform with a pylock; the host-patched mode is not done here);
   - `poetry install` and `pdm sync` on this host only (they take the platform from the interpreter).
   Answers go to tests/fixtures/locks/answers.json: per (lock, installer, triple/profile, python), the
   installed {package: filename}, or the installer's error line.
4. record_extra.py: uv with --no-build/--no-binary, pip in the host-patched mode on other platforms,
   pylocks written by `pip lock` (archive, vcs, directory entries), requires-python/environments refusals,
   cross-platform and static_urls pdm locks (its docstring says how).
An answer names the step that recorded it (`step`); `--only STEP` replaces that step's answers only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tools" / "fidelity"))

from record_tools import QuietHandler, interpreter, tool_env, tool_venv  # noqa: E402

from tagsim.verify.dummy_index import IndexFile, build_index, read_marker  # noqa: E402

OUT = REPO / "tests" / "fixtures" / "locks"
PORT = 38751
INDEX = f"http://127.0.0.1:{PORT}/simple/"
HOST = "linux-x86_64-glibc2.36"
TIMEOUT = 300
PIP = Path.home() / ".cache" / "tagsim" / "installers" / "choices" / "pip-26.3-py3.12"
UV_VERSION = "0.13.9"
POETRY = "poetry==2.4.1"
PDM = "pdm==2.29.4"

#: uv triple -> tagsim profile, with MACOSX_DEPLOYMENT_TARGET where it matters.
TRIPLES = {
    "x86_64-manylinux_2_17": ("linux-x86_64-glibc2.17", {}),
    "aarch64-manylinux_2_17": ("linux-aarch64-glibc2.17", {}),
    "aarch64-manylinux_2_28": ("linux-aarch64-glibc2.28", {}),
    "x86_64-unknown-linux-musl": ("linux-x86_64-musl1.2", {}),
    "aarch64-unknown-linux-musl": ("linux-aarch64-musl1.2", {}),
    "aarch64-apple-darwin": ("macos14-arm64", {"MACOSX_DEPLOYMENT_TARGET": "14.0"}),
    "x86_64-apple-darwin": ("macos11-x86_64", {"MACOSX_DEPLOYMENT_TARGET": "11.0"}),
    "x86_64-pc-windows-msvc": ("windows-amd64", {}),
    "aarch64-pc-windows-msvc": ("windows-arm64", {}),
}
PYTHONS = ("cp310", "cp312")

#: The dummy index: every file of every package.
PACKAGES = [
    # abi3 + musllinux + the big four, and an sdist
    "abi3pkg-1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "abi3pkg-1.0-cp39-abi3-musllinux_1_2_x86_64.whl",
    "abi3pkg-1.0-cp39-abi3-macosx_11_0_arm64.whl",
    "abi3pkg-1.0-cp39-abi3-win_amd64.whl",
    "abi3pkg-1.0.tar.gz",
    # wheel-only: no aarch64, no musl, no Windows on ARM, no sdist
    "wheelonly-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
    "wheelonly-1.0-cp310-cp310-manylinux_2_17_x86_64.whl",
    "wheelonly-1.0-py3-none-macosx_11_0_arm64.whl",
    "wheelonly-1.0-py3-none-win_amd64.whl",
    # sdist only
    "sdistonly-1.0.tar.gz",
    # build tags: a platform wheel, and a build-tagged universal wheel
    "buildtag-1.0-py3-none-manylinux_2_17_x86_64.whl",
    "buildtag-1.0-1-py3-none-any.whl",
    # aarch64 glibc 2.28 only, else the sdist
    "newglibc-1.0-py3-none-manylinux_2_28_aarch64.whl",
    "newglibc-1.0-py3-none-manylinux_2_17_x86_64.whl",
    "newglibc-1.0.tar.gz",
    # marker targets
    "darwinonly-1.0-py3-none-any.whl",
    "armonly-1.0-py3-none-any.whl",
    "oldpy-1.0-py3-none-any.whl",
    "winonly-1.0-py3-none-any.whl",
    # a fork: two versions under different markers
    "forked-1.0-py3-none-any.whl",
    "forked-2.0-py3-none-any.whl",
    # extras and groups
    "extradep-1.0-py3-none-any.whl",
    "devdep-1.0-py3-none-any.whl",
    # by direct URL only (`pip lock` writes them as pylock `archive` entries: record_extra.py)
    "archwheel-1.0-py3-none-manylinux_2_17_x86_64.whl",
    "archsdist-1.0.tar.gz",
]

DEPENDENCIES = [
    "abi3pkg", "wheelonly", "sdistonly", "buildtag", "newglibc",
    "darwinonly; sys_platform == 'darwin'",
    "armonly; platform_machine == 'aarch64' or platform_machine == 'arm64'",
    "oldpy; python_version < '3.11'",
    "winonly; sys_platform == 'win32'",
    "forked==1.0; sys_platform == 'linux'",
    "forked==2.0; sys_platform != 'linux'",
    "localpkg",
]
EXTRAS = {"extra1": ["extradep"]}
GROUPS = {"dev": ["devdep"]}
#: Where a package's dummy files record themselves (dummy_index.marker_name needs the project name).
PROJECTS = sorted({name.split("-")[0] for name in PACKAGES} | {"localpkg"})


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int | None, str]:
    try:
        proc = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=TIMEOUT)
        return proc.returncode, proc.stdout
    except subprocess.TimeoutExpired:
        return None, "timeout"


def serve(root: Path) -> object:
    import functools
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_project(proj: Path, tool: str) -> None:
    """The project every tool locks: same dependencies, each tool's own spelling of index, extras and groups."""
    proj.mkdir(parents=True)
    local = proj / "localpkg"
    local.mkdir()
    (local / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n'
        '[project]\nname = "localpkg"\nversion = "0.1"\n')
    (local / "backend.py").write_text(_LOCAL_BACKEND)
    deps = [d if d != "localpkg" else ("localpkg @ file:///${PROJECT_ROOT}/localpkg" if tool == "pdm" else d)
            for d in DEPENDENCIES]
    if tool == "pdm":  # pdm does not fork a resolution: the second version of `forked` is left out
        deps.remove("forked==2.0; sys_platform != 'linux'")
    text = (f'[project]\nname = "envproj"\nversion = "0.1"\nrequires-python = ">=3.10"\n'
            f"dependencies = {json.dumps(deps)}\n\n[project.optional-dependencies]\n"
            + "".join(f"{k} = {json.dumps(v)}\n" for k, v in EXTRAS.items())
            + "\n[dependency-groups]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in GROUPS.items()))
    if tool == "uv":
        text += (f'\n[tool.uv]\npackage = false\nenvironments = ["sys_platform != \'emscripten\'"]\n\n'
                 f'[[tool.uv.index]]\nurl = "{INDEX}"\ndefault = true\n\n'
                 '[tool.uv.sources]\nlocalpkg = { path = "localpkg", editable = true }\n')
    elif tool == "poetry":
        text += ('\n[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\n'
                 'localpkg = { path = "localpkg", develop = true }\n\n'
                 f'[[tool.poetry.source]]\nname = "dummy"\nurl = "{INDEX}"\npriority = "primary"\n')
    else:
        text += f'\n[tool.pdm]\ndistribution = false\n\n[[tool.pdm.source]]\nname = "pypi"\nurl = "{INDEX}"\n'
    (proj / "pyproject.toml").write_text(text)


_LOCAL_BACKEND = '''
import base64, hashlib, os, zipfile
NAME, VERSION = "localpkg", "0.1"
def _record(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"
def _wheel(wheel_directory, editable=False):
    dist = f"{NAME}-{VERSION}.dist-info"
    files = {f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n".encode(),
             f"{dist}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: tagsim\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
             "localpkg_chosen.txt": b"localpkg (source tree)\\n"}
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as zf:
        lines = []
        for path, data in files.items():
            zf.writestr(path, data)
            lines.append(_record(path, data))
        lines.append(f"{dist}/RECORD,,")
        zf.writestr(f"{dist}/RECORD", "\\n".join(lines) + "\\n")
    return name
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory)
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, editable=True)
def get_requires_for_build_wheel(config_settings=None):
    return []
def get_requires_for_build_editable(config_settings=None):
    return []
def build_sdist(sdist_directory, config_settings=None):
    raise NotImplementedError
'''


def markers_in(site: Path) -> dict[str, str]:
    out = {}
    for project in PROJECTS:
        found = read_marker(site, project)
        if found is not None:
            out[project] = found
    return out


def site_of(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages")) + sorted(venv.glob("Lib/site-packages"))
    return found[0] if found else venv


def first_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("error:", "ERROR:", "×", "  ╰─▶")) or "can't be installed" in line:  # noqa: RUF001 (uv prints it)
            return re.sub(r"\s+", " ", line)
    return lines[-1] if lines else ""


def uv_env(work: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    # No UV_NO_CONFIG: it would also skip the project's own [tool.uv] (its index); user config is isolated by
    # tool_env's fresh HOME and XDG_CONFIG_HOME.
    env = tool_env(work, {"UV_CACHE_DIR": str(work / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"})
    env.update(extra or {})
    return env


def uv_exe() -> str:
    found = shutil.which("uv")
    assert found, "uv not found: pip install uv==" + UV_VERSION
    return found


def lock_uv(work: Path) -> Path:
    proj = work / "uv-proj"
    write_project(proj, "uv")
    code, out = run([uv_exe(), "lock", "--python", str(interpreter("cp312"))], uv_env(work), proj)
    assert code == 0, out
    for name, skip in PYLOCKS.items():
        code, out = run([uv_exe(), "export", "--frozen", "--format", "pylock.toml", "--all-extras", "--all-groups",
                         *(a for pkg in skip for a in ("--no-emit-package", pkg)), "-o", name], uv_env(work), proj)
        assert code == 0, out
    return proj


#: The pylocks exported from the uv.lock, and the packages each leaves out: uv stops at the first package it
#: cannot install (wheelonly), and pip refuses an editable directory in a pylock (hash-checking mode).
PYLOCKS = {"pylock.toml": (), "pylock.nowheelonly.toml": ("wheelonly",), "pylock.pip.toml": ("localpkg",),
           "pylock.pipnw.toml": ("localpkg", "wheelonly")}


#: (options as tagsim's test reads them, the installer's flags, triples (None: all)): each run's variant.
#: uv stops at the first package it cannot install; `--no-install-package wheelonly` shows the others.
SYNC_VARIANTS: list[tuple[dict, list[str], tuple[str, ...] | None]] = [
    ({}, [], None),
    ({"no_install": ["wheelonly"]}, ["--no-install-package", "wheelonly"], None),
    ({"extras": ["extra1"], "no_default_groups": True}, ["--extra", "extra1", "--no-default-groups"],
     ("x86_64-manylinux_2_17",)),
]
#: Outside the lock's `environments` (sys_platform != 'emscripten'): uv refuses before choosing files.
REFUSED = {"wasm32-pyodide2024": ("emscripten-wasm32", {})}


def record_uv_sync(proj: Path, work: Path, answers: list[dict]) -> None:
    for options, flags, only in SYNC_VARIANTS:
        for triple, (profile, extra) in {**TRIPLES, **(REFUSED if not options else {})}.items():
            if only is not None and triple not in only:
                continue
            for python in PYTHONS:
                fresh = work / f"uv-sync-{triple}-{python}"
                env = uv_env(fresh, {**extra, "UV_PROJECT_ENVIRONMENT": str(fresh / "venv")})
                fresh.mkdir()
                code, out = run([uv_exe(), "sync", "--frozen", "--python-platform", triple,
                                 "--python", str(interpreter(python)), *flags], env, proj)
                answers.append({"lock": "uv/uv.lock", "installer": f"uv=={UV_VERSION}", "triple": triple,
                                "platform": profile, "python": python, "options": options,
                                **_answer(code, out, fresh / "venv")})
                shutil.rmtree(fresh, ignore_errors=True)


def record_uv_pylock(proj: Path, work: Path, answers: list[dict]) -> None:
    """The export names every extra and group (`--all-extras --all-groups`); uv installs the defaults."""
    for lock in ("pylock.toml", "pylock.nowheelonly.toml"):
        for triple, (profile, extra) in {**TRIPLES, **REFUSED}.items():
            for python in PYTHONS:
                fresh = work / f"uv-pylock-{triple}-{python}"
                fresh.mkdir()
                code, out = run([uv_exe(), "pip", "install", "-r", lock, "--python-platform", triple,
                                 "--python", str(interpreter(python)), "--target", str(fresh / "target")],
                                uv_env(fresh, extra), proj)
                answers.append({"lock": f"uv/{lock}", "installer": f"uv=={UV_VERSION}", "triple": triple,
                                "platform": profile, "python": python, "options": {},
                                **_answer(code, out, fresh / "target", site=False)})
                shutil.rmtree(fresh, ignore_errors=True)


def record_pip_pylock(proj: Path, work: Path, answers: list[dict]) -> None:
    """pip 26.3 on this host: `--dry-run --report` names the file of every selected package."""
    pip = PIP / "bin" / "pip"
    if not pip.exists():
        answers.append({"lock": "uv/pylock.toml", "installer": "pip==26.3", "platform": HOST, "python": "cp312",
                        "status": "missing", "note": f"no cached pip venv at {PIP}"})
        return
    env = tool_env(work, {"PIP_CONFIG_FILE": os.devnull})
    for lock in ("pylock.toml", "pylock.pip.toml"):
        report = work / "pip-report.json"
        report.unlink(missing_ok=True)
        code, out = run([str(pip), "install", "--isolated", "--no-cache-dir", "--dry-run", "--report", str(report),
                         "-r", lock], env, proj)
        entry: dict = {"lock": f"uv/{lock}", "installer": "pip==26.3", "platform": HOST, "python": "cp312",
                       "options": {}}
        if code == 0 and report.exists():
            data = json.loads(report.read_text())
            files = {item["metadata"]["name"]: item["download_info"]["url"].rsplit("/", 1)[-1]
                     for item in data["install"]}
            entry.update({"status": "installed", "files": files})
        else:
            entry.update({"status": "error", "error": re.sub(r"/tmp/tagsim-locks-[^/]+/", "/TMP/", first_error(out))})
        answers.append(entry)


def _answer(code: int | None, out: str, root: Path, *, site: bool = True) -> dict:
    if code == 0:
        return {"status": "installed", "files": markers_in(site_of(root) if site else root)}
    return {"status": "error", "error": first_error(out)}


def lock_with(tool: str, spec: str, work: Path) -> tuple[Path, Path] | None:
    name, version = spec.split("==")
    venv = tool_venv(name, version)
    if venv is None:
        return None
    proj = work / f"{tool}-proj"
    write_project(proj, tool)
    env = tool_env(work, {})
    python = str(interpreter("cp312"))
    if tool == "poetry":
        steps = [[str(venv / "bin" / "poetry"), "env", "use", python], [str(venv / "bin" / "poetry"), "lock"]]
    else:
        steps = [[str(venv / "bin" / "pdm"), "use", "-f", python], [str(venv / "bin" / "pdm"), "lock", "-G", ":all:"]]
    env = tool_env(work, {"POETRY_VIRTUALENVS_IN_PROJECT": "true", "PDM_IGNORE_SAVED_PYTHON": "1"})
    for argv in steps:
        code, out = run(argv, env, proj)
        if code != 0:
            print(f"{tool}: {' '.join(argv[1:])} failed:\n{out[-2000:]}", file=sys.stderr)
            return None
    return venv, proj


def record_host_tool(tool: str, spec: str, work: Path, answers: list[dict]) -> None:
    made = lock_with(tool, spec, work)
    lock_name = f"{tool}/{tool}.lock"
    if made is None:
        answers.append({"lock": lock_name, "installer": spec, "platform": HOST, "python": "cp312",
                        "status": "missing", "note": f"{spec} could not be installed here, or could not lock"})
        return
    venv, proj = made
    env = tool_env(work, {"POETRY_VIRTUALENVS_IN_PROJECT": "true"})
    exe = str(venv / "bin" / tool)
    argv = [exe, "install", "--no-root"] if tool == "poetry" else [exe, "sync", "-G", ":all:"]
    if tool == "poetry":
        argv += ["--all-extras", "--with", "dev"]
    code, out = run(argv, env, proj)
    (OUT / tool).mkdir(parents=True, exist_ok=True)
    shutil.copy(proj / f"{tool}.lock", OUT / tool / f"{tool}.lock")
    answers.append({"lock": lock_name, "installer": spec, "platform": HOST, "python": "cp312",
                    "options": {"all_extras": True, "groups": ["dev"]}, **_answer(code, out, proj / ".venv")})


STEPS = ("uv", "pylock", "pip", "poetry", "pdm", "uvflags", "piphost", "piplock", "refusal", "pdmtargets",
         "pipflags")


def step_of(answer: dict) -> str:
    """The step that recorded an answer (answers recorded before steps were named: by lock and installer)."""
    if "step" in answer:
        return str(answer["step"])
    lock, installer = answer["lock"], answer["installer"]
    if installer.startswith(("poetry", "pdm")):
        return installer.split("==")[0]
    if installer.startswith("pip"):
        return "pip"
    return "uv" if lock == "uv/uv.lock" else "pylock"


def main() -> int:
    import record_extra as extra

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], choices=STEPS)
    args = parser.parse_args()
    wanted = set(args.only) or set(STEPS)
    answers_path = OUT / "answers.json"
    old = json.loads(answers_path.read_text()) if answers_path.exists() else {"answers": []}
    answers: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="tagsim-locks-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        build_index([IndexFile(name) for name in PACKAGES], work / "index")
        server = serve(work / "index")
        try:
            proj = lock_uv(work)
            (OUT / "uv").mkdir(parents=True, exist_ok=True)
            shutil.copy(proj / "uv.lock", OUT / "uv" / "uv.lock")
            for name in PYLOCKS:
                shutil.copy(proj / name, OUT / "uv" / name)
            if "uv" in wanted:
                record_uv_sync(proj, work, answers)
            if "pylock" in wanted:
                record_uv_pylock(proj, work, answers)
            if "pip" in wanted:
                record_pip_pylock(proj, work, answers)
            if "poetry" in wanted:
                record_host_tool("poetry", POETRY, work, answers)
            if "pdm" in wanted:
                record_host_tool("pdm", PDM, work, answers)
            if "uvflags" in wanted:
                extra.record_uv_flags(proj, work, answers)
            if "piphost" in wanted:
                extra.record_pip_host(proj, work, answers)
            if "piplock" in wanted:
                extra.record_pip_lock(work, answers)
            if "refusal" in wanted:
                extra.record_refusals(work, answers)
            if "pdmtargets" in wanted:
                extra.record_pdm_targets(work, answers)
            if "pipflags" in wanted:
                extra.record_pip_flags(proj, work, answers)
        finally:
            server.shutdown()  # type: ignore[attr-defined]
    for answer in answers:
        answer.setdefault("step", step_of(answer))
    kept = [a for a in old["answers"] if step_of(a) not in wanted]
    OUT.mkdir(parents=True, exist_ok=True)
    answers_path.write_text(json.dumps({"recorded_with": {"uv": UV_VERSION, "pip": "26.3", "poetry": POETRY,
                                                          "pdm": PDM, "host": HOST},
                                        "answers": [*kept, *answers]}, indent=1) + "\n")
    print(f"{len(answers)} answers -> {answers_path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
