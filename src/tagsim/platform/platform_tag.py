"""Platform tags parsed into typed values, so a why-not falls out of the structure.

`manylinux_2_28_aarch64` is not a string to match: it is manylinux, glibc 2.28, aarch64.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: PEP 600's aliases: each legacy manylinux name is the same glibc floor.
LEGACY_ALIASES: dict[tuple[int, int], str] = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}
LEGACY_GLIBC: dict[str, tuple[int, int]] = {name: glibc for glibc, name in LEGACY_ALIASES.items()}


@dataclass(frozen=True)
class PlatformTag:
    """One platform tag. `family` is one of: any, manylinux, musllinux, linux, macos, windows,
    ios, android, pyemscripten, pyodide, emscripten, freebsd, other."""

    text: str
    family: str
    arch: str | None = None
    version: tuple[int, int] | None = None  # glibc, musl, macOS, iOS version; Android API as (api, 0)
    legacy_name: str | None = None  # manylinux1/2010/2014
    variant: str | None = None  # iOS sdk, emscripten release string

    def os_name(self) -> str:
        return {"manylinux": "linux", "musllinux": "linux", "linux": "linux", "macos": "macos",
                "windows": "windows", "ios": "ios", "android": "android", "pyemscripten": "emscripten",
                "pyodide": "emscripten", "emscripten": "emscripten", "freebsd": "freebsd"}.get(self.family, "other")

    def describe(self) -> str:
        """E.g. `manylinux (glibc 2.28) aarch64`."""
        v = f"{self.version[0]}.{self.version[1]}" if self.version else ""
        if self.family == "manylinux":
            return f"manylinux (glibc {v}) {self.arch}"
        if self.family == "musllinux":
            return f"musllinux (musl {v}) {self.arch}"
        if self.family == "macos":
            return f"macOS {v} {self.arch}"
        if self.family == "windows":
            return f"Windows {self.arch}"
        return self.text


_LONG_NUMBER = re.compile(r"\d{10}")
_WIN = {"win32": "x86", "win_amd64": "amd64", "win_arm64": "arm64", "win_ia64": "ia64"}
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("manylinux", re.compile(r"manylinux_(\d+)_(\d+)_(\w+)")),
    ("legacy", re.compile(r"(manylinux1|manylinux2010|manylinux2014)_(\w+)")),
    ("musllinux", re.compile(r"musllinux_(\d+)_(\d+)_(\w+)")),
    ("macos", re.compile(r"macosx_(\d+)_(\d+)_(\w+)")),
    ("ios", re.compile(r"ios_(\d+)_(\d+)_(\w+?)_(iphoneos|iphonesimulator)")),
    ("android", re.compile(r"android_(\d+)_(\w+)")),
    ("pyemscripten", re.compile(r"(pyemscripten|pyodide)_(\d+)_(\d+)_(wasm32)")),
    ("emscripten", re.compile(r"emscripten_(\d+_\d+_\d+)_(wasm32)")),
    ("freebsd", re.compile(r"freebsd_(\w+?)_(amd64|arm64|i386|aarch64|x86_64)")),
    ("linux", re.compile(r"linux_(\w+)")),
)


@lru_cache(maxsize=8192)
def parse_platform_tag(text: str) -> PlatformTag:
    if _LONG_NUMBER.search(text):
        return PlatformTag(text, "other")  # no real platform has a 10-digit version (and int() caps digits)
    if text == "any":
        return PlatformTag(text, "any")
    if text in _WIN:
        return PlatformTag(text, "windows", arch=_WIN[text])
    for family, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groups()
        if family == "manylinux":
            return PlatformTag(text, "manylinux", arch=g[2], version=(int(g[0]), int(g[1])))
        if family == "legacy":
            return PlatformTag(text, "manylinux", arch=g[1], version=LEGACY_GLIBC[g[0]], legacy_name=g[0])
        if family in ("musllinux", "macos"):
            return PlatformTag(text, family, arch=g[2], version=(int(g[0]), int(g[1])))
        if family == "ios":
            return PlatformTag(text, "ios", arch=g[2], version=(int(g[0]), int(g[1])), variant=g[3])
        if family == "android":
            return PlatformTag(text, "android", arch=g[1], version=(int(g[0]), 0))
        if family == "pyemscripten":
            return PlatformTag(text, g[0], arch=g[3], version=(int(g[1]), int(g[2])))
        if family == "emscripten":
            return PlatformTag(text, "emscripten", arch=g[1], variant=g[0])
        if family == "freebsd":
            return PlatformTag(text, "freebsd", arch=g[1], variant=g[0])
        return PlatformTag(text, "linux", arch=g[0])
    return PlatformTag(text, "other")
