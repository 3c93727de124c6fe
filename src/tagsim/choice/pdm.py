"""pdm 2.x: lock a version for every platform, then `pdm sync` picks a locked file for this machine.

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
  (`tagsim.tags.pdm`); the build tag is never compared, ties go to the first listed file.
Sources per version: `tags.eras.PDM_ROWS` (2.17.0-2.29.4).
"""

from __future__ import annotations

from typing import Any

from packaging.requirements import Requirement
from packaging.version import Version

from ..files.filename import wheel_tag_parts
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..tags import pdm as pdm_tags
from ..tags.index import TagIndex
from .family import Context, Pick
from .flags import Flags
from .reasons import TAG_REASONS, Reason
from .resolved import allows_all, allows_any, by_version, locked_message, mark_older, range_text
from .verdict import Verdict, yank_detail


def _lock_score(filename: str, interp: Interpreter) -> tuple[int, int, int] | None:
    """dep_logic score of a wheel's Python/ABI tags against the project's range (any implementation)."""
    pyver, abi, _ = wheel_tag_parts(filename)
    scores = [pdm_tags.python_score(p, a, interp.minor, implementation=None)
              for p in pyver.split(".") for a in abi.split(".")]
    found = [s for s in scores if s is not None]
    return max(found) if found else None


def pick(evals: list[Verdict], ctx: Context) -> Pick:
    """pdm: lock a version for every platform, then `pdm sync` picks a locked file for this machine."""
    chosen, order, locked = _decide(evals, ctx.project, ctx.profile, ctx.interp, ctx.req, ctx.flags, ctx.tag_index)
    return Pick(chosen, order, explained=True, message=locked_message(ctx, locked) if chosen is None else "")


def _decide(evals: list[Verdict], project: str, profile: Profile, interp: Interpreter, req: Requirement | None,
            flags: Flags, index: TagIndex) -> tuple[Verdict | None, list[Verdict], Version | None]:
    prefer = bool(flags.prefer_binary) or bool({project, ":all:"} & flags.prefer_binary_for)
    # pdm `Requirement.is_pinned` (`models/requirements.py`): one specifier, `===` or `==` without `*`.
    specs = list(req.specifier) if req is not None else []
    equality = len(specs) == 1 and (specs[0].operator == "===" or (specs[0].operator == "==" and "*" not in specs[0].version))
    # Lock stage: every platform, the project's Python range.
    pool = [ev for ev in evals if ev.reason is None or ev.reason in TAG_REASONS]
    lockable: list[Verdict] = []
    lock_scores: dict[int, tuple[int, ...]] = {}
    for ev in pool:
        if ev.file.is_wheel:
            python = _lock_score(ev.file.filename, interp)
            if python is None:
                if ev.ok:  # cannot happen: the tag index accepts a subset
                    ev.reason, ev.detail = Reason.PYTHON, f"no Python/ABI tag fits Python {range_text(interp)}"
                continue
            lock_scores[id(ev)] = (*python, -1)
        else:
            lock_scores[id(ev)] = (0, 0, 0, 0)
        if not allows_any(ev.file.requires_python, interp):
            ev.reason = Reason.REQUIRES_PYTHON
            ev.detail = f"requires-python {ev.file.requires_python}, target is Python {range_text(interp)}"
            continue
        lockable.append(ev)
    unyanked = [ev for ev in lockable if equality or not ev.file.yanked]
    superset = [ev for ev in unyanked if allows_all(ev.file.requires_python, interp)]
    resolvable = superset or unyanked

    def lock_key(ev: Verdict) -> tuple[Any, ...]:
        assert ev.file.version is not None
        return (-int(ev.file.yanked), int(prefer and ev.file.is_wheel), ev.file.version, lock_scores[id(ev)])

    if not resolvable:
        for ev in lockable:
            if ev.file.yanked and ev.ok:
                ev.reason, ev.detail = Reason.YANKED, yank_detail(ev.file) + " (pdm takes yanked files only for an exact pin)"
        return None, [], None
    first = sorted(resolvable, key=lock_key, reverse=True)[0]
    locked = first.file.version
    assert locked is not None
    for ev in lockable:
        if ev.file.version == locked or not ev.ok:
            continue
        if ev.file.yanked and not equality:
            ev.reason, ev.detail = Reason.YANKED, yank_detail(ev.file) + " (pdm takes yanked files only for an exact pin)"
        elif ev not in resolvable:
            ev.reason = Reason.REQUIRES_PYTHON
            ev.detail = (f"requires-python {ev.file.requires_python} does not cover the project's Python "
                         f"{range_text(interp)} (pdm skips it when locking)")
    groups = by_version([ev for ev in lockable if ev.ok])
    newer = []
    for version in sorted(groups, reverse=True):
        if version > locked:
            for ev in groups[version]:
                ev.reason = Reason.PREFER_BINARY
                ev.detail = (f"resolution.prefer-binary: the lock takes {first.file.filename} "
                             f"(a wheel for any platform) over newer sdists")
                newer.append(ev)
    older = mark_older(groups, locked, "pdm")
    # Install stage (`pdm sync`): the locked files of that version (yanked allowed, `==` pin), this machine.
    files = [ev for ev in lockable if ev.file.version == locked]
    candidates = []
    for ev in files:
        if ev.file.is_wheel and not ev.ok:
            continue  # keeps the tag index's reason: not compatible with this machine
        if ev.reason in (Reason.OLDER_VERSION, Reason.YANKED):
            ev.reason, ev.detail = None, ""
        if not ev.file.is_wheel and ev.rank is None:
            ev.rank = index.sdist_rank
        candidates.append(ev)

    def score(ev: Verdict) -> tuple[int, ...]:
        if not ev.file.is_wheel or ev.tag is None:
            return (0, 0, 0, 0)
        return pdm_tags.score(ev.tag, profile, interp)

    def key(ev: Verdict) -> tuple[Any, ...]:
        return (-int(ev.file.yanked), int(prefer and ev.file.is_wheel), score(ev))

    if not candidates:
        return None, [*newer, *older], locked
    ordered = sorted(candidates, key=key, reverse=True)  # stable: the first listed leads a tie
    chosen = ordered[0]
    for ev in ordered[1:]:
        if ev.file.yanked and not chosen.file.yanked:
            ev.reason, ev.detail = Reason.YANKED, "yanked files rank below every other locked file"
            continue
        ev.reason = Reason.LOWER_PRIORITY
        if key(ev) == key(chosen):
            ev.detail = (f"same dep_logic score {score(ev)} as the chosen file; pdm keeps the first listed "
                         "(build tags are never compared)")
        elif not ev.file.is_wheel:
            ev.detail = "an sdist ranks below any compatible wheel of the same version"
        else:
            ev.detail = (f"dep_logic score {score(ev)} < {score(chosen)} "
                         "(Python major, Python minor, ABI kind, platform)")
    return chosen, [*ordered, *newer, *older], locked
