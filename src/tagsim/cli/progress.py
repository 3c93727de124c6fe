"""A one-line progress counter on stderr, only for a terminal and only once a job passes a second."""

from __future__ import annotations

import sys
import time
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
