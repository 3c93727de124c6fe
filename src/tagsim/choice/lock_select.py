"""Which packages of a lock an installer installs on one machine: each format's install-time rule.

- uv.lock (`uv sync`, uv 0.13 `commands/project/sync.rs`, `lock/installable.rs`
  `Installable::to_resolution`): refuse a machine outside `supported-markers`
  (`LockedPlatformIncompatibility`) or `requires-python`; walk from the workspace members along
  dependency edges whose marker holds, with the requested extras and groups (default: `dev`).
- pylock (PEP 751, packaging 26.4 `Pylock.select`, which pip 26.1+ calls): an unmet lock
  `requires-python` or no matching `environments` is an error; a package whose marker fails is
  skipped, one whose own `requires-python` fails is an error, two selected entries of one name are an
  error. uv 0.13.9 checks `environments` too, with its own words (recorded: tests/fixtures/locks; the
  uv#13046 gap of earlier releases is closed).
- poetry.lock (poetry 2.4 `puzzle/transaction.py` `Transaction.calculate_operations`, lock 2.1): a
  package installs when one of its groups is requested and that group's marker holds; an optional
  package only through a requested extra.
- pdm.lock (pdm 2.28 `cli/actions.py` `resolve_from_lockfile`, `LockedRepository.evaluate_candidates`):
  "None of the lock targets matches the current env ..." outside every `[[metadata.targets]]` (pdm 2.29.4's
  words, recorded); a package installs when
  one of its groups is requested and its marker holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from packaging.markers import EvaluateContext, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.utils import canonicalize_name

from ..files.locks.model import Dependency, LockedPackage, LockFile, LockFormat, PackageSource
from ..platform.interpreter import Interpreter
from ..platform.markers import marker_environment
from ..platform.profile import Profile
from ..text_enum import TextEnum
from .installer import InstallerName
from .target_match import pdm_refusal, pdm_target_fits


@dataclass(frozen=True)
class LockOptions:
    """What the user asks of the lock: extras and groups (`--extra`, `--all-extras`, `--group`, `--no-default-groups`)."""

    extras: frozenset[str] = frozenset()
    all_extras: bool = False
    groups: frozenset[str] = frozenset()
    no_default_groups: bool = False


NO_OPTIONS = LockOptions()


@dataclass(frozen=True)
class Selection:
    """Per package (by position in the lock): installed (None) or skipped (the reason); or the whole target refused."""

    skipped: Mapping[int, str] = field(default_factory=dict)
    error: str = ""


class MarkerError(Exception):
    """A marker that parses but cannot be evaluated (an undefined variable for its context, a bad comparison)."""


def evaluate(marker: Marker, env: Mapping[str, str | AbstractSet[str]], context: EvaluateContext = "metadata") -> bool:
    """`Marker.evaluate`, its failures one `MarkerError` (packaging raises `UndefinedEnvironmentName` for
    `extra` in a pylock, where the variable is `extras`; the installer stops there too)."""
    try:
        return marker.evaluate(dict(env), context=context)
    except (UndefinedEnvironmentName, UndefinedComparison, ValueError, TypeError) as exc:
        raise MarkerError(f"marker `{marker}` cannot be evaluated: {exc.__class__.__name__}: {exc}") from None


def _holds(marker: Marker | None, env: Mapping[str, str], extras: Iterable[str] = ()) -> bool:
    """A metadata marker, true if it holds with no extra or with any of `extras` (`extra == 'x'`)."""
    if marker is None:
        return True
    return any(evaluate(marker, {**env, "extra": extra}) for extra in ("", *extras))


def select(lock: LockFile, profile: Profile, interp: Interpreter, installer: InstallerName,
           opts: LockOptions = NO_OPTIONS) -> Selection:
    env = marker_environment(profile, interp)
    try:
        if lock.format is LockFormat.UV:
            return _uv(lock, env, opts)
        if lock.format is LockFormat.PYLOCK:
            return _pylock(lock, env, installer, opts)
        if lock.format is LockFormat.POETRY:
            return _poetry(lock, env, opts)
        return _pdm(lock, profile, interp, env, opts)
    except MarkerError as exc:
        return Selection(error=str(exc))


class Refuser(TextEnum):
    """Whose words a refused `requires-python` is told in (each recorded, but poetry: tests/fixtures/locks/narrow)."""

    UV_SYNC = "uv sync"
    UV_PYLOCK = "uv pip install"
    PYLOCK = "pylock"
    POETRY = "poetry install"


def _python_error(lock: LockFile, env: Mapping[str, str], who: Refuser) -> str:
    spec = lock.requires_python
    version = env["python_full_version"]
    if spec is None or spec.contains(version, prereleases=True):
        return ""
    if who is Refuser.UV_SYNC:  # uv 0.13 `commands/project` `ProjectError::RequestedPythonProjectIncompatibility`
        # (the project's requires-python, which `uv lock` copies into the lock)
        return (f"The requested interpreter resolved to Python {version}, which is incompatible with the project's "
                f"Python requirement: `{spec}` (from `project.requires-python`)")
    if who is Refuser.UV_PYLOCK:  # uv 0.13 `commands/pip/install.rs`: the lock's requires-python, checked first
        return (f"The requested interpreter resolved to Python {version}, which is incompatible with the "
                f"`pylock.toml`'s Python requirement: `{spec}`")
    if who is Refuser.PYLOCK:  # packaging 26.4 `Pylock.select` (`PylockSelectError`), which pip 26.1+ calls
        return (f"python_full_version {version!r} in provided environment does not satisfy the Python version "
                f"requirement {str(spec)!r}")
    return f"{who}: Python {version} does not satisfy the lock's requires-python `{spec}` (tagsim's words)"


def _uv(lock: LockFile, env: Mapping[str, str], opts: LockOptions) -> Selection:
    error = _python_error(lock, env, Refuser.UV_SYNC)
    if not error and lock.environments and not any(evaluate(m, env) for m in lock.environments):
        error = ("The current Python platform is not compatible with the lockfile's supported environments: "
                 + ", ".join(f"`{_uv_text(m)}`" for m in lock.environments))
    if error:
        return Selection(error=error)
    by_name: dict[str, list[int]] = {}
    for n, pkg in enumerate(lock.packages):
        by_name.setdefault(pkg.name, []).append(n)
    reached: set[int] = set()
    false_edges: dict[str, str] = {}  # name -> the first edge to it whose marker is false here
    extras_of: dict[int, set[str]] = {}
    todo: list[tuple[int, frozenset[str]]] = []
    # `uv sync` at the workspace root syncs the root project (`--all-packages`: every member, not modelled).
    members = [n for name in lock.members for n in by_name.get(name, [])]
    roots = [n for n in members if lock.packages[n].origin == "."] or members
    for n in roots:
        pkg = lock.packages[n]
        extras: frozenset[str] = (frozenset(pkg.optional_dependencies) if opts.all_extras
                                  else frozenset(canonicalize_name(e) for e in opts.extras))
        todo.append((n, extras))
        groups = set() if opts.no_default_groups else ({"dev"} & set(pkg.dev_dependencies))
        groups |= {canonicalize_name(g) for g in opts.groups}
        for group in sorted(groups):
            for dep in pkg.dev_dependencies.get(group, ()):
                todo.extend(_edge(lock, by_name, dep, env, false_edges, pkg.label))
    while todo:
        n, wanted = todo.pop()
        known = extras_of.get(n)
        if n in reached and known is not None and wanted <= known:
            continue
        reached.add(n)
        extras_of[n] = (known or set()) | wanted
        pkg = lock.packages[n]
        edges = [*pkg.dependencies, *(d for e in sorted(wanted) for d in pkg.optional_dependencies.get(e, ()))]
        for dep in edges:
            todo.extend(_edge(lock, by_name, dep, env, false_edges, pkg.label))
    skipped = {}
    for n, pkg in enumerate(lock.packages):
        if pkg.source is PackageSource.VIRTUAL:
            skipped[n] = "virtual package: uv installs its dependencies, not the package itself"
        elif n not in reached:
            others = [m for m in by_name[pkg.name] if m in reached]
            skipped[n] = (f"another version of {pkg.name} ({lock.packages[others[0]].version}) is installed here"
                          if others else false_edges.get(pkg.name, "not reached from the project's dependencies"))
    return Selection(skipped)


def _uv_text(marker: Marker) -> str:
    """A marker as uv prints it (`MarkerTree` display quotes strings with `'`; packaging with `"`)."""
    return str(marker).replace('"', "'")


def _edge(lock: LockFile, by_name: Mapping[str, list[int]], dep: Dependency, env: Mapping[str, str],
          false_edges: dict[str, str], parent: str) -> list[tuple[int, frozenset[str]]]:
    """The package a holding edge leads to (`version`/`source` pick one of several of that name)."""
    if not _holds(dep.marker, env):
        false_edges.setdefault(dep.name, f"marker `{dep.marker}` (from {parent}) is false here")
        return []
    candidates = by_name.get(dep.name, [])
    if dep.version is not None:
        candidates = [n for n in candidates if str(lock.packages[n].version) == dep.version] or candidates
    return [(candidates[0], frozenset(dep.extras))] if candidates else []


def _pylock(lock: LockFile, env: Mapping[str, str], installer: InstallerName, opts: LockOptions) -> Selection:
    error = _python_error(lock, env, Refuser.UV_PYLOCK if installer is InstallerName.UV else Refuser.PYLOCK)
    env_set: dict[str, str | AbstractSet[str]] = {**env, "extras": frozenset(canonicalize_name(e) for e in opts.extras),
               "dependency_groups": frozenset(opts.groups) | (frozenset() if opts.no_default_groups
                                                              else frozenset(lock.default_groups))}
    if not error and lock.environments and not any(evaluate(m, env, "requirement") for m in lock.environments):
        error = ("The target environment is not supported by the lockfile" if installer is InstallerName.UV
                 else "Provided environment does not satisfy any of the environments specified in the lock file")
    if error:
        return Selection(error=error)
    skipped: dict[int, str] = {}
    chosen: dict[str, int] = {}
    known: dict[str, bool] = {}  # marker text -> value here: locks repeat a few markers many times
    for n, pkg in enumerate(lock.packages):
        marker = pkg.marker
        holds = True if marker is None else known.get(str(marker))
        if holds is None and marker is not None:
            holds = known[str(marker)] = evaluate(marker, env_set, "lock_file")
        if not holds:
            skipped[n] = f"marker `{pkg.marker}` is false here"
            continue
        if pkg.requires_python is not None and not pkg.requires_python.contains(env["python_full_version"],
                                                                                  prereleases=True):
            # packaging 26.4 `Pylock.select`'s words (read from its code; no tool writes a package's
            # requires-python into the recorded locks)
            return Selection(error=f"python_full_version {env['python_full_version']!r} in provided environment "
                                   f"does not satisfy the Python version requirement {str(pkg.requires_python)!r} "
                                   f"for package {pkg.name!r} at packages[{n}]")
        if pkg.name in chosen:
            return Selection(error=f"Multiple packages with the name {pkg.name!r} are selected at packages[{n}] "
                                   f"and packages[{chosen[pkg.name]}]")
        chosen[pkg.name] = n
    return Selection(skipped)


def _groups_wanted(lock: LockFile, opts: LockOptions) -> set[str]:
    wanted = set() if opts.no_default_groups else set(lock.default_groups)
    return wanted | set(opts.groups)


def _poetry(lock: LockFile, env: Mapping[str, str], opts: LockOptions) -> Selection:
    error = _python_error(lock, env, Refuser.POETRY)
    if error:
        return Selection(error=error)
    wanted = _groups_wanted(lock, opts)
    extras = set(lock.extra_packages) if opts.all_extras else {canonicalize_name(e) for e in opts.extras}
    by_extra = {name for e in extras for name in lock.extra_packages.get(e, ())}
    skipped: dict[int, str] = {}
    for n, pkg in enumerate(lock.packages):
        groups = [g for g in pkg.groups if g in wanted]
        if not groups:
            skipped[n] = f"in group(s) {', '.join(pkg.groups)}, not requested"
        elif pkg.optional and pkg.name not in by_extra:
            skipped[n] = "optional: installed only through a requested extra"
        elif pkg.group_markers and not any(g not in pkg.group_markers or _holds(pkg.group_markers[g], env, extras)
                                           for g in groups):
            skipped[n] = "marker " + " / ".join(f"`{pkg.group_markers[g]}`" for g in groups) + " is false here"
        elif not _holds(pkg.marker, env, extras):
            skipped[n] = f"marker `{pkg.marker}` is false here"
    return Selection(skipped)


def _pdm(lock: LockFile, profile: Profile, interp: Interpreter, env: Mapping[str, str],
         opts: LockOptions) -> Selection:
    if lock.targets and not any(pdm_target_fits(t, profile, interp) for t in lock.targets):
        return Selection(error=pdm_refusal(lock.targets, profile, interp))
    wanted = _groups_wanted(lock, opts)
    skipped: dict[int, str] = {}
    for n, pkg in enumerate(lock.packages):
        if not set(pkg.groups) & wanted:
            skipped[n] = f"in group(s) {', '.join(pkg.groups)}, not requested"
        elif not _holds(pkg.marker, env):
            skipped[n] = f"marker `{pkg.marker}` is false here"
    return Selection(skipped)


def installed(lock: LockFile, selection: Selection) -> Sequence[LockedPackage]:
    return [p for n, p in enumerate(lock.packages) if n not in selection.skipped] if not selection.error else []
