"""Downloading the one sdist a decision would build, to read what its build needs.

The URL and digest come from the index page (`pages`); the body is fetched by `remote.fetch_body`
(one deadline per attempt, retries, caps) and cached with the pages (`cache`), checked against
the page's digest every time it is read, and scanned in memory (`archive_scan.scan_bytes`): never
written out as an archive, never extracted. `--offline` reads only the cache.

A download that fails leaves the needs unknown, with the reason; a digest that does not match is
an error naming the file, as pip's "THESE PACKAGES DO NOT MATCH THE HASHES" is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import FetchError
from . import cache
from .archive_scan import Unreadable, scan_bytes
from .build_needs import UNKNOWN, BuildNeeds, needs_from_scan
from .filename import DistFile
from .remote import FetchOptions, Progress, fetch_body
from .sdist_contents import is_read_member

#: An sdist larger than this is not downloaded (the largest on PyPI are a few hundred MiB of vendored code).
MAX_SDIST_BYTES = 100 * 1024 * 1024
ACCEPT = "application/octet-stream, */*; q=0.1"


@dataclass(frozen=True)
class Fetched:
    """The needs read from a downloaded sdist, or unknown with why; `warning` is worth one stderr line."""

    needs: BuildNeeds
    from_cache: bool = False
    warning: str | None = None


def _unknown(dist: DistFile, why: str) -> Fetched:
    note = f"{UNKNOWN} ({dist.filename} not read: {why})"
    return Fetched(BuildNeeds(None, (), "unknown", note=note), warning=f"{dist.filename}: {why}")


def _check_digest(dist: DistFile, data: bytes) -> None:
    if dist.digest is None:
        return
    name, expected = dist.digest
    got = hashlib.new(name, data).hexdigest()
    if got != expected:
        raise FetchError(f"{name} of the download is {got}, the index says {expected}: the file does not match "
                         "its hash (not used)", where=dist.filename)


def fetch_sdist_needs(dist: DistFile, opts: FetchOptions, *, max_bytes: int = MAX_SDIST_BYTES,
                      progress: Progress | None = None) -> Fetched:
    """The build needs of `dist` read from its download (or the cached copy); `FetchError` on a digest mismatch."""
    if dist.url is None:
        return _unknown(dist, "the index page gives no http(s) URL for it")
    root = opts.cache_root()
    data: bytes | None = None
    from_cache = False
    if root is not None:
        try:
            entry = cache.read(root, dist.url, max_bytes)
        except cache.CorruptEntry as exc:
            if opts.offline:
                return _unknown(dist, f"corrupt cache entry ({exc}): {cache.entry_path(root, dist.url)}; "
                                      "refetch without --offline")
            entry = None
        if entry is not None:
            data, from_cache = entry.body, True
    if data is None:
        if opts.offline:
            return _unknown(dist, "not in the cache (--offline); run once without --offline to fetch it")
        try:
            data = fetch_body(dist.url, opts, accept=ACCEPT, max_bytes=max_bytes, what="sdist", progress=progress).data
        except FetchError as exc:
            return _unknown(dist, exc.message if exc.where == dist.url else str(exc))
    _check_digest(dist, data)
    if root is not None and not from_cache:
        cache.write(root, dist.url, "application/octet-stream", data)
    try:
        found = scan_bytes(data, dist.filename, is_read_member, "sdist")
    except Unreadable as exc:
        return _unknown(dist, str(exc))
    return Fetched(needs_from_scan(found), from_cache)
