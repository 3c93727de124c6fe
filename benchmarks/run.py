"""tagsim benchmarks: one command, a table of medians and ratios measured side by side in this run.

    python benchmarks/run.py            # everything (the 1M-file scale runs take a few minutes)
    python benchmarks/run.py --quick    # smaller sizes and fewer repeats
    python benchmarks/run.py --only tags,history,scale,e2e,import

Every speed is a ratio against a baseline timed in the same run, alternating with it, so a change in
machine load hits both: (1) tag lists against packaging's own generation; (2) the uv history matrix,
in this process and as processes, against the fair naive loop (`fair_baseline.py`: packaging's
`create_compatible_tags_selector`, tag lists given once, each filename parsed once); (3) a streamed
synthetic index of 10k/100k/1M filenames x 30 profiles against the same loop over the same names
(throughput, peak memory, scaling); (4) `tagsim check` as a process (time, output size, peak memory)
against the loop on the same release; (5) import time and `--help` against the bare interpreter.
Timings are wall-clock medians; CPU time is shown too, since a busy machine inflates wall time.
The unfair baseline of earlier runs (packaging's tags regenerated and every name re-parsed for every
decision) is retired. Nothing here asserts a time: the unit tests check answers, this reports speed.
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
import tempfile
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


# --- (2) the uv history matrix, against the fair naive loop ----------------------------------------------


def write_tag_lists(path: Path, profiles: list[Any], installers: list[str]) -> None:
    """The ordered tag list of every column, as tagsim computes it: given to the naive loop once."""
    from tagsim import compatible_tags, parse_installer, parse_python

    interp = parse_python("cp312")
    columns = [list(compatible_tags(p, interp, parse_installer(i))) for p in profiles for i in installers]
    path.write_text(json.dumps({"columns": columns}), encoding="utf-8")


TAGS_86 = Path(tempfile.gettempdir()) / "tagsim-bench-tags-86.json"  # 43 profiles x pip, uv
TAGS_30 = Path(tempfile.gettempdir()) / "tagsim-bench-tags-30.json"  # 30 profiles x pip (the stream runs)
FAIR = [sys.executable, str(ROOT / "benchmarks" / "fair_baseline.py")]


def thirty_profiles() -> list[Any]:
    from tagsim import bundled_profiles

    everything = list(bundled_profiles().values())
    return [everything[i * len(everything) // 30] for i in range(30)]


def bench_history(quick: bool) -> None:
    print("(2) uv history matrix: tagsim against the fair naive loop, in this process and as processes", flush=True)
    from fair_baseline import naive_history

    from tagsim import bundled_profiles, parse_installer, parse_python
    from tagsim.files.sources import load_source
    from tagsim.report.check import build_rows
    from tagsim.report.history import group_releases, run_history

    profiles = list(bundled_profiles().values())
    write_tag_lists(TAGS_86, profiles, ["pip", "uv"])
    files = load_source(str(UV_LISTING))
    rows = build_rows(profiles, [parse_python("cp312")])
    installers = [parse_installer("pip"), parse_installer("uv")]
    cells = len(group_releases(files, "uv")) * len(rows) * len(installers)
    listing = json.loads(UV_LISTING.read_text(encoding="utf-8"))
    columns = json.loads(TAGS_86.read_text(encoding="utf-8"))["columns"]
    repeat = 3 if quick else 7

    def cold() -> Any:
        clear_caches()
        return run_history(files, "uv", rows, installers)

    # Alternate tagsim and the loop, so a change in load hits both alike.
    tagsim_cpu, naive_cpu, tagsim_wall, naive_wall = [], [], [], []
    for _ in range(repeat):
        wall, cpu, history = timed(cold, 1)
        tagsim_wall.append(wall)
        tagsim_cpu.append(cpu)
        wall, cpu, answer = timed(lambda: naive_history(listing, columns), 1)
        naive_wall.append(wall)
        naive_cpu.append(cpu)
    med = statistics.median
    report(f"history decisions in process: {cells} (333 releases x 43 profiles x pip, uv)",
           f"tagsim run_history {ms(med(tagsim_wall))} (cpu {ms(med(tagsim_cpu))}), cold tag caches; "
           f"fair naive loop {ms(med(naive_wall))} (cpu {ms(med(naive_cpu))})",
           f"tagsim / loop = {med(tagsim_cpu) / med(naive_cpu):.2f}x CPU time (tagsim {med(naive_cpu) / med(tagsim_cpu):.1f}x "
           f"faster); {len(history.regressions)} regressions; "
           f"loop: {answer['wheel']} wheel / {answer['sdist']} sdist cells")
    py = sys.executable
    argv_tagsim = [py, "-m", "tagsim", "history", str(UV_LISTING), "--format", "json"]
    argv_fair = [*FAIR, "history", str(UV_LISTING), str(TAGS_86)]
    argv_weak = [*argv_fair, "--per-decision"]
    (t_wall, t_cpu), (f_wall, f_cpu), (w_wall, w_cpu) = alternate([argv_tagsim, argv_fair, argv_weak],
                                                                  max(3, repeat // 2 + 1))
    report("tagsim history uv listing --format json, whole process",
           f"{ms(t_wall)} (cpu {ms(t_cpu)}); fair loop process {ms(f_wall)} (cpu {ms(f_cpu)})",
           f"target <= 0.3 s and >= 5x the loop: tagsim/loop = {t_wall / f_wall:.2f}x wall, {t_cpu / f_cpu:.2f}x cpu "
           f"(tagsim is {f_wall / t_wall:.2f}x faster than the loop's process, wall)")
    report("  the same loop building the selector per decision (weaker; as issue 17 first timed it)",
           f"{ms(w_wall)} (cpu {ms(w_cpu)})", f"tagsim is {w_wall / t_wall:.1f}x faster (wall), {w_cpu / t_cpu:.1f}x (cpu)")


def alternate(argvs: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Median wall and CPU seconds of each command, run in turn (A, B, C, A, B, C...)."""
    walls: list[list[float]] = [[] for _ in argvs]
    cpus: list[list[float]] = [[] for _ in argvs]
    for _ in range(repeat):
        for number, argv in enumerate(argvs):
            wall, cpu = process_time(argv, 1)
            walls[number].append(wall)
            cpus[number].append(cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


# --- (3) scale --------------------------------------------------------------------------------------


def scale_worker(count: int, installers: str, json_lines: bool) -> None:
    """Run in a child process, so its peak memory is its own; prints one JSON line."""
    from corpus import Corpus

    from tagsim import bundled_profiles, parse_installer, parse_python
    from tagsim.cli.options import collect_rarely
    from tagsim.render.stream_lines import stream_lines

    collect_rarely()  # the collector setting `tagsim stream` runs with (cli/stream.py)

    everything = list(bundled_profiles().values())
    profiles = [everything[i * len(everything) // 30] for i in range(30)]
    wall, cpu = time.perf_counter(), time.process_time()
    out_bytes, last = 0, "{}"
    lines = Corpus().lines(count, json_lines=json_lines)
    # the JSON lines `tagsim stream` prints (stream_lines: what its `run` writes), counted, not written
    for line in stream_lines(lines, profiles, [parse_python("cp312")], [parse_installer(i) for i in installers.split(",")]):
        out_bytes += len(line) + 1
        last = line
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "bytes": out_bytes,
                      "peak_mb": peak_mb(), **json.loads(last)}))


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
    write_tag_lists(TAGS_30, thirty_profiles(), ["pip"])
    for size in sizes:
        runs, loops = [], []
        for _ in range(1 if size >= 1_000_000 or quick else 3):  # tagsim and the fair loop in turn
            runs.append(run_scale(size, "pip"))
            done = subprocess.run([*FAIR, "stream", str(TAGS_30), str(size)], capture_output=True, text=True,
                                  env=ENV, check=True)
            loops.append(json.loads(done.stdout))
        run = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
        loop = sorted(loops, key=lambda r: r["seconds"])[len(loops) // 2]
        per_file[size] = (run["wall"] / size, run["cpu"] / size)
        report(f"stream {size:,} files ({run['projects']:,} projects) x 30 profiles x pip",
               f"{ms(run['wall'])} (cpu {ms(run['cpu'])}), {run['decisions'] / run['wall']:,.0f} decisions/s, "
               f"peak {run['peak_mb']:.0f} MB; fair loop {ms(loop['seconds'])}, peak {loop['peak_mb']:.0f} MB",
               f"tagsim/loop = {run['wall'] / loop['seconds']:.2f}x; {run['decisions']:,} decisions (tagsim JSON "
               f"lines encoded), {run['unusable']} unusable lines reported, {len(runs)} run(s)"
               + ("; target 1M <= 12 s, <= 100 MB" if size == 1_000_000 else ""))
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


def cli_worker(argv: list[str]) -> None:
    """Run one tagsim command in this process with its output counted, not kept; print bytes and peak memory."""
    import io

    from tagsim.cli import main as tagsim_main

    class Counter(io.TextIOBase):
        written = 0

        def write(self, text: str) -> int:
            Counter.written += len(text.encode("utf-8"))
            return len(text)

    with contextlib.redirect_stdout(Counter()):
        code = tagsim_main(argv)
    print(json.dumps({"exit": code, "bytes": Counter.written, "peak_mb": peak_mb()}))


def output_and_peak(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--cli-worker", *args], capture_output=True, text=True, env=ENV,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_e2e(quick: bool) -> None:
    print("(4) end to end, as processes, beside the fair loop on the same release", flush=True)
    from tagsim import bundled_profiles

    if not TAGS_86.exists():
        write_tag_lists(TAGS_86, list(bundled_profiles().values()), ["pip", "uv"])
    repeat = 3 if quick else 7
    py = sys.executable
    base, _ = process_time([py, "-c", "pass"], repeat)
    report("python -c pass (interpreter start-up)", ms(base))
    check = ["check", str(UV_LISTING), "--spec", "uv==0.1.44"]
    fair = [*FAIR, "history", str(UV_LISTING), str(TAGS_86), "--version", "0.1.44"]
    cases = [("text", [], "target < 1.5 s"), ("json", ["--format", "json"], "target <= 0.5 s, <= 1 MB"),
             ("json --all-considered", ["--format", "json", "--all-considered"], "target <= 3 s, < 300 MB")]
    for name, extra, target in cases:
        (wall, cpu), (f_wall, _) = alternate([[py, "-m", "tagsim", *check, *extra], fair],
                                                 max(1, repeat // (3 if "all" in name else 1)))
        sized = output_and_peak([*check, *extra])
        report(f"tagsim check uv==0.1.44 (43 profiles x pip, uv = 86 cells) --format {name}",
               f"{ms(wall)} (cpu {ms(cpu)}), {sized['bytes'] / 1e3:,.0f} KB out, peak {sized['peak_mb']:.0f} MB",
               f"{target}; fair loop process on the same release {ms(f_wall)}: tagsim/loop = {wall / f_wall:.2f}x")


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
        (wall, _), (start, _) = alternate([argv, [py, "-c", "pass"]], repeat)
        report(f"{name}, process", ms(wall), f"start-up alone {ms(start)}: {wall / start:.1f}x"
               + ("; target < 60 ms" if "help" in name else ""))


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
    parser.add_argument("--cli-worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cli_worker:
        cli_worker(args.cli_worker)
        return 0
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
