"""Ask real pip and uv what they install into an sdist's build environment (issue 16).

A throwaway PEP 503 index (file://) holds:
- `demo-app 1.0`, an sdist only, whose `build-system.requires` is `demo-backend>=1` and whose
  backend is `demo_backend`;
- `demo-backend 2.0`: wheels for `manylinux_2_28_x86_64` and `macosx_11_0_arm64` only, and an sdist
  that builds itself (`backend-path = ["."]`, no requirements).
`demo_backend` is a tiny PEP 517 backend. Every copy of it knows which file it came from
(`ORIGIN`), and writes that into the wheel it builds, so the installed `demo_app/built_by.txt`
says which demo-backend file the build environment got: a wheel's name, or the sdist's.

pip runs natively and "host-patched" (`tools/fidelity/pip_hostfacts` on PYTHONPATH with
`TAGSIM_PROFILE`, inherited by pip's build-dependency subprocess), since `--platform` does not
apply to a build; uv runs natively only (its `--python-platform` is not a build environment).
The `-v` logs are searched for pip's "Installing build dependencies" and the lines naming
demo-backend. Writes tests/fixtures/build_deps/recorded.json.

    python tools/fidelity/build_deps/record_build_deps.py --pip PATH/bin/pip --uv PATH/bin/uv
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "tests" / "fixtures" / "build_deps" / "recorded.json"
HOSTFACTS = ROOT / "tools" / "fidelity" / "pip_hostfacts"

BACKEND_WHEELS = ("demo_backend-2.0-py3-none-manylinux_2_28_x86_64.whl", "demo_backend-2.0-py3-none-macosx_11_0_arm64.whl")
BACKEND_SDIST = "demo_backend-2.0.tar.gz"
APP_SDIST = "demo_app-1.0.tar.gz"
APP_PYPROJECT = '[build-system]\nrequires = ["demo-backend>=1"]\nbuild-backend = "demo_backend"\n'
BACKEND_PYPROJECT = '[build-system]\nrequires = []\nbuild-backend = "demo_backend"\nbackend-path = ["."]\n'

#: The backend: builds a py3-none-any wheel of the project in the current folder (its PKG-INFO names it),
#: holding the project's package and `built_by.txt` = the ORIGIN of this backend copy.
BACKEND_SOURCE = '''
import base64, hashlib, os, zipfile
ORIGIN = {origin!r}

def _meta():
    fields = dict(line.split(": ", 1) for line in open("PKG-INFO").read().splitlines() if ": " in line)
    return fields["Name"], fields["Version"]

def get_requires_for_build_wheel(config_settings=None):
    return []

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = _meta()
    module = name.replace("-", "_")
    origin = ORIGIN if module != "demo_backend" else "{sdist}"
    files = {{}}
    for folder, _, names in os.walk(module):
        for n in names:
            if n.endswith(".py"):
                path = os.path.join(folder, n)
                data = open(path, "rb").read()
                if path == os.path.join("demo_backend", "__init__.py"):
                    data = data.replace(repr(ORIGIN).encode(), repr(origin).encode(), 1)
                files[path.replace(os.sep, "/")] = data
    if module != "demo_backend":
        files[module + "/built_by.txt"] = ORIGIN.encode()
    dist_info = f"{{module}}-{{version}}.dist-info"
    files[dist_info + "/METADATA"] = f"Metadata-Version: 2.1\\nName: {{name}}\\nVersion: {{version}}\\n".encode()
    files[dist_info + "/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: demo\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{{path}},sha256={{digest}},{{len(data)}}")
    record.append(dist_info + "/RECORD,,")
    files[dist_info + "/RECORD"] = ("\\n".join(record) + "\\n").encode()
    filename = f"{{module}}-{{version}}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return filename
'''


def backend_source(origin: str) -> str:
    return BACKEND_SOURCE.format(origin=origin, sdist=BACKEND_SDIST)


def _tar(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _wheel(path: Path, tag: str) -> None:
    files = {"demo_backend/__init__.py": backend_source(path.name).encode()}
    info = "demo_backend-2.0.dist-info"
    files[f"{info}/METADATA"] = b"Metadata-Version: 2.1\nName: demo-backend\nVersion: 2.0\n"
    files[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: demo\nRoot-Is-Purelib: false\nTag: {tag}\n".encode()
    lines = [f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
             for p, d in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*lines, f"{info}/RECORD,,"]) + "\n").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def build_index(root: Path) -> Path:
    """The PEP 503 index; returns its `simple` folder."""
    files = root / "files"
    files.mkdir(parents=True)
    for name in BACKEND_WHEELS:
        _wheel(files / name, name[len("demo_backend-2.0-"):-len(".whl")])
    _tar(files / BACKEND_SDIST, {"demo_backend-2.0/PKG-INFO": "Metadata-Version: 2.1\nName: demo-backend\nVersion: 2.0\n",
                                 "demo_backend-2.0/pyproject.toml": BACKEND_PYPROJECT,
                                 "demo_backend-2.0/demo_backend/__init__.py": backend_source(BACKEND_SDIST)})
    _tar(files / APP_SDIST, {"demo_app-1.0/PKG-INFO": "Metadata-Version: 2.1\nName: demo-app\nVersion: 1.0\n",
                             "demo_app-1.0/pyproject.toml": APP_PYPROJECT,
                             "demo_app-1.0/demo_app/__init__.py": ""})
    simple = root / "simple"
    for project, names in (("demo-backend", [*BACKEND_WHEELS, BACKEND_SDIST]), ("demo-app", [APP_SDIST])):
        (simple / project).mkdir(parents=True)
        links = "".join(f'<a href="../../files/{n}">{n}</a>\n' for n in names)
        (simple / project / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")
    return simple


#: (id, installer, profile id or None for this machine, extra flags)
SCENARIOS = [
    ("pip-native", "pip", None, []),
    ("pip-glibc2.17", "pip", "linux-x86_64-glibc2.17", []),
    ("pip-macos-arm64", "pip", "macos11-arm64", []),
    ("pip-no-binary-backend", "pip", None, ["--no-binary", "demo-backend"]),
    ("pip-only-binary-backend-glibc2.17", "pip", "linux-x86_64-glibc2.17", ["--only-binary", "demo-backend"]),
    ("pip-no-build-isolation", "pip", None, ["--no-build-isolation"]),
    ("uv-native", "uv", None, []),
    ("uv-no-binary-backend", "uv", None, ["--no-binary", "demo-backend"]),
    ("uv-no-build-isolation-package", "uv", None, ["--no-build-isolation-package", "demo-app"]),
    ("uv-no-build-isolation", "uv", None, ["--no-build-isolation"]),
]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "PYTHON"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "UV_NO_CONFIG": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"})
    return env


def profile_json(profile_id: str) -> str:
    profiles = json.loads((ROOT / "data" / "platforms.json").read_text())
    items = profiles["profiles"] if isinstance(profiles, dict) else profiles
    return json.dumps(next(p for p in items if p["id"] == profile_id))


def run(installer: str, exe: str, simple: Path, profile: str | None, flags: list[str], work: Path) -> dict[str, object]:
    target = work / "target"
    env = clean_env()
    if installer == "pip":
        cmd = [exe, "install", "-v", "--isolated", "--no-cache-dir", "--index-url", simple.as_uri(), "--target",
               str(target), *flags, "demo-app"]
        if profile is not None:
            env["PYTHONPATH"] = str(HOSTFACTS)
            env["TAGSIM_PROFILE"] = profile_json(profile)
    else:
        python = os.path.join(os.path.dirname(exe), "python")
        cmd = [exe, "pip", "install", "-v", "--no-cache", "--index-url", simple.as_uri(), "--python", python,
               "--target", str(target), *flags, "demo-app"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=work)
    log = proc.stdout + proc.stderr
    built_by = target / "demo_app" / "built_by.txt"
    log = log.replace(str(work), "<work>").replace(str(Path(exe).parent.parent), "<installer>")
    lines = [line.strip() for line in log.splitlines() if re.search(r"demo.backend|build dependencies|build environment",
                                                                   line, re.IGNORECASE)]
    return {"exit": proc.returncode, "build_env_got": built_by.read_text() if built_by.exists() else None,
            "installing_build_dependencies": "Installing build dependencies" in log, "log_lines": lines[:40]}


def version_of(exe: str) -> str:
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.split()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pip", required=True)
    parser.add_argument("--uv", required=True)
    args = parser.parse_args()
    exes = {"pip": args.pip, "uv": args.uv}
    results = []
    for scenario, installer, profile, flags in SCENARIOS:
        with tempfile.TemporaryDirectory() as folder:
            simple = build_index(Path(folder) / "index")
            answer = run(installer, exes[installer], simple, profile, flags, Path(folder))
        results.append({"id": scenario, "installer": f"{installer}=={version_of(exes[installer])}",
                        "profile": profile, "flags": flags, **answer})
        print(f"{scenario}: exit {answer['exit']}, build env got {answer['build_env_got']}", file=sys.stderr)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"recorded_by": "tools/fidelity/build_deps/record_build_deps.py",
                               "host": "linux-x86_64-glibc2.36", "backend_files": [*BACKEND_WHEELS, BACKEND_SDIST],
                               "app_pyproject": APP_PYPROJECT, "scenarios": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
