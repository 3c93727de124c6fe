"""Where distribution files come from: names on the command line, a folder, a saved index page.

Every file a source mentions comes back, usable or not, with where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .dists import DistFile, parse_filename
from .errors import TagsimError, loads_json

if TYPE_CHECKING:
    from .remote import FetchOptions

_DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")
#: A saved index page bigger than this is refused rather than read into memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024


class SourceError(TagsimError):
    """A source cannot be read at all (a whole folder or page, not one file in it)."""


def _read_page(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise SourceError(f"page is {size} bytes, over the {MAX_PAGE_BYTES}-byte limit", where=str(path))
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc.__class__.__name__}", where=str(path)) from None


def _yank(value: Any, where: str) -> tuple[bool, str | None]:
    if value is None or value is False:
        return False, None
    if value is True:
        return True, None
    if isinstance(value, str):
        return True, value or None
    raise SourceError(f"'yanked' must be a boolean or a string, got {type(value).__name__}", where=where)


def parse_pep691(text: str, *, origin: str) -> tuple[str | None, list[DistFile]]:
    """A PEP 691 JSON project page: `{"name": ..., "files": [{"filename", "requires-python", "yanked"}]}`."""
    document = loads_json(text, SourceError, where=origin)
    if not isinstance(document, dict) or not isinstance(document.get("files"), list):
        raise SourceError("not a PEP 691 project page (expected an object with a 'files' list)", where=origin)
    name = document.get("name")
    if name is not None and not isinstance(name, str):
        raise SourceError("'name' must be a string", where=origin)
    files: list[DistFile] = []
    for index, entry in enumerate(document["files"]):
        where = f"{origin} files[{index}]"
        if not isinstance(entry, dict):
            raise SourceError(f"expected an object, got {type(entry).__name__}", where=where)
        filename = entry.get("filename")
        if not isinstance(filename, str) or not filename:
            raise SourceError("missing 'filename'", where=where)
        requires_python = entry.get("requires-python")
        if requires_python is not None and not isinstance(requires_python, str):
            raise SourceError("'requires-python' must be a string or null", where=where)
        yanked, reason = _yank(entry.get("yanked"), where)
        upload = entry.get("upload-time")
        files.append(parse_filename(filename, requires_python=requires_python or None, yanked=yanked,
                                    yanked_reason=reason, upload_time=upload if isinstance(upload, str) else None,
                                    origin=origin))
    return name, files


class _AnchorParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self._current: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._flush()  # an `<a>` left open (pip reads links at the start tag; no `</a>` needed)
            self._current, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._flush()

    def close(self) -> None:
        super().close()
        self._flush()  # a page truncated inside its last link keeps that link

    def _flush(self) -> None:
        if self._current is not None:
            self.anchors.append((self._current, "".join(self._text).strip()))
            self._current = None


def parse_pep503(text: str, *, origin: str) -> list[DistFile]:
    """A PEP 503 HTML project page; the filename is the last segment of each link's URL, as in pip."""
    parser = _AnchorParser()
    parser.feed(text)
    parser.close()
    files: list[DistFile] = []
    for attrs, label in parser.anchors:
        href = attrs.get("href") or ""
        filename = unquote(urlsplit(href).path.rsplit("/", 1)[-1]) or label
        if not filename:
            continue
        yanked = "data-yanked" in attrs
        reason = attrs.get("data-yanked") or None
        files.append(parse_filename(filename, requires_python=attrs.get("data-requires-python") or None,
                                    yanked=yanked, yanked_reason=reason, origin=origin))
    return files


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
        dist = parse_filename(name, origin=str(path), present=True, path=str(full))
        if dist.usable and not full.is_file():  # opening a FIFO blocks for ever; a broken link has no bytes
            dist = replace(dist, kind="unusable", present=False,
                           problem="not a regular file (a FIFO, socket, device or broken link); not read")
        files.append(dist)
    return files


def load_source(arg: str, fetch: FetchOptions | None = None) -> list[DistFile]:
    """One SOURCE argument: an index URL, a folder, a saved `.json`/`.html` page, or a bare filename."""
    if arg.startswith(("http://", "https://")):
        from . import remote

        return remote.load_url(arg, fetch or remote.FetchOptions())
    path = Path(arg)
    try:
        is_dir, is_file, exists = path.is_dir(), path.is_file(), path.exists()
    except (OSError, ValueError):  # too long for the OS (ENAMETOOLONG), a NUL byte: a name, not a path on disk
        is_dir = is_file = exists = False
    if is_dir:
        return scan_directory(path)
    if is_file and path.suffix.lower() == ".json":
        return parse_pep691(_read_page(path), origin=arg)[1]
    if is_file and path.suffix.lower() in (".html", ".htm"):
        return parse_pep503(_read_page(path), origin=arg)
    if is_file and arg.endswith(_DIST_SUFFIXES):
        return [parse_filename(path.name, origin=str(path.parent), present=True, path=str(path))]
    if is_file and path.suffix.lower() == ".txt":
        return _name_list(path)
    if arg.endswith(_DIST_SUFFIXES) or not exists:
        name = os.path.basename(arg)
        if not arg.endswith(_DIST_SUFFIXES):
            raise SourceError("no such file or folder, and not a distribution filename (.whl, .tar.gz, .zip)",
                              where=arg)
        return [parse_filename(name, origin="command line")]
    raise SourceError("not a folder, a .json/.html index page, a .txt list or a distribution file", where=arg)


def _name_list(path: Path) -> list[DistFile]:
    """A text file of filenames, one per line (blank lines and `#` comments skipped)."""
    text = _read_page(path)
    return [parse_filename(line.strip(), origin=str(path)) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def load_sources(args: Sequence[str], fetch: FetchOptions | None = None) -> list[DistFile]:
    """All sources in order; a filename seen twice is kept once, the later copy listed as a duplicate."""
    return dedupe(f for arg in args for f in load_source(arg, fetch))


def dedupe(files: Iterable[DistFile]) -> list[DistFile]:
    seen: dict[str, str] = {}
    out: list[DistFile] = []
    for dist in files:
        if dist.filename in seen:
            out.append(replace(dist, kind="unusable",
                               problem=f"duplicate filename (already listed from {seen[dist.filename]})"))
            continue
        seen[dist.filename] = dist.origin or "command line"
        out.append(dist)
    return out
