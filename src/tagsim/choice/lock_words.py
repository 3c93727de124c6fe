"""The installers' own words for a locked package that does not install (`choice.lock_choice` uses them),
and pip's format rules for a pylock that lead to them.

Each string is the installer's, with its source; a refusal tagsim words itself says so where it is made.
"""

from __future__ import annotations

from ..files.filename import DistFile
from ..files.locks.model import LockedPackage, LockFormat, PackageSource
from .flags import DistFormat, Flags

#: pip installs a pylock in hash-checking mode when some entry carries hashes (pip 26.3 `cli/req_command.py`,
#: `has_hash_options`), and that mode has no hash for a source tree or checkout. Each kind has its own words
#: (recorded with pip 26.3: tests/fixtures/locks/uv/pylock.toml, pip/pylock.vcshashed.toml,
#: pip/pylock.dirhashed.toml): an editable directory `operations/prepare.py` (`_prepare_linked_requirement`),
#: a directory `exceptions/hashes.py` `DirectoryUrlHashUnsupported`, a checkout `VcsHashUnsupported` (the
#: last two print the requirement on the next line; tagsim adds it after a space). Without hashes pip builds it.
PIP_NO_HASH = ("The {source} requirement {origin} (from pylock.toml) cannot be installed when requiring hashes, "
               "because there is no single file to hash.")
PIP_NO_HASH_DIRECTORY = "Can't verify hashes for these file:// requirements because they point to directories:"
PIP_NO_HASH_VCS = ("Can't verify hashes for these requirements because we don't have a way to hash version "
                   "control repositories:")


def pip_no_hash(pkg: LockedPackage) -> str:
    """pip's refusal of a source tree or checkout in hash-checking mode, by the entry's kind (`PIP_NO_HASH`)."""
    if pkg.source is PackageSource.GIT:
        return f"{PIP_NO_HASH_VCS} {pkg.name} @ {pkg.origin}"
    if pkg.source is PackageSource.DIRECTORY:
        return f"{PIP_NO_HASH_DIRECTORY} {pkg.origin}"
    return PIP_NO_HASH.format(source=pkg.source, origin=pkg.origin)


def uv_no_build(pkg: LockedPackage, flags: Flags) -> bool:
    """Building is off for this package: uv `--no-build`, `--no-build-package` (tagsim's `only_binary`)."""
    return flags.no_build or ":all:" in flags.only_binary or pkg.name in flags.only_binary


def uv_words(pkg: LockedPackage, fmt: LockFormat, why: str) -> str:
    """uv.lock: `LockErrorKind` names the package id (`name==version @ registry+URL`); pylock:
    `PylockTomlErrorKind` (`lock/export/pylock_toml.rs`) names the package only."""
    return (f"Package `{pkg.name}` can't be installed because {why}" if fmt is LockFormat.PYLOCK
            else f"Distribution `{uv_id(pkg)}` can't be installed because {why}")


def uv_id(pkg: LockedPackage) -> str:
    """uv's `PackageId` display: `name==version @ registry+URL` (`editable+.`, `git+URL`...)."""
    return f"{pkg.label} @ {pkg.source}+{pkg.origin}" if pkg.origin else pkg.label


def pip_prefers_sdist(name: str, flags: Flags) -> bool:
    """pip 26.3 `utils/pylock.py` `prefer_sdist_predicate`: the sdist is taken before any wheel when pip's
    format control allows only source for the package (`--no-binary NAME`, or `:all:` not overridden by a
    named `--only-binary`: `FormatControl.get_allowed_formats`); packaging 26.4 `Pylock.select` asks it for
    a package that has an sdist."""
    return flags.allowed_formats(name) == {DistFormat.SOURCE}


def pip_format_refusal(name: str, chosen: DistFile, flags: Flags, lock_name: str) -> str:
    """pip 26.3 `PackageFinder.find_all_candidates`: the file `Pylock.select` chose is a locked link, checked by
    `LinkEvaluator.evaluate_link`; a wheel where format control allows no binary ("No binaries permitted"), an
    sdist where it allows no source ("No sources permitted") is an error naming the lock as pip was given it
    (recorded, pip 26.3: tests/fixtures/locks/answers.json step `pipflags`; the lock's file name, as pip prints
    it when run in the lock's folder). '' when the file is allowed."""
    allowed = flags.allowed_formats(name)
    kind = DistFormat.BINARY if chosen.is_wheel else DistFormat.SOURCE
    if kind in allowed:
        return ""
    what = "binaries" if chosen.is_wheel else "sources"
    return f"Could not install locked package {name!r} from {lock_name!r}: No {what} permitted for {name}"
