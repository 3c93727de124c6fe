"""Fetching live index pages (`https://.../simple/NAME/`) as pip and uv do, with an on-disk cache.

Fetching only: what a page says is read by `tagsim.files.pages`.

Content negotiation follows PEP 691: JSON preferred, PEP 503 HTML accepted (the Accept header pip
sends since 22.2, `pip/_internal/index/collector.py` `_get_simple_response`). Every request has a
timeout, a bounded retry on connection errors and 5xx/429, and a size cap; any failure is one line.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from packaging.utils import canonicalize_name

from ..errors import FetchError

ACCEPT = ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
          "text/html; q=0.01")
USER_AGENT = "tagsim (+https://github.com/tagsim/tagsim)"
MAX_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0
    retries: int = 2
    offline: bool = False
    cache_dir: Path | None = None
    backoff: float = 0.5

    def cache_root(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        env = os.environ.get("TAGSIM_CACHE_DIR")
        base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tagsim"
        return base / "http"


@dataclass(frozen=True)
class Page:
    url: str
    content_type: str
    text: str
    from_cache: bool = False


def project_url(index_url: str, project: str) -> str:
    """`--index-url URL --project NAME` -> `URL/NAME/` with the PEP 503 normalized name."""
    return f"{index_url.rstrip('/')}/{canonicalize_name(project)}/"


def expected_project(url: str) -> str | None:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return canonicalize_name(parts[-1]) if parts else None


def _cache_path(opts: FetchOptions, url: str) -> Path:
    return opts.cache_root() / (hashlib.sha256(url.encode()).hexdigest()[:40] + ".json")


def _read_cache(opts: FetchOptions, url: str) -> Page | None:
    path = _cache_path(opts, url)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Page(url, str(record["content_type"]), str(record["text"]), from_cache=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(opts: FetchOptions, page: Page) -> None:
    path = _cache_path(opts, page.url)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"url": page.url, "content_type": page.content_type, "text": page.text,
                                   "fetched": time.time()}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs a refetch next time


def fetch_page(url: str, opts: FetchOptions) -> Page:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// index URLs are fetched; pass a saved page as a file", where=url)
    if opts.offline:
        cached = _read_cache(opts, url)
        if cached is None:
            raise FetchError("not in the cache (--offline); run once without --offline to fill it", where=url)
        return cached
    last = "no attempt"
    for attempt in range(opts.retries + 1):
        if attempt:
            time.sleep(opts.backoff * 2 ** (attempt - 1))
        try:
            page = _fetch_once(url, opts)
        except _Retryable as exc:
            last = str(exc)
            continue
        _write_cache(opts, page)
        return page
    hint = "; a cached copy exists, use --offline" if _read_cache(opts, url) is not None else ""
    raise FetchError(f"{last} (after {opts.retries + 1} attempts){hint}", where=url)


class _Retryable(Exception):
    pass


def _fetch_once(url: str, opts: FetchOptions) -> Page:
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": USER_AGENT})
    deadline = time.monotonic() + opts.timeout
    try:
        with urllib.request.urlopen(request, timeout=opts.timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise FetchError(f"page is {int(length)} bytes (Content-Length), over the {MAX_BYTES}-byte limit",
                                 where=url)
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise _Retryable(f"timed out after {opts.timeout:g}s while reading")
                chunk = response.read1(_CHUNK)  # what has arrived: read() waits for 64 KiB, past the deadline
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"page is over the {MAX_BYTES}-byte limit", where=url)
                chunks.append(chunk)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            loop = "infinite loop" in str(exc.msg)
            why = "too many redirects" if loop else f"redirect not followed ({str(exc.msg).splitlines()[0] if exc.msg else 'no Location'})"
            raise FetchError(f"{why} (HTTP {exc.code})", where=url) from None
        if exc.code >= 500 or exc.code == 429:
            raise _Retryable(f"HTTP {exc.code} {exc.reason}") from None
        raise FetchError(f"HTTP {exc.code} {exc.reason}", where=url) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _Retryable(f"timed out after {opts.timeout:g}s") from None
        raise _Retryable(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise _Retryable(f"timed out after {opts.timeout:g}s") from None
    except (ConnectionError, OSError) as exc:
        raise _Retryable(f"connection failed: {exc.__class__.__name__}") from None
    except http.client.HTTPException as exc:  # a garbled status line or header (not an OSError, so not a URLError)
        raise _Retryable(f"malformed HTTP response ({exc.__class__.__name__})") from None
    except ValueError as exc:  # a redirect to an unparsable URL ("http://[::1")
        raise FetchError(f"unusable URL in the response ({exc})", where=url) from None
    try:
        text = b"".join(chunks).decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise FetchError(f"page is not valid {charset} text", where=url) from None
    return Page(url, content_type, text)
