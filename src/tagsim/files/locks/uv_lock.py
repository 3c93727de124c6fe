"""`uv.lock`: uv's wire format (uv 0.13, `crates/uv-resolver/src/lock/mod.rs` `LockWire`, `PackageWire`,
`DependencyWire`, `WheelWire`, `SourceDist`).

`version = 1` is the only version uv reads (`const VERSION: u32 = 1`). A wheel's filename is the last
segment of its `url` or `path`, or its `filename` (path sources); an sdist's the last segment of its
`url` or `path`. Dependencies keep their edge markers, evaluated by `tagsim.choice.lock_select`
while walking from the workspace roots, as `uv sync` does.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from .model import Dependency, LockedPackage, LockFile, LockFormat, PackageSource
from .reading import Fields, file_entry, header_lines, markers, parse_marker

#: `source = { <key> = ... }` -> the kind (uv `SourceWire`).
_SOURCES = {"registry": PackageSource.REGISTRY, "git": PackageSource.GIT, "path": PackageSource.PATH,
            "directory": PackageSource.DIRECTORY, "editable": PackageSource.EDITABLE, "url": PackageSource.URL,
            "virtual": PackageSource.VIRTUAL}
SUPPORTED_VERSION = 1


def read_uv_lock(doc: dict[str, object], text: str, path: str) -> LockFile:
    top = Fields(path, 0, doc)
    version = top.get("version", int, required=True)
    if version != SUPPORTED_VERSION:
        raise top.error("version", f"unknown lock version {version} (uv reads version {SUPPORTED_VERSION})")
    top.text("requires-python", required=True)  # `LockWire.requires_python` has no default
    lines = header_lines(text, "package")
    raw = top.get("package", list) or []
    packages = [_package(Fields(path, lines[n] if n < len(lines) else 0, entry), path)
                for n, entry in enumerate(raw)]
    manifest = top.sub("manifest")
    members = tuple(canonicalize_name(m) for m in manifest.strings("members")) if manifest else ()
    if not members:  # a single project: the editable or virtual source at the workspace root
        members = tuple(p.name for p in packages
                        if p.source in (PackageSource.EDITABLE, PackageSource.VIRTUAL) and p.origin == ".")
    return LockFile(path, LockFormat.UV, str(version), tuple(packages),
                    requires_python=top.specifier("requires-python"),
                    environments=markers(top, "supported-markers"), required=markers(top, "required-markers"),
                    resolution_markers=tuple(top.strings("resolution-markers")), members=members)


def _package(entry: Fields, path: str) -> LockedPackage:
    name = entry.name()
    version = entry.version()
    source, origin = _source(entry)
    where = f"{path}:{entry.line}"
    sdist_fields = entry.sub("sdist")
    files = (*(file_entry(w, origin=where, keys=("filename", "url", "path")) for w in entry.tables("wheels")),
             *((file_entry(sdist_fields, origin=where, keys=("url", "path")),) if sdist_fields else ()))
    deps = tuple(_dependency(d) for d in entry.tables("dependencies"))
    groups_fields = entry.sub("dev-dependencies") or entry.sub("dependency-groups")
    groups: dict[str, tuple[Dependency, ...]] = {canonicalize_name(k): tuple(_dependency(d) for d in groups_fields.tables(k))
              for k in _keys(groups_fields)} if groups_fields else {}
    optional_fields = entry.sub("optional-dependencies")
    optional: dict[str, tuple[Dependency, ...]] = {canonicalize_name(k): tuple(_dependency(d) for d in optional_fields.tables(k))
                for k in _keys(optional_fields)} if optional_fields else {}
    problem = None
    if not files and source in (PackageSource.REGISTRY, PackageSource.URL, PackageSource.PATH):
        problem = f"no wheels and no sdist for a {source} source (uv: `{name}` has no source distribution or wheel)"
    return LockedPackage(name, version, source, entry.line, origin=origin, files=files,
                         dependencies=deps, optional_dependencies=optional, dev_dependencies=groups, problem=problem)


def _keys(fields: Fields | None) -> list[str]:
    return list(fields.table) if fields else []


def _source(entry: Fields) -> tuple[PackageSource, str]:
    source = entry.sub("source")
    if source is None:
        raise entry.error("source", "missing (uv.lock packages name their source)")
    for key, kind in _SOURCES.items():
        value = source.text(key)
        if value is not None:
            return kind, value
    raise source.error("", f"unknown source kind (expected one of {', '.join(_SOURCES)})")


def _dependency(dep: Fields) -> Dependency:
    marker, problem = parse_marker(dep.text("marker"))
    if problem is not None:
        raise dep.error("marker", problem)
    return Dependency(dep.name(), marker, tuple(canonicalize_name(e) for e in dep.strings("extra")),
                      dep.text("version"), _dep_source(dep))


def _dep_source(dep: Fields) -> str | None:
    source = dep.sub("source")
    if source is None:
        return None
    return next((f"{k}={v}" for k, v in sorted(source.table.items()) if isinstance(v, str)), None)
