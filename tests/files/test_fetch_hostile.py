"""Issue 14: hostile servers and a hostile cache. Each test failed before its fix (the finding is named)."""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index_server import Route, serve
from tagsim.errors import FetchError
from tagsim.files import cache
from tagsim.files.remote import MAX_BYTES, FetchOptions
from tagsim.files.sources import load_sources, load_url

PAGE = json.dumps({"name": "demo", "files": [{"filename": "demo-1.0-py3-none-any.whl"}]}).encode()
PATH = "/simple/demo/"


def opts(tmp_path: Path, *, timeout: float = 2.0, retries: int = 0, offline: bool = False) -> FetchOptions:
    return FetchOptions(cache_dir=tmp_path / "cache", timeout=timeout, retries=retries, backoff=0.0, offline=offline)


class DripServer:
    """Sends `reply` one byte every `pause` seconds: each recv is well inside the socket timeout."""

    def __init__(self, reply: bytes, pause: float) -> None:
        self.reply, self.pause = reply, pause
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for byte in self.reply:
                    conn.sendall(bytes([byte]))
                    time.sleep(self.pause)
            except OSError:
                pass


@pytest.fixture
def drip() -> Iterator[Callable[[bytes, float], DripServer]]:
    servers: list[DripServer] = []

    def make(reply: bytes, pause: float) -> DripServer:
        servers.append(DripServer(reply, pause))
        return servers[-1]

    yield make
    for server in servers:
        server.sock.close()


@pytest.mark.parametrize("stage", ["status line", "headers", "body"])
def test_a_drip_at_any_stage_ends_at_the_deadline(tmp_path: Path, drip: Callable[[bytes, float], DripServer], stage: str) -> None:
    """Finding 1: one byte every 0.05 s before the end of the headers ran for ever with --timeout 2."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 200 + b"\r\n"
    reply = {"status line": b"HTTP/1.1 " + b"2" * 400, "headers": head,
             "body": head + b"Content-Length: 400\r\n\r\n" + b" " * 400}[stage]
    server = drip(reply, 0.02)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5s \(after 2 attempts\)"):
        load_url(f"http://127.0.0.1:{server.port}{PATH}", opts(tmp_path, timeout=0.5, retries=1))
    assert time.monotonic() - started < 2 * 0.5 + 1.0
    assert server.connections == 2


def test_a_short_body_is_refused_and_not_cached(tmp_path: Path) -> None:
    """Finding 11: a body shorter than its Content-Length was taken as whole and cached."""
    with serve({PATH: Route(PAGE, content_length=len(PAGE) + 50)}) as srv:
        with pytest.raises(FetchError, match=rf"short body: {len(PAGE)} of {len(PAGE) + 50} bytes"):
            load_url(srv.url(PATH), opts(tmp_path))
        with pytest.raises(FetchError, match="not in the cache"):
            load_url(srv.url(PATH), opts(tmp_path, offline=True))


def test_a_redirect_to_ftp_is_not_followed(tmp_path: Path) -> None:
    """Smaller finding: urllib follows ftp:// redirects; pip (requests) has no ftp adapter."""
    with serve({PATH: Route(status=302, location="ftp://127.0.0.1:9/demo/")}) as srv, \
            pytest.raises(FetchError, match=r"redirect to 'ftp://127\.0\.0\.1:9/demo/' not followed \(HTTP 302\)"):
        load_url(srv.url(PATH), opts(tmp_path))


def test_an_error_after_a_redirect_names_the_target(tmp_path: Path) -> None:
    """Smaller finding: an error after a redirect named the URL asked, not the one that failed."""
    with serve({PATH: Route(status=301, location="/simple/moved/")}) as srv, pytest.raises(FetchError) as caught:
        load_url(srv.url(PATH), opts(tmp_path))
    assert caught.value.where == srv.url("/simple/moved/")
    assert "HTTP 404" in str(caught.value) and f"(redirected from {srv.url(PATH)})" in str(caught.value)


def test_gzip_pages_are_decoded_and_capped(tmp_path: Path) -> None:
    """Smaller finding: Content-Encoding gzip gave "page is not valid utf-8 text"; pip's urllib3 decodes it."""
    with serve({PATH: Route(gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})}) as srv:
        assert [f.filename for f in load_url(srv.url(PATH), opts(tmp_path))] == ["demo-1.0-py3-none-any.whl"]
    bomb = gzip.compress(b" " * (MAX_BYTES + 1), compresslevel=9)
    assert len(bomb) < 200_000
    with serve({PATH: Route(bomb, headers={"Content-Encoding": "gzip"})}) as srv, \
            pytest.raises(FetchError, match="over the 67108864-byte limit once decompressed"):
        load_url(srv.url(PATH), opts(tmp_path))
    with serve({PATH: Route(PAGE, headers={"Content-Encoding": "br"})}) as srv, \
            pytest.raises(FetchError, match="compressed as 'br', which tagsim does not decode"):
        load_url(srv.url(PATH), opts(tmp_path))
    with serve({PATH: Route(gzip.compress(PAGE)[:-12], headers={"Content-Encoding": "gzip"})}) as srv, \
            pytest.raises(FetchError, match="cut short inside its gzip stream"):
        load_url(srv.url(PATH), opts(tmp_path))


def test_an_html_page_without_links_is_named(tmp_path: Path) -> None:
    """Smaller finding: a 200 login page said only "no usable distribution file in the sources"."""
    login = b"<html><body><form action='/login'><input name='user'></form></body></html>"
    with serve({PATH: Route(login, "text/html")}) as srv:
        loaded = load_sources([srv.url(PATH)], opts(tmp_path))
    assert loaded.files == []
    assert loaded.warnings == [f"{srv.url(PATH)}: the page is HTML with no links to files (a login or error page?)"]


def test_an_empty_home_caches_nothing_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Smaller finding: HOME= put the cache in /.cache."""
    for name in ("TAGSIM_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "")
    assert cache.default_root() == (None, "HOME is empty and TAGSIM_CACHE_DIR is not set: pages are not cached")
    with serve({PATH: Route(PAGE)}) as srv:
        loaded = load_sources([srv.url(PATH)], FetchOptions(timeout=2.0, retries=0))
        assert len(loaded.files) == 1
        assert loaded.warnings == ["cache: HOME is empty and TAGSIM_CACHE_DIR is not set: pages are not cached"]
        with pytest.raises(FetchError, match="not in the cache \\(--offline\\); HOME is empty"):
            load_url(srv.url(PATH), FetchOptions(offline=True))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # relative: ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.default_root() == (tmp_path / ".cache" / "tagsim" / "http", None)


URL = "http://127.0.0.1:9/simple/demo/"


def _good_entry(tmp_path: Path) -> Path:
    cache.write(tmp_path / "cache", URL, "application/json", PAGE)
    return cache.entry_path(tmp_path / "cache", URL)


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda p: p.write_bytes(b"[" * 3000 + b"\n"), "header is not JSON"),  # RecursionError before
    (lambda p: p.write_bytes(p.read_bytes()[:-5]), f"truncated: {len(PAGE) - 5} of {len(PAGE)} bytes"),
    (lambda p: p.write_bytes(p.read_bytes()[:-1] + b"X"), "checksum mismatch"),
    (lambda p: p.write_bytes(b"no header at all"), "no header line"),
    (lambda p: p.write_bytes(b'{"url": 1}\n'), "header field 'url' is missing or not a str"),
    (lambda p: (p.unlink(), os.truncate(p.open("wb").name, 1024**3)), "over the"),  # sparse 1 GiB: MemoryError before
    (lambda p: (p.unlink(), os.mkfifo(p)), "not a regular file"),  # hung for ever before
])
def test_a_damaged_cache_entry_is_a_one_line_error(tmp_path: Path, damage: Callable[[Path], object], reason: str) -> None:
    """Finding 7: the cache is untrusted input; a truncated entry was also reported as "not in the cache"."""
    path = _good_entry(tmp_path)
    damage(path)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        load_url(URL, opts(tmp_path, offline=True))
    assert reason in str(caught.value) and "corrupt cache entry" in str(caught.value)
    assert "refetch without --offline" in str(caught.value) and time.monotonic() - started < 1
    # Online, a failing fetch looks at the cache for its hint: a damaged entry gives none, and no crash.
    with pytest.raises(FetchError, match=r"cannot connect") as online:
        load_url(URL, opts(tmp_path, timeout=0.5))
    assert "cached copy" not in str(online.value)


def test_a_good_entry_is_read_back_and_old_format_entries_are_ignored(tmp_path: Path) -> None:
    _good_entry(tmp_path)
    assert [f.filename for f in load_url(URL, opts(tmp_path, offline=True))] == ["demo-1.0-py3-none-any.whl"]
    old = cache.entry_path(tmp_path / "cache", URL).with_suffix(".json")
    assert not old.exists()  # the pre-issue-14 JSON entries live under another name and are never read
