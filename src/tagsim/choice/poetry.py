"""poetry 2.x: resolve a version first, then let the installer's `Chooser` pick one of its files.

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
Sources per version: `tags.eras.POETRY_ROWS` (2.0.0-2.5.1).
"""

from __future__ import annotations

from typing import Any

from packaging.requirements import Requirement
from packaging.version import Version

from ..files.filename import wheel_tag_parts
from ..platform.interpreter import Interpreter
from ..tags.eras import BinaryPolicy, PoetryEra
from ..tags.index import TagIndex
from .family import Context, Pick
from .flags import DistFormat, Flags
from .installer import Era
from .reasons import TAG_REASONS, Reason
from .requirement import is_pinned
from .resolved import allows_all, by_version, locked_message, mark_older, range_text
from .verdict import Verdict, yank_detail


def _poetry_metadata_files(files: list[Verdict]) -> list[Verdict]:
    """`HTTPRepository._get_info_from_links`: the file(s) whose metadata gives the release's Requires-Python."""
    wheels = [ev for ev in files if ev.file.is_wheel]
    sdists = [ev for ev in files if not ev.file.is_wheel]
    if wheels:
        universal = py2 = py3 = None
        platform_specific = []
        for ev in wheels:
            pyver, abi, plat = wheel_tag_parts(ev.file.filename)
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


def _poetry_formats(era: PoetryEra, project: str, flags: Flags) -> set[DistFormat]:
    """`Chooser.choose_for` with `PackageFilterPolicy` of installer.no-binary / installer.only-binary."""
    no_binary, only_binary = flags.no_binary, flags.only_binary
    formats = {DistFormat.BINARY, DistFormat.SOURCE}
    if era.binary_policy is BinaryPolicy.PLAIN:
        if ":all:" in no_binary or project in no_binary:
            formats.discard(DistFormat.BINARY)
        if ":all:" in only_binary or project in only_binary:
            formats.discard(DistFormat.SOURCE)
    else:
        if project in no_binary or (":all:" in no_binary and project not in only_binary):
            formats.discard(DistFormat.BINARY)
        if project in only_binary or (":all:" in only_binary and project not in no_binary):
            formats.discard(DistFormat.SOURCE)
    return formats


def pick(evals: list[Verdict], ctx: Context) -> Pick:
    """poetry: lock the newest version the project's Python range allows, then `Chooser` picks a file."""
    chosen, order, locked = _decide(evals, ctx.installer.era, ctx.interp, ctx.req, ctx.flags, ctx.tag_index)
    return Pick(chosen, order, explained=True, message=locked_message(ctx, locked) if chosen is None else "")


def _decide(evals: list[Verdict], era: Era, interp: Interpreter, req: Requirement | None,
            flags: Flags, index: TagIndex) -> tuple[Verdict | None, list[Verdict], Version | None]:
    assert isinstance(era, PoetryEra)
    # The resolver sees every file of a requested version, whatever its tags or format.
    pool = [ev for ev in evals if ev.reason is None or ev.reason in (*TAG_REASONS, Reason.FORMAT)]
    groups = by_version(pool)
    pinned = is_pinned(req)
    locked: Version | None = None
    for version in sorted(groups, reverse=True):
        files = groups[version]
        release_yanked = all(ev.file.yanked for ev in files)
        if release_yanked and not pinned:
            for ev in files:
                ev.reason, ev.detail = Reason.YANKED, f"release {version} is yanked (all its files); only `==` takes it"
            continue
        meta = _poetry_metadata_files([ev for ev in files if release_yanked or not ev.file.yanked])
        if meta and not any(allows_all(ev.file.requires_python, interp) for ev in meta):
            rp = " or ".join(str(ev.file.requires_python) for ev in meta)
            for ev in files:
                ev.reason = Reason.REQUIRES_PYTHON
                ev.detail = (f"release {version}: Requires-Python {rp} (metadata of {meta[0].file.filename}) "
                             f"does not allow all of the project's Python {range_text(interp)}")
            continue
        locked = version
        break
    if locked is None:
        return None, [], None
    older = mark_older(groups, locked, "poetry")
    files = groups[locked]
    release_yanked = all(ev.file.yanked for ev in files)
    formats = _poetry_formats(era, files[0].file.name or "", flags)
    candidates = []
    for ev in files:
        if ev.file.yanked and not release_yanked:
            ev.reason, ev.detail = Reason.YANKED, yank_detail(ev.file) + " (poetry leaves yanked files out of the lock)"
            continue
        if ev.reason is Reason.FORMAT:
            ev.reason, ev.detail = None, ""
        if ev.file.is_wheel and DistFormat.BINARY not in formats:
            ev.reason, ev.detail = Reason.FORMAT, "wheels excluded by installer.no-binary"
        elif not ev.file.is_wheel and DistFormat.SOURCE not in formats:
            ev.reason, ev.detail = Reason.FORMAT, "sdists excluded by installer.only-binary"
        elif ev.ok:
            if not ev.file.is_wheel and ev.rank is None:
                ev.rank = index.sdist_rank
            candidates.append(ev)
        # wheels the environment does not support keep their tag reason

    def key(ev: Verdict) -> tuple[Any, ...]:
        # `Chooser._sort_key` minus the terms equal for every file here (hash, yank, binary, version)
        assert ev.rank is not None
        return (ev.file.build, -ev.rank)

    if not candidates:
        return None, older, locked
    ordered = sorted(candidates, key=key, reverse=True)  # stable: the first listed leads a tie, as max()
    chosen = ordered[0]
    for ev in ordered[1:]:
        ev.reason = Reason.LOWER_PRIORITY
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


def _build(ev: Verdict) -> str:
    return "".join(str(p) for p in ev.file.build) if ev.file.build else "none"
