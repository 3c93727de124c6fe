"""Download a handful of small real sdists once, and record what tagsim reads of them as fixtures.

    python tools/fidelity/sdists/record_sdists.py           # download (cached) and rewrite the fixtures

One sdist per kind of build (maturin, setuptools-rust, Cython, scikit-build-core/CMake, meson-python,
a C extension in setup.py, pure Python flit, pure Python legacy setup.py). Each is fetched from
PyPI's simple API (PEP 691 JSON: URL and sha256), checked against that sha256, and kept in
`~/.cache/tagsim/sdists/` (or `$TAGSIM_SDIST_DIR`): the offline tests use the real file when it is
there and skip loudly when not. What tagsim reads of each (every member name, and the top-level
pyproject.toml, setup.py, Cargo.toml and CMakeLists.txt) is written to
`tests/fixtures/sdists/sdists.json`, so the needs tests always run. All eight are under licenses
that allow redistribution (listed per file). The page of maturin (the seed case's build
requirement) is recorded too, as filenames with requires-python and yanked, for the local index.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "tests" / "fixtures" / "sdists"
ACCEPT = "application/vnd.pypi.simple.v1+json"
READ = ("pyproject.toml", "setup.py", "Cargo.toml", "CMakeLists.txt")

#: (project, filename, license, kind)
SDISTS = [
    ("uv", "uv-0.1.40.tar.gz", "MIT OR Apache-2.0", "maturin"),
    ("bcrypt", "bcrypt-4.1.2.tar.gz", "Apache-2.0", "setuptools-rust"),
    ("pyyaml", "PyYAML-6.0.1.tar.gz", "MIT", "Cython + C extension in setup.py"),
    ("pyzmq", "pyzmq-26.0.3.tar.gz", "BSD-3-Clause", "scikit-build-core / CMake"),
    ("siphash24", "siphash24-1.6.tar.gz", "MIT", "meson-python"),
    ("markupsafe", "MarkupSafe-2.1.5.tar.gz", "BSD-3-Clause", "C extension in setup.py"),
    ("idna", "idna-3.7.tar.gz", "BSD-3-Clause", "pure Python (flit_core)"),
    ("six", "six-1.16.0.tar.gz", "MIT", "pure Python (legacy setup.py, no pyproject.toml)"),
]


def cache_dir() -> Path:
    env = os.environ.get("TAGSIM_SDIST_DIR")
    return Path(env) if env else Path.home() / ".cache" / "tagsim" / "sdists"


def page(project: str) -> dict:
    request = urllib.request.Request(f"https://pypi.org/simple/{project}/", headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def download(project: str, filename: str) -> tuple[Path, dict]:
    entry = next(f for f in page(project)["files"] if f["filename"] == filename)
    target = cache_dir() / filename
    expected = entry["hashes"]["sha256"]
    if not target.exists() or hashlib.sha256(target.read_bytes()).hexdigest() != expected:
        with urllib.request.urlopen(entry["url"], timeout=120) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != expected:
            sys.exit(f"{filename}: sha256 does not match the index")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target, entry


def record(path: Path) -> dict:
    members, texts = [], {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            members.append(member.name)
            parts = member.name.split("/")
            if len(parts) == 2 and parts[1] in READ and member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                texts[member.name] = extracted.read().decode("utf-8")
    return {"members": members, "texts": texts}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    records = []
    for project, filename, license_, kind in SDISTS:
        path, entry = download(project, filename)
        records.append({"project": project, "filename": filename, "license": license_, "kind": kind,
                        "sha256": entry["hashes"]["sha256"], "size": path.stat().st_size, **record(path)})
        print(f"{filename}: {records[-1]['size']} bytes, {len(records[-1]['members'])} members")
    (OUT / "sdists.json").write_text(json.dumps({"recorded_by": "tools/fidelity/sdists/record_sdists.py",
                                                 "sdists": records}, indent=1) + "\n")
    maturin = page("maturin")
    # maturin 1.x only (the seed's `maturin>=1.0,<2.0`), to keep the fixture small.
    keep = [{k: f.get(k) for k in ("filename", "requires-python", "yanked")} for f in maturin["files"]
            if f["filename"].startswith("maturin-1.")]
    (OUT / "maturin-page.json").write_text(json.dumps({"meta": maturin["meta"], "name": "maturin", "files": keep,
                                                       "recorded_by": "tools/fidelity/sdists/record_sdists.py"},
                                                      separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
