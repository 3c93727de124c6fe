"""A deterministic synthetic index: realistic distribution filenames, streamed, never held in memory.

The mix of tag sets follows what a PyPI-like index holds: many pure-Python releases (an sdist and a
`py3-none-any` or `py2.py3-none-any` wheel), C extensions built per CPython version for the usual
platform matrix (compressed `manylinux_2_17_x86_64.manylinux2014_x86_64` sets, manylinux1, musllinux,
macOS x86_64/arm64/universal2, Windows), abi3 wheels, Rust/Go binaries tagged `py3-none-<platform>`
(the real uv listing's tag sets), PyPy wheels, build tags, `.zip` sdists, Requires-Python strings and
the odd yanked release. The weights are approximations of that mix, not a measurement of PyPI.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

_MANY = ["manylinux_2_17_x86_64.manylinux2014_x86_64", "manylinux_2_17_aarch64.manylinux2014_aarch64",
         "manylinux_2_5_x86_64.manylinux1_x86_64", "manylinux_2_5_i686.manylinux1_i686",
         "manylinux_2_17_i686.manylinux2014_i686", "manylinux_2_28_x86_64", "manylinux_2_28_aarch64",
         "manylinux_2_17_ppc64le.manylinux2014_ppc64le", "manylinux_2_17_s390x.manylinux2014_s390x",
         "musllinux_1_1_x86_64", "musllinux_1_2_x86_64", "musllinux_1_2_aarch64", "linux_x86_64"]
_MAC = ["macosx_10_9_x86_64", "macosx_11_0_arm64", "macosx_10_9_universal2", "macosx_10_13_x86_64",
        "macosx_12_0_arm64", "macosx_14_0_arm64"]
_WIN = ["win_amd64", "win32", "win_arm64"]
_PLATFORM_SETS = [
    # (weight, platforms): the build matrices projects publish
    (30, ["manylinux_2_17_x86_64.manylinux2014_x86_64", "macosx_10_9_x86_64", "macosx_11_0_arm64", "win_amd64"]),
    (20, ["manylinux_2_17_x86_64.manylinux2014_x86_64", "manylinux_2_17_aarch64.manylinux2014_aarch64",
          "musllinux_1_2_x86_64", "macosx_10_9_universal2", "win_amd64", "win32"]),
    (15, ["manylinux_2_5_x86_64.manylinux1_x86_64", "manylinux_2_5_i686.manylinux1_i686", "macosx_10_9_x86_64",
          "win_amd64", "win32"]),
    (10, _MANY[:9] + _MAC[:3] + _WIN),
    (10, ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64", "macosx_12_0_arm64", "win_amd64"]),
    (5, ["linux_x86_64"]),
    (10, ["manylinux_2_17_x86_64.manylinux2014_x86_64", "musllinux_1_1_x86_64", "macosx_10_13_x86_64",
          "macosx_14_0_arm64", "win_amd64", "win_arm64"]),
]
_PYTHONS = ["cp36", "cp37", "cp38", "cp39", "cp310", "cp311", "cp312", "cp313"]
_REQUIRES = [None, None, ">=3.8", ">=3.9", ">=3.7", ">=3.6", ">=3.10", ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*",
             ">=3.8,<4", ">=3.11"]


def uv_tag_sets() -> list[str]:
    """The tag sets of the real uv listing (data/demo/pypi-simple-uv.json), as Rust-binary releases use them."""
    document = json.loads((_ROOT / "data" / "demo" / "pypi-simple-uv.json").read_text(encoding="utf-8"))
    sets = []
    for entry in document["files"]:
        name = entry["filename"]
        if name.endswith(".whl"):
            sets.append("-".join(name[:-4].split("-")[-3:]))
    return sorted(set(sets))


def _abi(py: str) -> str:
    return py + ("m" if py in ("cp36", "cp37") else "")


class Corpus:
    """`lines(n)`: the first n filenames (or JSON lines) of one fixed, endless listing."""

    def __init__(self, seed: int = 2024) -> None:
        self.seed = seed
        self.uv_sets = uv_tag_sets()

    def files(self) -> Iterator[tuple[str, str, str | None, bool]]:
        """(project, filename, requires-python, yanked), project after project, forever."""
        rng = random.Random(self.seed)
        weights = [w for w, _ in _PLATFORM_SETS]
        number = 0
        while True:
            number += 1
            project = f"proj-{number}"
            dist = project.replace("-", "_")
            kind = rng.choices(["pure3", "pure23", "ext", "abi3", "binary", "sdist-only", "pypy"],
                               [45, 12, 9, 4, 2, 26, 2])[0]
            releases = max(1, min(int(rng.expovariate(1 / 7)) + 1, 120))
            platforms = rng.choices(_PLATFORM_SETS, weights)[0][1]
            first_py = rng.randrange(0, 5)
            for index in range(releases):
                version = f"{index // 10}.{index % 10}.{rng.randrange(3)}"
                if rng.random() < 0.03:
                    version += rng.choice(["rc1", "b2", ".post1", ".dev0"])
                requires = rng.choice(_REQUIRES)
                yanked = rng.random() < 0.01
                names: list[str] = []
                if kind != "binary" or rng.random() < 0.5:
                    names.append(f"{dist}-{version}." + ("zip" if rng.random() < 0.05 else "tar.gz"))
                if kind == "pure3":
                    names.append(f"{dist}-{version}-py3-none-any.whl")
                elif kind == "pure23":
                    names.append(f"{dist}-{version}-py2.py3-none-any.whl")
                elif kind in ("ext", "pypy"):
                    start = min(first_py + index // 6, len(_PYTHONS) - 1)
                    pys = _PYTHONS[start:start + 4]
                    for py in pys:
                        for plat in platforms:
                            names.append(f"{dist}-{version}-{py}-{_abi(py)}-{plat}.whl")
                    if kind == "pypy":
                        names.append(f"{dist}-{version}-pp310-pypy310_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
                        names.append(f"{dist}-{version}-pp39-pypy39_pp73-win_amd64.whl")
                elif kind == "abi3":
                    for plat in platforms:
                        names.append(f"{dist}-{version}-cp38-abi3-{plat}.whl")
                elif kind == "binary":
                    for tagset in rng.sample(self.uv_sets, k=min(len(self.uv_sets), rng.randrange(8, 20))):
                        names.append(f"{dist}-{version}-{tagset}.whl")
                if rng.random() < 0.02 and len(names) > 1:
                    names.append(names[-1].replace(f"-{version}-", f"-{version}-1-", 1))  # a build tag
                if rng.random() < 0.002:
                    names.append(f"{dist}-{version}.win-amd64.exe")  # an unusable file, reported
                for name in names:
                    yield project, name, requires, yanked

    def lines(self, count: int, *, json_lines: bool = False) -> Iterator[str]:
        for produced, (project, name, requires, yanked) in enumerate(self.files()):
            if produced >= count:
                return
            if json_lines:
                yield json.dumps({"project": project, "filename": name, "requires-python": requires, "yanked": yanked})
            else:
                yield name
