"""A file's Requires-Python against the target Python, by each installer's rule.

- pip (and uv before 0.4.3): the specifier set contains the target version X.Y.0, as with
  `--python-version X.Y` (pip `_check_link_requires_python`; uv `version_map.rs`
  `requires_python.contains(target)` at 0.1.40 ... 0.4.2).
- uv 0.4.3+ (commit 8eef1a2314, #6882): only the *lower bound of the bounding range* of the file's
  specifiers counts (`uv-distribution-types` `RequiresPython::is_contained_by`, over
  `uv-pep440` `release_specifiers_to_ranges` and `bounding_range()`): the target `>=X.Y.0` must lie
  at or above it. Upper bounds and holes above the lower bound are ignored, but a `!=` at the lower
  bound makes it exclusive: `!=3.9.0,>=3.9` does not admit Python 3.9(.0). Recorded with 25 real uv
  versions, 0.1.40 to 0.13.9 (tests/fixtures/uv_requires_python, tools/fidelity/issue13/).
"""

from __future__ import annotations

from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..files.filename import DistFile
from ..platform.interpreter import Interpreter

#: A lower bound: (version, inclusive), or None for no lower bound at all.
Bound = tuple[Version, bool] | None


def requires_python_ok(dist: DistFile, interp: Interpreter, *, lower_bound_only: bool = False) -> tuple[bool, str]:
    """Whether the file's Requires-Python admits the target X.Y.0, and the reason when it does not.

    `lower_bound_only`: uv 0.4.3+'s rule (see the module docstring).
    """
    if not dist.requires_python:
        return True, ""
    return _requires_python_check(dist.requires_python, interp.major, interp.minor, interp.patch, lower_bound_only)


@lru_cache(maxsize=16384)
def _requires_python_check(requires_python: str, major: int, minor: int, patch: int | None,
                           lower_bound_only: bool) -> tuple[bool, str]:
    """Indexes repeat a few Requires-Python strings across many files: parse and test each once.

    With no patch level given the target is X.Y.0; a rejection that a later X.Y.Z would pass says so.
    """
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        # pip ignores an invalid data-requires-python (logs it) and keeps the link.
        return True, ""
    try:
        if _admits(spec, major, minor, patch or 0, lower_bound_only):
            return True, ""
        later = None if patch is not None else next(
            (z for z in range(1, _LAST_PATCH + 1) if _admits(spec, major, minor, z, lower_bound_only)), None)
    except (ValueError, InvalidVersion):  # a version of over 4300 digits: as unusable as an invalid specifier
        return True, ""
    target = f"{major}.{minor}" if patch is None else f"{major}.{minor}.{patch}"
    why = f"requires-python {requires_python}, target is Python {target}"
    if later is not None:
        why += f" (taken as {major}.{minor}.0; {major}.{minor}.{later} or later would pass: --python {major}.{minor}.N)"
    return False, why


#: The highest patch level looked at when saying "it would install on X.Y.Z or later".
_LAST_PATCH = 40


def _admits(spec: SpecifierSet, major: int, minor: int, patch: int, lower_bound_only: bool) -> bool:
    version = f"{major}.{minor}.{patch}"
    return _admits_lower_bound(spec, Version(version)) if lower_bound_only else spec.contains(version, prereleases=True)


def _release(text: str) -> Version:
    """uv's release-only semantics: the release segment alone (`3.9.0+local` is 3.9.0)."""
    return Version(".".join(str(part) for part in Version(text).release))


def _higher(a: Bound, b: Bound) -> Bound:
    """The higher of two lower bounds (at the same version, an exclusive bound is higher)."""
    if a is None or b is None:
        return a or b
    return max(a, b, key=lambda bound: (bound[0], not bound[1]))


def lower_bound(spec: SpecifierSet) -> Bound:
    """The lower bound of the bounding range of `spec`, as uv computes it."""
    bound: Bound = None
    points: list[Version] = []
    holes: list[tuple[Version, Version]] = []  # [start, end) excluded by `!=X.Y.*`
    for item in spec:
        op, text = item.operator, item.version
        wildcard = text.endswith(".*")
        if op == "!=":
            if wildcard:
                start = _release(text[:-2])
                holes.append((start, _next_prefix(start)))
            else:
                points.append(_release(text))
        elif op in (">=", "~=", "==", "===") and not (op == "===" and not _parses(text)):
            bound = _higher(bound, (_release(text[:-2] if wildcard else text), True))
        elif op == ">":
            bound = _higher(bound, (_release(text), False))
    moved = True
    while moved and bound is not None:  # holes at the bound push it up, possibly onto another hole
        moved = False
        value, inclusive = bound
        if inclusive and value in points:
            bound, moved = (value, False), True
            continue
        for start, end in holes:
            if start <= value < end:
                bound, moved = (end, True), True
                break
    return bound


def _admits_lower_bound(spec: SpecifierSet, target: Version) -> bool:
    bound = lower_bound(spec)
    if bound is None:
        return True
    value, inclusive = bound
    return target > value or (inclusive and target == value)


def _next_prefix(prefix: Version) -> Version:
    """The first version after every `prefix.*` one: 3.9 -> 3.10."""
    release = list(prefix.release)
    release[-1] += 1
    return Version(".".join(map(str, release)))


def _parses(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


__all__ = ["lower_bound", "requires_python_ok"]
