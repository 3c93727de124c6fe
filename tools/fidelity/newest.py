"""Which pip, uv, poetry and pdm releases are newer than tagsim models: `python tools/fidelity/newest.py`.

Asks the package index (`pip index versions NAME`, pip's own client and configuration) for each
installer's newest release and compares it with the modelled range (`tagsim.choice.registry.FAMILIES`).
A newer release is still decided (with the newest modelled era, and a warning); this command is how
the next release gets noticed, recorded (`tools/fidelity/record_*.py`) and modelled. Exit 1 when any
installer is newer than modelled, 2 when the index could not be asked.
"""

from __future__ import annotations

import re
import subprocess
import sys

from packaging.version import InvalidVersion, Version

from tagsim.choice.registry import FAMILIES


def newest_on_index(name: str, *, timeout: float = 60.0) -> Version | None:
    """The newest final release pip's index client reports, or None if it could not be asked."""
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_index_versions(name, done.stdout)


def parse_index_versions(name: str, output: str) -> Version | None:
    """`pip index versions` prints `NAME (X.Y.Z)` and then `Available versions: ...`; the newest final one."""
    match = re.search(r"^Available versions:\s*(.+)$", output, re.M)
    found: list[Version] = []
    for text in (match[1].split(",") if match else []):
        try:
            version = Version(text.strip())
        except InvalidVersion:
            continue
        if not version.is_prerelease and not version.is_devrelease:
            found.append(version)
    if not found:
        head = re.search(rf"^{re.escape(name)} \(([^)]+)\)", output, re.M)
        return Version(head[1]) if head else None
    return max(found)


def main() -> int:
    newer = unknown = 0
    for family in FAMILIES.values():
        high = Version(family.versions[1])
        latest = newest_on_index(family.name.value)
        if latest is None:
            unknown += 1
            print(f"{family.name}: the index could not be asked (modelled up to {high})")
        elif latest > high:
            newer += 1
            print(f"{family.name}: {latest} on the index is NEWER than the newest modelled {high}: record and model it")
        else:
            print(f"{family.name}: newest {latest}, modelled up to {high}")
    return 1 if newer else 2 if unknown else 0


if __name__ == "__main__":
    raise SystemExit(main())
