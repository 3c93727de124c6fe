"""The first pass every installer makes over the files, and the per-file verdict it leaves.

Name, requested version, format flags and tags (pip `LinkEvaluator.evaluate_link`, uv's
`PrioritizedDist` filters): what is left is ranked by the installer family's own rules.
A `Verdict` is the scratch state of one file during one decision: made fresh for each decision,
refined by the family's ranking, and turned into frozen `Considered` entries at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from ..errors import TagsimError
from ..files.filename import DistFile, FileKind, projects_in
from ..tags.index import Compatible, TagIndex, TagMismatch
from .flags import DistFormat, Flags
from .listing import Listing
from .reasons import Reason
from .requirement import ANY_VERSION, canonical


@dataclass(slots=True)
class Verdict:
    """One file during one decision: its rank and best tag if usable, else why not."""

    file: DistFile
    rank: int | None = None
    tag: str | None = None
    reason: Reason | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None


def project_of(files: Listing, req: Requirement | None) -> NormalizedName:
    """The project being decided: the requirement's, else the one project the files hold."""
    if req is not None:
        return canonical(req.name)
    known = files.remembered(("project",))
    if known is not None:
        return cast(NormalizedName, known)
    names = projects_in(files)
    if len(names) == 1:
        return cast(NormalizedName, files.remember(("project",), names[0]))
    if not names:
        raise TagsimError("no usable distribution file in the sources", where="SOURCE")
    raise TagsimError(f"the sources hold several projects ({', '.join(names)}); pass --spec NAME", where="SOURCE")


def yank_detail(dist: DistFile) -> str:
    return f"yanked{': ' + dist.yanked_reason if dist.yanked_reason else ''}"


#: The tag index's typed mismatch, as the decision's reason (a dict lookup: `Reason(value)` is slow in a hot loop).
AS_REASON = {TagMismatch.PLATFORM: Reason.PLATFORM, TagMismatch.PYTHON: Reason.PYTHON, TagMismatch.ABI: Reason.ABI}


def first_pass(files: Listing, project: str, req: Requirement | None, flags: Flags, index: TagIndex,
               name_wins: bool) -> list[Verdict]:
    """Checks every installer makes: name, requested version, format flags, tags."""
    statics, maybe_pre = static_checks(files, project, req, flags, name_wins)
    known, evaluate, sdist_rank = index._memo.get, index.evaluate, index.sdist_rank
    wheel, as_reason = FileKind.WHEEL, AS_REASON  # locals: this loop runs once per file per decision
    verdicts = []
    for dist, reason, detail in statics:
        if reason is not None:
            ev = Verdict(dist, None, None, reason, detail)
        elif dist.kind is wheel:
            result = known(dist.tags) or evaluate(dist.tags)
            ev = (Verdict(dist, result.rank, result.tag) if isinstance(result, Compatible)
                  else Verdict(dist, None, None, as_reason[result.category], result.detail))
        else:
            ev = Verdict(dist, sdist_rank)
        verdicts.append(ev)
    if maybe_pre:  # else every candidate already passed `contains(..., prereleases=True)`: nothing to filter
        drop_prereleases(verdicts, req, flags)
    return verdicts


def drop_prereleases(verdicts: list[Verdict], req: Requirement | None, flags: Flags) -> None:
    """Pre-releases: `SpecifierSet.filter` semantics over the otherwise usable files (allowed when
    the requirement names one, with --pre, or when no final release fits). Only usable verdicts count."""
    specifier = req.specifier if req is not None else ANY_VERSION
    candidates = [ev.file.version for ev in verdicts if ev.ok and ev.file.version is not None]
    allowed = set(specifier.filter(candidates, prereleases=True if flags.pre else None))
    for ev in verdicts:
        if ev.ok and ev.file.version is not None and ev.file.version not in allowed:
            ev.reason = Reason.VERSION
            ev.detail = f"pre-release {ev.file.version} (allowed only if no final release fits, or with --pre)"


StaticChecks = tuple[list[tuple[DistFile, Reason | None, str]], bool]


def static_checks(files: Listing, project: str, req: Requirement | None, flags: Flags,
                   name_wins: bool) -> StaticChecks:
    """Per file: the name, version and format verdict (None: decided by its tags, or usable sdist),
    and whether any file left standing is a pre-release. The same for every target of a listing."""
    key = ("static", project, name_wins)
    known = files.remembered(key, req, flags)
    if known is not None:
        return cast(StaticChecks, known)
    formats = flags.allowed_formats(project, name_wins=name_wins)
    specifier = req.specifier if req is not None else ANY_VERSION
    excluded = ""
    wanted: dict[Version, bool] = {}  # version -> in the specifier (files of one release share it)
    checks: list[tuple[DistFile, Reason | None, str]] = []
    maybe_pre = False
    for dist in files:
        if not dist.usable:
            checks.append((dist, Reason.INVALID, dist.problem or "unusable"))
        elif dist.name != project:
            checks.append((dist, Reason.DIFFERENT_PROJECT, f"file of project {dist.name!r}, not {project!r}"))
        elif dist.version is not None and not contains(wanted, specifier, dist.version):
            excluded = excluded or f"excluded by the requirement {req}"
            checks.append((dist, Reason.VERSION, excluded))
        elif dist.is_wheel and DistFormat.BINARY not in formats:
            checks.append((dist, Reason.FORMAT, "wheels excluded by --no-binary"))
        elif not dist.is_wheel and DistFormat.SOURCE not in formats:
            flag = "--no-build" if flags.no_build else "--only-binary"
            checks.append((dist, Reason.FORMAT, f"sdists excluded by {flag}"))
        else:
            checks.append((dist, None, ""))
            maybe_pre = maybe_pre or (dist.version is not None and dist.version.is_prerelease)
    return cast(StaticChecks, files.remember(key, (checks, maybe_pre), req, flags))


def contains(memo: dict[Version, bool], specifier: SpecifierSet, version: Version) -> bool:
    """`specifier.contains(version, prereleases=True)`, once per version (files of a release share it)."""
    found = memo.get(version)
    if found is None:
        found = memo[version] = specifier.contains(version, prereleases=True)
    return found
