"""pip's ranking: `index/package_finder.py` `CandidateEvaluator._sort_key` (terms by era, `tags.eras`)
and `resolution/resolvelib/factory.py` (yanked files, PEP 592)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..tags.eras import PipEra, SortTerm, YankRule
from .family import Context, Pick
from .reasons import Reason
from .requirement import is_pinned
from .requires_python import requires_python_ok
from .verdict import Verdict, yank_detail


def _pip_key(era: PipEra, ev: Verdict, prefer_binary: bool) -> tuple[Any, ...]:
    """pip `CandidateEvaluator._sort_key` of that era, term by term; larger is better."""
    dist = ev.file
    assert dist.version is not None and ev.rank is not None
    terms = (
        0,  # hash: no `--require-hashes` modelled, every file counts the same
        -1 if dist.yanked else 0,  # yank
        int(prefer_binary and dist.is_wheel),  # binary
        dist.version,
        -ev.rank,  # priority
        dist.build,
    )
    return _sort_terms(era.sort_key)(terms)


_TERMS = (SortTerm.HASH, SortTerm.YANK, SortTerm.BINARY, SortTerm.VERSION, SortTerm.PRIORITY, SortTerm.BUILD)


@lru_cache(maxsize=64)
def _sort_terms(sort_key: tuple[SortTerm, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The era's terms, most significant first, picked out of `_pip_key`'s fixed tuple."""
    positions = [_TERMS.index(term) for term in sort_key]
    return lambda terms: tuple([terms[i] for i in positions])


def pick(evals: list[Verdict], ctx: Context) -> Pick:
    """pip's choice among the files the first pass left: `CandidateEvaluator.compute_best_candidate`."""
    era, interp, req, flags = ctx.installer.era, ctx.interp, ctx.req, ctx.flags
    assert isinstance(era, PipEra)
    for ev in evals:
        if ev.reason is None and ev.file.requires_python:
            ok, why = requires_python_ok(ev.file, interp)
            if not ok:
                ev.reason, ev.detail = Reason.REQUIRES_PYTHON, why
    applicable = [ev for ev in evals if ev.reason is None]
    new_resolver = era.yank_rule.new_resolver
    if new_resolver and applicable:
        # pip `factory.iter_index_candidate_infos` (PEP 592): yanked files are skipped unless every
        # applicable file is yanked (and, from pip 22.0, the requirement pins a version).
        keep_yanked = all(ev.file.yanked for ev in applicable) and (
            era.yank_rule is YankRule.SKIP_UNLESS_ALL or is_pinned(req))
        for ev in applicable:
            if ev.file.yanked and not keep_yanked:
                ev.reason, ev.detail = Reason.YANKED, yank_detail(ev.file)
        applicable = [ev for ev in applicable if ev.reason is None]
    if not applicable:
        return Pick(None, [])
    folder = any(ev.file.in_folder for ev in applicable)
    if folder:
        # pip `PackageFinder.find_all_candidates`: find-links file links first, `sorted(..., reverse=True)` by
        # URL (pip 20.2.4: `file_versions.sort(reverse=True)`), then the index page's links in page order.
        applicable = [*sorted((ev for ev in applicable if ev.file.in_folder), key=lambda ev: ev.file.filename,
                              reverse=True), *(ev for ev in applicable if not ev.file.in_folder)]
    keys = {id(ev): _pip_key(era, ev, flags.prefer_binary) for ev in applicable}
    keyed = sorted(applicable, key=lambda ev: keys[id(ev)])
    # Ties: the new resolver walks the stably sorted list reversed (last listed first); the legacy
    # resolver takes `max()` (first listed).
    if new_resolver:
        ordered = list(reversed(keyed))
    else:
        best_key = keys[id(keyed[-1])]
        firsts = [ev for ev in applicable if keys[id(ev)] == best_key]
        ordered = [firsts[0], *[ev for ev in reversed(keyed) if ev is not firsts[0]]]
    return Pick(ordered[0], ordered, tie_rule=_TIE_RULES[(new_resolver, folder)])


#: (new resolver, files from a folder) -> which of equally ranked files pip takes (recorded with pip 20.2.4,
#: 21.3.1 and 26.3 through a page and a folder: tools/fidelity/issue13, q2).
_TIE_RULES = {
    (True, False): "pip takes the last of equally ranked files in page order",
    (True, True): "pip takes the alphabetically first (it reverse-sorts --find-links files, then walks them backwards)",
    (False, False): "pip's legacy resolver takes the first of equally ranked files in page order (max())",
    (False, True): "pip's legacy resolver takes the alphabetically last (it reverse-sorts --find-links files; max())",
}
