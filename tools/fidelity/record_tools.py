#!/usr/bin/env python3
"""Record what real poetry and pdm install for every scenario of tests/scenarios/tools.json.

Usage: python tools/fidelity/record_tools.py [--installer poetry==2.4.1 ...] [--scenario ID ...]

For each tool version: install it from PyPI into a cached venv
(~/.cache/tagsim/installers/tools/<tool>-<version>/), build a dummy index per scenario
(src/tagsim/dummy_index.py), write a throwaway project that depends on the scenario's
spec, let the tool lock and install it into the project's `.venv` (CPython 3.12 from
pyenv, the host profile linux-x86_64-glibc2.36), and read back the marker file of the
installed distribution. Results go to tests/fixtures/tools/<tool>-<version>.json.
A crash or timeout is recorded as "error", never as a choice; a tool that locks a version
and then finds no installable file for it is "no-match" (the note keeps its message).
See tools/fidelity/POETRY_PDM.md for the method.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from tagsim.verify.dummy_index import IndexFile, build_index, read_marker  # noqa: E402

SCENARIOS = REPO / "tests" / "scenarios" / "tools.json"
OUT_DIR = REPO / "tests" / "fixtures" / "tools"
CACHE = Path.home() / ".cache" / "tagsim" / "installers" / "tools"
PYENV = Path.home() / ".pyenv" / "versions"
HOST = "linux-x86_64-glibc2.36"
TIMEOUT = 240
DEFAULT_INSTALLERS = ["poetry==2.4.1", "pdm==2.28.2"]
# The project's Python range: the scenario's minor version, every patch level.
PROJECT_PYTHON = ">=3.{minor},<3.{next}"


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int | None, str]:
    """Run a command; (None, output) on timeout. Output is stdout+stderr."""
    try:
        proc = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=TIMEOUT)
        return proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.output.decode() if isinstance(exc.output, bytes) else (exc.output or "")
        return None, out


def interpreter(python: str) -> Path | None:
    m = re.fullmatch(r"cp3(\d+)", python)
    if not m:
        return None
    for d in sorted(PYENV.glob(f"3.{m.group(1)}.*")):
        if (d / "bin" / "python").exists():
            return d / "bin" / "python"
    return None


def tool_venv(name: str, version: str) -> Path | None:
    """Cached venv with exactly `name==version` (installed from PyPI on first use)."""
    d = CACHE / f"{name}-{version}"
    exe = d / "bin" / name
    if exe.exists() and installed_version(d, name) == version:
        return d
    shutil.rmtree(d, ignore_errors=True)
    home = interpreter("cp312")
    assert home is not None, "needs CPython 3.12 from pyenv"
    subprocess.run([str(home), "-m", "venv", str(d)], check=True)
    # pdm's `locked` extra pins the versions it was released with (a newer hishel breaks pdm 2.x). Where
    # one of its pins is not on the registry here (pdm 2.29.4: certifi==2026.10.19), the extra's pins minus
    # that one are checked in as a constraints file (tools/fidelity/constraints/) and used instead.
    constraints = Path(__file__).with_name("constraints") / f"{name}-{version}-locked-constraints.txt"
    if name == "pdm" and constraints.exists():
        args = [f"pdm=={version}", "-c", str(constraints)]
    else:
        args = [f"pdm[locked]=={version}" if name == "pdm" else f"{name}=={version}"]
    proc = subprocess.run([str(d / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode == 0 and installed_version(d, name) == version:
        return d
    shutil.rmtree(d, ignore_errors=True)
    return None


def installed_version(venv: Path, name: str) -> str | None:
    proc = subprocess.run([str(venv / "bin" / "python"), "-c",
                           f"import importlib.metadata as m; print(m.version({name!r}))"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def venv_packages(venv: Path) -> dict[str, str]:
    """Versions of the libraries that decide the choice (recorded with the fixture)."""
    out = {}
    for lib in ("packaging", "poetry-core", "unearth", "dep-logic"):
        version = installed_version(venv, lib)
        if version:
            out[lib] = version
    return out


def tool_env(work: Path, extra: dict[str, str]) -> dict[str, str]:
    """No user config, no caches shared between runs, nothing inherited from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "PYTHON", "POETRY_", "PDM_")) and k != "VIRTUAL_ENV"}
    env.update({"HOME": str(work / "home"), "XDG_CONFIG_HOME": str(work / "home" / ".config"),
                "XDG_CACHE_HOME": str(work / "home" / ".cache"), "XDG_DATA_HOME": str(work / "home" / ".local"),
                "NO_COLOR": "1"})
    env.update(extra)
    return env


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Poetry reads indexes over HTTP(S) only: serve the dummy index on localhost."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/simple/"


def project_python(python: str) -> str:
    minor = int(python[3:])
    return PROJECT_PYTHON.format(minor=minor, next=minor + 1)


def write_project(work: Path, name: str, sc: dict, url: str) -> Path:
    proj = work / "proj"
    proj.mkdir()
    deps = json.dumps([sc["spec"]])
    text = (f'[project]\nname = "probe"\nversion = "0"\nrequires-python = "{project_python(sc["python"])}"\n'
            f"dependencies = {deps}\n\n")
    if name == "poetry":
        text += ('[tool.poetry]\npackage-mode = false\n\n'
                 f'[[tool.poetry.source]]\nname = "dummy"\nurl = "{url}"\npriority = "primary"\n')
    else:
        text += ('[tool.pdm]\ndistribution = false\n\n'
                 f'[[tool.pdm.source]]\nname = "pypi"\nurl = "{url}"\n')
    (proj / "pyproject.toml").write_text(text)
    return proj


def site_packages(proj: Path) -> Path | None:
    found = sorted((proj / ".venv").glob("lib/python3*/site-packages"))
    return found[0] if found else None


def flag_env(name: str, flags: dict) -> dict[str, str] | str:
    """The tools' own config spellings, as environment variables (comma-separated lists)."""
    env: dict[str, str] = {}
    if name == "poetry":
        if flags.get("prefer_binary_for"):
            return "poetry has no prefer-binary option (Chooser._sort_key: binary_preference is always 0)"
        if flags.get("only_binary"):
            env["POETRY_INSTALLER_ONLY_BINARY"] = ",".join(flags["only_binary"])
        if flags.get("no_binary"):
            env["POETRY_INSTALLER_NO_BINARY"] = ",".join(flags["no_binary"])
    else:
        for key, var in (("only_binary", "PDM_ONLY_BINARY"), ("no_binary", "PDM_NO_BINARY"),
                         ("prefer_binary_for", "PDM_PREFER_BINARY")):
            if flags.get(key):
                env[var] = ",".join(flags[key])
    return env


NO_MATCH = re.compile(r"Unable to find installation candidates|No candidate is found|Unable to find candidates|"
                      r"ResolutionImpossible|version solving failed|Unable to find a resolution|"
                      r"could not be resolved|Resolution impossible|doesn't match any versions", re.I)


def record_one(name: str, venv: Path, sc: dict) -> dict:
    exe = interpreter(sc["python"])
    if exe is None:
        return {"status": "not-emulable", "file": None, "note": f"no real {sc['python']} interpreter here"}
    if sc["platform"] != HOST:
        return {"status": "not-emulable", "file": None,
                "note": f"{name} installs into a real environment; only the host profile {HOST} is recorded"}
    extra = flag_env(name, sc["flags"])
    if isinstance(extra, str):
        return {"status": "not-emulable", "file": None, "note": extra}
    with tempfile.TemporaryDirectory(prefix=f"tagsim-{name}-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        idx = build_index([IndexFile(f["filename"], f.get("requires_python"), f.get("yanked", False))
                           for f in sc["files"]], work / "index")
        server = None
        if name == "poetry":
            server, url = serve(idx.root)
        else:
            url = idx.simple_url()
        try:
            proj = write_project(work, name, sc, url)
            subprocess.run([str(exe), "-m", "venv", "--without-pip", str(proj / ".venv")], check=True)
            if name == "poetry":
                env = tool_env(work, {"POETRY_VIRTUALENVS_IN_PROJECT": "true",
                                      "POETRY_VIRTUALENVS_CREATE": "true",
                                      "POETRY_CACHE_DIR": str(work / "cache"),
                                      "POETRY_CONFIG_DIR": str(work / "config"),
                                      "POETRY_DATA_DIR": str(work / "data"),
                                      "POETRY_NO_INTERACTION": "1", **extra})
                argv = [str(venv / "bin" / "poetry"), "install", "--no-root", "-vvv"]
            else:
                env = tool_env(work, {"PDM_CACHE_DIR": str(work / "cache"), "PDM_CHECK_UPDATE": "false",
                                      "PDM_IGNORE_SAVED_PYTHON": "1", "PDM_USE_VENV": "1",
                                      "PDM_NON_INTERACTIVE": "1", "PDM_PYTHON": str(proj / ".venv/bin/python"),
                                      **extra})
                argv = [str(venv / "bin" / "pdm"), "install", "-v"]
            rc, out = run(argv, env, proj)
            site = site_packages(proj)
            project = re.split(r"[<>=!~ ;\[]", sc["spec"], maxsplit=1)[0]
            marker = read_marker(site, project) if site else None
            lock = (proj / ("poetry.lock" if name == "poetry" else "pdm.lock"))
            locked = locked_versions(project, lock.read_text() if lock.exists() else "", out)
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()
    return interpret(rc, out, marker, locked)


def locked_versions(project: str, lock_text: str, out: str) -> list[str]:
    """The version in the lock file; without one (a failed install), the tool's progress line."""
    found = re.findall(rf'name = "{project}"\nversion = "([^"]+)"', lock_text)
    if not found:
        found = [a or b for a, b in re.findall(rf"Installing {project} \(([^)\s]+)\)|Installing {project}[ @]+(\S+)", out)]
    return found[:1]


def interpret(rc: int | None, out: str, marker: str | None, locked: list[str]) -> dict:
    lock_note = f"locked {locked[0]}" if locked else "nothing locked"
    if rc is None:
        return {"status": "error", "file": None, "note": "timeout"}
    if rc == 0 and marker:
        return {"status": "chosen", "file": marker, "note": lock_note}
    if NO_MATCH.search(out):
        line = next((line.strip() for line in out.splitlines() if NO_MATCH.search(line)), "")
        return {"status": "no-match", "file": None, "note": f"{lock_note}; {line[:300]}"}
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    errs = [line for line in lines if "rror" in line]
    return {"status": "error", "file": None,
            "note": f"{lock_note}; exit {rc}: " + (errs[-1] if errs else (lines[-1] if lines else ""))[:300]}


PDM_TAGS_SCRIPT = """\
import json, sys
from dep_logic.tags import os as dos
from dep_logic.tags.platform import Arch, Platform
from pdm.models.in_process import get_env_spec
spec = get_env_spec(sys.argv[1])
kinds = {"manylinux": dos.Manylinux, "musllinux": dos.Musllinux, "macos": dos.Macos}
lists = {}
for pid, (kind, major, minor, arch) in json.loads(sys.argv[2]).items():
    os_ = dos.Windows() if kind == "windows" else kinds[kind](major, minor)
    try:
        lists[pid] = Platform(os_, Arch.parse(arch)).compatible_tags
    except ValueError:  # an arch this dep-logic does not know (loongarch64 before 0.5)
        lists[pid] = None
print(json.dumps({"env_spec": str(spec), "platform_tags": spec.platform.compatible_tags, "platform_lists": lists}))
"""


def dep_logic_platforms() -> dict[str, list]:
    """dep_logic `Platform` arguments for every profile tagsim models for pdm (`taggen_pdm.pdm_platforms`)."""
    out: dict[str, list] = {}
    for p in json.loads((REPO / "data" / "platforms.json").read_text())["profiles"]:
        arch = p["arch"]
        if p["os"] == "linux" and p.get("python_bits") != 32 and arch != "i686":
            major, minor = (int(x) for x in p["libc_version"].split(".")[:2])
            out[p["id"]] = ["manylinux" if p["libc"] == "glibc" else "musllinux", major, minor, arch]
        elif p["os"] == "macos" and arch in ("x86_64", "arm64"):
            major, minor = (int(x) for x in [*p["os_version"].split("."), "0"][:2])
            out[p["id"]] = ["macos", major, minor, arch]
        elif p["os"] == "windows" and arch in ("amd64", "x86", "arm64"):
            out[p["id"]] = ["windows", 0, 0, arch]
    return out


def host_tags(name: str, venv: Path) -> dict:
    """What the tool itself says it accepts on the host, for tests/fidelity/test_fidelity_tools.py.

    poetry: `poetry debug tags` in a 3.12 project (its `VirtualEnv.get_supported_tags`).
    pdm: `get_env_spec` (the script pdm runs in the target interpreter) and the spec's dep_logic
    `Platform.compatible_tags`; plus dep_logic's list for every profile tagsim models for pdm.
    """
    exe = interpreter("cp312")
    assert exe is not None
    with tempfile.TemporaryDirectory(prefix=f"tagsim-{name}-tags-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        proj = write_project(work, name, {"spec": "demo", "python": "cp312"}, "http://127.0.0.1:9/simple/")
        subprocess.run([str(exe), "-m", "venv", "--without-pip", str(proj / ".venv")], check=True)
        if name == "poetry":
            env = tool_env(work, {"POETRY_VIRTUALENVS_IN_PROJECT": "true", "POETRY_CACHE_DIR": str(work / "cache"),
                                  "POETRY_CONFIG_DIR": str(work / "config")})
            rc, out = run([str(venv / "bin" / "poetry"), "debug", "tags"], env, proj)
            tags = [line.strip() for line in out.splitlines() if re.fullmatch(r"[\w.]+-[\w.]+-[\w.]+", line.strip())]
            return {"command": "poetry debug tags", "tags": tags} if rc == 0 else {"error": out[-300:]}
        rc, out = run([str(venv / "bin" / "python"), "-c", PDM_TAGS_SCRIPT, str(proj / ".venv" / "bin" / "python"),
                       json.dumps(dep_logic_platforms())], tool_env(work, {}), proj)
        if rc != 0:
            return {"error": out[-300:]}
        return {"command": "pdm.models.in_process.get_env_spec(<project .venv python>)",
                **json.loads(out.strip().splitlines()[-1])}


def record(installer: str, scenarios: list[dict], only: set[str] | None) -> dict:
    name, version = installer.split("==")
    out_path = OUT_DIR / f"{name}-{version}.json"
    old = json.loads(out_path.read_text()) if out_path.exists() else {}
    results: dict[str, dict] = dict(old.get("results", {})) if only else {}
    venv = tool_venv(name, version)
    for sc in scenarios:
        if only and sc["id"] not in only:
            continue
        res = record_one(name, venv, sc) if venv else {"status": "error", "file": None,
                                                       "note": f"{installer} could not be installed"}
        results[sc["id"]] = res
        print(f"{installer:14} {sc['id']:36} {res['status']:12} {res['file'] or ''}  [{res['note'][:60]}]",
              flush=True)
    recorded_with = {
        "tool": f"{installer} from PyPI in {CACHE / f'{name}-{version}'}",
        "libraries": venv_packages(venv) if venv else {},
        "python": "project .venv made with pyenv CPython 3.12.1; project requires-python "
                  + project_python("cp312"),
        "method": ("poetry install --no-root -vvv, index served over http://127.0.0.1 as the primary source; "
                   "POETRY_INSTALLER_ONLY_BINARY / POETRY_INSTALLER_NO_BINARY")
        if name == "poetry" else
        ("pdm install -v, index as the `pypi` source (file://); PDM_ONLY_BINARY / PDM_NO_BINARY / "
         "PDM_PREFER_BINARY"),
        "host": HOST,
    }
    tags = host_tags(name, venv) if venv else old.get("host_tags", {})
    data = {"installer": installer, "recorded_with": recorded_with, "host_tags": tags,
            "results": {k: results[k] for k in [s["id"] for s in scenarios] if k in results}}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--installer", action="append", help="e.g. poetry==2.4.1 or pdm==2.28.2 (repeatable)")
    ap.add_argument("--scenario", action="append", help="only these scenario ids (merged into fixtures)")
    ap.add_argument("--host-tags-only", action="store_true", help="re-record only the tools' own tag lists")
    args = ap.parse_args(argv)
    scenarios = json.loads(SCENARIOS.read_text())
    for installer in args.installer or DEFAULT_INSTALLERS:
        if args.host_tags_only:
            name, version = installer.split("==")
            path = OUT_DIR / f"{name}-{version}.json"
            venv = tool_venv(name, version)
            doc = json.loads(path.read_text())
            doc["host_tags"] = host_tags(name, venv) if venv else {"error": f"{installer} could not be installed"}
            path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
            print(installer, sorted(doc["host_tags"]), flush=True)
            continue
        data = record(installer, scenarios, set(args.scenario) if args.scenario else None)
        counts: dict[str, int] = {}
        for r in data["results"].values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        print(installer, counts, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
