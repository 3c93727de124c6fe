"""`poetry.lock`, as poetry 2.4 `packages/locker.py` writes and reads it (lock-version 1.1 to 2.1).

Per package: `name`, `version`, `optional`, `python-versions`, `groups` (2.1; `category` before),
`markers` (a string, or a table by group in 2.1), `files = [{file, hash}]` (every file of the
release; 1.x keeps them in `[metadata.files]`), `[package.source]` (`type` legacy/git/directory/
file/url, `url`, `develop`). `[metadata] python-versions` is the project's Python range and
`[extras]` maps the project's extras to optional packages. poetry reads lock 1.x and 2.x
(`Locker._supported_versions`-style check: another major is an error).
"""

from __future__ import annotations

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from .model import LockedPackage, LockFile, LockFormat, PackageSource
from .reading import Fields, file_entry, header_lines, lock_metadata, parse_marker

_SOURCES = {"legacy": PackageSource.REGISTRY, "git": PackageSource.GIT, "directory": PackageSource.DIRECTORY,
            "file": PackageSource.PATH, "url": PackageSource.URL}
SUPPORTED_MAJORS = (1, 2)


def read_poetry_lock(doc: dict[str, object], text: str, path: str) -> LockFile:
    top = Fields(path, 0, doc)
    meta, version = lock_metadata(top, "lock-version", SUPPORTED_MAJORS, "poetry.lock",
                                  "poetry 2.x reads 1.x and 2.x")
    old_files = meta.sub("files")
    lines = header_lines(text, "package")
    warnings = []
    packages = []
    for n, raw in enumerate(top.get("package", list) or []):
        packages.append(_package(Fields(path, lines[n] if n < len(lines) else 0, raw), path, old_files))
    if version != "2.1":
        warnings.append(f"{path}: poetry lock-version {version} has no per-group markers; poetry 2.x re-resolves "
                        "such a lock at install time, tagsim reads it as one 'main' group")
    extras = top.sub("extras")
    extra_packages: dict[str, tuple[str, ...]] = {}
    for key in extras.table if extras else {}:
        assert extras is not None
        extra_packages[canonicalize_name(key)] = tuple(canonicalize_name(n) for n in extras.strings(key))
    groups = sorted({g for p in packages for g in p.groups})
    return LockFile(path, LockFormat.POETRY, version, tuple(packages),
                    requires_python=meta.specifier("python-versions"), default_groups=tuple(groups),
                    declared_groups=tuple(groups), declared_extras=tuple(extra_packages),
                    extra_packages=extra_packages, warnings=tuple(warnings))


def _package(entry: Fields, path: str, old_files: Fields | None) -> LockedPackage:
    name = entry.name()
    where = f"{path}:{entry.line}"
    files_fields = entry.tables("files")
    if not files_fields and old_files is not None:  # lock 1.x: [metadata.files] name = [...]
        raw_name = entry.text("name") or ""
        files_fields = old_files.tables(raw_name) if raw_name in old_files.table else old_files.tables(name)
    files = [file_entry(f, origin=where, keys=("file", "url")) for f in files_fields]
    source_fields = entry.sub("source")
    kind, origin = PackageSource.REGISTRY, ""
    if source_fields is not None:
        type_ = source_fields.text("type", required=True) or ""
        if type_ not in _SOURCES:
            raise source_fields.error("type", f"unknown source type {type_!r} (expected {', '.join(_SOURCES)})")
        kind, origin = _SOURCES[type_], source_fields.text("url") or ""
        if kind is PackageSource.DIRECTORY and entry.get("develop", bool):
            kind = PackageSource.EDITABLE
    problem = None
    group_markers: dict[str, Marker] = {}
    marker: Marker | None = None
    raw_markers = entry.table.get("markers")
    if isinstance(raw_markers, dict):
        for group, text in raw_markers.items():
            if not isinstance(text, str):
                raise entry.error(f"markers.{group}", "expected a marker string")
            parsed, why = parse_marker(text)
            problem = problem or why
            if parsed is not None:
                group_markers[group] = parsed
    else:
        marker, problem = parse_marker(entry.text("markers"))
    groups = entry.strings("groups") or [entry.text("category") or "main"]
    if kind in (PackageSource.REGISTRY, PackageSource.URL, PackageSource.PATH) and not files:
        problem = problem or f"no files listed for a {kind} package (poetry: Unable to find installation candidates)"
    return LockedPackage(name, entry.version(), kind, entry.line, origin=origin, marker=marker,
                         requires_python=entry.specifier("python-versions"), files=tuple(files), groups=tuple(groups), group_markers=group_markers,
                         optional=bool(entry.get("optional", bool)), problem=problem)
