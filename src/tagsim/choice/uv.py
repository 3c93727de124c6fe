"""uv's ranking: `uv-resolver` `candidate_selector.rs` (highest version first, the first usable version
wins) and `uv-distribution-types` `prioritized_distribution.rs` (best wheel by (priority, build tag),
then the sdist). Rules by era in `tags.eras.UvEra`."""

from __future__ import annotations

from packaging.version import Version

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
    for version in sorted(by_version, reverse=True):
        group = by_version[version]
        wheels = [ev for ev in group if ev.file.is_wheel]
        sdists = [ev for ev in group if not ev.file.is_wheel]
        # Best wheel: max of (priority, build tag) (`WheelCompatibility::is_more_compatible`). Exact ties
        # went to the filename that sorts first with uv 0.4.30 and 0.13.8 (tests/fixtures/choices).
        by_name = sorted(wheels, key=lambda ev: ev.file.filename)
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
            chosen = best
    return Pick(chosen, order)
