"""Which file of one locked package each installer installs, over every (platform, Python, installer) column.

`decide_package` is one call per package over all columns (the shape a batched core can replace):
the package's files are one `Listing`, decided by the installer family's own ranking (`decide`)
pinned to the locked version, except where a lock changes the rule:

- uv (uv.lock: `lock/mod.rs` `Package::to_dist`; pylock: `lock/export/pylock_toml.rs`
  `PylockToml::to_resolution`): the best wheel by (tag priority, build tag) (`find_best_wheel`, the same
  key as uv's index ranking), else the sdist; git/directory/editable sources always build. Nothing
  left: `NeitherSourceDistNorWheel`, `NoBuild`, `NoBinary`, `NoBinaryNoBuild` or `IncompatibleWheelOnly`.
- pip 26.1+ (`pip install -r pylock.toml`, `utils/pylock.py` -> packaging 26.4 `Pylock.select`): vcs,
  directory, then `archive` (no tag check), then the wheel of lowest rank in pip's tag list
  (`create_compatible_tags_selector`: ties keep file order, build tags are ignored), else the sdist.
  pip older than 26.1 cannot install a pylock.
- poetry (`installation/chooser.py` `Chooser.choose_for`) and pdm (`models/candidates.py`
  `_find_best_match_link`): their families' picks over the locked files, which stand for what the
  index serves for the locked hashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from ..errors import TagsimError
from ..files.build_needs import BuildNeeds
from ..files.locks.model import LockedPackage, LockFormat, PackageSource
from ..platform.interpreter import Interpreter
from ..platform.profile import Profile
from ..text_enum import TextEnum
from .batch import Batch
from .batch import Column as BatchColumn
from .decision import Decision, Explained, explain_losers, make_decision
from .flags import Flags
from .installer import Installer, InstallerName
from .listing import Listing
from .reasons import Outcome
from .registry import tag_index
from .verdict import first_pass

#: pip's first release that installs from a pylock (`pip install -r pylock.toml`, experimental).
PIP_PYLOCK = Version("26.1")
#: Which installers read which lock format (uv.lock: uv; pylock: pip 26.1+, uv, pdm; poetry.lock: poetry; pdm.lock: pdm).
READERS: dict[LockFormat, tuple[InstallerName, ...]] = {
    LockFormat.UV: (InstallerName.UV,),
    LockFormat.PYLOCK: (InstallerName.PIP, InstallerName.UV, InstallerName.PDM),
    LockFormat.POETRY: (InstallerName.POETRY,),
    LockFormat.PDM: (InstallerName.PDM,),
}
#: pip installs a pylock in hash-checking mode, which has no hash for a source tree or checkout (recorded with
#: pip 26.3 for an editable directory: tests/fixtures/locks; vcs and plain directories by the same rule, unrecorded).
_PIP_NO_HASH = ("The {source} requirement {origin} (from pylock.toml) cannot be installed when requiring hashes, "
                "because there is no single file to hash.")
#: One object: a listing's memos match flags by identity (`Listing.remembered`).
_NO_FLAGS = Flags()
_PIP_TIE = "pip (pylock) takes the first listed of equally ranked wheels; build tags are ignored"


class LockStatus(TextEnum):
    """What happens to one locked package on one target: installed from a wheel, built, failed, or skipped."""

    WHEEL = "wheel"
    BUILD = "build"
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Column:
    profile: Profile
    interp: Interpreter
    installer: Installer


def refusal(fmt: LockFormat, installer: Installer) -> str:
    """Why this installer cannot install from this lock format at all ('' when it can)."""
    if installer.name not in READERS[fmt]:
        if fmt is LockFormat.PYLOCK and installer.name is InstallerName.POETRY:
            return "poetry cannot install from a pylock.toml (poetry#10356; poetry-plugin-export only writes one)"
        return f"{installer.name} does not install from a {fmt} (it is read by {', '.join(READERS[fmt])})"
    if fmt is LockFormat.PYLOCK and installer.name is InstallerName.PIP and installer.version < PIP_PYLOCK:
        return f"pip {installer.version} cannot install from a pylock.toml (`pip install -r pylock.toml` needs pip 26.1+)"
    return ""


def status_of(decision: Decision) -> LockStatus:
    return {Outcome.WHEEL: LockStatus.WHEEL, Outcome.SDIST: LockStatus.BUILD, Outcome.NONE: LockStatus.FAIL}[
        decision.outcome]


def failed(installer: Installer, message: str) -> Decision:
    """A decision that installs nothing, for a reason outside the files (a refused target, an unusable entry)."""
    return Decision(installer, Outcome.NONE, None, None, None, Explained(None, [], []), None, message)


def _source_build(installer: Installer, pkg: LockedPackage) -> Decision:
    build = BuildNeeds(None, (), "source tree", note="a source tree: the lock does not say its build backend")
    return Decision(installer, Outcome.SDIST, None, None, None, Explained(None, [], []), build,
                    f"builds {pkg.label} from its {pkg.source} source {pkg.origin}".rstrip())


def _requirement(pkg: LockedPackage) -> Requirement | None:
    try:
        return Requirement(f"{pkg.name}=={pkg.version}" if pkg.version is not None else pkg.name)
    except InvalidRequirement:
        return None


def decide_package(fmt: LockFormat, pkg: LockedPackage, columns: Sequence[Column], flags: Flags | None = None,
                   *, position: int = 0) -> list[Decision]:
    """The decision for `pkg` in every column, in column order. The columns an installer decides from the
    locked files (the usual case) go through the batched core (`choice.batch`), which equals `decide`."""
    listing = Listing(pkg.files)
    req = _requirement(pkg)
    out: list[Decision | None] = []
    batched: list[int] = []
    for n, col in enumerate(columns):
        if pkg.problem is not None:
            out.append(failed(col.installer, f"unusable lock entry: {pkg.problem}"))
        elif pkg.source.builds and fmt is LockFormat.PYLOCK and col.installer.name is InstallerName.PIP:
            out.append(failed(col.installer, _PIP_NO_HASH.format(source=pkg.source, origin=pkg.origin)))
        elif pkg.source.builds:
            out.append(_source_build(col.installer, pkg))
        elif fmt is LockFormat.PYLOCK and col.installer.name is InstallerName.PIP:
            out.append(_pip_pylock(col, pkg, listing, req, position))
        else:
            out.append(None)
            batched.append(n)
    if batched:
        batch = _batch(tuple(BatchColumn(columns[n].profile, columns[n].interp, columns[n].installer) for n in batched))
        for n, result in zip(batched, batch.decide(listing, req, flags), strict=True):
            if isinstance(result, TagsimError):
                raise result
            out[n] = _with_installer_message(result, pkg, columns[n].installer, flags or _NO_FLAGS, fmt)
    return [d for d in out if d is not None]


@lru_cache(maxsize=64)
def _batch(columns: tuple[BatchColumn, ...]) -> Batch:
    """One `Batch` per set of columns: a lock's packages mostly share their targets, so its tag lookups
    are kept from package to package."""
    return Batch(columns)


def _uv_id(pkg: LockedPackage) -> str:
    """uv's `PackageId` display: `name==version @ registry+URL` (`editable+.`, `git+URL`...)."""
    return f"{pkg.label} @ {pkg.source}+{pkg.origin}" if pkg.origin else pkg.label


def _with_installer_message(decision: Decision, pkg: LockedPackage, installer: Installer, flags: Flags,
                            fmt: LockFormat) -> Decision:
    """The installer's own words when nothing installs (uv `LockErrorKind`, poetry `Chooser`)."""
    if decision.outcome is not Outcome.NONE or not pkg.files:
        return decision
    if installer.name is InstallerName.UV:
        no_binary = ":all:" in flags.no_binary or pkg.name in flags.no_binary
        no_build = flags.no_build or ":all:" in flags.only_binary or pkg.name in flags.only_binary
        wheel_source = pkg.source in (PackageSource.PATH, PackageSource.URL) and all(f.is_wheel for f in pkg.files)
        why = ("it is marked as both `--no-binary` and `--no-build`" if no_binary and no_build else
               "it is marked as `--no-binary` but has no source distribution" if no_binary else
               "it is marked as `--no-build` but has no binary distribution" if no_build else
               "the binary distribution is incompatible with the current platform" if wheel_source else
               "it doesn't have a source distribution or wheel for the current platform")
        # uv.lock: `LockErrorKind` names the package id (`name==version @ registry+URL`); pylock:
        # `PylockTomlErrorKind` (`lock/export/pylock_toml.rs`) names the package only.
        message = (f"Package `{pkg.name}` can't be installed because {why}" if fmt is LockFormat.PYLOCK
                   else f"Distribution `{_uv_id(pkg)}` can't be installed because {why}")
    elif installer.name is InstallerName.POETRY:
        message = f"Unable to find installation candidates for {pkg.name} ({pkg.version})"
    else:  # pdm `_find_best_match_link`: no locked link of that version is compatible (tagsim's wording)
        message = f"no locked file of {pkg.label} installs here (pdm finds no compatible link among the locked files)"
    return Decision(decision.installer, decision.outcome, None, None, None, decision._considered, None, message,
                    decision._hints)


def _pip_pylock(col: Column, pkg: LockedPackage, listing: Listing, req: Requirement | None, position: int) -> Decision:
    """pip 26.1+: packaging `Pylock.select` over the locked files, with pip's own tag list."""
    index = tag_index(col.profile, col.interp, col.installer)
    flags = _NO_FLAGS  # pip passes no --no-binary/--only-binary to `Pylock.select` (docs/locks.md)
    verdicts = first_pass(listing, pkg.name, req, flags, index, True)
    if pkg.source is PackageSource.URL and verdicts and verdicts[0].file.usable:
        archive = verdicts[0].file  # `archive`: installed as locked, no tag check
        if archive.is_wheel:
            return Decision(col.installer, Outcome.WHEEL, archive, None, None, Explained(None, [], []), None,
                            f"installs {archive.filename} (a pylock `archive`: pip checks no tags)")
        chosen_archive = verdicts[0]
        chosen_archive.reason, chosen_archive.detail = None, ""
        return make_decision(col.installer, chosen_archive, Explained(chosen_archive, [chosen_archive], verdicts),
                             index, verdicts, flags, "")
    wheels = [ev for ev in verdicts if ev.ok and ev.file.is_wheel]
    sdists = [ev for ev in verdicts if ev.ok and not ev.file.is_wheel]
    ranked = sorted(wheels, key=lambda ev: ev.rank if ev.rank is not None else 0)  # stable: file order breaks ties
    chosen = ranked[0] if ranked else (sdists[0] if sdists else None)
    order = [*ranked, *sdists]
    explain_losers(chosen, order, flags, _PIP_TIE, builds_compared=False)
    message = "" if chosen is not None else (
        f"No wheel found matching the provided tags for package {pkg.name!r} at packages[{position}], "
        "and no sdist available as a fallback")
    return make_decision(col.installer, chosen, Explained(chosen, order, verdicts), index, verdicts, flags, message)
