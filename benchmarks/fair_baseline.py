"""The fair naive baseline: a plain loop over packaging's `create_compatible_tags_selector`.

What someone would write to answer "which file, per release (or project) and column" without tagsim:
the ordered tag lists are given once (one per column, read from a file, so the loop pays nothing to
make them), one selector is built per column, each filename is parsed once with `packaging.utils`,
and each (release, column) takes the best-ranked compatible wheel, else the sdist. It does less than
tagsim (no Requires-Python, yanks, build tags, flags, tie rules, explanations, messages or JSON), so
a ratio against it is conservative.

    python benchmarks/fair_baseline.py history LISTING.json TAGS.json [--version V] [--per-decision]
    python benchmarks/fair_baseline.py stream TAGS.json COUNT

`history` reads a PEP 691 page and decides every release (or only V); `--per-decision` builds the
selector again for every decision, as the loop issue 17 first timed did (a weaker baseline, labelled
so). `stream` reads the first COUNT filenames of `benchmarks/corpus.py` and decides each project
(newest version first, as pip: the best wheel of the newest version with one, else its sdist).
`TAGS.json` is `{"columns": [[tag, ...], ...]}`, written by `benchmarks/run.py` from
`tagsim.compatible_tags` (the lists tagsim ranks with). Prints one JSON line: counts and seconds.
Imports only the standard library and packaging, like the loop it stands for.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def selectors(columns: list[list[str]]) -> list[Callable[[Iterable[tuple[str, Any]]], Iterator[str]]]:
    from packaging.tags import create_compatible_tags_selector, parse_tag

    return [create_compatible_tags_selector([t for text in tags for t in parse_tag(text)]) for tags in columns]


def parse(name: str) -> tuple[str, Any, Any] | None:
    """(project, version, tags or None for an sdist), or None for a name that is no distribution."""
    from packaging.utils import parse_sdist_filename, parse_wheel_filename

    try:
        if name.endswith(".whl"):
            project, version, _, tags = parse_wheel_filename(name)
            return project, version, tags
        if name.endswith((".tar.gz", ".zip")):
            project, version = parse_sdist_filename(name)
            return project, version, None
    except ValueError:
        pass
    return None


def naive_history(listing: dict[str, Any], columns: list[list[str]], *, only: str | None = None,
                  per_decision: bool = False) -> dict[str, Any]:
    from packaging.tags import create_compatible_tags_selector, parse_tag
    from packaging.version import Version

    chosen = selectors(columns)
    tag_lists = [[t for text in tags for t in parse_tag(text)] for tags in columns] if per_decision else []
    releases: dict[Any, tuple[list[tuple[str, Any]], list[str]]] = {}
    for entry in listing["files"]:
        found = parse(entry["filename"])
        if found is None or (only is not None and found[1] != Version(only)):
            continue
        wheels, sdists = releases.setdefault(found[1], ([], []))
        if found[2] is None:
            sdists.append(entry["filename"])
        else:
            wheels.append((entry["filename"], found[2]))
    cells = {"wheel": 0, "sdist": 0, "none": 0}
    for version in sorted(releases):
        wheels, sdists = releases[version]
        for number, select in enumerate(chosen):
            if per_decision:
                select = create_compatible_tags_selector(tag_lists[number])
            best = next(select(wheels), None)
            cells["wheel" if best else "sdist" if sdists else "none"] += 1
    return {"releases": len(releases), "columns": len(columns), "decisions": sum(cells.values()), **cells}


def naive_stream(names: Iterable[str], columns: list[list[str]]) -> dict[str, Any]:
    chosen = selectors(columns)
    cells = {"wheel": 0, "sdist": 0, "none": 0}
    projects = 0

    def decide(group: list[tuple[Any, Any, str]]) -> None:
        for select in chosen:
            outcome = "none"
            for version in sorted({v for v, _, _ in group}, reverse=True):
                files = [(name, tags) for v, tags, name in group if v == version]
                if next(select((n, t) for n, t in files if t is not None), None):
                    outcome = "wheel"
                    break
                if any(t is None for _, t in files):
                    outcome = "sdist"
                    break
            cells[outcome] += 1

    current, group = None, []
    for name in names:
        found = parse(name)
        if found is None:
            continue
        if found[0] != current:
            if group:
                decide(group)
                projects += 1
            current, group = found[0], []
        group.append((found[1], found[2], name))
    if group:
        decide(group)
        projects += 1
    return {"projects": projects, "columns": len(columns), "decisions": sum(cells.values()), **cells}


def peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    history = sub.add_parser("history")
    history.add_argument("listing")
    history.add_argument("tags")
    history.add_argument("--version")
    history.add_argument("--per-decision", action="store_true")
    stream = sub.add_parser("stream")
    stream.add_argument("tags")
    stream.add_argument("count", type=int)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with open(args.tags, encoding="utf-8") as handle:
        columns = json.load(handle)["columns"]
    if args.command == "history":
        with open(args.listing, encoding="utf-8") as handle:
            listing = json.load(handle)
        result = naive_history(listing, columns, only=args.version, per_decision=args.per_decision)
    else:
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        from corpus import Corpus

        result = naive_stream(Corpus().lines(args.count), columns)
    print(json.dumps({**result, "seconds": time.perf_counter() - start, "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
