"""`tagsim history`: a project's releases oldest to newest, the coverage of each, and regressions.

Each release is checked as `pip install NAME==V` would be (only that version's files, pinned, so
yanked releases count too: a pin installs them). A regression is a cell that had a wheel in one
release and not in a later one; it lasts until a release brings the wheel back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from ..choice.flags import Flags
from ..choice.installer import Installer
from ..choice.reasons import Outcome
from ..errors import TagsimError
from ..files.filename import DistFile, projects_in
from .check import CheckResult, Row, matrix_batch, run_check

if TYPE_CHECKING:
    from .build_chain import BuildResolver


@dataclass(frozen=True)
class Release:
    version: Version
    files: tuple[DistFile, ...]
    result: CheckResult

    @property
    def yanked(self) -> bool:
        return all(f.yanked for f in self.files)



@dataclass(frozen=True)
class Regression:
    platform: str
    python: str
    installer: str
    last_good: Version
    first_bad: Version
    bad_cell: str
    recovered_in: Version | None



@dataclass(frozen=True)
class History:
    project: str
    releases: tuple[Release, ...]
    regressions: tuple[Regression, ...]
    unusable: tuple[DistFile, ...]



def group_releases(files: Sequence[DistFile], project: str) -> list[tuple[Version, tuple[DistFile, ...]]]:
    by_version: dict[Version, list[DistFile]] = {}
    for dist in files:
        if dist.usable and dist.name == project and dist.version is not None:
            by_version.setdefault(dist.version, []).append(dist)
    return [(v, tuple(by_version[v])) for v in sorted(by_version)]


def run_history(files: Sequence[DistFile], project: str, rows: Sequence[Row], installers: Sequence[Installer], *,
                flags: Flags | None = None, since: Version | None = None,
                progress: Callable[[int], None] | None = None, builds: BuildResolver | None = None) -> History:
    releases_files = [(v, fs) for v, fs in group_releases(files, project) if since is None or v >= since]
    if not releases_files:
        raise TagsimError(f"no release of {project!r}" + (f" at or after {since}" if since else "") + " in the sources",
                          where="SOURCE")
    releases = []
    batch = matrix_batch(rows, installers)  # one batch: each tag set is looked up once for the whole history
    for number, (version, dists) in enumerate(releases_files, 1):
        req = Requirement(f"{project}=={version}")
        releases.append(Release(version, dists, run_check(dists, rows, installers, req=req, flags=flags, builds=builds,
                                                          batch=batch)))
        if progress is not None:
            progress(number)
    unusable = tuple(f for f in files if not f.usable or f.name != project)
    return History(project, tuple(releases), tuple(find_regressions(releases)), unusable)


def find_regressions(releases: Sequence[Release]) -> list[Regression]:
    """Per column (every release has the same columns, in the same order): each run of non-wheel cells
    between two wheels, or after the last one. A column whose cells never leave "wheel" once they reach it
    (most of them) is passed over without a walk."""
    if not releases:
        return []
    out = []
    wheel = Outcome.WHEEL
    first = releases[0].result
    for i, column in enumerate(zip(*(release.result.outcomes for release in releases), strict=True)):
        if wheel not in column:
            continue
        start = column.index(wheel)
        if column.count(wheel) == len(column) - start:
            continue  # a wheel from its first one on: no regression
        key = first.cells[i].key
        last_good: Version | None = None
        open_bad: tuple[Version, str] | None = None
        for release, outcome in zip(releases[start:], column[start:], strict=True):
            if outcome is wheel:
                if open_bad is not None and last_good is not None:
                    out.append(Regression(*key, last_good, open_bad[0], open_bad[1], release.version))
                    open_bad = None
                last_good = release.version
            elif open_bad is None:
                open_bad = (release.version, release.result.text_at(i))
        if open_bad is not None and last_good is not None:
            out.append(Regression(*key, last_good, open_bad[0], open_bad[1], None))
    return out


def history_project(files: Sequence[DistFile], given: str | None) -> str:
    """The project whose history is asked: `--project`, else the one project the sources hold."""
    names = projects_in(files)
    project = given or (names[0] if len(names) == 1 else None)
    if project is None:
        raise TagsimError(f"the sources hold several projects ({', '.join(names)}); pass --project NAME"
                          if names else "no usable distribution file in the sources", where="SOURCE")
    return canonicalize_name(project)


def parse_since(text: str | None) -> Version | None:
    if not text:
        return None
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or a component over 4300 digits
        raise TagsimError(f"{text[:60]!r} is not a version", where="--since") from None
