"""Headless Chromium driven through the DevTools protocol over a pipe, with the standard library only.

`--remote-debugging-pipe` makes Chromium read protocol messages from fd 3 and write its answers to
fd 4, each a JSON text ended by a NUL byte: no websocket, no port, no extra dependency. The browser
runs offline (every host name resolves to nothing) with a throwaway profile, and every network
request it starts is recorded, so a test can require that a report fetches nothing.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> tuple[str | None, str]:
    """The browser executable, or None and the reason (for a loud skip)."""
    given = os.environ.get("TAGSIM_CHROMIUM")
    if given:
        return (given, "") if os.access(given, os.X_OK) else (None, f"TAGSIM_CHROMIUM={given} is not executable")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found, ""
    return None, ("no Chromium found (tried " + ", ".join(CANDIDATES) + "); install it with "
                  "`apt-get install -y chromium` (.ci/run does) or set TAGSIM_CHROMIUM")


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium, one page. Use as a context manager."""

    def __init__(self, executable: str, *, width: int = 1400, height: int = 1000, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="tagsim-chromium-")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # Out of the way of 3 and 4, so the child's dup2 cannot overwrite one with the other.
        high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child_fds() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=child_fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(high_r)
        os.close(high_w)
        self.write = os.fdopen(to_chrome_w, "wb", buffering=0)
        self.read_fd = from_chrome_r
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.requests: list[str] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                         "mobile": False}, session=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.write.close()
        os.close(self.read_fd)
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    # --- the protocol -----------------------------------------------------------------------

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise BrowserError("no answer from Chromium in time")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe (exit code {self.proc.poll()})")
            self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        if "method" in message:
            self.events.append(message)
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.write.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for event in self.events:
            if event["method"] == method:
                self.events.remove(event)
                return event
        while True:
            message = self._message(deadline)
            if message.get("method") == method:
                self.events.remove(message)
                return message

    # --- what a test does ---------------------------------------------------------------------

    def open(self, path: Path) -> float:
        """Load a file and wait for its load event; the seconds it took."""
        self.events.clear()
        start = time.monotonic()
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self.wait_event("Page.loadEventFired")
        return time.monotonic() - start

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = True, max_height: int = 6000) -> None:
        """A PNG of the page (the whole page, up to `max_height` pixels, when `full_page`)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "scale": 1,
                                                             "width": min(size["width"], 4000),
                                                             "height": min(size["height"], max_height)})
        data = self.call("Page.captureScreenshot", params, session=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def press_tab(self, times: int = 1) -> None:
        for _ in range(times):
            for kind in ("keyDown", "keyUp"):
                self.call("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab",
                                                     "windowsVirtualKeyCode": 9}, session=True)


def big_grid_page(rows: int, columns: int) -> str:
    """An HTML heatmap of `rows` x `columns` real decisions (the uv 0.1.40 check, repeated), for scale runs."""
    from tagsim.choice.registry import default_installers
    from tagsim.choice.requirement import parse_spec
    from tagsim.files.sources import load_sources
    from tagsim.platform.interpreter import parse_python
    from tagsim.platform.profile_file import bundled_profiles
    from tagsim.render.html_grid import grid_table
    from tagsim.render.html_page import page
    from tagsim.report.check import build_rows, run_check
    from tagsim.report.grid import OS_NAMES, ColumnGroup, Grid, GridCell, GridRow

    root = Path(__file__).resolve().parent.parent
    files = load_sources([str(root / "data" / "demo" / "pypi-simple-uv.json")]).files
    profiles = list(bundled_profiles().values())
    result = run_check(files, build_rows(profiles, [parse_python("cp312")]), default_installers(),
                       req=parse_spec("uv==0.1.40"))
    decisions = [c.decision for c in result.cells]
    groups = list(OS_NAMES.values())
    grid_rows = []
    for r in range(rows):
        cells = tuple(GridCell(decisions[(r * columns + c) % len(decisions)]) for c in range(columns))
        grid_rows.append(GridRow(f"package-{r:04d}", groups[r * len(groups) // rows], f"row {r}", cells))
    grid = Grid("scale", "package", (ColumnGroup("target", tuple(f"t{c}" for c in range(columns))),), tuple(grid_rows))
    return page("scale", [grid_table(grid, caption=f"{rows} x {columns}")])
