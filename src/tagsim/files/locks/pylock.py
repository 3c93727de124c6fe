"""`pylock.toml` / `pylock.<name>.toml` (PEP 751), as packaging 26.4 `packaging/pylock.py` reads it.

A file's name is its `name`, else the last segment of `path`, else of `url`, percent-decoded
(`PackageWheel.filename`, `_path_name`, `_url_name`). `lock-version` 1.x is read; a newer minor is
a warning and another major an error, as PEP 751 asks of installers. A package's source is exactly
one of `vcs`, `directory`, `archive`, or `sdist`/`wheels`; anything else stays listed as unusable.
"""

from __future__ import annotations

from dataclasses import replace

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..filename import DistFile
from .model import LockedPackage, LockFile, LockFormat, PackageSource
from .reading import Fields, file_entry, header_lines, markers, parse_marker

_KEYS = ("name", "path", "url")
SUPPORTED_MAJOR = 1


def read_pylock(doc: dict[str, object], text: str, path: str) -> LockFile:
    top = Fields(path, 0, doc)
    version_text = top.text("lock-version", required=True)
    assert version_text is not None
    try:
        version = Version(version_text)
    except InvalidVersion:
        raise top.error("lock-version", f"not a version: {version_text!r}") from None
    warnings = []
    if version.major != SUPPORTED_MAJOR:
        raise top.error("lock-version", f"unknown lock version {version_text} (PEP 751 installers read 1.x)")
    if version.minor > 0:
        warnings.append(f"{path}: lock-version {version_text} is newer than 1.0; read as 1.0 (PEP 751: a warning)")
    lines = header_lines(text, "packages")
    entries = [Fields(path, lines[n] if n < len(lines) else 0, entry)
               for n, entry in enumerate(top.get("packages", list, required=True) or [])]
    packages = tuple(_package(entry, path) for entry in entries)
    if any(_has_hashes(entry) for entry in entries):  # pip's hash-checking mode (`LockedPackage.in_hashed_lock`)
        packages = tuple(replace(p, in_hashed_lock=True) for p in packages)
    environments = markers(top, "environments") if "environments" in top.table else ()
    if "environments" in top.table and not environments:
        warnings.append(f"{path}: `environments` is an empty list: no machine matches it")
    return LockFile(path, LockFormat.PYLOCK, version_text, packages, requires_python=top.specifier("requires-python"),
                    environments=environments, default_groups=tuple(top.strings("default-groups")),
                    declared_extras=tuple(canonicalize_name(e) for e in top.strings("extras")),
                    declared_groups=tuple(top.strings("dependency-groups")), created_by=top.text("created-by"),
                    warnings=tuple(warnings))


def _has_hashes(entry: Fields) -> bool:
    """Does this entry list a file (`archive`, `sdist`, `wheels`) with a non-empty `hashes` table?"""
    wheels = entry.table.get("wheels")
    tables = [entry.table.get("archive"), entry.table.get("sdist"), *(wheels if isinstance(wheels, list) else [])]
    return any(isinstance(t, dict) and isinstance(t.get("hashes"), dict) and t["hashes"] for t in tables)


def _package(entry: Fields, path: str) -> LockedPackage:
    name = entry.name()
    version = entry.version()
    where = f"{path}:{entry.line}"
    marker, problem = parse_marker(entry.text("marker"))
    sources = [key for key in ("vcs", "directory", "archive") if key in entry.table]
    has_files = "sdist" in entry.table or "wheels" in entry.table
    kind, origin = PackageSource.REGISTRY, entry.text("index") or ""
    files: tuple[DistFile, ...] = ()
    if len(sources) + has_files > 1:
        problem = problem or f"more than one source ({', '.join([*sources, *(['sdist/wheels'] if has_files else [])])})"
    elif not sources and not has_files:
        problem = problem or "neither files (sdist, wheels) nor a source (vcs, directory, archive)"
    elif sources == ["vcs"]:
        vcs = entry.sub("vcs")
        assert vcs is not None
        kind, origin = PackageSource.GIT, vcs.text("url") or vcs.text("path") or ""
    elif sources == ["directory"]:
        directory = entry.sub("directory")
        assert directory is not None
        editable = directory.get("editable", bool) or False
        kind = PackageSource.EDITABLE if editable else PackageSource.DIRECTORY
        origin = directory.text("path", required=True) or ""
    elif sources == ["archive"]:
        archive = entry.sub("archive")
        assert archive is not None
        kind, origin = PackageSource.URL, archive.text("url") or archive.text("path") or ""
        files = (file_entry(archive, origin=where, keys=("path", "url")),)
    else:
        sdist_fields = entry.sub("sdist")
        files = (*(file_entry(w, origin=where, keys=_KEYS) for w in entry.tables("wheels")),
                 *((file_entry(sdist_fields, origin=where, keys=_KEYS),) if sdist_fields else ()))
    return LockedPackage(name, version, kind, entry.line, origin=origin, marker=marker,
                         requires_python=entry.specifier("requires-python"), files=files,
                         problem=problem)
