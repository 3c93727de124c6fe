"""Look inside present wheel and sdist files, read-only and bounded: one member, never extracted.

Installers trust the filename, so a wheel whose `WHEEL` `Tag:` lines disagree with its name is a
warning, not an error (`wheel tags` rewrites both; a hand rename does not). A file that no
installer could install (not a zip, not gzip, a member escaping the target folder) becomes
unusable, with the reason, and stays listed.
"""

from __future__ import annotations

import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email.parser import HeaderParser

from . import zip_limits
from .filename import DistFile, FileKind
from .zip_limits import zip_too_big

MAX_WHEEL_META_BYTES = 256 * 1024


@dataclass(frozen=True)
class Finding:
    """What looking inside one file found: `problem` makes it unusable, `warning` is only said."""

    problem: str | None = None
    warning: str | None = None


def _unsafe(name: str) -> bool:
    """A member name that would be written outside the target folder (pip `_check_path`-style)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def inspect_wheel(dist: DistFile) -> Finding:
    assert dist.path is not None
    too_big = zip_too_big(dist.path)
    if too_big:
        return Finding(problem=f"wheel has {too_big}")
    try:
        with zipfile.ZipFile(dist.path) as archive:
            infos = archive.infolist()
            if len(infos) > zip_limits.MAX_MEMBERS:
                return Finding(problem=f"wheel has over {zip_limits.MAX_MEMBERS} members")
            unsafe = next((i.filename for i in infos if _unsafe(i.filename)), None)
            if unsafe is not None:
                return Finding(problem=f"wheel member {unsafe!r} escapes the install folder")
            wheel_meta = [i for i in infos if i.filename.count("/") == 1
                          and i.filename.split("/")[0].endswith(".dist-info") and i.filename.endswith("/WHEEL")]
            if not wheel_meta:
                return Finding(warning="no .dist-info/WHEEL member: installers will reject the wheel")
            info = wheel_meta[0]
            if info.file_size > MAX_WHEEL_META_BYTES:
                return Finding(warning=f"WHEEL member is {info.file_size} bytes, over the "
                                       f"{MAX_WHEEL_META_BYTES}-byte limit; tags not checked")
            with archive.open(info) as handle:
                raw = handle.read(MAX_WHEEL_META_BYTES + 1)
    except zipfile.BadZipFile:
        return Finding(problem="not a zip archive (truncated or corrupt wheel)")
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error, lzma.LZMAError) as exc:
        return Finding(problem=f"unreadable wheel ({exc.__class__.__name__})")
    try:
        text = raw.decode("utf-8")
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
    assert dist.path is not None
    try:
        if dist.filename.endswith(".zip"):
            too_big = zip_too_big(dist.path)
            if too_big:
                return Finding(problem=f"sdist has {too_big}")
            with zipfile.ZipFile(dist.path) as archive:
                names = [i.filename for i in archive.infolist()[:zip_limits.MAX_MEMBERS]]
        else:
            names = []
            with tarfile.open(dist.path, "r:gz") as archive:
                for member in archive:
                    names.append(member.name)
                    if member.issym() or member.islnk():
                        target = member.linkname
                        if _unsafe(target) or target.startswith("/"):
                            return Finding(problem=f"sdist link {member.name!r} points outside the archive")
                    # Stop before seeking past a member that ends beyond the cap: reaching the next header
                    # means decompressing it (a tar bomb of zeros is seconds per GiB).
                    if len(names) >= zip_limits.MAX_MEMBERS or member.offset_data + member.size > zip_limits.MAX_SCAN_BYTES:
                        break
    except zipfile.BadZipFile:
        return Finding(problem="not a zip archive (truncated or corrupt sdist)")
    except (tarfile.ReadError, EOFError) as exc:
        kind = "not a gzip-compressed tar archive" if "gzip" in str(exc) or "not a gzip" in str(exc) \
            else "truncated or corrupt tar.gz"
        return Finding(problem=f"{kind} ({exc.__class__.__name__})")
    except (OSError, tarfile.TarError, RuntimeError, ValueError, zlib.error) as exc:
        return Finding(problem=f"unreadable sdist ({exc.__class__.__name__})")
    unsafe = next((n for n in names if _unsafe(n)), None)
    if unsafe is not None:
        return Finding(problem=f"sdist member {unsafe!r} escapes the build folder")
    return Finding()


def inspect_files(files: Sequence[DistFile]) -> tuple[list[DistFile], list[str]]:
    """Files with archive problems turned unusable, and one warning line per file that needs one."""
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
            out.append(dist)
        if finding.warning:
            warnings.append(f"{dist.filename}: {finding.warning}")
    return out, warnings
