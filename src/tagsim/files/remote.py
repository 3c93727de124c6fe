"""Fetching live index pages (`https://.../simple/NAME/`) as pip and uv do, with an on-disk cache.

Fetching only: what a page says is read by `tagsim.files.pages`; the cache is `tagsim.files.cache`.

Content negotiation follows PEP 691: JSON preferred, PEP 503 HTML accepted (the Accept header pip
sends since 22.2, `pip/_internal/index/collector.py` `_get_simple_response`). Every attempt has one
deadline covering connect, TLS, status line, headers and body (`_Watchdog`); connection errors,
5xx/429 and short bodies are retried a bounded number of times; bodies are capped; any failure is one line.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from packaging.utils import canonicalize_name

from ..errors import FetchError, clipped
from . import cache
from .fetch_options import FetchOptions as FetchOptions  # re-exported: its home before issue 17

ACCEPT = ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
          "text/html; q=0.01")
USER_AGENT = "tagsim (+https://github.com/tagsim/tagsim)"
MAX_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
#: urllib's own limit (`HTTPRedirectHandler.max_redirections`); pip (requests) allows 30.
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Page:
    url: str
    content_type: str
    text: str
    from_cache: bool = False
    notes: tuple[str, ...] = ()  # warnings worth one line each (no cache, ...)


def project_url(index_url: str, project: str) -> str:
    """`--index-url URL --project NAME` -> `URL/NAME/` with the PEP 503 normalized name."""
    return f"{index_url.rstrip('/')}/{canonicalize_name(project)}/"


def expected_project(url: str) -> str | None:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return canonicalize_name(parts[-1]) if parts else None


def _cached(root: Path | None, url: str) -> Page | None:
    """The cached page of `url`, None if none; a corrupt entry is an error that says to refetch."""
    if root is None:
        return None
    try:
        entry = cache.read(root, url, MAX_BYTES)
    except cache.CorruptEntry as exc:
        raise FetchError(f"corrupt cache entry ({exc}): {cache.entry_path(root, url)}; refetch without --offline",
                         where=url) from None
    if entry is None:
        return None
    try:
        text = entry.body.decode("utf-8")
    except UnicodeDecodeError:
        raise FetchError(f"corrupt cache entry (not UTF-8): {cache.entry_path(root, url)}; refetch without --offline",
                         where=url) from None
    return Page(url, entry.content_type, text, from_cache=True)


def fetch_page(url: str, opts: FetchOptions) -> Page:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// index URLs are fetched; pass a saved page as a file", where=url)
    root, why_not = (opts.cache_dir, None) if opts.cache_dir is not None else cache.default_root()
    notes = (why_not,) if why_not else ()
    if opts.offline:
        cached = _cached(root, url)
        if cached is None:
            raise FetchError(f"not in the cache (--offline); {why_not}" if why_not else
                             "not in the cache (--offline); run once without --offline to fill it", where=url)
        return cached
    body = fetch_body(url, opts, accept=ACCEPT, max_bytes=MAX_BYTES, what="page")
    try:
        text = body.data.decode(body.charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        raise FetchError(f"page is not valid {body.charset or 'utf-8'} text", where=body.url) from None
    if root is not None:
        cache.write(root, url, body.content_type, text.encode("utf-8"))
    return Page(url, body.content_type, text, notes=notes)


@dataclass(frozen=True)
class Body:
    """One response body as received: the URL it came from after redirects, its type and bytes."""

    url: str
    content_type: str
    charset: str | None
    data: bytes


#: Told the bytes received so far and the `Content-Length` (None when not sent), after each chunk.
Progress = Callable[[int, "int | None"], None]


def fetch_body(url: str, opts: FetchOptions, *, accept: str, max_bytes: int, what: str,
               progress: Progress | None = None) -> Body:
    """GET with retries; every failure is one `FetchError` naming the URL that failed (the redirect target)."""
    last = "no attempt"
    for attempt in range(opts.retries + 1):
        if attempt:
            time.sleep(opts.backoff * 2 ** (attempt - 1))
        try:
            return _attempt(url, opts, accept, max_bytes, what, progress)
        except _Retryable as exc:
            last = str(exc)
    hint = ""
    root = opts.cache_root()
    if root is not None:
        with suppress(cache.CorruptEntry):  # a corrupt copy is no help
            hint = "; a cached copy exists, use --offline" if cache.read(root, url, MAX_BYTES) is not None else ""
    raise FetchError(f"{last} (after {opts.retries + 1} attempts){hint}", where=url)


class _Retryable(Exception):
    pass


class _Watchdog:
    """Ends an attempt at its deadline, whatever stage it is in.

    urllib's `timeout` bounds each socket operation, not the request: a server that sends one byte
    a second before the end of its headers kept an attempt alive for ever. At the deadline the
    sockets of the attempt are shut down (by descriptor: TLS wraps the same descriptor), so the
    blocked read returns, and the attempt reports a timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._fds: list[int] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.deadline - time.monotonic())

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._fds.append(sock.fileno())
            if self.expired:
                _shutdown(sock.fileno())
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for fd in self._fds:
                _shutdown(fd)

    def stop(self) -> None:
        """Before the sockets close, so that a descriptor number reused later is never shut down."""
        with self._lock:
            self._timer.cancel()
            self._fds.clear()


def _shutdown(fd: int) -> None:
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()  # the connection still owns the descriptor


def _connection_factory(dog: _Watchdog) -> Callable[[tuple[str, int], float | None, tuple[str, int] | None], socket.socket]:
    """http.client's `_create_connection` hook: the socket is watched from its first byte (TLS included)."""
    def create(address: tuple[str, int], timeout: float | None = None,
               source_address: tuple[str, int] | None = None) -> socket.socket:
        return dog.watch(socket.create_connection(address, min(dog.remaining(), timeout or dog.remaining()),
                                                  source_address))
    return create


class _WatchedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, dog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = _connection_factory(dog)  # http.client's hook; not in the stubs


class _WatchedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, dog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = _connection_factory(dog)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, dog: _Watchdog) -> None:
        super().__init__()
        self.dog = dog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_WatchedHTTP, dog=self.dog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, dog: _Watchdog) -> None:
        super().__init__()
        self.dog = dog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_WatchedHTTPS, dog=self.dog), req)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows http(s) redirects only, and remembers the URL now asked, so that errors name it.

    urllib also follows `ftp://`; pip (requests) has no adapter for it and fails.
    """

    max_redirections = MAX_REDIRECTS

    def __init__(self, url: str) -> None:
        super().__init__()
        self.current = url

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: http.client.HTTPMessage, newurl: str) -> urllib.request.Request | None:
        scheme = urlsplit(newurl).scheme
        if scheme not in ("http", "https"):
            fp.close()
            raise _Failed(f"redirect to {clipped(newurl)} not followed (HTTP {code}): only http and https are")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            self.current = new.full_url
        return new


class _Failed(Exception):
    """A failure that retrying will not mend; `_attempt` names the URL."""


def _attempt(url: str, opts: FetchOptions, accept: str, max_bytes: int, what: str, progress: Progress | None) -> Body:
    dog = _Watchdog(opts.timeout)
    redirects = _Redirects(url)
    opener = urllib.request.build_opener(_HTTPHandler(dog), _HTTPSHandler(dog), redirects)
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})
    try:
        body = _open_and_read(opener, request, opts.timeout, max_bytes, what, redirects, dog, progress)
    except (_Failed, _Retryable) as exc:
        if dog.expired:
            raise _Retryable(f"timed out after {opts.timeout:g}s") from None
        if isinstance(exc, _Retryable):
            raise
        where = redirects.current
        raise FetchError(str(exc) + (f" (redirected from {url})" if where != url else ""), where=where) from None
    finally:
        dog.stop()
    if dog.expired:  # the shutdown ended the body early
        raise _Retryable(f"timed out after {opts.timeout:g}s")
    return body


def _open_and_read(opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float,
                   max_bytes: int, what: str, redirects: _Redirects, dog: _Watchdog, progress: Progress | None) -> Body:
    try:
        with opener.open(request, timeout=timeout) as response:
            try:
                return _read(response, redirects.current, max_bytes, what, dog, progress)
            finally:
                dog.stop()  # before the socket closes
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            loop = "infinite loop" in str(exc.msg)
            why = "too many redirects" if loop else f"redirect not followed ({str(exc.msg).splitlines()[0] if exc.msg else 'no Location'})"
            raise _Failed(f"{why} (HTTP {exc.code})") from None
        if exc.code >= 500 or exc.code == 429:
            raise _Retryable(f"HTTP {exc.code} {exc.reason}") from None
        raise _Failed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _Retryable(f"timed out after {timeout:g}s") from None
        raise _Retryable(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise _Retryable(f"timed out after {timeout:g}s") from None
    except (ConnectionError, OSError) as exc:
        raise _Retryable(f"connection failed: {exc.__class__.__name__}") from None
    except http.client.HTTPException as exc:  # a garbled status line or header (not an OSError, so not a URLError)
        raise _Retryable(f"malformed HTTP response ({exc.__class__.__name__})") from None
    except ValueError as exc:  # a redirect to an unparsable URL ("http://[::1")
        raise _Failed(f"unusable URL in the response ({exc})") from None


def _read(response: http.client.HTTPResponse, url: str, max_bytes: int, what: str, dog: _Watchdog,
          progress: Progress | None = None) -> Body:
    headers = response.headers
    length = (headers.get("Content-Length") or "").strip()
    declared = int(length) if length.isdigit() else None
    if declared is not None and declared > max_bytes:
        raise _Failed(f"{what} is {declared} bytes (Content-Length), over the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > dog.deadline:
            raise _Retryable("timed out while reading")
        chunk = response.read1(_CHUNK)  # what has arrived: read() waits for 64 KiB, past the deadline
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise _Failed(f"{what} is over the {max_bytes}-byte limit")
        chunks.append(chunk)
        if progress is not None:
            progress(size, declared)
    chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower()
    if declared is not None and not chunked and size < declared:
        # urllib3 2 (pip) enforces the length and fails; a short body is never taken, nor cached.
        raise _Retryable(f"short body: {size} of {declared} bytes (Content-Length)")
    data = _decoded(b"".join(chunks), (headers.get("Content-Encoding") or "identity").strip().lower(), max_bytes, what)
    return Body(url, headers.get_content_type(), headers.get_content_charset(), data)


#: zlib window bits per Content-Encoding that pip's requests/urllib3 decode (`urllib3.response` decoders).
_WBITS = {"gzip": [zlib.MAX_WBITS | 16], "x-gzip": [zlib.MAX_WBITS | 16], "deflate": [zlib.MAX_WBITS, -zlib.MAX_WBITS]}


def _decoded(raw: bytes, encoding: str, max_bytes: int, what: str) -> bytes:
    """The body with its Content-Encoding undone, capped like the body itself (a small gzip can be huge)."""
    if encoding in ("identity", ""):
        return raw
    if encoding not in _WBITS:
        raise _Failed(f"{what} is compressed as {clipped(encoding)}, which tagsim does not decode (gzip and deflate only)")
    error = ""
    for wbits in _WBITS[encoding]:  # deflate: zlib-wrapped, else raw, as urllib3 tries
        decoder = zlib.decompressobj(wbits)
        try:
            data = decoder.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            error = str(exc)
            continue
        if len(data) > max_bytes:
            raise _Failed(f"{what} is over the {max_bytes}-byte limit once decompressed ({encoding})")
        if not decoder.eof:
            raise _Failed(f"{what} is cut short inside its {encoding} stream")
        return data
    raise _Failed(f"{what} says Content-Encoding {encoding} but does not decode ({error})")
