"""`pdm.lock`, as pdm 2.28 `models/repositories/lock.py` (`LockedRepository._read_lockfile`) reads it.

`[metadata]`: `lock_version` (4.x; pdm refuses another major), `groups`, `strategy`, and
`[[metadata.targets]]` (`requires_python`, `platform`, `implementation`). Per package: `name`,
`version`, `requires_python`, `groups`, `marker`, `extras` (each extras set is its own entry), and
`files = [{file, hash}]`, or `{url, hash}` with the `static_urls` strategy. A `git`, `path` or
`url` key (with `editable`) names a non-registry source.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from .model import LockedPackage, LockFile, LockFormat, PackageSource, PdmTarget
from .reading import Fields, file_entry, header_lines, lock_metadata, parse_marker

SUPPORTED_MAJOR = 4


def read_pdm_lock(doc: dict[str, object], text: str, path: str) -> LockFile:
    top = Fields(path, 0, doc)
    meta, version = lock_metadata(top, "lock_version", (SUPPORTED_MAJOR,), "pdm.lock", "pdm 2.x reads 4.x")
    targets = tuple(PdmTarget(t.specifier("requires_python"), t.text("platform"), t.text("implementation"))
                    for t in meta.tables("targets"))
    lines = header_lines(text, "package")
    packages = tuple(_package(Fields(path, lines[n] if n < len(lines) else 0, raw), path)
                     for n, raw in enumerate(top.get("package", list) or []))
    groups = tuple(meta.strings("groups")) or ("default",)
    warnings = []
    if "inherit_metadata" not in meta.strings("strategy"):
        warnings.append(f"{path}: the lock was made without the inherit_metadata strategy: pdm re-evaluates "
                        "dependencies at install time, tagsim only the packages' own markers")
    requires = targets[0].requires_python if len(targets) == 1 else None
    return LockFile(path, LockFormat.PDM, version, packages, requires_python=requires, targets=targets,
                    default_groups=groups, declared_groups=groups, warnings=tuple(warnings))


def _package(entry: Fields, path: str) -> LockedPackage:
    name = entry.name()
    where = f"{path}:{entry.line}"
    files = tuple(file_entry(f, origin=where, keys=("file", "url")) for f in entry.tables("files"))
    kind, origin = PackageSource.REGISTRY, ""
    if entry.text("git") is not None:
        kind, origin = PackageSource.GIT, entry.text("git") or ""
    elif entry.text("path") is not None:
        raw = entry.text("path") or ""
        is_archive = raw.endswith((".whl", ".tar.gz", ".zip"))
        kind = PackageSource.PATH if is_archive else PackageSource.DIRECTORY
        origin = raw
    elif entry.text("url") is not None:
        kind, origin = PackageSource.URL, entry.text("url") or ""
    if kind is PackageSource.DIRECTORY and entry.get("editable", bool):
        kind = PackageSource.EDITABLE
    marker, problem = parse_marker(entry.text("marker"))
    if kind in (PackageSource.REGISTRY, PackageSource.URL, PackageSource.PATH) and not files:
        problem = problem or f"no files listed for a {kind} package (pdm cannot pick a file to install)"
    return LockedPackage(name, entry.version(), kind, entry.line, origin=origin, marker=marker,
                         requires_python=entry.specifier("requires_python"), files=files,
                         extras=tuple(canonicalize_name(e) for e in entry.strings("extras")),
                         groups=tuple(entry.strings("groups")) or ("default",), problem=problem)
