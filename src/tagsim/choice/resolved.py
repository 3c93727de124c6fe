"""Steps poetry and pdm share: they resolve a version first, for the project's whole Python range.

pip and uv walk files; these two lock a *version* and the installer later picks one of that
version's files for the machine, with no way back to an older version if none fits. The project's
Python range is `X.Y.*` of the target interpreter.
"""

from __future__ import annotations

from collections.abc import Sequence

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from ..platform.interpreter import Interpreter
from .family import Context
from .reasons import Reason
from .verdict import Verdict


def range_text(interp: Interpreter) -> str:
    return f"{interp.major}.{interp.minor}.*"


def _spec(text: str | None) -> SpecifierSet | None:
    if not text:
        return None
    try:
        spec = SpecifierSet(text)
        for item in spec:
            item.contains("0", prereleases=True)  # parses its version now (ValueError past 4300 digits)
        return spec
    except (InvalidSpecifier, ValueError):
        return None  # both tools skip (log) an unparsable Requires-Python


def _samples(interp: Interpreter) -> list[str]:
    """Patch levels standing for the project's `X.Y.*` range."""
    return [f"{interp.major}.{interp.minor}.{patch}" for patch in (*range(0, 41), 999)]


def allows_all(text: str | None, interp: Interpreter) -> bool:
    """Requires-Python holds for every Python of the project's range (`X.Y.*`)."""
    spec = _spec(text)
    return spec is None or all(spec.contains(v, prereleases=True) for v in _samples(interp))


def allows_any(text: str | None, interp: Interpreter) -> bool:
    spec = _spec(text)
    return spec is None or any(spec.contains(v, prereleases=True) for v in _samples(interp))


def by_version(evs: Sequence[Verdict]) -> dict[Version, list[Verdict]]:
    out: dict[Version, list[Verdict]] = {}
    for ev in evs:
        if ev.file.version is not None:
            out.setdefault(ev.file.version, []).append(ev)
    return out


def mark_older(groups: dict[Version, list[Verdict]], locked: Version, tool: str) -> list[Verdict]:
    """Files of versions older than the locked one: never looked at by the installer."""
    out = []
    for version in sorted(groups, reverse=True):
        if version >= locked:
            continue
        for ev in groups[version]:
            if ev.ok:
                ev.reason = Reason.OLDER_VERSION
                ev.detail = f"{version} is older than the locked {locked}; {tool} never goes back to it"
                out.append(ev)
    return out


def locked_message(ctx: Context, locked: Version | None) -> str:
    """When nothing installs: no version could be locked (empty: the default message), or it was and has no file here."""
    if locked is None:
        return ""
    return (f"locks {ctx.project} {locked} but no file of {locked} installs here "
            f"({ctx.installer.name} does not go back to an older version)")
