"""Index pages as installers read them: PEP 691 JSON and PEP 503 HTML project pages, and their file entries."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

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


#: Digests tagsim checks a download against, strongest first (pip `Link._hashes` reads these and md5/sha1/sha224).
DIGESTS = ("sha512", "sha384", "sha256")


def file_url(href: object, base_url: str | None) -> str | None:
    """pip's `_absolute_link_url` / `urljoin(base_url, href)`: an http(s) URL, or None when there is none
    (a saved page's relative link has nothing to resolve against)."""
    if not isinstance(href, str) or not href:
        return None
    try:
        url = urljoin(base_url, href) if base_url else href
        scheme = urlsplit(url).scheme
    except ValueError:  # "http://[::1": pip's urljoin raises too, and skips nothing; tagsim just won't fetch it
        return None
    return url.split("#", 1)[0] if scheme in ("http", "https") else None


def _fragment_digest(href: str) -> tuple[str, str] | None:
    """pip `Link._parse_hash`: `#sha256=<hex>` at the end of an href."""
    _, _, fragment = href.partition("#")
    name, _, value = fragment.partition("=")
    if name in DIGESTS and value and all(c in "0123456789abcdefABCDEF" for c in value):
        return name, value.lower()
    return None


def _json_digest(hashes: object) -> tuple[str, str] | None:
    if not isinstance(hashes, dict):
        return None
    for name in DIGESTS:
        value = hashes.get(name)
        if isinstance(value, str) and value and all(c in "0123456789abcdefABCDEF" for c in value):
            return name, value.lower()
    return None


def parse_pep691(text: str, *, origin: str, base_url: str | None = None) -> tuple[str | None, list[DistFile]]:
    """A PEP 691 JSON project page: `{"name": ..., "files": [{"filename", "url", "hashes", "requires-python",
    "yanked"}]}`; each `url` is resolved against `base_url` (the page's own URL), as pip `Link.from_json` does."""
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
        dist = entry_file(entry, where, origin=origin)
        if not dist.is_wheel:  # only an sdist that will be built is ever fetched
            url = file_url(entry.get("url"), base_url)
            if url is not None:
                dist = replace(dist, url=url, digest=_json_digest(entry.get("hashes")))
        files.append(dist)
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


def link_filename(href: str) -> str:
    """pip's `Link.filename`: the last segment of the unquoted path with trailing slashes removed,
    unquoted again; the host when the path has none (`models/link.py`)."""
    parts = urlsplit(href)
    name = posixpath.basename(unquote(parts.path).rstrip("/"))
    return unquote(name) if name else parts.netloc.rpartition("@")[2]


def parse_pep503(text: str, *, origin: str, base_url: str | None = None) -> list[DistFile]:
    """A PEP 503 HTML project page, read as pip reads it (`_LinkParser`, `link_filename`).

    A link without `href` (or with an empty one) is skipped, as `Link.from_element` does. A valueless
    `data-yanked` is not a yank: pip reads `anchor.get("data-yanked")`, which is None for it
    (`Link.is_yanked` is `yanked_reason is not None`); `data-yanked=""` is. An sdist's href is
    resolved against the page's `<base href>` or else `base_url` (pip `parse_links`: `urljoin`).
    """
    from .html_links import MAX_ATTRIBUTES, MAX_TAG_CHARS, read_links  # html.parser: only for an HTML page

    parser = read_links(text)
    files: list[DistFile] = []
    for attrs in parser.anchors:
        href = attrs.get("href")
        if not href:
            continue
        filename = link_filename(href)
        reason = attrs.get("data-yanked")
        dist = parse_filename(filename, requires_python=attrs.get("data-requires-python") or None,
                              yanked=reason is not None, yanked_reason=reason or None, origin=origin)
        if not dist.is_wheel:
            url = file_url(href, parser.base_url or base_url)
            if url is not None:
                dist = replace(dist, url=url, digest=_fragment_digest(href))
        files.append(dist)
    if parser.oversized:
        raise SourceError(f"{parser.oversized} tag(s) over {MAX_ATTRIBUTES} attributes or {MAX_TAG_CHARS} "
                          "characters; not an index page tagsim reads", where=origin)
    return files
