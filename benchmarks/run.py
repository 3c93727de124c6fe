"""tagsim benchmarks: one command, a table of medians and ratios measured side by side in this run.

    python benchmarks/run.py            # everything (the 1M-file scale run takes about a minute)
    python benchmarks/run.py --quick    # smaller sizes and fewer repeats
    python benchmarks/run.py --only tags,history,scale,e2e,import

Sections: (1) tag list construction against packaging's own generation, (2) the uv history matrix
against a naive per-decision baseline, (3) a streamed synthetic index of 10k/100k/1M filenames x 30
profiles (throughput, peak memory, scaling), (4) `tagsim check` as a process, (5) import time.
Timings are wall-clock medians; CPU time is shown too, since a busy machine inflates wall time.
Nothing here asserts a time: the unit tests check answers, this reports speed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

UV_LISTING = ROOT / "data" / "demo" / "pypi-simple-uv.json"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
ROWS: list[tuple[str, str, str]] = []  # (benchmark, result, comparison)


def report(name: str, result: str, comparison: str = "") -> None:
    ROWS.append((name, result, comparison))
    print(f"  {name}: {result}" + (f"  [{comparison}]" if comparison else ""), flush=True)


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds over `repeat` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def clear_caches() -> None:
    from tagsim.choice.decide import clear_caches as clear

    clear()


# --- packaging's own generation, driven with a profile's facts (as tests/tags/test_pip_current_era.py) ---


@contextlib.contextmanager
def packaging_host(profile: Any) -> Iterator[Callable[[], list[str]]]:
    """Patch packaging's detection with the profile's facts; yield a function computing its platforms."""
    from packaging import _manylinux, _musllinux, tags

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(sysconfig, "get_platform", profile.sysconfig_platform))
        if profile.os == "linux":
            glibc = profile.glibc or (-1, -1)
            armhf = profile.float_abi == "hard" and (profile.arch == "armv7l" or
                                                     (profile.arch == "aarch64" and profile.python_bits == 32))
            i686 = profile.arch == "i686" or (profile.arch == "x86_64" and profile.python_bits == 32)
            musl = _musllinux._MuslVersion(*profile.musl) if profile.musl else None
            stack.enter_context(mock.patch.object(_manylinux, "_get_glibc_version", lambda: glibc))
            stack.enter_context(mock.patch.object(_manylinux, "_is_linux_armhf", lambda executable: armhf))
            stack.enter_context(mock.patch.object(_manylinux, "_is_linux_i686", lambda executable: i686))
            stack.enter_context(mock.patch.object(_musllinux, "_get_musl_version", lambda executable: musl))
            yield lambda: list(tags._linux_platforms(is_32bit=profile.python_bits == 32))
        elif profile.os == "macos":
            yield lambda: list(tags.mac_platforms(profile.os_version, profile.arch))
        elif profile.os == "ios":
            yield lambda: list(tags.ios_platforms(profile.os_version, f"{profile.arch}_{profile.sdk}"))
        elif profile.os == "android":
            yield lambda: list(tags.android_platforms(profile.api_level, profile.arch))
        else:
            yield lambda: list(tags._generic_platforms())


def packaging_tags(platforms: list[str], interp: Any) -> list[Any]:
    from packaging import tags

    if interp.implementation == "cp":
        found = tags.cpython_tags(interp.version, abis=[interp.abi], platforms=platforms)
    else:
        found = tags.generic_tags(interp.interpreter, abis=[interp.abi], platforms=platforms)
    return [*found, *tags.compatible_tags(interp.version, interp.interpreter, platforms)]


def tag_profiles() -> list[Any]:
    from tagsim import bundled_profiles

    return [p for p in bundled_profiles().values() if p.os != "emscripten"]


# --- (1) tag lists ------------------------------------------------------------------------------


def bench_tags(quick: bool) -> None:
    print("(1) tag list construction", flush=True)
    from tagsim import parse_installer, parse_python
    from tagsim.choice.registry import FAMILIES, tag_index
    from tagsim.errors import TagsimError

    def generate(profile: Any, interp: Any, name: Any, era: Any) -> tuple[str, ...]:
        """The era's tag list, uncached (the registry caches it per era)."""
        return tuple("-".join(triple) for triple in FAMILIES[name].tags(profile, interp, era))
    profiles = tag_profiles()
    interps = [parse_python(p) for p in ("cp38", "cp312", "cp313t")]
    repeat = 3 if quick else 7
    eras = ["pip==26.3", "pip==20.2.4", "pip==19.3.1", "uv==0.13.9", "uv==0.1.20"]
    cases: dict[str, list[tuple[Any, Any, Any]]] = {}
    for spec in eras:
        installer = parse_installer(spec)
        cases[spec] = []
        for profile in profiles:
            for interp in interps:
                try:
                    generate(profile, interp, installer.name, installer.era)
                except TagsimError:
                    continue  # a combination that version never supported
                cases[spec].append((profile, interp, installer))

    def run_tagsim(spec: str) -> int:
        return sum(len(generate(p, i, inst.name, inst.era)) for p, i, inst in cases[spec])

    pip_cases = cases["pip==26.3"]

    def run_packaging() -> tuple[int, float]:
        total, inside = 0, 0.0
        for profile in {p.id: p for p, _, _ in pip_cases}.values():
            with packaging_host(profile) as platforms_of:
                start = time.perf_counter()
                for p, interp, _ in pip_cases:
                    if p is profile:
                        total += len(packaging_tags(platforms_of(), interp))
                inside += time.perf_counter() - start
        return total, inside

    wall_pip, _, count = timed(lambda: run_tagsim("pip==26.3"), repeat)
    insides = [run_packaging() for _ in range(repeat)]
    wall_packaging = statistics.median(t for _, t in insides)
    assert count == insides[0][0], (count, insides[0][0])  # same lists, same length
    n = len(pip_cases)
    report(f"tags pip 26.3, {n} (profile, python) lists, {count} tags", f"{ms(wall_pip)} ({wall_pip / n * 1e6:.0f} us/list)",
           f"packaging 26.3 itself: {ms(wall_packaging)}; tagsim/packaging = {wall_pip / wall_packaging:.2f}x time")
    for spec in eras[1:]:
        wall, _, count = timed(lambda spec=spec: run_tagsim(spec), repeat)
        report(f"tags {spec}, {len(cases[spec])} lists", f"{ms(wall)} ({wall / max(1, len(cases[spec])) * 1e6:.0f} us/list)")
    clear_caches()
    installer = parse_installer("pip")
    tag_index(profiles[0], interps[1], installer)
    lookups = 100_000
    wall, _, _ = timed(lambda: [tag_index(profiles[0], interps[1], installer) for _ in range(lookups)], 3)
    report("cached tag -> rank table, lookup", f"{wall / lookups * 1e9:.0f} ns", "built once per (profile, python, era)")


# --- (2) the uv history matrix ----------------------------------------------------------------------


def naive_history(files: list[Any], releases: list[tuple[Any, list[str]]], profiles: list[Any], interp: Any,
                  installers: int) -> int:
    """Per decision: packaging's tags for the platform, `create_compatible_tags_selector`, parse each file."""
    from packaging.tags import create_compatible_tags_selector
    from packaging.utils import parse_sdist_filename, parse_wheel_filename

    decisions = 0
    for profile in profiles:
        with packaging_host(profile) as platforms_of:
            for _, names in releases:
                for _ in range(installers):
                    selector = create_compatible_tags_selector(packaging_tags(platforms_of(), interp))
                    wheels, sdists = [], []
                    for name in names:
                        if name.endswith(".whl"):
                            wheels.append((name, parse_wheel_filename(name)[3]))
                        else:
                            sdists.append((name, parse_sdist_filename(name)))
                    next(selector(wheels), None) or (sdists[0] if sdists else None)
                    decisions += 1
    return decisions


def bench_history(quick: bool) -> None:
    print("(2) uv history matrix", flush=True)
    from tagsim import bundled_profiles, parse_installer, parse_python
    from tagsim.files.sources import load_source
    from tagsim.report.check import build_rows
    from tagsim.report.history import group_releases, run_history

    wall_load, _, files = timed(lambda: load_source(str(UV_LISTING)), 3)
    profiles = list(bundled_profiles().values())
    interp = parse_python("cp312")
    rows = build_rows(profiles, [interp])
    installers = [parse_installer("pip"), parse_installer("uv")]
    releases = group_releases(files, "uv")
    cells = len(releases) * len(rows) * len(installers)
    report(f"load the uv listing ({len(files)} files, {len(releases)} releases)", ms(wall_load))

    def cold() -> Any:
        clear_caches()
        return run_history(files, "uv", rows, installers)

    wall_cold, cpu_cold, history = timed(cold, 1 if quick else 3)
    wall_warm, cpu_warm, _ = timed(lambda: run_history(files, "uv", rows, installers), 3 if quick else 5)
    report(f"history: {len(releases)} releases x {len(profiles)} profiles x pip, uv = {cells} decisions",
           f"{ms(wall_cold)} cold (cpu {ms(cpu_cold)}), {ms(wall_warm)} warm (cpu {ms(cpu_warm)})",
           f"target < 1 s; {len(history.regressions)} regressions found")
    step = 20 if quick else 1
    subset = releases[::step]
    names = [(v, [f.filename for f in fs]) for v, fs in subset]
    subset_files = [f for _, fs in subset for f in fs]
    wall_naive, cpu_naive, decisions = timed(lambda: naive_history(files, names, profiles, interp, len(installers)), 1)

    def tagsim_subset() -> Any:
        clear_caches()
        return run_history(subset_files, "uv", rows, installers)

    wall_subset, cpu_subset, _ = timed(tagsim_subset, 3)
    wall_hot, cpu_hot, _ = timed(lambda: run_history(subset_files, "uv", rows, installers), 3)
    report(f"naive baseline, {'every ' + str(step) + 'th release' if step > 1 else 'all releases'} ({decisions} decisions)",
           f"{ms(wall_naive)} (cpu {ms(cpu_naive)}); tagsim, same releases: {ms(wall_subset)} cold caches "
           f"(cpu {ms(cpu_subset)}), {ms(wall_hot)} warm (cpu {ms(cpu_hot)})",
           f"tagsim is {wall_naive / wall_subset:.0f}x faster cold (cpu {cpu_naive / cpu_subset:.0f}x), "
           f"{wall_naive / wall_hot:.0f}x warm (cpu {cpu_naive / cpu_hot:.0f}x); target >= 20x"
           + ("; a small subset pays the cold caches over few decisions" if step > 1 else ""))


# --- (3) scale --------------------------------------------------------------------------------------


def scale_worker(count: int, installers: str, json_lines: bool) -> None:
    """Run in a child process, so its peak memory is its own; prints one JSON line."""
    from corpus import Corpus

    from tagsim import bundled_profiles, parse_installer, parse_python
    from tagsim.render.json import decide_stream

    everything = list(bundled_profiles().values())
    profiles = [everything[i * len(everything) // 30] for i in range(30)]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    wall, cpu = time.perf_counter(), time.process_time()
    out_bytes, summary = 0, {}
    lines = Corpus().lines(count, json_lines=json_lines)
    for record in decide_stream(lines, profiles, [parse_python("cp312")],
                                [parse_installer(i) for i in installers.split(",")]):
        out_bytes += len(encode(record)) + 1  # the JSON line `tagsim stream` would print
        summary = record
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "bytes": out_bytes,
                      "peak_mb": peak_mb(), **summary}))


def peak_mb() -> float:
    """This process's peak resident memory (`VmHWM`; Linux keeps `ru_maxrss` across exec, from the parent)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scale(count: int, installers: str, json_lines: bool = False) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--scale-worker", str(count), "--installers", installers]
    if json_lines:
        argv.append("--json-lines")
    done = subprocess.run(argv, capture_output=True, text=True, env=ENV, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_scale(quick: bool) -> None:
    print("(3) scale: streamed synthetic index x 30 profiles x cp312", flush=True)
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    per_file = {}
    for size in sizes:
        runs = [run_scale(size, "pip") for _ in range(1 if size >= 1_000_000 or quick else 3)]
        run = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
        per_file[size] = (run["wall"] / size, run["cpu"] / size)
        report(f"stream {size:,} files ({run['projects']:,} projects) x 30 profiles x pip",
               f"{ms(run['wall'])} (cpu {ms(run['cpu'])}), {run['decisions'] / run['wall']:,.0f} decisions/s, "
               f"{size / run['wall']:,.0f} files/s, peak {run['peak_mb']:.0f} MB",
               f"{run['decisions']:,} decisions, {run['unusable']} unusable lines reported, {len(runs)} run(s)"
               + ("; target 1M < 60 s, < 500 MB" if size == 1_000_000 else ""))
    curve = ", ".join(f"{size:,}: {per_file[size][0] * 1e6:.1f} us/file (cpu {per_file[size][1] * 1e6:.1f})"
                      for size in sizes)
    report("scaling (time per input file)", curve, "flat = linear; CPU time is the steadier measure on a busy machine")
    size = 100_000 if not quick else 10_000
    both = run_scale(size, "pip,uv", json_lines=True)
    report(f"stream {size:,} JSON lines x 30 profiles x pip, uv",
           f"{ms(both['wall'])} (cpu {ms(both['cpu'])}), {both['decisions'] / both['wall']:,.0f} decisions/s, "
           f"peak {both['peak_mb']:.0f} MB")


# --- (4) end to end and (5) import time --------------------------------------------------------------


def process_time(argv: list[str], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def bench_e2e(quick: bool) -> None:
    print("(4) end to end, as processes", flush=True)
    repeat = 3 if quick else 7
    py = sys.executable
    base, _ = process_time([py, "-c", "pass"], repeat)
    report("python -c pass (interpreter start-up)", ms(base))
    for fmt in ("text", "json"):
        wall, cpu = process_time([py, "-m", "tagsim", "check", str(UV_LISTING), "--format", fmt],
                                 repeat if fmt == "text" else max(1, repeat // 3))
        note = "target < 1.5 s" if fmt == "text" else "JSON lists every considered file of every cell (~145 MB)"
        report(f"tagsim check uv listing (43 profiles x pip, uv) --format {fmt}", f"{ms(wall)} (cpu {ms(cpu)})", note)
    wall, cpu = process_time([py, "-m", "tagsim", "history", str(UV_LISTING), "--format", "json"],
                             max(1, repeat // 2))
    report("tagsim history uv listing --format json", f"{ms(wall)} (cpu {ms(cpu)})")


def bench_import(quick: bool) -> None:
    print("(5) import time", flush=True)
    repeat = 5 if quick else 11
    py = sys.executable
    cumulative = []
    for _ in range(repeat):
        done = subprocess.run([py, "-X", "importtime", "-c", "import tagsim"], capture_output=True, text=True, env=ENV,
                              check=True)
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "tagsim":
                cumulative.append(int(parts[1]) / 1e6)
    report("import tagsim (-X importtime, cumulative)", ms(statistics.median(cumulative)), "target < 150 ms")
    base, _ = process_time([py, "-c", "pass"], repeat)
    wall, _ = process_time([py, "-c", "import tagsim"], repeat)
    report("python -c 'import tagsim' minus python -c pass", ms(wall - base))
    for argv, name in (([py, "-m", "tagsim", "--help"], "tagsim --help"),
                       ([py, "-c", "import tagsim.choice.decide, tagsim.report.explain, tagsim.report.stream"],
                        "import the decision core (choice, report.explain, report.stream)")):
        wall, _ = process_time(argv, repeat)
        report(f"{name}, process", ms(wall), f"start-up alone {ms(base)}")


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
            f"load average {load:.1f}")


SECTIONS = {"tags": bench_tags, "history": bench_history, "scale": bench_scale, "e2e": bench_e2e, "import": bench_import}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--installers", default="pip", help=argparse.SUPPRESS)
    parser.add_argument("--json-lines", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_worker:
        scale_worker(args.scale_worker, args.installers, args.json_lines)
        return 0
    print(f"machine: {machine()}", flush=True)
    for name in args.only.split(","):
        SECTIONS[name.strip()](args.quick)
    print(f"\nmachine at the end: {machine()}\n")
    width = max(len(r[0]) for r in ROWS)
    print(f"| {'benchmark'.ljust(width)} | median | comparison |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for name, result, comparison in ROWS:
        print(f"| {name.ljust(width)} | {result} | {comparison} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
