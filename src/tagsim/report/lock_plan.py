"""The targets of a lock report when the user names none: the lock's own platforms, Pythons and installers.

- platforms: the bundled profiles that the lock's environment limits admit (uv.lock
  `supported-markers`, else `required-markers`; pylock `environments`; pdm `targets` with a
  platform), else every bundled profile;
- Pythons: the oldest and the newest CPython minor (3.8-3.14) the lock's requires-python allows
  (pdm: its targets' ranges), else cp312;
- installers: by format (uv.lock: uv; pylock: pip and uv, plus pdm for a lock pdm wrote; poetry.lock:
  poetry; pdm.lock: pdm), each at its newest modelled version.
"""

from __future__ import annotations

from collections.abc import Sequence

from packaging.markers import Marker

from ..choice.installer import InstallerName
from ..choice.lock_select import MarkerError, evaluate
from ..choice.registry import newest, parse_installer
from ..choice.target_match import pdm_target_fits
from ..files.locks.model import LockFile, LockFormat
from ..platform.interpreter import Interpreter, parse_python
from ..platform.markers import marker_environment
from ..platform.profile import Profile
from ..platform.profile_file import bundled_profiles
from ..platform.resolve import resolve_platform
from .check import DEFAULT_PYTHON, Required, build_rows, parse_required
from .plan import Plan, unique

_MINORS = range(8, 15)


def lock_pythons(lock: LockFile) -> list[Interpreter]:
    specs = [t.requires_python for t in lock.targets if t.requires_python] or (
        [lock.requires_python] if lock.requires_python else [])
    if not specs:
        return [parse_python(DEFAULT_PYTHON)]
    allowed = [m for m in _MINORS if any(s.contains(f"3.{m}", prereleases=True) for s in specs)]
    if not allowed:
        return [parse_python(DEFAULT_PYTHON)]
    return [parse_python(f"cp3{m}") for m in sorted({allowed[0], allowed[-1]})]


def _admits(markers: Sequence[Marker], profile: Profile, interp: Interpreter) -> bool:
    env = marker_environment(profile, interp)
    try:
        return any(evaluate(m, env) for m in markers)
    except MarkerError:
        return False


def lock_profiles(lock: LockFile, interp: Interpreter) -> list[Profile]:
    every = list(bundled_profiles().values())
    limits = lock.environments or (lock.required if lock.format is LockFormat.UV else ())
    if limits:
        return [p for p in every if _admits(limits, p, interp)] or every
    with_platform = [t for t in lock.targets if t.platform]
    if with_platform:
        return [p for p in every if any(pdm_target_fits(t, p, interp) for t in with_platform)] or every
    return every


def lock_installers(lock: LockFile) -> list[str]:
    if lock.format is LockFormat.PYLOCK:
        names = [InstallerName.PIP, InstallerName.UV]
        if (lock.created_by or "").lower().startswith("pdm"):
            names.append(InstallerName.PDM)
        return [newest(n).spec for n in names]
    name = {LockFormat.UV: InstallerName.UV, LockFormat.POETRY: InstallerName.POETRY,
            LockFormat.PDM: InstallerName.PDM}[lock.format]
    return [newest(name).spec]


def plan_lock(lock: LockFile, *, platforms: Sequence[str] = (), pythons: Sequence[str] = (),
              installers: Sequence[str] = (), required: Sequence[str] = (),
              extra_profiles: Sequence[Profile] = ()) -> Plan:
    """Rows and installer columns from the flags, else from the lock itself; a required cell adds its row."""
    known = {**bundled_profiles(), **{p.id: p for p in extra_profiles}}
    interps = (unique((parse_python(p) for p in pythons), lambda i: i.tag) if pythons else lock_pythons(lock))
    profiles: list[Profile]
    if platforms:
        profiles = unique((resolve_platform(spec, known) for spec in platforms), lambda p: p.id)
    elif extra_profiles:
        profiles = list(extra_profiles)
    else:
        profiles = lock_profiles(lock, interps[-1])
    wanted: list[Required] = []
    for text in required:
        item, profile = parse_required(text, known)
        wanted.append(item)
        if profile.id not in {p.id for p in profiles}:
            profiles.append(profile)
        if item.python and item.python not in {i.tag for i in interps}:
            interps.append(parse_python(item.python))
    columns = unique((parse_installer(i) for i in (installers or lock_installers(lock))), lambda i: i.spec)
    return Plan(build_rows(profiles, interps), tuple(columns), tuple(wanted))
