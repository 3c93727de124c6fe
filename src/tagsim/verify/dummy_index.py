"""Build a throwaway local package index of dummy files.

Real installers (pip, uv) are the ground truth for tagsim. To ask them which
file they would pick, we hand them an index whose files are tiny but *valid*
wheels and sdists, each of which records its own filename when installed.
After a real install (or download) the marker tells us which file was chosen.

Filenames are split by `tagsim.files.filename.split_filename`, the one parser. Nothing here has
side effects apart from writing into the directory the caller gives us.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from ..files.filename import RawName, split_filename
from .scenario import IndexFile

__all__ = [
    "DummyIndex",
    "IndexFile",
    "build_index",
    "build_sdist",
    "build_wheel",
    "marker_name",
    "project_of",
    "read_marker",
]

SDIST_SUFFIXES: tuple[str, ...] = (".tar.gz", ".zip")
BACKEND_MODULE = "_tagsim_backend"
FIXED_DATE_TIME: tuple[int, int, int, int, int, int] = (2020, 1, 1, 0, 0, 0)
FIXED_MTIME = 1577836800  # 2020-01-01, keeps archives byte-for-byte reproducible


@dataclass(frozen=True)
class DummyIndex:
    """Where a built index lives, in the shapes installers accept."""

    root: Path
    files_dir: Path
    simple_dir: Path
    projects: tuple[str, ...]

    def simple_url(self) -> str:
        """A `file://` URL of the PEP 503 root, for installers that read it."""
        return self.simple_dir.resolve().as_uri() + "/"


def marker_name(project: str) -> str:
    """Importable stem of the marker module/file a dummy dist installs."""
    return re.sub(r"[-_.]+", "_", project).lower() + "_chosen"


def _escape_component(name: str) -> str:
    """Filename-safe project component, as wheel builders write it."""
    return re.sub(r"[-_.]+", "_", name)


def project_of(filename: str) -> str:
    """Normalised project name of any supported distribution filename."""
    return canonicalize_name(split_filename(filename).project)


def _metadata_text(project: str, version: str, requires_python: str | None,
                   metadata_version: str = "2.1") -> str:
    """Core metadata; Requires-Python matches the index so both agree."""
    lines = [f"Metadata-Version: {metadata_version}", f"Name: {project}", f"Version: {version}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    return "\n".join(lines) + "\n\n"


def _wheel_text(tags: Iterable[str], build: str | None) -> str:
    """WHEEL file; one `Tag:` line per expanded tag, as PEP 427 asks."""
    lines = ["Wheel-Version: 1.0", "Generator: tagsim-dummy-index", "Root-Is-Purelib: true"]
    lines += [f"Tag: {tag}" for tag in tags]
    if build is not None:
        lines.append(f"Build: {build}")
    return "\n".join(lines) + "\n"


def _record_line(path: str, data: bytes) -> str:
    """A RECORD row: urlsafe, unpadded sha256 and the size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def wheel_members(project: str, version: str, tags: Sequence[str], build: str | None,
                  requires_python: str | None, chosen: str) -> dict[str, bytes]:
    """All files of a dummy wheel, RECORD last, keyed by archive path.

    `chosen` is what the marker records: the wheel's own filename, or the
    sdist's filename for a wheel built from an sdist.
    """
    marker = marker_name(project)
    dist_info = f"{_escape_component(project)}-{version}.dist-info"
    members: dict[str, bytes] = {
        f"{marker}.py": f"FILENAME = {chosen!r}\n".encode(),
        f"{marker}.txt": f"{chosen}\n".encode(),
        f"{dist_info}/METADATA": _metadata_text(project, version, requires_python).encode(),
        f"{dist_info}/WHEEL": _wheel_text(tags, build).encode(),
    }
    record = [_record_line(path, data) for path, data in members.items()]
    record.append(f"{dist_info}/RECORD,,")
    members[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    return members


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    """Deterministic zip, so identical inputs give identical hashes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def _write_tar_gz(path: Path, members: dict[str, bytes]) -> None:
    """Deterministic gzip'd tar with regular files only."""
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = FIXED_MTIME
            info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))


def build_wheel(entry: IndexFile, dest_dir: Path) -> Path:
    """Write a valid dummy wheel named exactly `entry.filename`."""
    name = split_filename(entry.filename)
    members = wheel_members(name.project, name.version, name.tags, name.build,
                            entry.requires_python, entry.filename)
    path = dest_dir / entry.filename
    _write_zip(path, members)
    return path


_BACKEND_TEMPLATE = '''\
"""In-tree PEP 517 backend of a tagsim dummy sdist: builds offline, stdlib only."""
import base64, hashlib, os, zipfile

PROJECT = {project!r}
VERSION = {version!r}
SOURCE = {source!r}
REQUIRES_PYTHON = {requires_python!r}
MARKER = {marker!r}
DIST_INFO = {dist_info!r}
WHEEL_NAME = {wheel_name!r}


def _metadata():
    lines = ["Metadata-Version: 2.1", "Name: " + PROJECT, "Version: " + VERSION]
    if REQUIRES_PYTHON:
        lines.append("Requires-Python: " + REQUIRES_PYTHON)
    return "\\n".join(lines) + "\\n\\n"


def _wheel():
    return ("Wheel-Version: 1.0\\nGenerator: tagsim-dummy-backend\\n"
            "Root-Is-Purelib: true\\nTag: py3-none-any\\n")


def _members():
    members = [
        (MARKER + ".py", ("FILENAME = %r\\n" % SOURCE).encode()),
        (MARKER + ".txt", (SOURCE + "\\n").encode()),
        (DIST_INFO + "/METADATA", _metadata().encode()),
        (DIST_INFO + "/WHEEL", _wheel().encode()),
    ]
    record = []
    for path, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append("%s,sha256=%s,%d" % (path, digest.decode(), len(data)))
    record.append(DIST_INFO + "/RECORD,,")
    members.append((DIST_INFO + "/RECORD", ("\\n".join(record) + "\\n").encode()))
    return members


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    path = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "w") as f:
        f.write(_metadata())
    with open(os.path.join(path, "WHEEL"), "w") as f:
        f.write(_wheel())
    return DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with zipfile.ZipFile(os.path.join(wheel_directory, WHEEL_NAME), "w") as zf:
        for path, data in _members():
            zf.writestr(path, data)
    return WHEEL_NAME


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError("tagsim dummy sdists are not rebuilt")
'''


def _backend_source(sdist: RawName, requires_python: str | None) -> str:
    """Source of the in-tree backend; it bakes in which sdist it came from."""
    escaped = _escape_component(sdist.project)
    return _BACKEND_TEMPLATE.format(
        project=sdist.project,
        version=sdist.version,
        source=sdist.filename,
        requires_python=requires_python,
        marker=marker_name(sdist.project),
        dist_info=f"{escaped}-{sdist.version}.dist-info",
        wheel_name=f"{escaped}-{sdist.version}-py3-none-any.whl",
    )


_PYPROJECT = f"""\
[build-system]
requires = []
build-backend = "{BACKEND_MODULE}"
backend-path = ["."]
"""


def sdist_members(entry: IndexFile) -> dict[str, bytes]:
    """Files of a dummy sdist under its `name-version/` top directory."""
    sdist = split_filename(entry.filename)
    top = f"{sdist.project}-{sdist.version}"
    return {
        f"{top}/PKG-INFO": _metadata_text(sdist.project, sdist.version,
                                          entry.requires_python).encode(),
        f"{top}/pyproject.toml": _PYPROJECT.encode(),
        f"{top}/{BACKEND_MODULE}.py": _backend_source(sdist, entry.requires_python).encode(),
    }


def build_sdist(entry: IndexFile, dest_dir: Path) -> Path:
    """Write a dummy sdist (`.tar.gz` or legacy `.zip`) that builds offline."""
    sdist = split_filename(entry.filename)
    path = dest_dir / entry.filename
    members = sdist_members(entry)
    if sdist.suffix == ".zip":
        _write_zip(path, members)
    else:
        _write_tar_gz(path, members)
    return path


def build_file(entry: IndexFile, dest_dir: Path) -> Path:
    """Write one wheel or sdist, dispatching on the filename."""
    if entry.filename.endswith(".whl"):
        return build_wheel(entry, dest_dir)
    return build_sdist(entry, dest_dir)


def _sha256(path: Path) -> str:
    """Hex digest for the `#sha256=` URL fragment installers verify."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def anchor(entry: IndexFile, href: str) -> str:
    """One PEP 503 anchor; attribute values are HTML-escaped (`>=` → `&gt;=`)."""
    attrs = [f'href="{html.escape(href, quote=True)}"']
    if entry.requires_python:
        attrs.append(f'data-requires-python="{html.escape(entry.requires_python, quote=True)}"')
    if entry.yanked is not False:
        reason = "" if entry.yanked is True else str(entry.yanked)
        attrs.append(f'data-yanked="{html.escape(reason, quote=True)}"')
    return f"<a {' '.join(attrs)}>{html.escape(entry.filename)}</a>"


def _page(title: str, body_lines: Iterable[str]) -> str:
    """Minimal HTML5 page in the shape PEP 503 expects."""
    body = "<br/>\n".join(body_lines)
    return (f"<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" "
            f"content=\"1.0\"><title>{html.escape(title)}</title></head>\n"
            f"<body>\n{body}\n</body></html>\n")


def write_project_page(simple_dir: Path, project: str, entries: Sequence[IndexFile],
                       files_dir: Path) -> Path:
    """`simple/<project>/index.html`, links in the caller's order (ties go first-listed)."""
    page_dir = simple_dir / project
    page_dir.mkdir(parents=True, exist_ok=True)
    links = [anchor(e, f"../../{files_dir.name}/{e.filename}#sha256={_sha256(files_dir / e.filename)}")
             for e in entries]
    path = page_dir / "index.html"
    path.write_text(_page(f"Links for {project}", links), encoding="utf-8")
    return path


def write_root_page(simple_dir: Path, projects: Sequence[str]) -> Path:
    """`simple/index.html` listing every project."""
    links = [f'<a href="{html.escape(p)}/">{html.escape(p)}</a>' for p in projects]
    path = simple_dir / "index.html"
    path.write_text(_page("Simple index", links), encoding="utf-8")
    return path


def build_index(entries: Sequence[IndexFile], root: Path) -> DummyIndex:
    """Write every file and the PEP 503 pages under `root`; return where they are.

    Layout: `root/files/<filename>` (usable as a find-links directory) and
    `root/simple/<project>/index.html` (carries requires-python and yanked).
    """
    files_dir = root / "files"
    simple_dir = root / "simple"
    files_dir.mkdir(parents=True, exist_ok=True)
    simple_dir.mkdir(parents=True, exist_ok=True)
    by_project: dict[str, list[IndexFile]] = {}
    for entry in entries:
        build_file(entry, files_dir)
        by_project.setdefault(project_of(entry.filename), []).append(entry)
    for project, project_entries in by_project.items():
        write_project_page(simple_dir, project, project_entries, files_dir)
    write_root_page(simple_dir, sorted(by_project))
    return DummyIndex(root, files_dir, simple_dir, tuple(sorted(by_project)))


def read_marker(site_dir: Path, project: str) -> str | None:
    """Which file an install into `site_dir` came from, or None if absent."""
    path = site_dir / f"{marker_name(project)}.txt"
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip()
