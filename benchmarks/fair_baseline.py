"""The fair naive baseline: a plain loop over packaging's `create_compatible_tags_selector`.

What someone would write to answer "which file per release, platform and installer" without tagsim:
the ordered tag lists are given once (one per column, read from a file, so this process pays nothing
to make them), one selector is built per column, each release's filenames are parsed once with
`packaging.utils`, and each (release, column) takes the best-ranked compatible wheel, else the sdist.
It does less than tagsim (no Requires-Python, yanks, build tags, flags, tie rules, explanations or
messages), so a ratio against it is conservative.

    python benchmarks/fair_baseline.py LISTING.json TAG_LISTS.json   # prints one JSON line

`LISTING.json` is a PEP 691 project page; `TAG_LISTS.json` is `{"columns": [[tag, ...], ...]}`, written
by `benchmarks/run.py` from `tagsim.compatible_tags` (the same lists tagsim ranks with).
The script imports only the standard library and packaging, like the loop it stands for.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def naive_history(listing: dict[str, Any], columns: list[list[str]]) -> dict[str, Any]:
    from packaging.tags import Tag, create_compatible_tags_selector, parse_tag
    from packaging.utils import parse_sdist_filename, parse_wheel_filename
    from packaging.version import Version

    selectors = []
    for tags in columns:
        ordered: list[Tag] = []
        for text in tags:
            ordered.extend(parse_tag(text))
        selectors.append(create_compatible_tags_selector(ordered))
    releases: dict[Version, tuple[list[tuple[str, frozenset[Tag]]], list[str]]] = {}
    for entry in listing["files"]:
        name = entry["filename"]
        try:
            if name.endswith(".whl"):
                _, version, _, tags = parse_wheel_filename(name)
                releases.setdefault(version, ([], []))[0].append((name, tags))
            elif name.endswith((".tar.gz", ".zip")):
                _, version = parse_sdist_filename(name)
                releases.setdefault(version, ([], []))[1].append(name)
        except ValueError:
            continue
    cells: dict[str, int] = {"wheel": 0, "sdist": 0, "none": 0}
    decisions = 0
    for version in sorted(releases):
        wheels, sdists = releases[version]
        for select in selectors:
            best = next(select(wheels), None)
            cells["wheel" if best else "sdist" if sdists else "none"] += 1
            decisions += 1
    return {"releases": len(releases), "columns": len(columns), "decisions": decisions, **cells}


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    with open(argv[1], encoding="utf-8") as handle:
        listing = json.load(handle)
    with open(argv[2], encoding="utf-8") as handle:
        columns = json.load(handle)["columns"]
    loaded = time.perf_counter()
    result = naive_history(listing, columns)
    print(json.dumps({**result, "load_s": loaded - start, "loop_s": time.perf_counter() - loaded}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
