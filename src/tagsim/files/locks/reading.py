"""Reading a lock's TOML with errors that name the file, the line and the field.

`tomllib` gives no positions for values, so each `[[package]]` header's line is found in the
text and a field's problem is reported at its package's line (`<file>:<line>: <field>: <what>`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from ...errors import SourceError, clipped, one_line
from ..filename import DistFile, FileKind, parse_filename

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli (a dependency there)
    import tomli as tomllib

#: A lock bigger than this is refused before parsing (the largest public uv.lock files are a few MB).
MAX_LOCK_BYTES = 32 * 1024 * 1024
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_T = TypeVar("_T")


def read_text(path: str) -> str:
    """The lock's text: size-capped, UTF-8 (a BOM is dropped), every failure one line naming the file."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_LOCK_BYTES:
            raise SourceError(f"lock file is {size} bytes, over the {MAX_LOCK_BYTES}-byte limit", where=path)
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})", where=path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc.__class__.__name__}", where=path) from None


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """The document; invalid or truncated TOML is `<file>:<line>: invalid TOML: <what>`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        where = f"{path}:{found[1]}" if found else path
        raise SourceError(f"invalid TOML: {_AT_LINE.sub('', message).strip()}", where=where) from None
    except RecursionError:
        raise SourceError("invalid TOML: nested too deeply", where=path) from None


def header_lines(text: str, header: str) -> list[int]:
    """The 1-based line of each `[[header]]` array-of-tables header, in order."""
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
    return [number for number, line in enumerate(text.split("\n"), 1) if pattern.match(line)]


class Fields:
    """Typed access to one table of the lock; a wrong type is a `SourceError` at `path:line` naming the field."""

    def __init__(self, path: str, line: int, table: object, prefix: str = "") -> None:
        self.path, self.line, self.prefix = path, line, prefix
        if not isinstance(table, dict):
            raise self.error(prefix.rstrip(".") or "document", f"expected a table, found {_kind(table)}")
        self.table: dict[str, Any] = table

    def error(self, field: str, what: str) -> SourceError:
        return SourceError(f"{self.prefix}{field}: {what}", where=f"{self.path}:{self.line}" if self.line else self.path)

    def get(self, key: str, kind: type[_T], *, required: bool = False) -> _T | None:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.error(key, "missing")
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"expected {kind.__name__}, found {_kind(value)}")
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        return self.get(key, str, required=required)

    def strings(self, key: str) -> list[str]:
        values = self.get(key, list) or []
        if not all(isinstance(v, str) for v in values):
            raise self.error(key, "expected a list of strings")
        return values

    def tables(self, key: str) -> list[Fields]:
        """A list of inline tables (`wheels = [{...}, ...]`), each at this line."""
        return [Fields(self.path, self.line, item, f"{self.prefix}{key}[{n}].")
                for n, item in enumerate(self.get(key, list) or [])]

    def sub(self, key: str) -> Fields | None:
        value = self.table.get(key)
        return None if value is None else Fields(self.path, self.line, value, f"{self.prefix}{key}.")

    def name(self, key: str = "name") -> NormalizedName:
        raw = self.text(key, required=True)
        assert raw is not None
        if not raw.strip():
            raise self.error(key, "empty name")
        return canonicalize_name(raw)

    def version(self, key: str = "version", *, required: bool = False) -> Version | None:
        raw = self.text(key, required=required)
        if raw is None:
            return None
        try:
            return Version(raw)
        except (InvalidVersion, ValueError):
            raise self.error(key, f"not a version: {clipped(raw)}") from None

    def specifier(self, key: str) -> SpecifierSet | None:
        raw = self.text(key)
        if raw is None or raw.strip() in ("", "*"):
            return None
        try:
            return SpecifierSet(raw)
        except (InvalidSpecifier, ValueError):
            raise self.error(key, f"not a version specifier: {clipped(raw)}") from None


def parse_marker(text: str | None) -> tuple[Marker | None, str | None]:
    """(marker, None), or (None, why) for a marker that does not parse (the package stays listed, unusable)."""
    if text is None or not text.strip():
        return None, None
    try:
        return Marker(text), None
    except (InvalidMarker, ValueError, RecursionError) as exc:
        first = one_line(str(exc)).split("    ")[0]
        return None, f"marker does not parse: {clipped(text)} ({first[:160]})"


def markers(fields: Fields, key: str) -> tuple[Marker, ...]:
    """A list of lock-level markers (pylock `environments`, uv `supported-markers`); one that does not parse is an error."""
    out = []
    for text in fields.strings(key):
        marker, problem = parse_marker(text)
        if problem is not None:
            raise fields.error(key, problem)
        if marker is not None:
            out.append(marker)
    return tuple(out)


def url_name(url: str) -> str:
    """The last segment of a URL's path, percent-decoded (packaging `pylock._url_name`)."""
    return unquote(urlparse(url).path.rsplit("/", 1)[-1])


def path_name(path: str) -> str:
    """The last segment of a POSIX or Windows path (packaging `pylock._path_name`)."""
    return path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]


def lock_file(name: str, *, origin: str, where: str) -> DistFile:
    """A file a lock names, parsed by the one filename parser; a URL or path without a filename is unusable."""
    if not name:
        return DistFile(where, FileKind.UNUSABLE, problem="URL or path without a filename", origin=origin)
    return parse_filename(name, origin=origin)


def file_entry(entry: Fields, *, origin: str, keys: tuple[str, ...] = ("name", "filename", "path", "url"),
               namer: Callable[[str, str], str] | None = None) -> DistFile:
    """One `{name|filename|path|url, ...}` file entry: the first key present gives the filename."""
    for key in keys:
        raw = entry.text(key)
        if raw is None:
            continue
        name = namer(key, raw) if namer else (url_name(raw) if key == "url" else path_name(raw))
        dist = lock_file(name, origin=origin, where=raw)
        url = entry.text("url")
        if dist.usable and url is not None and url.startswith(("http://", "https://")):
            # Where the sdist a decision builds is downloaded from, checked against the lock's own digest.
            return replace(dist, url=url, digest=_digest(entry))
        return dist
    raise entry.error("|".join(keys), "a file entry needs one of these keys")


#: The digests a download is checked against (those hashlib always has).
_DIGESTS = ("sha256", "sha384", "sha512")


def _digest(entry: Fields) -> tuple[str, str] | None:
    """A file's digest: uv.lock and pdm `hash = "sha256:HEX"`, pylock `hashes = {sha256 = "HEX"}`."""
    text = entry.text("hash")
    if text is not None and ":" in text:
        algorithm, _, value = text.partition(":")
        algorithm = algorithm.strip().lower()
        return (algorithm, value.strip().lower()) if algorithm in _DIGESTS else None
    hashes = entry.get("hashes", dict)
    for name in _DIGESTS:
        found = hashes.get(name) if hashes else None
        if isinstance(found, str):
            return name, found.strip().lower()
    return None


def _kind(value: object) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean", int: "an integer",
            float: "a float"}.get(type(value), type(value).__name__)


def lock_metadata(top: Fields, key: str, majors: tuple[int, ...], name: str, reads: str) -> tuple[Fields, str]:
    """A pdm.lock's or poetry.lock's `[metadata]` table and its lock version, whose major version must be one
    `reads` names (`majors`): else one error naming the file's line and field."""
    meta = top.sub("metadata")
    if meta is None:
        raise top.error("metadata", f"missing (a {name} has a [metadata] table)")
    version = meta.text(key, required=True) or ""
    major = version.split(".")[0]
    if not major.isdigit() or int(major) not in majors:
        raise meta.error(key, f"unknown lock version {version!r} ({reads})")
    return meta, version
