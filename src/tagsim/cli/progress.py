"""A one-line progress counter on stderr, only for a terminal and only once a job passes a second."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, *, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and total > 1
        self.total, self.label, self.delay = total, label, delay
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int) -> None:
        if not self.enabled or time.monotonic() - self.start < self.delay:
            return
        width = 30
        filled = width * done // self.total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (len(self.label) + 50) + "\r")
            self.stream.flush()


class DownloadBar:
    """Bytes of one download on stderr, in a terminal only, once it has taken a second."""

    def __init__(self, name: str, *, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.name, self.delay = name, delay
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled or time.monotonic() - self.start < self.delay:
            return
        width = 30
        filled = width * done // total if total else 0
        amount = f"{done / 2**20:.1f}" + (f"/{total / 2**20:.1f}" if total else "") + " MiB"
        self.stream.write(f"\rdownloading {self.name[:40]} [{'#' * filled}{'.' * (width - filled)}] {amount}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


class Ticker:
    """A running count on stderr for a job of unknown size (`stream`), in a terminal only, once it has
    taken a second, redrawn at most five times a second."""

    def __init__(self, label: str, *, stream: TextIO | None = None, delay: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label, self.delay, self.clock = label, delay, clock
        self.start = self.last = clock()
        self.shown = False

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay or now - self.last < 0.2:
            return
        self.last = now
        self.stream.write(f"\r{self.label}: {done:,} decisions ({done / (now - self.start):,.0f}/s)")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
