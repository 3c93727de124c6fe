"""`decide`: the file an installer installs for a requirement on a platform, with every rejection.

The first pass (`verdict.first_pass`) is the same for every installer; the family's `pick`
ranks what is left (`registry`). The explanation of a decision comes from the same pass: it is
worked out again from the same inputs when first read, so a decision that is only rendered as its
outcome stays cheap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple, cast

from packaging.requirements import Requirement
from packaging.version import Version

from ..files.filename import DistFile
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from .decision import (
    NOT_A_CANDIDATE,
    Considered,
    Decision,
    Explained,
    LazyConsidered,
    Rejected,
    considered_entry,
    explain_losers,
    make_decision,
    none_message,
    ordered_verdicts,
    verdict_reasons,
)
from .family import Context, Family, Pick
from .flags import Flags
from .installer import Installer
from .listing import Listing
from .reasons import Reason
from .registry import family_of, tag_index
from .requirement import ANY_VERSION
from .verdict import Verdict, contains, first_pass, project_of, static_checks

_WINDOWS = (1, 4)  # newest versions tried before the whole listing
#: The default flags, one object: a listing's memos match flags by identity (`Listing.remembered`).
NO_FLAGS = Flags()


def decide(profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
           req: Requirement | None = None, flags: Flags | None = None) -> Decision:
    """The file `installer` installs for `req` on `profile` with `interp`, with every rejection.

    `files` may be a `Listing`, to share the per-listing work across many targets. pip and uv take
    the best file of the newest usable version, so the same decision is first made on the files of
    the newest versions alone; when that choice provably stands for the whole listing (`settled`),
    it is the answer, and the rejections of the other files are worked out over all files, only if
    `considered` is read.
    """
    listing = Listing.of(files)
    family = family_of(installer)
    flags = family.drop_flags(flags or NO_FLAGS)
    project = project_of(listing, req)
    if family.walks_files:
        for window in version_windows(listing, project, req):
            decision = _decide(profile, interp, installer, family, window, req, flags, considered_over=listing,
                               project=project)
            if settled(decision.chosen, flags):
                return decision
    return _decide(profile, interp, installer, family, listing, req, flags, considered_over=listing, project=project)


def _run(profile: Profile, interp: Interpreter, installer: Installer, family: Family, files: Listing,
         req: Requirement | None, flags: Flags, project: str | None = None) -> tuple[Context, list[Verdict], Pick]:
    """The installer's walk over the files: every file's verdict, and the family's pick."""
    project = project or project_of(files, req)
    index = tag_index(profile, interp, installer)
    verdicts = first_pass(files, project, req, flags, index, family.name_wins(installer.era))
    ctx = Context(profile, interp, installer, project, req, flags, index)
    return ctx, verdicts, family.pick(verdicts, ctx)


def _decide(profile: Profile, interp: Interpreter, installer: Installer, family: Family, files: Listing,
            req: Requirement | None, flags: Flags, *, considered_over: Listing, project: str | None = None) -> Decision:
    ctx, verdicts, pick = _run(profile, interp, installer, family, files, req, flags, project)
    chosen = pick.chosen
    considered: LazyConsidered
    if pick.explained and considered_over is files:
        considered = Explained(chosen, pick.order, verdicts)
    else:
        considered = Rejections(profile, interp, installer, considered_over, req, flags)
    message = "" if chosen is not None else (
        pick.message or none_message(ctx.project, req, verdict_reasons(ctx.project, verdicts)))
    return make_decision(installer, chosen, considered, ctx.tag_index, verdicts, flags, message)


class Rejections(LazyConsidered):
    """Every file of the listing as the installer saw it: the same pass again, with the losers explained.

    The inputs are the caller's: a listing changed after `decide` returns would change the rejections too.
    """

    __slots__ = ("files", "flags", "installer", "interp", "profile", "req")

    def __init__(self, profile: Profile, interp: Interpreter, installer: Installer, files: Listing,
                 req: Requirement | None, flags: Flags) -> None:
        super().__init__()
        self.profile, self.interp, self.installer, self.files, self.req, self.flags = (
            profile, interp, installer, files, req, flags)

    def walk(self) -> tuple[Verdict | None, list[Verdict]]:
        family = family_of(self.installer)
        _, verdicts, pick = _run(self.profile, self.interp, self.installer, family, self.files, self.req, self.flags)
        if not pick.explained:
            explain_losers(pick.chosen, pick.order, self.flags, pick.tie_rule, pick.builds_compared)
        return pick.chosen, ordered_verdicts(pick.order, verdicts)

    def _standing_pass(self) -> tuple[_Split, list[Verdict], Pick] | None:
        """pip and uv: the pass over the files the static checks let through, losers explained (None: another
        family). Files the static checks reject (`verdict.static_checks`: name, version, format) keep that
        reason whatever the platform, and pip's and uv's picks read only the usable files: so the pass over
        the other files alone gives every verdict but theirs, and theirs are made once per listing."""
        family = family_of(self.installer)
        if not family.walks_files:
            return None
        project = project_of(self.files, self.req)
        split = _split(self.files, project, self.req, self.flags, family.name_wins(self.installer.era))
        _, verdicts, pick = _run(self.profile, self.interp, self.installer, family, split.standing, self.req,
                                 self.flags, project)
        explain_losers(pick.chosen, pick.order, self.flags, pick.tie_rule, pick.builds_compared)
        return split, verdicts, pick

    def _compute(self) -> tuple[Considered, ...]:
        """`walk`'s entries, the statically rejected ones shared by every decision on the listing."""
        found = self._standing_pass()
        if found is None:
            return super()._compute()
        split, verdicts, pick = found
        chosen, listed = pick.chosen, {id(ev) for ev in pick.order}
        out = [considered_entry(ev, chosen) for ev in pick.order]
        for k, shared in split.entries:
            if k is None:
                assert shared is not None
                out.append(shared)
            elif id(verdicts[k]) not in listed:
                out.append(considered_entry(verdicts[k], chosen))
        return tuple(out)

    def summary(self) -> Rejected:
        """`LazyConsidered.summary` from the pass over the files the static checks let through (pip, uv);
        tests/choice/test_batch.py requires the same summary as the one read from `considered`."""
        found = None if self._value is not None else self._standing_pass()
        if found is None:
            return super().summary()
        split, verdicts, pick = found
        chosen = pick.chosen
        counts = Counter(split.counts)
        counts.update(ev.reason for ev in verdicts if ev is not chosen and ev.reason is not None)
        version = chosen.file.version if chosen is not None else max(
            (v for v in (split.newest, *(ev.file.version for ev in verdicts if ev.reason not in NOT_A_CANDIDATE))
             if v is not None), default=None)
        files: list[Considered] = []
        if version is not None:
            listed = {id(ev) for ev in pick.order}
            files += (considered_entry(ev, chosen) for ev in pick.order if ev is not chosen and ev.file.version == version)
            for k, shared in split.by_version.get(version, ()):
                if k is not None and id(verdicts[k]) not in listed:
                    files.append(considered_entry(verdicts[k], chosen))
                elif shared is not None and shared.reason not in (Reason.DIFFERENT_PROJECT, Reason.INVALID):
                    files.append(shared)
        return Rejected(tuple((reason, counts[reason]) for reason in Reason if reason in counts), version, tuple(files))


#: A file of a listing, in listing order: its index among the files the static checks let through, or
#: None and its `considered` entry (the same for every decision on the listing).
_Entry = tuple[int | None, Considered | None]


class _Split(NamedTuple):
    """A listing split by the static checks: the same for every platform and interpreter."""

    standing: Listing  # the files the static checks let through, in listing order
    entries: list[_Entry]  # every file, in listing order
    counts: Counter[Reason]  # the static rejections, by reason
    newest: Version | None  # the newest version of a statically rejected file that was a candidate (format flags)
    by_version: dict[Version, list[_Entry]]  # the entries of each version, in listing order


def _split(files: Listing, project: str, req: Requirement | None, flags: Flags, name_wins: bool) -> _Split:
    key = ("split", project, name_wins)
    known = files.remembered(key, req, flags)
    if known is not None:
        return cast(_Split, known)
    statics, _ = static_checks(files, project, req, flags, name_wins)
    standing: list[DistFile] = []
    entries: list[_Entry] = []
    counts: Counter[Reason] = Counter()
    by_version: dict[Version, list[_Entry]] = {}
    newest: Version | None = None
    for dist, reason, detail in statics:
        entry: _Entry
        if reason is None:
            entry = (len(standing), None)
            standing.append(dist)
        else:
            counts[reason] += 1
            entry = (None, Considered(dist, False, None, reason, detail))
            if reason not in NOT_A_CANDIDATE and dist.version is not None and (newest is None or dist.version > newest):
                newest = dist.version
        entries.append(entry)
        if dist.version is not None:
            by_version.setdefault(dist.version, []).append(entry)
    split = _Split(Listing(standing), entries, counts, newest, by_version)
    return cast(_Split, files.remember(key, split, req, flags))


def version_windows(files: Listing, project: str, req: Requirement | None) -> Sequence[Listing]:
    """The files of the newest 1 and 4 versions the requirement allows, in listing order (ties depend on it).

    Version comparisons run in Python (packaging), so they are made once per distinct `Version` object,
    not once per file: parsed files share one object per spelling (`files.filename`), and a project's
    few dozen files hold a handful. Equal versions spelt apart (`1.0`, `1.0.0`) are two objects of one rank.
    """
    key = ("windows", project)
    known = files.remembered(key, req)
    if known is not None:
        return cast(list[Listing], known)
    specifier = req.specifier if req is not None else ANY_VERSION
    candidates = [d for d in files if d.usable and d.name == project and d.version is not None]
    # each distinct Version object once
    objects: dict[int, Version] = {id(d.version): d.version for d in candidates if d.version is not None}
    allowed: set[Version]
    if specifier is ANY_VERSION:  # no requirement: `contains(..., prereleases=True)` holds for every version
        allowed = set(objects.values())
    else:
        wanted: dict[Version, bool] = {}
        allowed = {v for v in objects.values() if contains(wanted, specifier, v)}
    versions = sorted(allowed, reverse=True)
    windows: list[Listing] = []
    for count in _WINDOWS:
        if count >= len(allowed):  # a window must leave some version out
            break
        if len(allowed) == len(objects):  # one object per version, each allowed: the newest are those objects
            newer = {id(v) for v in versions[:count]}
        else:
            cutoff = versions[count - 1]
            newer = {i for i, v in objects.items() if v >= cutoff}
        windows.append(Listing([d for d in candidates if id(d.version) in newer]))
    return cast(list[Listing], files.remember(key, windows, req))


def settled(chosen: DistFile | None, flags: Flags) -> bool:
    """The choice made on the newest versions is the choice over all files.

    Every file left out is of an older version. It cannot win when the chosen file is a final
    release (a final release in the window keeps pre-releases out everywhere), is not yanked
    (pip ranks yanked files last or skips them), and is a wheel or --prefer-binary is off (an older
    wheel beats a newer sdist only with it). uv takes the newest version whose best file passes
    Requires-Python, a per-version test, so the same conditions hold for it.
    """
    if chosen is None or chosen.version is None or chosen.yanked:
        return False
    if chosen.version.is_prerelease and not flags.pre:
        return False
    return not (flags.prefer_binary and not chosen.is_wheel)


def decide_all(profile: Profile, interp: Interpreter, installer: Installer, files: Sequence[DistFile],
               req: Requirement | None = None, flags: Flags | None = None) -> Decision:
    """The same decision over every file at once, without the newest-version shortcut of `decide`:
    the oracle that shortcut is tested against (tests/report/test_stream.py)."""
    listing = Listing.of(files)
    family = family_of(installer)
    return _decide(profile, interp, installer, family, listing, req, family.drop_flags(flags or NO_FLAGS),
                   considered_over=listing)


def clear_caches() -> None:
    """Forget every memoised tag list, tag index and Requires-Python answer (benchmarks time cold runs)."""
    from .registry import _tags_for_era
    from .requires_python import _requires_python_check

    _tags_for_era.cache_clear()
    tag_index.cache_clear()
    _requires_python_check.cache_clear()
