"""A real HTTP index server on 127.0.0.1 for tests: fixed routes, slow and failing responses."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/vnd.pypi.simple.v1+json"
    status: int = 200
    delay: float = 0.0  # seconds before the response
    location: str | None = None  # for 3xx
    content_length: int | None = None  # a lie, to test size caps
    fail_times: int = 0  # answer 500 this many times first
    headers: dict[str, str] = field(default_factory=dict)  # extra headers (Content-Encoding...)
    hits: int = 0


@dataclass
class IndexServer:
    routes: dict[str, Route] = field(default_factory=dict)
    port: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Accept header)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(server: IndexServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            server.requests.append((self.path, self.headers.get("Accept", "")))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            route.hits += 1
            if route.delay:
                time.sleep(route.delay)
            if route.hits <= route.fail_times:
                self.send_error(500, "Internal Server Error")
                return
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            length = route.content_length if route.content_length is not None else len(route.body)
            self.send_header("Content-Length", str(length))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

    return Handler


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[IndexServer]:
    state = IndexServer(routes)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
