"""uv's ranking: `uv-resolver` `candidate_selector.rs` (highest version first, the first usable version
wins) and `uv-distribution-types` `prioritized_distribution.rs` (best wheel by (priority, build tag),
then the sdist). Rules by era in `tags.eras.UvEra`."""

from __future__ import annotations

from packaging.version import Version

from ..files.filename import wheel_tag_parts
from ..tags.eras import UvEra
from .family import Context, Pick
from .reasons import Reason
from .requirement import is_pinned
from .requires_python import requires_python_ok
from .verdict import Verdict, yank_detail


def pick(evals: list[Verdict], ctx: Context) -> Pick:
    """uv's choice: the newest version whose best file is usable, then its best wheel, else its sdist."""
    era, interp, req = ctx.installer.era, ctx.interp, ctx.req
    assert isinstance(era, UvEra)
    pinned = is_pinned(req)
    for ev in evals:
        if ev.ok and ev.file.yanked and not pinned:
            ev.reason, ev.detail = Reason.YANKED, yank_detail(ev.file)
        elif ev.ok and not era.requires_python_chosen_only:
            # uv < 0.2.19: every file is checked, upper bounds included, like pip (recorded with 0.1.20-0.2.18).
            ok, why = requires_python_ok(ev.file, interp)
            if not ok:
                ev.reason, ev.detail = Reason.REQUIRES_PYTHON, why
    by_version: dict[Version, list[Verdict]] = {}
    for ev in evals:
        if ev.ok and ev.file.version is not None:
            by_version.setdefault(ev.file.version, []).append(ev)
    order: list[Verdict] = []
    chosen: Verdict | None = None
    tie_rule = _PAGE_TIE
    for version in sorted(by_version, reverse=True):
        group = by_version[version]
        wheels = [ev for ev in group if ev.file.is_wheel]
        sdists = [ev for ev in group if not ev.file.is_wheel]
        # Best wheel: max of (priority, build tag) (`WheelCompatibility::is_more_compatible`); of exact ties the
        # first inserted stays (`PrioritizedDist::insert_built`), in the order uv lists the files (`_uv_order`).
        by_name, group_rule = _uv_order(wheels, era)
        if era.build_tag:
            best_wheels = sorted(by_name, key=lambda ev: (-(ev.rank or 0), ev.file.build), reverse=True)
        else:  # uv < 0.2.3: the build tag is ignored, ties keep filename order
            best_wheels = sorted(by_name, key=lambda ev: -(ev.rank or 0), reverse=True)
        sdists = sorted(sdists, key=lambda ev: ev.file.filename)
        best = best_wheels[0] if best_wheels else (sdists[0] if sdists else None)
        ranked = [*best_wheels, *sdists]
        if best is None:
            continue
        ok, why = requires_python_ok(best.file, interp, lower_bound_only=era.requires_python_lower_only)
        if chosen is None and not ok:
            best.reason, best.detail = Reason.REQUIRES_PYTHON, why + " (uv checks the chosen file)"
            for ev in ranked:
                if ev is not best:
                    ev.reason, ev.detail = Reason.VERSION, f"version {version} unavailable: its chosen file {why}"
            continue
        order += ranked
        if chosen is None:
            chosen, tie_rule = best, group_rule
    return Pick(chosen, order, tie_rule=tie_rule, builds_compared=era.build_tag)


_PAGE_TIE = "uv takes the alphabetically first filename (it sorts an index page's files by name)"


def _uv_order(wheels: list[Verdict], era: UvEra) -> tuple[list[Verdict], str]:
    """The order uv meets a version's wheels in, and how a tie between them is broken.

    Index pages: by filename (`html.rs` `SimpleHtml::parse`, `sorted_simple_json_files`). A `--find-links`
    folder (recorded with 16 uv versions, tools/fidelity/issue13, q2): from 0.5.7 by `DistFilename` Ord
    (name, version, build tag, python tags, abi, platform as strings), from 0.5.19 with typed tags, where
    a single-tag name without build tag (`WheelTag::Small`) sorts first; before 0.5.7 in the folder's
    readdir order, which depends on the file system and which tagsim cannot know.
    """
    if not wheels or not all(ev.file.in_folder for ev in wheels):
        return sorted(wheels, key=lambda ev: ev.file.filename), _PAGE_TIE
    if era.folder_typed_sort:
        rule = "uv sorts --find-links files by their parsed names, single-tag names without a build tag first"
        return sorted(wheels, key=lambda ev: (not _small(ev), _dist_filename_key(ev))), rule
    if era.folder_sorted:
        rule = "uv sorts --find-links files by their parsed names (tags compared as text)"
        return sorted(wheels, key=_dist_filename_key), rule
    rule = ("uv reads a --find-links folder in file-system order, so which of these equally ranked files wins "
            "depends on the disk: tagsim cannot know it and shows the first by name")
    return sorted(wheels, key=lambda ev: ev.file.filename), rule


def _dist_filename_key(ev: Verdict) -> tuple[object, ...]:
    """uv 0.5.7 `WheelFilename` Ord: name, version, build tag, then the python, abi and platform tag lists."""
    pys, abis, plats = wheel_tag_parts(ev.file.filename)
    return (ev.file.name, ev.file.version, ev.file.build, pys.split("."), abis.split("."), plats.split("."))


def _small(ev: Verdict) -> bool:
    """uv 0.5.19 `WheelTag::Small`: no build tag and one tag in each part."""
    return not ev.file.build and all("." not in part for part in wheel_tag_parts(ev.file.filename))
