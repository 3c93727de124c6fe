"""Index pages as installers read them: PEP 691 JSON and PEP 503 HTML project pages, and their file entries."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import SourceError, loads_json
from .filename import DistFile, parse_filename


def yank_value(value: Any, where: str) -> tuple[bool, str | None]:
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
        files.append(entry_file(entry, where, origin=origin))
    return name, files


def entry_file(entry: dict[str, Any], where: str, *, origin: str) -> DistFile:
    """One PEP 691 file entry (also a `tagsim stream` JSON line): `filename`, `requires-python`, `yanked`."""
    filename = entry.get("filename")
    if not isinstance(filename, str) or not filename:
        raise SourceError("missing 'filename'", where=where)
    requires_python = entry.get("requires-python")
    if requires_python is not None and not isinstance(requires_python, str):
        raise SourceError("'requires-python' must be a string or null", where=where)
    yanked, reason = yank_value(entry.get("yanked"), where)
    upload = entry.get("upload-time")
    return parse_filename(filename, requires_python=requires_python or None, yanked=yanked, yanked_reason=reason,
                          upload_time=upload if isinstance(upload, str) else None, origin=origin)


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
