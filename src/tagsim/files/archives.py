"""Look inside present wheel and sdist files, read-only and bounded: one member, never extracted.

Installers trust the filename, so a wheel whose `WHEEL` `Tag:` lines disagree with its name is a
warning, not an error (`wheel tags` rewrites both; a hand rename does not). A file that no
installer could install (not a zip, not gzip, a member escaping the target folder) becomes
unusable, with the reason, and stays listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from email.parser import HeaderParser

from .archive_scan import MAX_MEMBER_BYTES, Scan, Unreadable, scan
from .build_needs import BuildNeeds, needs_from_scan
from .filename import DistFile, FileKind
from .sdist_contents import is_read_member

#: Kept for the name readers know; a WHEEL member is read up to the archive scan's member cap.
MAX_WHEEL_META_BYTES = MAX_MEMBER_BYTES


@dataclass(frozen=True)
class Finding:
    """What looking inside one file found: `problem` makes it unusable, `warning` is only said."""

    problem: str | None = None
    warning: str | None = None
    build_needs: BuildNeeds | None = None  # an sdist's, from the same pass


def _unsafe(name: str) -> bool:
    """A member name that would be written outside the target folder (pip `_check_path`-style)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _is_wheel_meta(name: str) -> bool:
    return name.count("/") == 1 and name.split("/")[0].endswith(".dist-info") and name.endswith("/WHEEL")


def inspect_wheel(dist: DistFile) -> Finding:
    assert dist.path is not None
    try:
        found = scan(dist.path, _is_wheel_meta, "wheel")
    except Unreadable as exc:
        return Finding(problem=str(exc))
    unsafe = next((n for n in found.names if _unsafe(n)), None)
    if unsafe is not None:
        return Finding(problem=f"wheel member {unsafe!r} escapes the install folder")
    metas = [n for n in found.names if _is_wheel_meta(n)]
    if not metas:
        return Finding(warning="no .dist-info/WHEEL member: installers will reject the wheel")
    name = metas[-1]
    if name in found.oversized:
        return Finding(warning=f"WHEEL member is {found.oversized[name]} bytes, over the "
                               f"{MAX_WHEEL_META_BYTES}-byte limit; tags not checked")
    try:
        text = found.texts[name].decode("utf-8")
    except UnicodeDecodeError:
        return Finding(warning="WHEEL member is not UTF-8; tags not checked")
    declared = {value.strip() for value in HeaderParser().parsestr(text).get_all("Tag", [])}
    named = {str(tag) for tag in dist.tags}
    if declared != named:
        only_meta = sorted(declared - named)
        only_name = sorted(named - declared)
        parts = []
        if only_name:
            parts.append(f"filename-only tags {', '.join(only_name[:3])}{'...' if len(only_name) > 3 else ''}")
        if only_meta:
            parts.append(f"WHEEL-only tags {', '.join(only_meta[:3])}{'...' if len(only_meta) > 3 else ''}")
        return Finding(warning=f"WHEEL Tag lines differ from the filename ({'; '.join(parts)}); "
                               "installers go by the filename")
    return Finding()


def inspect_sdist(dist: DistFile) -> Finding:
    """The archive checks and the build needs, from one pass over the archive."""
    assert dist.path is not None
    try:
        found = scan(dist.path, is_read_member, "sdist")
    except Unreadable as exc:
        return Finding(problem=str(exc))
    return _sdist_finding(found)


def _sdist_finding(found: Scan) -> Finding:
    link = next((m for m, target in found.links if _unsafe(target) or target.startswith("/")), None)
    if link is not None:
        return Finding(problem=f"sdist link {link!r} points outside the archive")
    unsafe = next((n for n in found.names if _unsafe(n)), None)
    if unsafe is not None:
        return Finding(problem=f"sdist member {unsafe!r} escapes the build folder")
    return Finding(build_needs=needs_from_scan(found))


def inspect_files(files: Sequence[DistFile]) -> tuple[list[DistFile], list[str]]:
    """Files with archive problems turned unusable, sdists with their build needs, and one warning line per
    file that needs one. Each archive is read once."""
    out: list[DistFile] = []
    warnings: list[str] = []
    for dist in files:
        if not (dist.present and dist.path and dist.usable):
            out.append(dist)
            continue
        finding = inspect_wheel(dist) if dist.is_wheel else inspect_sdist(dist)
        if finding.problem:
            out.append(replace(dist, kind=FileKind.UNUSABLE, problem=finding.problem))
            warnings.append(f"{dist.filename}: {finding.problem}; listed as unusable")
        else:
            out.append(replace(dist, build_needs=finding.build_needs) if finding.build_needs else dist)
        if finding.warning:
            warnings.append(f"{dist.filename}: {finding.warning}")
    return out, warnings
