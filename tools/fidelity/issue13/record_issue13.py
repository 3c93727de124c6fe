#!/usr/bin/env python3
"""Record what REAL installers choose for the three issue-13 fidelity questions.

Offline: every run reads a throwaway local index (PEP 503 pages under `simple/`,
served as file:// or, for uv 0.1.x which reads no file:// index, over
http://127.0.0.1) or a --find-links folder of tiny dummy wheels.  Each wheel
installs a marker file that names its own filename, so the marker says which
file was chosen (uv: `uv pip install --target`; pip: `pip download`, the file
saved is the choice).  Every installer run has a timeout and a fresh cache.

Subcommands
  q1            uv Requires-Python scenarios x interpreter modes (results/q1_uv.json)
  q1-bisect     key case `!=3.9.0,!=3.9.1,>=3.9` over many uv versions (results/q1_bisect.json)
  q2            tie scenarios through a folder and an index page, pip and uv (results/q2_ties.json)

Installers: uv binaries in bin/uv-X (get_uv.py), pips in venvs/pip-X
(make_pip_venvs.sh).  Python interpreters come from pyenv.

The dummy wheel/index writer below is written for this script (the same idea as
tagsim's dummy_index module, but standalone so it does not break if that module moves).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN, VENVS, RESULTS = HERE / "bin", HERE / "venvs", HERE / "results"
PYENV = Path("/root/.pyenv/versions")
PY39, PY312 = PYENV / "3.9.18/bin/python", PYENV / "3.12.1/bin/python"
TIMEOUT = 90.0
MARKER = "demo_chosen.txt"


# ------------------------------------------------------------------ dummy files
def _record_row(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def write_wheel(dest: Path, filename: str, requires_python: str | None) -> Path:
    """A valid, installable wheel whose only payload names its own filename."""
    parts = filename[:-4].split("-")
    project, version = parts[0], parts[1]
    build = parts[2] if len(parts) == 6 else None
    tags = [f"{p}-{a}-{pl}" for p in parts[-3].split(".") for a in parts[-2].split(".")
            for pl in parts[-1].split(".")]
    di = f"{project}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n"
    if requires_python:
        meta += f"Requires-Python: {requires_python}\n"
    wheel = "Wheel-Version: 1.0\nGenerator: issue13\nRoot-Is-Purelib: true\n" + "".join(
        f"Tag: {t}\n" for t in tags) + (f"Build: {build}\n" if build else "")
    members = {MARKER: (filename + "\n").encode(), f"{di}/METADATA": (meta + "\n").encode(),
               f"{di}/WHEEL": wheel.encode()}
    record = [_record_row(k, v) for k, v in members.items()] + [f"{di}/RECORD,,"]
    members[f"{di}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = dest / filename
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return path


def build_index(root: Path, files: list[tuple[str, str | None]]) -> tuple[Path, Path]:
    """root/files/ (find-links folder, files created in list order) and root/simple/demo/ (page in list order)."""
    fdir, sdir = root / "files", root / "simple"
    fdir.mkdir(parents=True)
    (sdir / "demo").mkdir(parents=True)
    links = []
    for name, rp in files:
        p = write_wheel(fdir, name, rp)
        time.sleep(0.01)  # distinct mtimes/ctimes, in creation order
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        attrs = f'href="../../files/{html.escape(name)}#sha256={sha}"'
        if rp:
            attrs += f' data-requires-python="{html.escape(rp, quote=True)}"'
        links.append(f"<a {attrs}>{html.escape(name)}</a><br/>")
    page = ("<!DOCTYPE html>\n<html><head><title>Links for demo</title></head><body>\n"
            + "\n".join(links) + "\n</body></html>\n")
    (sdir / "demo" / "index.html").write_text(page)
    (sdir / "index.html").write_text('<!DOCTYPE html><html><body><a href="demo/">demo</a></body></html>\n')
    return fdir, sdir


class HttpIndex:
    """Serve an index root on 127.0.0.1 (for uv 0.1.x, which reads no file:// index)."""

    def __init__(self, root: Path):
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/simple/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


# ------------------------------------------------------------------ running
def run(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = TIMEOUT) -> tuple[int | None, str]:
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out.decode(errors="replace")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "PYTHON", "CONDA", "VIRTUAL_ENV"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "NO_COLOR": "1"})
    env.update(extra)
    return env


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def relevant_lines(out: str, kind: str) -> str:
    out = ANSI.sub("", out)
    lines = [x.strip() for x in out.splitlines()]
    if kind == "uv":
        keep = [x for x in lines if "Selecting" in x or "Because" in x or "requires Python" in x
                or "Skipping file" in x or "target Python version" in x or "installed Python version" in x
                or "requires-python" in x.lower()
                or x.startswith("error:") or "hint:" in x or "unsatisfiable" in x]
    else:
        keep = [x for x in lines if ("demo-" in x and ("Saved" in x or "File was" in x or "Found link" in x
                                                        or "Skipping link" in x or "Collecting" in x))
                or x.startswith("ERROR") or "Requires-Python" in x]
    return " | ".join(keep)[:1500]


def uv_version(exe: Path) -> str:
    return exe.name.split("-", 1)[1]


_FILE_URL_OK: dict[str, bool] = {}


def run_uv(exe: Path, source: str, fdir: Path, sdir: Path, work: Path, extra: list[str]) -> dict:
    """uv pip install --target into a fresh dir, fresh cache; returns a record (no installer/scenario keys)."""
    ver = uv_version(exe)
    site = work / f"target-{len(list(work.glob('target-*')))}"
    cache = work / f"uv-cache-{site.name}"
    env = clean_env(UV_NO_CONFIG="1", UV_CACHE_DIR=str(cache), UV_PYTHON_DOWNLOADS="never", HOME=str(work))
    base = [str(exe), "pip", "install", "--no-deps", "--target", str(site), "-v", *extra]

    def go(src_args: list[str]) -> tuple[int | None, str]:
        return run([*base, *src_args, "demo"], env, work)

    note = ""
    if source == "find-links":
        rc, out = go(["--no-index", "--find-links", str(fdir)])
    elif _FILE_URL_OK.get(ver, True):
        rc, out = go(["--index-url", sdir.resolve().as_uri() + "/"])
        if rc not in (0, None) and ("scheme" in out.lower() and "not" in out.lower()):
            _FILE_URL_OK[ver] = False
    if source == "index" and not _FILE_URL_OK.get(ver, True):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        with HttpIndex(sdir.parent) as url:
            rc, out = go(["--index-url", url])
        note = "index served on http://127.0.0.1 (this uv reads no file:// index)"
    marker = site / MARKER
    chosen = marker.read_text().strip() if marker.is_file() else None
    if rc is None:
        status = "timeout"
    elif rc == 0 and chosen:
        status = "chosen"
    elif "No solution found" in out or "unsatisfiable" in out or "Because" in out:
        status = "no-match"
    else:
        status = "error"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return {"status": status, "chosen": chosen if status == "chosen" else ("no-match" if status == "no-match" else None),
            "rc": rc, "log": relevant_lines(out, "uv") or ANSI.sub("", out).strip()[-600:], "note": note,
            "argv_tail": " ".join(extra)}


def run_pip(venv: Path, source: str, fdir: Path, sdir: Path, work: Path, extra: list[str]) -> dict:
    dest = work / f"dl-{len(list(work.glob('dl-*')))}"
    py = venv / "bin" / "python"
    cfg = work / "empty-pip.conf"
    cfg.write_text("")
    env = clean_env(PIP_CONFIG_FILE=str(cfg), HOME=str(work))
    src = (["--no-index", "--find-links", str(fdir)] if source == "find-links"
           else ["--index-url", sdir.resolve().as_uri() + "/"])
    rc, out = run([str(py), "-m", "pip", "download", "--isolated", "--no-deps", "--no-cache-dir",
                   "--disable-pip-version-check", "-v", "-d", str(dest), *src, *extra, "demo"], env, work)
    got = sorted(p.name for p in dest.glob("*")) if dest.exists() else []
    if rc is None:
        status, chosen = "timeout", None
    elif rc == 0 and len(got) == 1:
        status, chosen = "chosen", got[0]
    elif "No matching distribution" in out or "Could not find a version" in out:
        status, chosen = "no-match", "no-match"
    else:
        status, chosen = "error", None
    shutil.rmtree(dest, ignore_errors=True)
    return {"status": status, "chosen": chosen, "rc": rc, "log": relevant_lines(out, "pip"), "note": "",
            "argv_tail": " ".join(extra)}


def pip_version(venv: Path) -> str:
    return venv.name.split("-", 1)[1]


# ------------------------------------------------------------------ question 1
Q1_SPECS = [
    "!=3.9.0,>=3.9", "!=3.9.0,!=3.9.1,>=3.9", "!=3.9.1,>=3.9", "!=3.8.*,>=3.7", "!=3.9.*,>=3.7",
    "!=3.9.5,>=3.9", "!=3.10.0,>=3.9", "~=3.9", "~=3.9.0", "==3.9.*", ">3.9", ">=3.9.2", ">=3.9.0",
    ">=3.9,<3.9.1", "<3.10", ">3.8", ">=3.9+local", "==3.9.0+local", "!=3.9.0,!=3.9.1,>=3.7",
    ">=3.9.0,!=3.9.0", "!=3.9,>=3.9", ">3.9.0", "===3.9.0", "!=3.9.0", ">=3.10",
]
# (mode id, extra uv arguments, what it stands for)
Q1_MODES = [
    ("pv3.9@py3.9.18", ["--python", str(PY39), "--python-version", "3.9"], "--python-version 3.9 with a real 3.9.18"),
    ("native3.9.18", ["--python", str(PY39)], "real CPython 3.9.18, no --python-version"),
    ("pv3.9@py3.12.1", ["--python", str(PY312), "--python-version", "3.9"], "--python-version 3.9, 3.12 interpreter"),
    ("pv3.9.0@py3.9.18", ["--python", str(PY39), "--python-version", "3.9.0"], "--python-version 3.9.0"),
    ("pv3.9.1@py3.9.18", ["--python", str(PY39), "--python-version", "3.9.1"], "--python-version 3.9.1"),
    ("pv3.9.2@py3.9.18", ["--python", str(PY39), "--python-version", "3.9.2"], "--python-version 3.9.2"),
]
KEY_SPEC = "!=3.9.0,!=3.9.1,>=3.9"


def q1_files(spec: str) -> list[tuple[str, str | None]]:
    return [("demo-0.9-py3-none-any.whl", None), ("demo-1.0-py3-none-any.whl", spec)]


def q1(uvs: list[Path], specs: list[str], modes: list[tuple[str, list[str], str]], out_name: str,
       sources: tuple[str, ...] = ("index",)) -> list[dict]:
    records = []
    for i, spec in enumerate(specs):
        with tempfile.TemporaryDirectory(prefix="issue13-q1-") as tmp:
            work = Path(tmp)
            fdir, sdir = build_index(work / "idx", q1_files(spec))
            for exe in uvs:
                for mode, extra, meaning in modes:
                    for source in sources:
                        rec = {"question": "q1", "installer": f"uv=={uv_version(exe)}", "scenario": spec,
                               "files": {"demo-1.0-py3-none-any.whl": spec, "demo-0.9-py3-none-any.whl": None},
                               "source": source, "mode": mode, "mode_meaning": meaning}
                        rec.update(run_uv(exe, source, fdir, sdir, work, extra))
                        records.append(rec)
                        print(f"{rec['installer']:11} {mode:18} {source:10} {spec:24} -> {rec['status']:8} "
                              f"{rec['chosen'] or ''}", flush=True)
        save(out_name, records)
    return records


# ------------------------------------------------------------------ question 2
Q2_PAIRS = {
    "a-build-1-vs-2": ("demo-1.0-1-py3-none-any.whl", "demo-1.0-2-py3-none-any.whl"),
    "b-nobuild-vs-build-1": ("demo-1.0-py3-none-any.whl", "demo-1.0-1-py3-none-any.whl"),
    "c-py3-vs-py2.py3": ("demo-1.0-py3-none-any.whl", "demo-1.0-py2.py3-none-any.whl"),
    "e-build-2-vs-10": ("demo-1.0-2-py3-none-any.whl", "demo-1.0-10-py3-none-any.whl"),
    "f-three-equal-tags": ("demo-1.0-py3-none-any.whl", "demo-1.0-py2.py3-none-any.whl",
                           "demo-1.0-py30.py3-none-any.whl"),
}


def fs_type(path: Path) -> str:
    """Filesystem type of a path (from /proc/mounts, longest matching mount point)."""
    best, kind = "", "?"
    for line in Path("/proc/mounts").read_text().splitlines():
        parts = line.split()
        mnt = parts[1]
        if str(path.resolve()).startswith(mnt.rstrip("/") + "/") and len(mnt) > len(best):
            best, kind = mnt, parts[2]
    return kind


def q2(uvs: list[Path], pips: list[Path], out_name: str, sources: tuple[str, ...] = ("find-links", "index"),
       root: str | None = None) -> list[dict]:
    records = []
    for sid, names in Q2_PAIRS.items():
        orders = {"listed": list(names), "reversed": list(reversed(names))}
        for order_id, order in orders.items():
            with tempfile.TemporaryDirectory(prefix="issue13-q2-", dir=root) as tmp:
                work = Path(tmp)
                fdir, sdir = build_index(work / "idx", [(n, None) for n in order])
                readdir = os.listdir(fdir)
                fs = fs_type(fdir)
                for source in sources:
                    jobs = [("uv", exe) for exe in uvs] + [("pip", v) for v in pips]
                    for kind, thing in jobs:
                        if kind == "uv":
                            extra = ["--python", str(PY312)]
                            rec = run_uv(thing, source, fdir, sdir, work, extra)
                            inst = f"uv=={uv_version(thing)}"
                        else:
                            rec = run_pip(thing, source, fdir, sdir, work, [])
                            inst = f"pip=={pip_version(thing)}"
                        rec = {"question": "q2", "installer": inst, "scenario": sid, "source": source,
                               "creation_and_page_order": order, "order_id": order_id,
                               "readdir_order": readdir, "folder_fs": fs, "alphabetical_first": sorted(order)[0], **rec}
                        records.append(rec)
                        print(f"{inst:13} {sid:22} {order_id:8} {source:10} -> {rec['status']:8} "
                              f"{rec['chosen'] or ''}", flush=True)
        save(out_name, records)
    return records


# ------------------------------------------------------------------ main
def save(name: str, records: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    meta = {"host": os.uname().sysname + "-" + os.uname().machine, "recorded_by": "record_issue13.py",
            "date": time.strftime("%Y-%m-%d %H:%M:%S"), "records": records}
    (RESULTS / name).write_text(json.dumps(meta, indent=1) + "\n")


def uv_exes(versions: str) -> list[Path]:
    out = []
    for v in versions.split(","):
        exe = BIN / f"uv-{v}"
        if not exe.exists():
            subprocess.run([sys.executable, str(HERE / "get_uv.py"), v], check=True, timeout=900)
        out.append(exe)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["q1", "q1-bisect", "q2"])
    ap.add_argument("--uv", default="")
    ap.add_argument("--pip", default="")
    ap.add_argument("--specs", default="", help="';'-separated requires-python values (q1)")
    ap.add_argument("--modes", default="", help="comma-separated mode ids (q1)")
    ap.add_argument("--sources", default=None, help="index and/or find-links (q1 default: index; q2: both)")
    ap.add_argument("--out", default="")
    ap.add_argument("--root", default=None, help="q2: where to create the folders (e.g. /dev/shm for tmpfs)")
    a = ap.parse_args()
    modes = [m for m in Q1_MODES if not a.modes or m[0] in a.modes.split(",")]
    if a.what == "q1":
        specs = a.specs.split(";") if a.specs else Q1_SPECS
        q1(uv_exes(a.uv or "0.13.9"), specs, modes, a.out or "q1_uv.json", tuple((a.sources or "index").split(",")))
    elif a.what == "q1-bisect":
        specs = a.specs.split(";") if a.specs else [KEY_SPEC]
        q1(uv_exes(a.uv), specs, modes, a.out or "q1_bisect.json", tuple((a.sources or "index").split(",")))
    else:
        pips = [VENVS / f"pip-{v}" for v in a.pip.split(",") if v]
        sources = tuple((a.sources or "find-links,index").split(","))
        q2(uv_exes(a.uv) if a.uv else [], pips, a.out or "q2_ties.json", sources, a.root)


if __name__ == "__main__":
    main()
