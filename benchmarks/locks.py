"""Lock-file benchmark: a 500-package pylock x 43 profiles x 2 Pythons x 2 installers (issue 15).

    python benchmarks/locks.py [--packages 500] [--repeat 3]

Measured in the same run, on the same synthetic lock:
- `tagsim check pylock.toml ... --format json` as one process (wall, what a CI step pays);
- in-process `report.lock.run_lock` (the whole lock, one `answer_package` call per package over all columns);
- the per-project loop a user would otherwise write: `report.check.run_check` once per package, with the
  package's locked files, `--spec NAME==VERSION`, the same rows and installers (no marker selection).
The ratio is per-project loop / run_lock. Machine and load are printed with the numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

#: Wheel sets a locked package may have (cycled), as real locks mix them.
SHAPES = [
    ["py3-none-any"],
    ["cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
     "cp310-cp310-manylinux_2_17_aarch64.manylinux2014_aarch64", "cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64",
     "cp310-cp310-musllinux_1_2_x86_64", "cp312-cp312-musllinux_1_2_x86_64", "cp310-cp310-macosx_11_0_arm64",
     "cp312-cp312-macosx_11_0_arm64", "cp310-cp310-win_amd64", "cp312-cp312-win_amd64", "sdist"],
    ["cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64", "cp39-abi3-macosx_10_12_universal2", "cp39-abi3-win_amd64",
     "sdist"],
    ["sdist"],
    ["py2.py3-none-any", "sdist"],
    ["cp312-cp312-manylinux_2_28_x86_64", "cp312-cp312-win_amd64"],
]
MARKERS = ["", "sys_platform == 'win32'", "python_version < '3.11'", "platform_machine == 'x86_64'"]


def write_lock(path: Path, count: int) -> None:
    lines = ['lock-version = "1.0"', 'created-by = "tagsim-benchmark"', 'requires-python = ">=3.10"']
    for n in range(count):
        name, shape = f"pkg{n:03d}", SHAPES[n % len(SHAPES)]
        lines += ["", "[[packages]]", f'name = "{name}"', 'version = "1.0"']
        marker = MARKERS[n % 7 % len(MARKERS)] if n % 7 < len(MARKERS) else ""
        if marker:
            lines.append(f'marker = "{marker}"')
        wheels = [t for t in shape if t != "sdist"]
        if wheels:
            lines.append("wheels = [" + ", ".join(
                f'{{ url = "https://f.example/{name}-1.0-{t}.whl", hashes = {{ sha256 = "00" }} }}' for t in wheels) + "]")
        if "sdist" in shape:
            lines.append(f'sdist = {{ url = "https://f.example/{name}-1.0.tar.gz", hashes = {{ sha256 = "00" }} }}')
    path.write_text("\n".join(lines) + "\n")


def median_wall(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from tagsim import bundled_profiles, parse_installer, parse_python
    from tagsim.choice.decide import clear_caches
    from tagsim.choice.requirement import parse_spec
    from tagsim.files.locks.detect import read_lock
    from tagsim.report.check import build_rows, run_check
    from tagsim.report.lock import run_lock

    profiles = list(bundled_profiles().values())
    pythons = [parse_python("cp310"), parse_python("cp312")]
    installers = [parse_installer("pip"), parse_installer("uv")]
    rows = build_rows(profiles, pythons)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pylock.toml"
        write_lock(path, args.packages)
        lock = read_lock(str(path))
        argv = [sys.executable, "-m", "tagsim", "check", str(path), "--python", "cp310", "--python", "cp312",
                "--installer", "pip", "--installer", "uv", "--format", "json", "--no-fetch-sdist",
                *(a for p in profiles for a in ("--platform", p.id))]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

        def process() -> None:
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=False)

        def whole() -> None:
            clear_caches()
            run_lock(lock, rows, installers)

        def loop() -> None:
            clear_caches()
            for pkg in lock.packages:
                run_check(list(pkg.files), rows, installers, req=parse_spec(f"{pkg.name}=={pkg.version}"))

        cells = len(rows) * len(installers) * len(lock.packages)
        t_process = median_wall(process, args.repeat)
        t_whole = median_wall(whole, args.repeat)
        t_loop = median_wall(loop, args.repeat)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load[0]:.2f} {load[1]:.2f}")
    print(f"lock: {args.packages} packages x {len(profiles)} profiles x 2 Pythons x 2 installers = {cells} decisions")
    print(f"tagsim check (one process, JSON out): {t_process:.2f} s")
    print(f"run_lock in-process:                 {t_whole:.2f} s")
    print(f"per-project loop (run_check each):   {t_loop:.2f} s  (ratio loop / run_lock: {t_loop / t_whole:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
