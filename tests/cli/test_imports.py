"""Imports only where used: the network stack for URLs, archive modules for archives at hand, tabulate for text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UV = str(ROOT / "data" / "demo" / "pypi-simple-uv.json")
NETWORK = {"http.client", "ssl", "urllib.request", "tagsim.files.remote"}
ARCHIVES = {"tarfile", "zipfile", "lzma", "bz2", "tagsim.files.archives", "tagsim.files.archive_scan"}
TEXT = {"tabulate", "tagsim.render.text", "tagsim.render.markdown", "tagsim.render.html"}
#: What other reports and inputs need: a history of a saved page reads no lock file, streams nothing, detects
#: no host, parses no HTML, hashes no cache entry.
OTHERS = {"tomllib", "tagsim.files.locks.detect", "tagsim.report.lock", "tagsim.render.lock", "tagsim.report.stream",
          "tagsim.render.stream_json", "tagsim.platform.here", "tagsim.platform.pip_debug", "html.parser", "hashlib",
          "importlib.resources", "shutil"}


def loaded_after(*argv: str, codes: tuple[int, ...] = (0, 1)) -> set[str]:
    """The modules a command run in a fresh interpreter has imported when it is done."""
    code = ("import contextlib, io, json, sys\nfrom tagsim.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    code = main(sys.argv[1:])\n"
            "print(json.dumps([code, sorted(sys.modules)]))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True, cwd=ROOT)
    code_, modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert code_ in codes, done.stderr
    return set(modules)


def test_json_of_a_saved_page_loads_no_network_archive_or_text_modules() -> None:
    loaded = loaded_after("history", UV, "--format", "json", "--platform", "windows-amd64", "--since", "0.9")
    assert not loaded & (NETWORK | ARCHIVES | TEXT | OTHERS), sorted(loaded & (NETWORK | ARCHIVES | TEXT | OTHERS))
    loaded = loaded_after("check", UV, "--spec", "uv==0.1.44", "--format", "json", "--platform", "windows-amd64")
    assert not loaded & (NETWORK | ARCHIVES | TEXT)


def test_each_is_loaded_when_it_is_used(tmp_path: Path) -> None:
    text = loaded_after("check", UV, "--spec", "uv==0.1.44", "--platform", "windows-amd64")
    assert {"tabulate", "tagsim.render.text"} <= text and not text & NETWORK
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "demo-1.0.tar.gz").write_bytes(b"not gzip")  # an archive at hand is opened (and found unreadable)
    archives = loaded_after("explain", "linux-x86_64-glibc2.28", str(dist), "--format", "json")
    assert {"tagsim.files.archives"} <= archives and not archives & NETWORK
    url = loaded_after("explain", "linux-x86_64-glibc2.28", "http://127.0.0.1:9/simple/demo/", "--offline",
                       "--format", "json", codes=(2,))  # --offline: the cache only (an error here, after the import)
    assert "tagsim.files.remote" in url
