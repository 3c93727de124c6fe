"""Writes the small, fixed corpus the golden outputs read (byte-reproducible: fixed mtimes)."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MTIME = 1577836800


def _tar_gz(path: Path, members: dict[str, bytes]) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), MTIME, 0o644
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(raw.getvalue(), mtime=MTIME))


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)


def main() -> None:
    dist = HERE / "dist"
    dist.mkdir(exist_ok=True)
    _tar_gz(dist / "rusty-1.0.tar.gz", {
        "rusty-1.0/pyproject.toml": b'[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n',
        "rusty-1.0/Cargo.toml": b"[package]\nname = 'rusty'\n"})
    _zip(dist / "rusty-0.9-cp312-cp312-manylinux_2_28_x86_64.whl", {
        "rusty-0.9.dist-info/WHEEL": b"Wheel-Version: 1.0\nTag: cp312-cp312-manylinux_2_28_x86_64\n",
        "rusty-0.9.dist-info/METADATA": b"Metadata-Version: 2.1\nName: rusty\nVersion: 0.9\n"})
    _zip(dist / "rusty-1.0-cp312-cp312-manylinux_2_28_x86_64.whl", {
        "rusty-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nTag: cp312-cp312-manylinux_2_17_x86_64\n",
        "rusty-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: rusty\nVersion: 1.0\n"})
    (dist / "rusty-1.0-cp312-cp312-win_amd64.whl").write_bytes(b"not a zip")
    (dist / "README.txt").write_text("not a distribution\n")
    (HERE / "names.txt").write_text("# a list\ndemo-1.0-py3-none-any.whl\ndemo-1.1-cp312-cp312-manylinux_2_28_aarch64.whl\n"
                                    "demo-1.1.tar.gz\nnonsense\n\n")
    (HERE / "page.html").write_text(
        '<!DOCTYPE html><html><body>\n'
        '<a href="../../files/demo-1.1-cp312-cp312-manylinux2014_aarch64.whl#sha256=00" '
        'data-requires-python="&gt;=3.8">demo-1.1-cp312-cp312-manylinux2014_aarch64.whl</a>\n'
        '<a href="demo-1.1-cp312-cp312-manylinux_2_17_aarch64.whl" data-yanked="broken">x</a>\n'
        '<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>\n</body></html>\n')
    (HERE / "stream.jsonl").write_text(
        "uv-0.1.40-py3-none-manylinux_2_28_aarch64.whl\nuv-0.1.40.tar.gz\nuv-0.1.39-py3-none-manylinux_2_17_aarch64.whl\n"
        '{"project": "demo", "filename": "demo-1.0-py3-none-any.whl", "requires-python": ">=3.13"}\n'
        '{"project": "demo", "filename": "demo-0.9-py3-none-win_amd64.whl", "yanked": "bad"}\n'
        '{"project": "demo", "filename": "demo-0.8.tar.gz"}\n'
        '{"project": "demo", "filename": "other-1.0.tar.gz"}\n'
        "{not json\n"
        "nonsense.whl\n")


if __name__ == "__main__":
    main()
