"""tagsim's on-disk cache of fetched bodies (`~/.cache/tagsim/http`), read as untrusted input.

An entry is one JSON header line (`url`, `content_type`, `fetched`, `length`, `sha256`) and then the
body's bytes. Whatever is found at an entry's path may be hostile or damaged (a FIFO, 1 GiB, deeply
nested JSON, a truncated write), so a read opens regular files only without blocking, caps the
size before reading, parses only a short header, and checks the body's length and digest: anything
else is `CorruptEntry` with its reason, never an exception of the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

#: The header line is small and flat; anything longer is not tagsim's.
MAX_HEADER = 4096
#: Entries of the pre-issue-14 format (one JSON object) are simply not found: the suffix differs.
SUFFIX = ".v2"


class CorruptEntry(Exception):
    """An entry exists but cannot be trusted; the message says why."""


@dataclass(frozen=True)
class Entry:
    url: str
    content_type: str
    body: bytes


def default_root() -> tuple[Path | None, str | None]:
    """The cache folder, or None and why: `$TAGSIM_CACHE_DIR`, `$XDG_CACHE_HOME/tagsim`, `~/.cache/tagsim`.

    An empty or relative `HOME` (or `XDG_CACHE_HOME`, which the XDG spec says to ignore when
    relative) would put the cache in `/.cache` or the working folder; tagsim then caches nothing.
    """
    env = os.environ.get("TAGSIM_CACHE_DIR")
    if env:
        return Path(env) / "http", None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "tagsim" / "http", None
    home = os.environ.get("HOME")
    if home is None:
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError):  # no HOME and no passwd entry
            home = ""
    if not os.path.isabs(home):
        why = "HOME is empty" if not home else f"HOME is not an absolute path ({home!r})"
        return None, f"{why} and TAGSIM_CACHE_DIR is not set: pages are not cached"
    return Path(home) / ".cache" / "tagsim" / "http", None


def entry_path(root: Path, url: str) -> Path:
    return root / (hashlib.sha256(url.encode()).hexdigest()[:40] + SUFFIX)


def read(root: Path, url: str, max_body: int) -> Entry | None:
    """The entry for `url`, None when there is none; `CorruptEntry` when there is one that cannot be trusted."""
    path = entry_path(root, url)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once instead of waiting for a writer
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorruptEntry(f"cannot open: {exc.strerror or exc.__class__.__name__}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CorruptEntry("not a regular file")
        if info.st_size > max_body + MAX_HEADER:
            raise CorruptEntry(f"{info.st_size} bytes, over the {max_body + MAX_HEADER}-byte limit")
        data = handle.read(max_body + MAX_HEADER + 1)
    head, newline, body = data.partition(b"\n")
    if not newline or len(head) > MAX_HEADER:
        raise CorruptEntry("no header line")
    header = _header(head)
    if len(body) != header["length"]:
        raise CorruptEntry(f"truncated: {len(body)} of {header['length']} bytes")
    if hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise CorruptEntry("checksum mismatch")
    if header["url"] != url:
        raise CorruptEntry("entry of another URL")
    return Entry(str(header["url"]), str(header["content_type"]), body)


def _header(head: bytes) -> dict[str, object]:
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):  # RecursionError: 4 KiB of "[" still nests too deep for json
        raise CorruptEntry("header is not JSON") from None
    if not isinstance(header, dict):
        raise CorruptEntry("header is not a JSON object")
    types = {"url": str, "content_type": str, "length": int, "sha256": str}
    for key, kind in types.items():
        if not isinstance(header.get(key), kind) or isinstance(header.get(key), bool):
            raise CorruptEntry(f"header field {key!r} is missing or not a {kind.__name__}")
    return header


def write(root: Path, url: str, content_type: str, body: bytes) -> None:
    """Atomically (temporary file, then rename); a cache that cannot be written only costs a refetch."""
    path = entry_path(root, url)
    header = json.dumps({"url": url, "content_type": content_type, "fetched": time.time(), "length": len(body),
                         "sha256": hashlib.sha256(body).hexdigest()})
    if len(header) > MAX_HEADER:  # a URL of several KiB: not worth caching
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(header.encode() + b"\n" + body)
        tmp.replace(path)
    except OSError:
        pass
