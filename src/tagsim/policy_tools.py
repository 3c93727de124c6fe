"""poetry 2.x and pdm 2.x: they resolve a version first and only then pick a file of it.

pip and uv walk files; these two lock a *version* and the installer later picks one of that
version's files for the machine, with no way back to an older version if none fits.

poetry (2.0.0-2.5.1, sources in `eras.POETRY_ROWS`):
- version: `puzzle/provider.py` `Provider.search_for` sorts the index's versions newest first
  (yanked releases dropped unless the constraint is an exact `==`, `repositories/repository.py`
  `find_packages`); `Provider._incompatibilities_for` rejects a version whose Requires-Python does not
  allow the project's whole Python range. The version's Requires-Python comes from one file's metadata
  (`http_repository.py` `_get_info_from_links`: the py2.py3 universal wheel, else a py3 universal
  wheel, else the first platform wheel, else the first sdist). Files, tags and
  installer.no-binary/only-binary play no part.
- file: `installation/chooser.py` `Chooser.choose_for`: the lock keeps the release's non-yanked files
  (`_links_to_data`), wheels the environment does not support and files the binary policy excludes
  are skipped, then `max()` of `_sort_key` = (hash, yank, 0, version, build tag, tag priority): the
  build tag outranks the tag priority, and ties go to the first listed file.

pdm (2.17.0-2.28.2):
- version: the lock target is every platform (`Project.lock_targets` = `allow_all_spec`), so
  `PDMPackageFinder` (`models/finder.py`) keeps any wheel whose Python/ABI tags fit the project's
  Python range, whatever its platform. It drops yanked files unless the requirement is pinned
  (pdm `Requirement.is_pinned`: one `==` without `*`, or `===`; unearth `Evaluator.check_yanked`),
  files excluded by no-binary/only-binary (unearth `FormatControl`), and files whose
  data-requires-python misses the range (`PDMEvaluator.check_requires_python`).
  `BaseRepository.find_candidates` then skips files whose Requires-Python is not a superset of the
  range (unless that leaves none). The first file by `_sort_key` = (-yanked, prefer-binary wheel,
  version, dep_logic score, build tag never set) fixes the version.
- file: `pdm sync` (`models/candidates.py` `_find_best_match_link`) ranks the locked files of that
  version for this machine with the same `_sort_key`, dep_logic scoring against the real platform
  (`tagsim.taggen_pdm`); the build tag is never compared, ties go to the first listed file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from . import taggen_pdm
from .compat import TagIndex
from .eras import PoetryEra
from .installers import Installer
from .interpreters import Interpreter
from .policy import (
    Decision,
    Flags,
    _Eval,
    _none_message,
    _ordered_considered,
    _pinned,
    make_decision,
)
from .profiles import Profile

_TAG_REASONS = ("platform", "python", "abi")


def _range_text(interp: Interpreter) -> str:
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


def _allows_all(text: str | None, interp: Interpreter) -> bool:
    """Requires-Python holds for every Python of the project's range (`X.Y.*`)."""
    spec = _spec(text)
    return spec is None or all(spec.contains(v, prereleases=True) for v in _samples(interp))


def _allows_any(text: str | None, interp: Interpreter) -> bool:
    spec = _spec(text)
    return spec is None or any(spec.contains(v, prereleases=True) for v in _samples(interp))


def _wheel_parts(filename: str) -> tuple[str, str, str]:
    pyver, abi, plat = filename[:-4].split("-")[-3:]
    return pyver, abi, plat


def _yank_text(ev: _Eval) -> str:
    return f"yanked{': ' + ev.file.yanked_reason if ev.file.yanked_reason else ''}"


def decide_tool(profile: Profile, interp: Interpreter, installer: Installer, evals: list[_Eval], project: str,
                req: Requirement | None, flags: Flags, index: TagIndex) -> Decision:
    """Entry point from `policy.decide` (the first pass has already checked names, versions and tags)."""
    if installer.name == "poetry":
        chosen, order, locked = _decide_poetry(evals, installer, interp, req, flags, index)
    else:
        chosen, order, locked = _decide_pdm(evals, project, profile, interp, req, flags, index)
    considered = _ordered_considered(chosen, order, evals)
    message = ""
    if chosen is None:
        if locked is None:
            message = _none_message(project, req, evals)
        else:
            message = (f"locks {project} {locked} but no file of {locked} installs here "
                       f"({installer.name} does not go back to an older version)")
    return make_decision(installer, chosen, considered, index, evals, flags, message)


def _by_version(evs: Sequence[_Eval]) -> dict[Version, list[_Eval]]:
    out: dict[Version, list[_Eval]] = {}
    for ev in evs:
        if ev.file.version is not None:
            out.setdefault(ev.file.version, []).append(ev)
    return out


def _mark_older(groups: dict[Version, list[_Eval]], locked: Version, tool: str) -> list[_Eval]:
    """Files of versions older than the locked one: never looked at by the installer."""
    out = []
    for version in sorted(groups, reverse=True):
        if version >= locked:
            continue
        for ev in groups[version]:
            if ev.ok:
                ev.reason = "older-version"
                ev.detail = f"{version} is older than the locked {locked}; {tool} never goes back to it"
                out.append(ev)
    return out


# --- poetry ------------------------------------------------------------------------------


def _poetry_metadata_files(files: list[_Eval]) -> list[_Eval]:
    """`HTTPRepository._get_info_from_links`: the file(s) whose metadata gives the release's Requires-Python."""
    wheels = [ev for ev in files if ev.file.is_wheel]
    sdists = [ev for ev in files if not ev.file.is_wheel]
    if wheels:
        universal = py2 = py3 = None
        platform_specific = []
        for ev in wheels:
            pyver, abi, plat = _wheel_parts(ev.file.filename)
            if abi == "none" and plat == "any":
                if pyver == "py2.py3":
                    universal = ev
                elif pyver == "py2":
                    py2 = ev
                else:
                    py3 = ev
            else:
                platform_specific.append(ev)
        if universal is not None:
            return [universal]
        if py2 is not None and py3 is not None:
            return [py2, py3]  # poetry takes the union of both constraints
        for pick in (py3, py2, platform_specific[0] if platform_specific else None):
            if pick is not None:
                return [pick]
    return sdists[:1]


def _poetry_formats(era: PoetryEra, project: str, flags: Flags) -> set[str]:
    """`Chooser.choose_for` with `PackageFilterPolicy` of installer.no-binary / installer.only-binary."""
    no_binary, only_binary = flags.no_binary, flags.only_binary
    formats = {"binary", "source"}
    if era.binary_policy == "plain":
        if ":all:" in no_binary or project in no_binary:
            formats.discard("binary")
        if ":all:" in only_binary or project in only_binary:
            formats.discard("source")
    else:
        if project in no_binary or (":all:" in no_binary and project not in only_binary):
            formats.discard("binary")
        if project in only_binary or (":all:" in only_binary and project not in no_binary):
            formats.discard("source")
    return formats


def _decide_poetry(evals: list[_Eval], installer: Installer, interp: Interpreter, req: Requirement | None,
                   flags: Flags, index: TagIndex) -> tuple[_Eval | None, list[_Eval], Version | None]:
    era = installer.era
    assert isinstance(era, PoetryEra)
    # The resolver sees every file of a requested version, whatever its tags or format.
    pool = [ev for ev in evals if ev.reason is None or ev.reason in (*_TAG_REASONS, "format")]
    groups = _by_version(pool)
    pinned = _pinned(req)
    locked: Version | None = None
    for version in sorted(groups, reverse=True):
        files = groups[version]
        release_yanked = all(ev.file.yanked for ev in files)
        if release_yanked and not pinned:
            for ev in files:
                ev.reason, ev.detail = "yanked", f"release {version} is yanked (all its files); only `==` takes it"
            continue
        meta = _poetry_metadata_files([ev for ev in files if release_yanked or not ev.file.yanked])
        if meta and not any(_allows_all(ev.file.requires_python, interp) for ev in meta):
            rp = " or ".join(str(ev.file.requires_python) for ev in meta)
            for ev in files:
                ev.reason = "requires-python"
                ev.detail = (f"release {version}: Requires-Python {rp} (metadata of {meta[0].file.filename}) "
                             f"does not allow all of the project's Python {_range_text(interp)}")
            continue
        locked = version
        break
    if locked is None:
        return None, [], None
    older = _mark_older(groups, locked, "poetry")
    files = groups[locked]
    release_yanked = all(ev.file.yanked for ev in files)
    formats = _poetry_formats(era, files[0].file.name or "", flags)
    candidates = []
    for ev in files:
        if ev.file.yanked and not release_yanked:
            ev.reason, ev.detail = "yanked", _yank_text(ev) + " (poetry leaves yanked files out of the lock)"
            continue
        if ev.reason == "format":
            ev.reason, ev.detail = None, ""
        if ev.file.is_wheel and "binary" not in formats:
            ev.reason, ev.detail = "format", "wheels excluded by installer.no-binary"
        elif not ev.file.is_wheel and "source" not in formats:
            ev.reason, ev.detail = "format", "sdists excluded by installer.only-binary"
        elif ev.ok:
            if not ev.file.is_wheel and ev.rank is None:
                ev.rank = index.sdist_rank
            candidates.append(ev)
        # wheels the environment does not support keep their tag reason

    def key(ev: _Eval) -> tuple[Any, ...]:
        # `Chooser._sort_key` minus the terms equal for every file here (hash, yank, binary, version)
        assert ev.rank is not None
        return (ev.file.build, -ev.rank)

    if not candidates:
        return None, older, locked
    ordered = sorted(candidates, key=key, reverse=True)  # stable: the first listed leads a tie, as max()
    chosen = ordered[0]
    for ev in ordered[1:]:
        ev.reason = "lower-priority"
        if key(ev) == key(chosen):
            ev.detail = f"same build tag and rank {ev.rank} as the chosen file; poetry's max() keeps the first listed"
        elif ev.file.build != chosen.file.build:
            ev.detail = (f"build tag {_build(ev)} < {_build(chosen)}: poetry compares the build tag "
                         "before the tag priority")
        elif not ev.file.is_wheel:
            ev.detail = "an sdist ranks below any compatible wheel of the same version"
        else:
            ev.detail = f"rank {ev.rank} vs the chosen file's rank {chosen.rank}"
    return chosen, [*ordered, *older], locked


def _build(ev: _Eval) -> str:
    return "".join(str(p) for p in ev.file.build) if ev.file.build else "none"


# --- pdm ---------------------------------------------------------------------------------


def _lock_score(filename: str, interp: Interpreter) -> tuple[int, int, int] | None:
    """dep_logic score of a wheel's Python/ABI tags against the project's range (any implementation)."""
    pyver, abi, _ = _wheel_parts(filename)
    scores = [taggen_pdm.python_score(p, a, interp.minor, implementation=None)
              for p in pyver.split(".") for a in abi.split(".")]
    found = [s for s in scores if s is not None]
    return max(found) if found else None


def _decide_pdm(evals: list[_Eval], project: str, profile: Profile, interp: Interpreter, req: Requirement | None,
                flags: Flags, index: TagIndex) -> tuple[_Eval | None, list[_Eval], Version | None]:
    prefer = bool(flags.prefer_binary) or bool({project, ":all:"} & flags.prefer_binary_for)
    # pdm `Requirement.is_pinned` (`models/requirements.py`): one specifier, `===` or `==` without `*`.
    specs = list(req.specifier) if req is not None else []
    equality = len(specs) == 1 and (specs[0].operator == "===" or (specs[0].operator == "==" and "*" not in specs[0].version))
    # Lock stage: every platform, the project's Python range.
    pool = [ev for ev in evals if ev.reason is None or ev.reason in _TAG_REASONS]
    lockable: list[_Eval] = []
    lock_scores: dict[int, tuple[int, ...]] = {}
    for ev in pool:
        if ev.file.is_wheel:
            python = _lock_score(ev.file.filename, interp)
            if python is None:
                if ev.ok:  # cannot happen: the tag index accepts a subset
                    ev.reason, ev.detail = "python", f"no Python/ABI tag fits Python {_range_text(interp)}"
                continue
            lock_scores[id(ev)] = (*python, -1)
        else:
            lock_scores[id(ev)] = (0, 0, 0, 0)
        if not _allows_any(ev.file.requires_python, interp):
            ev.reason = "requires-python"
            ev.detail = f"requires-python {ev.file.requires_python}, target is Python {_range_text(interp)}"
            continue
        lockable.append(ev)
    unyanked = [ev for ev in lockable if equality or not ev.file.yanked]
    superset = [ev for ev in unyanked if _allows_all(ev.file.requires_python, interp)]
    resolvable = superset or unyanked

    def lock_key(ev: _Eval) -> tuple[Any, ...]:
        assert ev.file.version is not None
        return (-int(ev.file.yanked), int(prefer and ev.file.is_wheel), ev.file.version, lock_scores[id(ev)])

    if not resolvable:
        for ev in lockable:
            if ev.file.yanked and ev.ok:
                ev.reason, ev.detail = "yanked", _yank_text(ev) + " (pdm takes yanked files only for an exact pin)"
        return None, [], None
    first = sorted(resolvable, key=lock_key, reverse=True)[0]
    locked = first.file.version
    assert locked is not None
    for ev in lockable:
        if ev.file.version == locked or not ev.ok:
            continue
        if ev.file.yanked and not equality:
            ev.reason, ev.detail = "yanked", _yank_text(ev) + " (pdm takes yanked files only for an exact pin)"
        elif ev not in resolvable:
            ev.reason = "requires-python"
            ev.detail = (f"requires-python {ev.file.requires_python} does not cover the project's Python "
                         f"{_range_text(interp)} (pdm skips it when locking)")
    groups = _by_version([ev for ev in lockable if ev.ok])
    newer = []
    for version in sorted(groups, reverse=True):
        if version > locked:
            for ev in groups[version]:
                ev.reason = "prefer-binary"
                ev.detail = (f"resolution.prefer-binary: the lock takes {first.file.filename} "
                             f"(a wheel for any platform) over newer sdists")
                newer.append(ev)
    older = _mark_older(groups, locked, "pdm")
    # Install stage (`pdm sync`): the locked files of that version (yanked allowed, `==` pin), this machine.
    files = [ev for ev in lockable if ev.file.version == locked]
    candidates = []
    for ev in files:
        if ev.file.is_wheel and not ev.ok:
            continue  # keeps the tag index's reason: not compatible with this machine
        if ev.reason in ("older-version", "yanked"):
            ev.reason, ev.detail = None, ""
        if not ev.file.is_wheel and ev.rank is None:
            ev.rank = index.sdist_rank
        candidates.append(ev)

    def score(ev: _Eval) -> tuple[int, ...]:
        if not ev.file.is_wheel or ev.tag is None:
            return (0, 0, 0, 0)
        return taggen_pdm.score(ev.tag, profile, interp)

    def key(ev: _Eval) -> tuple[Any, ...]:
        return (-int(ev.file.yanked), int(prefer and ev.file.is_wheel), score(ev))

    if not candidates:
        return None, [*newer, *older], locked
    ordered = sorted(candidates, key=key, reverse=True)  # stable: the first listed leads a tie
    chosen = ordered[0]
    for ev in ordered[1:]:
        if ev.file.yanked and not chosen.file.yanked:
            ev.reason, ev.detail = "yanked", "yanked files rank below every other locked file"
            continue
        ev.reason = "lower-priority"
        if key(ev) == key(chosen):
            ev.detail = (f"same dep_logic score {score(ev)} as the chosen file; pdm keeps the first listed "
                         "(build tags are never compared)")
        elif not ev.file.is_wheel:
            ev.detail = "an sdist ranks below any compatible wheel of the same version"
        else:
            ev.detail = (f"dep_logic score {score(ev)} < {score(chosen)} "
                         "(Python major, Python minor, ABI kind, platform)")
    return chosen, [*ordered, *newer, *older], locked
