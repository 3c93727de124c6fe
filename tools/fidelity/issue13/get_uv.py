"""Fetch uv release wheels from PyPI (pip download) and unpack the uv binary into bin/uv-X.

Usage: python get_uv.py 0.4.3 0.4.30 ...
"""
import subprocess, sys, zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WHEELS, BIN = HERE / "wheels", HERE / "bin"


def get(version: str) -> Path | None:
    dest = BIN / f"uv-{version}"
    if dest.exists():
        return dest
    d = WHEELS / f"uv-{version}"
    d.mkdir(parents=True, exist_ok=True)
    if not list(d.glob("*.whl")):
        r = subprocess.run([sys.executable, "-m", "pip", "download", f"uv=={version}", "--no-deps",
                            "--only-binary", ":all:", "--platform", "manylinux_2_17_x86_64",
                            "--python-version", "3.12", "-d", str(d), "-q"],
                           timeout=600, capture_output=True, text=True)
        if r.returncode:
            print(version, "download failed", r.stderr[-500:])
            return None
    whl = next(d.glob("*.whl"))
    with zipfile.ZipFile(whl) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/scripts/uv") or n.endswith("/bin/uv"))
        dest.write_bytes(zf.read(name))
    dest.chmod(0o755)
    return dest


if __name__ == "__main__":
    for v in sys.argv[1:]:
        print(v, get(v), flush=True)
