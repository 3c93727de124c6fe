"""Time the same CLI commands on this tree and on an older commit, alternating, in one run.

    python benchmarks/against_commit.py REV [--repeat 7]

A refactor must not make tagsim slower: each row is the median wall time of this tree, of REV
(checked out into a temporary git worktree), and their ratio. Runs alternate (this, REV, this,
REV...) so a change in machine load hits both sides alike. Nothing here asserts a time.
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
UV = str(ROOT / "data" / "demo" / "pypi-simple-uv.json")
COMMANDS = {
    "history uv listing --format json": ["-m", "tagsim", "history", UV, "--format", "json"],
    "history uv listing (text)": ["-m", "tagsim", "history", UV],
    "check uv==0.1.44 (text)": ["-m", "tagsim", "check", UV, "--spec", "uv==0.1.44"],
    "explain uv==0.1.40 (text)": ["-m", "tagsim", "explain", "linux-aarch64-glibc2.17", UV, "--spec", "uv==0.1.40"],
    "tagsim --help": ["-m", "tagsim", "--help"],
    "import tagsim": ["-c", "import tagsim"],
}


def run(src: Path, argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare with, e.g. HEAD~5")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tagsim-bench-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.rev], check=True)
        try:
            print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at the start; {sys.version.split()[0]}")
            print(f"| command | this tree | {args.rev} | ratio (this / {args.rev}) |\n|---|---|---|---|")
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from corpus import Corpus

            names = Path(tmp) / "names.txt"  # a streamed index: 20,000 synthetic names x 43 profiles x pip
            names.write_text("\n".join(Corpus().lines(20_000)) + "\n", encoding="utf-8")
            commands = {**COMMANDS, "stream 20,000 names x 43 profiles x pip": ["-m", "tagsim", "stream", str(names),
                                                                                "--installer", "pip"]}
            for name, argv in commands.items():
                ours, theirs = [], []
                for _ in range(args.repeat):
                    ours.append(run(ROOT / "src", argv))
                    theirs.append(run(base / "src", argv))
                a, b = statistics.median(ours), statistics.median(theirs)
                print(f"| {name} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {a / b:.2f} |", flush=True)
            print(f"load at the end: {os.getloadavg()[0]:.2f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
