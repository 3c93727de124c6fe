"""Where distribution files come from: names on the command line, a folder, a saved or live index page.

`load_source` dispatches on the kind of SOURCE (`classify`), one loader per kind. Every file a
source mentions comes back, usable or not, with where it came from. Files at hand are looked
inside once, here (`archives.inspect_files`: one pass per archive, build needs included), never while choosing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from ..errors import FetchError, SourceError
from ..text_enum import TextEnum
from .filename import DistFile, FileKind, parse_filename, projects_in
from .pages import parse_pep503, parse_pep691

if TYPE_CHECKING:  # the network stack (http.client, ssl) loads only when a URL is read
    from .fetch_options import FetchOptions

_DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")
#: A saved index page bigger than this is refused rather than read into memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024


def _read_page(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise SourceError(f"page is {size} bytes, over the {MAX_PAGE_BYTES}-byte limit", where=str(path))
        return path.read_bytes().decode("utf-8-sig")  # a leading BOM is dropped (load_sources warns of it)
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc.__class__.__name__}", where=str(path)) from None


def scan_directory(path: Path) -> list[DistFile]:
    """A `dist/` or wheelhouse folder; other files are listed as unusable, not skipped."""
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise SourceError(f"cannot list folder: {exc.strerror or exc.__class__.__name__}", where=str(path)) from None
    files = []
    for name in names:
        full = path / name
        if full.is_dir():
            continue
        dist = parse_filename(name, origin=str(path), present=True, path=str(full), in_folder=True)
        if dist.usable and not full.is_file():  # opening a FIFO blocks for ever; a broken link has no bytes
            dist = replace(dist, kind=FileKind.UNUSABLE, present=False,
                           problem="not a regular file (a FIFO, socket, device or broken link); not read")
        files.append(dist)
    return files


class SourceKind(TextEnum):
    """What a SOURCE argument is; `classify` decides, `_LOADERS` reads."""

    URL = "url"
    FOLDER = "folder"
    PEP691_PAGE = "pep691-page"
    PEP503_PAGE = "pep503-page"
    DIST_FILE = "dist-file"
    NAME_LIST = "name-list"
    BARE_NAME = "bare-name"
    LOCK_FILE = "lock-file"  # uv.lock, pylock.toml, poetry.lock, pdm.lock (`files.locks`)


def _looks_like_lock(path: str) -> bool:
    from .locks.detect import looks_like_lock  # tomllib and the lock readers: only for a lock-like name

    return looks_like_lock(path)


def _read_lock_files(path: str) -> list[DistFile]:
    from .locks.detect import read_lock

    return read_lock(path).files


def classify(arg: str) -> SourceKind:
    """An index URL, a folder, a saved `.json`/`.html` page, a `.txt` list, a file at hand, or a bare filename."""
    if arg.startswith(("http://", "https://")):
        return SourceKind.URL
    path = Path(arg)
    try:
        is_dir, is_file, exists = path.is_dir(), path.is_file(), path.exists()
    except (OSError, ValueError):  # too long for the OS (ENAMETOOLONG), a NUL byte: a name, not a path on disk
        is_dir = is_file = exists = False
    if is_dir:
        return SourceKind.FOLDER
    suffix = path.suffix.lower()
    if is_file and suffix == ".json":
        return SourceKind.PEP691_PAGE
    if is_file and suffix in (".html", ".htm"):
        return SourceKind.PEP503_PAGE
    if is_file and arg.endswith(_DIST_SUFFIXES):
        return SourceKind.DIST_FILE
    if is_file and suffix == ".txt":
        return SourceKind.NAME_LIST
    if is_file and arg.endswith((".lock", ".toml")) and _looks_like_lock(arg):
        return SourceKind.LOCK_FILE
    if arg.endswith(_DIST_SUFFIXES):
        return SourceKind.BARE_NAME
    if not exists:
        raise SourceError("no such file or folder, and not a distribution filename (.whl, .tar.gz, .zip)", where=arg)
    raise SourceError("not a folder, a .json/.html index page, a .txt list, a lock file or a distribution file",
                      where=arg)


def load_url(url: str, opts: FetchOptions | None = None) -> list[DistFile]:
    """The files of a live project page; a page for another project is an error, not an empty answer."""
    return read_url(url, opts)[0]


def read_url(url: str, opts: FetchOptions | None = None) -> tuple[list[DistFile], list[str]]:
    """`load_url` with its warnings: no cache to write to, an HTML page with no links (a login page?)."""
    from .remote import FetchOptions, expected_project, fetch_page

    page = fetch_page(url, opts or FetchOptions())
    origin = url + (" (cached)" if page.from_cache else "")
    notes = [f"cache: {note}" for note in page.notes]
    if page.content_type in ("application/vnd.pypi.simple.v1+json", "application/json"):
        name, files = parse_pep691(page.text, origin=origin, base_url=url)
    elif page.content_type in ("text/html", "application/vnd.pypi.simple.v1+html", "application/xhtml+xml"):
        name, files = None, parse_pep503(page.text, origin=origin, base_url=url)
        if not files:
            notes.append(f"{url}: the page is HTML with no links to files (a login or error page?)")
    else:
        raise FetchError(f"unexpected content type {page.content_type!r} (expected PEP 691 JSON or PEP 503 HTML)",
                         where=url)
    wanted = expected_project(url)
    if name is not None and wanted is not None and canonicalize_name(name) != wanted:
        raise SourceError(f"the index returned the listing of project {name!r}, not {wanted!r}", where=url)
    if name is None and wanted is not None:
        # A PEP 503 page names no project: one whose files all belong to other projects is another listing.
        others = projects_in(files)
        if others and wanted not in others:
            raise SourceError(f"the index returned a page of other projects' files ({', '.join(others[:3])}), "
                              f"not {wanted!r}", where=url)
    return files, notes


def _dist_file(arg: str) -> list[DistFile]:
    path = Path(arg)
    return [parse_filename(path.name, origin=str(path.parent), present=True, path=str(path))]


_LOADERS: dict[SourceKind, Callable[[str, FetchOptions | None], list[DistFile]]] = {
    SourceKind.URL: load_url,
    SourceKind.FOLDER: lambda arg, _: scan_directory(Path(arg)),
    SourceKind.PEP691_PAGE: lambda arg, _: parse_pep691(_read_page(Path(arg)), origin=arg)[1],
    SourceKind.PEP503_PAGE: lambda arg, _: parse_pep503(_read_page(Path(arg)), origin=arg),
    SourceKind.DIST_FILE: lambda arg, _: _dist_file(arg),
    SourceKind.NAME_LIST: lambda arg, _: _name_list(Path(arg)),
    SourceKind.BARE_NAME: lambda arg, _: [parse_filename(os.path.basename(arg), origin="command line")],
    SourceKind.LOCK_FILE: lambda arg, _: _read_lock_files(arg),
}


def load_source(arg: str, fetch: FetchOptions | None = None) -> list[DistFile]:
    """One SOURCE argument, as it names itself; files at hand are not looked inside (`load_sources` does)."""
    return _LOADERS[classify(arg)](arg, fetch)


def _name_list(path: Path) -> list[DistFile]:
    """A text file of filenames, one per line (blank lines and `#` comments skipped)."""
    text = _read_page(path)
    # Lines end at "\n" (and "\r\n") only: `str.splitlines` also splits at form feeds, \x1c-\x1e, \x85 and
    # U+2028, which made one line two files.
    return [parse_filename(line.strip(), origin=str(path)) for line in text.split("\n")
            if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class Loaded:
    """The files of all sources, in order, and one warning line per file at hand that needs one."""

    files: list[DistFile]
    warnings: list[str]


def load_sources(args: Sequence[str], fetch: FetchOptions | None = None) -> Loaded:
    """All sources in order; a filename seen twice is kept once, the later copy listed as a duplicate.

    Files at hand are looked inside here, once each: archive problems make a file unusable (listed,
    with the reason), a wheel whose WHEEL tags differ from its name is a warning, and an sdist's
    `[build-system]` is read into `DistFile.build_needs`.
    """
    read = [_read_source(arg, fetch) for arg in args]
    files, warnings = dedupe(f for found, _ in read for f in found), list[str]()
    if any(f.present for f in files):  # the archive modules load only when there is an archive to open
        from .archives import inspect_files

        files, warnings = inspect_files(files)
    notes = list(dict.fromkeys(note for _, found_notes in read for note in found_notes))
    boms = [f"{arg}: starts with a UTF-8 byte-order mark (BOM); read without it" for arg in args if _has_bom(arg)]
    return Loaded(files, [*notes, *boms, *warnings])


def _read_source(arg: str, fetch: FetchOptions | None) -> tuple[list[DistFile], list[str]]:
    if classify(arg) is SourceKind.URL:
        return read_url(arg, fetch)
    return load_source(arg, fetch), []


def _has_bom(arg: str) -> bool:
    """A saved page or name list that begins with the UTF-8 BOM (`_read_page` drops it; said once)."""
    if classify(arg) not in (SourceKind.PEP691_PAGE, SourceKind.PEP503_PAGE, SourceKind.NAME_LIST):
        return False
    try:
        with open(arg, "rb") as handle:
            return handle.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False


def dedupe(files: Iterable[DistFile]) -> list[DistFile]:
    seen: dict[str, str] = {}
    out: list[DistFile] = []
    for dist in files:
        if dist.filename in seen:
            out.append(replace(dist, kind=FileKind.UNUSABLE,
                               problem=f"duplicate filename (already listed from {seen[dist.filename]})"))
            continue
        seen[dist.filename] = dist.origin or "command line"
        out.append(dist)
    return out
