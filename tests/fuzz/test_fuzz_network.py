"""Fuzz campaign: live index pages through the local test server (tests/index_server.py) and a raw TCP server.

Rule: a URL reads as files or fails with tagsim's own error (one line naming the URL); never another
exception, and never longer than the timeout and retries allow. Covered: connection refused, slow
responses past the timeout (before the headers, and a body that trickles), redirect loops and bad
redirects, 4xx/5xx, wrong content types and charsets, truncated and lying Content-Length (2 GB),
garbled status lines and headers.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_support import count, fuzz, result_or_tagsim_error
from index_server import IndexServer, Route, serve
from tagsim.errors import FetchError, TagsimError
from tagsim.files import cache
from tagsim.files.remote import MAX_BYTES, FetchOptions
from tagsim.files.sources import load_url

PATH = "/simple/demo/"
PAGE = json.dumps({"name": "demo", "files": [{"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "demo-1.0.tar.gz"}]})
BODIES = [PAGE.encode(), PAGE.encode()[:40], json.dumps({"name": "other", "files": []}).encode(),
          b'<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a><a href="x">', b"\xff\xfe\x00garbage", b"", b"null",
          ('{"files": [{"filename": "d\u00e9mo-1.0.tar.gz"}]}').encode("latin-1"), b"{" * 5000]
TYPES = ["application/vnd.pypi.simple.v1+json", "application/json", "text/html", "application/vnd.pypi.simple.v1+html",
         "text/plain", "application/json; charset=latin-1", "text/html; charset=nonsense", "", "application/octet-stream"]
TIMEOUT = 0.25


@pytest.fixture(scope="module")
def server() -> Iterator[IndexServer]:
    with serve({}) as srv:
        yield srv


@st.composite
def routes(draw: st.DrawFn) -> dict[str, Route]:
    status = draw(st.sampled_from([200] * 6 + [301, 302, 307, 308, 204, 404, 410, 429, 500, 503, 199, 600]))
    location = None
    if 300 <= status < 400:
        location = draw(st.sampled_from([PATH, "/simple/ok/", "file:///etc/passwd", "http://[::1", "ftp://127.0.0.1:9/x",
                                         "", "http://127.0.0.1:9/simple/demo/", "//", "/simple/nothing/"]))
    body = draw(st.one_of(st.sampled_from(BODIES), st.binary(max_size=100)))
    length = draw(st.sampled_from([None] * 5 + [0, 1, 2 * 1024**3, 10**30, 64 * 1024 * 1024 + 1]))
    route = Route(body, draw(st.sampled_from(TYPES)), status=status, location=location,
                  content_length=length if length is None or length < 10**20 else None,
                  delay=draw(st.sampled_from([0.0] * 12 + [TIMEOUT * 1.6])), fail_times=draw(st.sampled_from([0] * 4 + [1, 5])))
    return {PATH: route, "/simple/ok/": Route(PAGE.encode())}


def _fetch(url: str, tmp: Path, retries: int = 1) -> tuple[object, TagsimError | None, float]:
    opts = FetchOptions(cache_dir=tmp / "cache", timeout=TIMEOUT, retries=retries, backoff=0.0)
    started = time.monotonic()
    result, error = result_or_tagsim_error(lambda: load_url(url, opts))
    return result, error, time.monotonic() - started


@fuzz(ci=60, large=2_000)
@given(route_map=routes())
@example(route_map={PATH: Route(status=302, location="http://[::1")})  # ValueError from urllib before the fix
@example(route_map={PATH: Route(status=302, location=PATH)})
@example(route_map={PATH: Route(b"{}", content_length=2 * 1024**3)})
@example(route_map={PATH: Route(PAGE.encode(), delay=TIMEOUT * 2)})
def test_http_responses(server: IndexServer, tmp_path_factory: pytest.TempPathFactory, route_map: dict[str, Route]) -> None:
    count("network")
    server.routes.clear()
    server.routes.update(route_map)
    result, error, elapsed = _fetch(server.url(PATH), tmp_path_factory.mktemp("net"))
    if error is not None:
        assert isinstance(error, TagsimError) and server.url("") in str(error)
    else:
        assert isinstance(result, list)
    assert elapsed < 2 * (TIMEOUT * 2 + 0.5) + 1  # two attempts, each bounded by the timeout


class RawServer:
    """Answers each connection with the bytes of `reply` (sent in `pieces` with `pause` between), then closes."""

    def __init__(self) -> None:
        self.reply = b""
        self.pieces = 1
        self.pause = 0.0
        self.drip_from: int | None = None  # from this byte on, one byte per `pause`
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(2)
                conn.recv(65536)
                if self.drip_from is not None:
                    conn.sendall(self.reply[:self.drip_from])
                    for byte in self.reply[self.drip_from:]:
                        conn.sendall(bytes([byte]))
                        time.sleep(self.pause)
                    return
                step = max(1, len(self.reply) // self.pieces)
                for i in range(0, len(self.reply), step):
                    conn.sendall(self.reply[i:i + step])
                    if self.pause:
                        time.sleep(self.pause)
            except OSError:
                pass


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.stop = True
    srv.sock.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
REPLIES = [b"", b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
           HEAD + b"Content-Length: 2147483648\r\n\r\n{}", HEAD + b"Content-Length: 100\r\n\r\n{\"files\": [",
           HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", HEAD + b"Content-Length: -1\r\n\r\n{}",
           HEAD + b"Content-Length: abc\r\n\r\n{}", b"HTTP/1.1 999 WHAT\r\n\r\n", b"HTTP/9.9 200 OK\r\n\r\n{}",
           HEAD + b"\r\n" + PAGE.encode(), b"HTTP/1.0 200 OK\r\n" + b"X-A: b\r\n" * 200 + b"\r\n{}",
           b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n", b"\x00" * 100]


@fuzz(ci=40, large=2_000)
@given(reply=st.one_of(st.sampled_from(REPLIES), st.binary(max_size=200),
                 st.binary(max_size=200).map(lambda b: HEAD + b"\r\n" + b), st.binary(max_size=60).map(lambda b: b"HTTP/1.1 " + b)))
@example(reply=b"garbage\r\n\r\n")  # http.client.BadStatusLine escaped urllib (not an OSError) before the fix
@example(reply=b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70_000 + b"\r\n\r\n")  # LineTooLong, likewise
def test_raw_responses(raw: RawServer, tmp_path_factory: pytest.TempPathFactory, reply: bytes) -> None:
    count("network")
    raw.reply, raw.pieces, raw.pause, raw.drip_from = reply, 1, 0.0, None
    result, error, elapsed = _fetch(f"http://127.0.0.1:{raw.port}{PATH}", tmp_path_factory.mktemp("raw"), retries=0)
    assert error is not None or isinstance(result, list)
    assert elapsed < TIMEOUT * 2 + 5  # no hang; the slack is for a loaded machine (2.8 s seen at load 5, niced)


def test_trickling_body_times_out(raw: RawServer, tmp_path: Path) -> None:
    """A body sent a few bytes at a time, each within the socket timeout, still ends at the overall deadline."""
    raw.reply, raw.pieces, raw.pause, raw.drip_from = HEAD + b"Content-Length: 20000\r\n\r\n" + b" " * 20000, 400, TIMEOUT / 4, None
    _, error, elapsed = _fetch(f"http://127.0.0.1:{raw.port}{PATH}", tmp_path, retries=0)
    count("network")
    assert isinstance(error, FetchError) and "timed out" in str(error) and elapsed < TIMEOUT * 4 + 1


def test_connection_refused_and_bad_redirects(tmp_path: Path) -> None:
    """Crash pins: a redirect to "http://[::1" raised ValueError; a garbled status line raised BadStatusLine."""
    with serve({}) as srv:
        url = srv.url(PATH)
    _, error, _ = _fetch(url, tmp_path)
    assert isinstance(error, FetchError) and "cannot connect" in str(error)
    with serve({PATH: Route(status=302, location="http://[::1")}) as srv:
        _, error, _ = _fetch(srv.url(PATH), tmp_path)
    assert isinstance(error, FetchError) and "unusable URL" in str(error)
    with serve({PATH: Route(status=302, location="file:///etc/passwd")}) as srv:
        _, error, _ = _fetch(srv.url(PATH), tmp_path)
    assert isinstance(error, FetchError) and "redirect not followed" in str(error)
    count("network", 3)


DRIP_REPLY = HEAD + b"X-Pad: " + b"p" * 120 + b"\r\nContent-Length: " + str(len(PAGE) + 60).encode() + b"\r\n\r\n" + PAGE.encode() + b" " * 60


@fuzz(ci=12, large=300)
@given(reply=st.sampled_from([DRIP_REPLY, HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"1\r\n \r\n" * 200 + b"0\r\n\r\n",
                              b"HTTP/1.1 " + b"2" * 300]), cut=st.floats(0.0, 0.95))
@example(reply=DRIP_REPLY, cut=0.0)  # before the status line: hung for ever before finding 1 (issue 14)
@example(reply=DRIP_REPLY, cut=0.05)  # inside the headers, likewise
@example(reply=DRIP_REPLY, cut=0.9375)  # the large run's model error: 25 bytes at 0.01 s came in within the timeout
def test_drip_at_every_stage(raw: RawServer, tmp_path_factory: pytest.TempPathFactory, reply: bytes, cut: float) -> None:
    """Issue 14 class 1: a server that sends one byte at a time from any point (status line, headers, body)
    is cut off at the attempt's deadline; each recv alone is well within the socket timeout."""
    count("network")
    start = min(int(len(reply) * cut), len(reply) - 40)  # at least 40 bytes dripped, the last one past 3 timeouts
    raw.reply, raw.pause, raw.drip_from = reply, 3 * TIMEOUT / 39, start
    _, error, elapsed = _fetch(f"http://127.0.0.1:{raw.port}{PATH}", tmp_path_factory.mktemp("drip"), retries=0)
    assert isinstance(error, FetchError) and "timed out" in str(error), error
    assert elapsed < TIMEOUT + 1.0


ENCODED = [("gzip", gzip.compress(PAGE.encode())), ("deflate", zlib.compress(PAGE.encode())),
           ("x-gzip", gzip.compress(PAGE.encode())), ("gzip", gzip.compress(PAGE.encode())[:-9]), ("gzip", PAGE.encode()),
           ("br", PAGE.encode()), ("gzip", gzip.compress(b" " * (MAX_BYTES + 1))), ("deflate", b"\x78\x9c garbage")]


@fuzz(ci=12, large=400)
@given(encoded=st.sampled_from(ENCODED), declared=st.sampled_from([None, 0, 1, 10**6]))
def test_encoded_and_short_bodies(server: IndexServer, tmp_path_factory: pytest.TempPathFactory,
                                  encoded: tuple[str, bytes], declared: int | None) -> None:
    """Issue 14 classes 11 and gzip: a body is whole and decoded (capped), or refused; a refused body is never cached."""
    count("network")
    encoding, body = encoded
    length = None if declared is None else len(body) + declared
    server.routes.clear()
    server.routes[PATH] = Route(body, headers={"Content-Encoding": encoding}, content_length=length)
    tmp = tmp_path_factory.mktemp("enc")
    result, error, _ = _fetch(server.url(PATH), tmp, retries=0)
    if error is None:
        assert [f.filename for f in result] == ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]
        assert not declared
    else:
        assert isinstance(error, TagsimError) and server.url(PATH) in str(error)
        assert not list((tmp / "cache").glob("*")), "a refused body was cached"


@fuzz(ci=40, large=3_000)
@given(entry=st.one_of(st.binary(max_size=300), st.sampled_from([b"[" * 5000 + b"\n", b"{}\n", b"\n", b'{"url": "u"}\n'])),
       valid_head=st.booleans())
def test_cache_entries(tmp_path_factory: pytest.TempPathFactory, entry: bytes, valid_head: bool) -> None:
    """Issue 14 class 7: whatever lies at a cache entry's path is a page or a one-line "corrupt cache entry"."""
    count("network")
    root = tmp_path_factory.mktemp("cache")
    url = "http://127.0.0.1:9/simple/demo/"
    if valid_head:
        cache.write(root, url, "application/json", PAGE.encode())
        good = cache.entry_path(root, url).read_bytes()
        entry = good[:len(entry) % (len(good) + 1)] + entry
    cache.entry_path(root, url).write_bytes(entry)
    opts = FetchOptions(cache_dir=root, offline=True)
    result, error = result_or_tagsim_error(lambda: load_url(url, opts))
    if error is not None:
        assert isinstance(error, FetchError) and "corrupt cache entry" in str(error) and "\n" not in str(error)
    else:
        assert [f.filename for f in result] == ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]


def _sdist_bytes() -> bytes:
    import io as _io
    import tarfile

    buffer = _io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("demo-1.0/pyproject.toml", b"[build-system]\nrequires = ['maturin>=1,<2']\n"
                                                       b"build-backend = 'maturin'\n"),
                           ("demo-1.0/Cargo.toml", b"[package]\nname = 'demo'\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, _io.BytesIO(data))
    return buffer.getvalue()


SDIST = _sdist_bytes()
DAMAGES = ["ok", "wrong-digest", "truncated", "garbage", "short-body", "huge-length", "slow", "404", "500", "gzip-bomb-body"]


@fuzz(ci=20, large=600)
@given(damage=st.sampled_from(DAMAGES), offline_after=st.booleans(), page_digest=st.sampled_from(["sdist", "served"]))
@example(damage="wrong-digest", offline_after=False, page_digest="sdist")
def test_sdist_downloads(server: IndexServer, tmp_path_factory: pytest.TempPathFactory, damage: str,
                         offline_after: bool, page_digest: str) -> None:
    """Issue 16's bad input through the network: the sdist a decision builds is downloaded damaged in every
    way. The needs are read, or unknown with a one-line reason; a digest that does not match is one
    error naming the file; a damaged download is never cached; nothing takes longer than the timeout."""
    import hashlib

    from tagsim.files.filename import parse_filename
    from tagsim.report.build_chain import BuildResolver

    count("network")
    body = {"truncated": SDIST[: len(SDIST) // 2], "garbage": b"\x1f\x8b" + b"\x00" * 200,
            "gzip-bomb-body": gzip.compress(b"\0" * (8 * 2**20))}.get(damage, SDIST)
    route = Route(body, "application/octet-stream", status={"404": 404, "500": 500}.get(damage, 200),
                  content_length={"short-body": len(body) + 10, "huge-length": 200 * 2**20}.get(damage),
                  delay=TIMEOUT * 2 if damage == "slow" else 0.0)
    server.routes.clear()
    server.routes["/files/demo-1.0.tar.gz"] = route
    # The page's digest: of the real sdist (a damaged body then fails the check, as pip's hash check does), or of
    # what is served (the damage then reaches the archive reader).
    digest = hashlib.sha256(b"another file" if damage == "wrong-digest" else body if page_digest == "served"
                            else SDIST).hexdigest()
    dist = parse_filename("demo-1.0.tar.gz", url=server.url("/files/demo-1.0.tar.gz"), digest=("sha256", digest))
    cache_dir = tmp_path_factory.mktemp("sdist")
    resolver = BuildResolver(fetch=FetchOptions(cache_dir=cache_dir, timeout=TIMEOUT, retries=0, backoff=0.0))
    started = time.monotonic()
    result, error = result_or_tagsim_error(lambda: resolver.needs_of(dist))
    assert time.monotonic() - started < TIMEOUT * 2 + 5
    received = damage in ("truncated", "garbage", "gzip-bomb-body")  # whole bodies, not SDIST
    if damage == "ok":
        assert error is None and result.backend == "maturin" and "Rust toolchain (cargo)" in result.needs
    elif damage == "wrong-digest" or (received and page_digest == "sdist"):
        assert isinstance(error, FetchError) and "demo-1.0.tar.gz" in str(error) and "does not match" in str(error)
        assert "\n" not in str(error) and not list(cache_dir.rglob("*.v2"))
    else:
        assert error is None and result.backend is None and result.note, (damage, result)
        assert all("\n" not in w for w in resolver.warnings)
        if not received:  # a failed transfer is said once, and never cached (a file that matches its digest may be)
            assert resolver.warnings and not list(cache_dir.rglob("*.v2")), "a failed download was cached"
    if offline_after and damage == "ok":  # the cached copy serves --offline, checked against the digest again
        again = BuildResolver(fetch=FetchOptions(cache_dir=cache_dir, offline=True))
        assert again.needs_of(dist).backend == "maturin"


def _project(name: str, requires: list[str], wheels: tuple[str, ...] = ()) -> dict[str, Route]:
    from sdist_support import tar_gz

    filename = f"{name}-1.0.tar.gz"
    pyproject = f'[build-system]\nrequires = {json.dumps(requires)}\nbuild-backend = "setuptools.build_meta"\n'
    sdist = tar_gz({f"{name}-1.0/pyproject.toml": pyproject, f"{name}-1.0/src/{name}.c": ""})
    files = [{"filename": filename, "url": f"/files/{filename}"}, *({"filename": w} for w in wheels)]
    return {f"/simple/{name}/": Route(json.dumps({"name": name, "files": files}).encode()),
            f"/files/{filename}": Route(sdist, content_type="application/octet-stream")}


@fuzz(ci=15, large=300)
@given(broken=st.sampled_from(["tool-a", "tool-b", "setuptools"]),
       how=st.sampled_from(["slow", "404", "500", "garbage", "other-project", "slow-sdist", "short-sdist"]),
       cycle=st.booleans())
def test_an_index_failing_partway_through_a_chain(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path_factory: pytest.TempPathFactory, broken: str, how: str,
                                                  cycle: bool) -> None:
    """Issue 16's chain through a failing index: any page or sdist of the build chain times out, fails,
    lies or belongs to another project; the answer still comes, the broken branch says why it stopped,
    and the run ends within its timeouts."""
    from tagsim.cli import main

    count("network")
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path_factory.mktemp("chain-cache")))  # nothing written elsewhere
    routes = {**_project("app", ["tool-a", "tool-b"]), **_project("tool-a", ["app"] if cycle else ["tool-b"]),
              **_project("tool-b", []), **_project("setuptools", [], ("setuptools-80.0-py3-none-any.whl",))}
    page, sdist = f"/simple/{broken}/", f"/files/{broken}-1.0.tar.gz"
    if how == "slow":
        routes[page] = Route(routes[page].body, delay=TIMEOUT * 3)
    elif how in ("404", "500"):
        routes[page] = Route(b"", status=int(how))
    elif how == "garbage":
        routes[page] = Route(b"\x00{not json")
    elif how == "other-project":
        routes[page] = Route(json.dumps({"name": "other", "files": []}).encode())
    elif how == "slow-sdist":
        routes[sdist] = Route(routes[sdist].body, "application/octet-stream", delay=TIMEOUT * 3)
    else:
        routes[sdist] = Route(routes[sdist].body, "application/octet-stream", content_length=len(routes[sdist].body) + 9)
    with serve(routes) as srv:
        started = time.monotonic()
        code = main(["explain", "linux-x86_64-glibc2.17", srv.url("/simple/app/"), "--installer", "pip",
                     "--timeout", str(TIMEOUT)])
        elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err and "internal error" not in err, err
    assert "builds app-1.0.tar.gz from source" in out and out.rstrip().splitlines()[-1].startswith("needs: ")
    assert all(line.startswith("tagsim: warning: ") for line in err.splitlines())
    assert elapsed < 4 * 3 * (TIMEOUT * 2 + 0.5) + 5  # a few pages, each within its attempts
