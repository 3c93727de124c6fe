"""Platform profiles: the facts about a machine that change which wheel tags fit.

A profile replaces the *detection* half of packaging's `tags.py` (glibc from
`os.confstr`, musl from the ELF interpreter, `platform.mac_ver()`, the ELF
hard-float check...). Generators take a profile instead of asking the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The platform id that names this machine (`platform.here` detects it).
HERE = "here"

OSES = ("linux", "macos", "windows", "ios", "android", "emscripten", "freebsd")

#: CPU architectures as `sysconfig.get_platform()` spells them on each OS.
ARCHES: Mapping[str, frozenset[str]] = {
    "linux": frozenset(
        {"x86_64", "i686", "aarch64", "armv7l", "armv6l", "ppc64le", "ppc64", "s390x",
         "riscv64", "loongarch64"}
    ),
    "macos": frozenset({"x86_64", "arm64"}),
    "windows": frozenset({"amd64", "x86", "arm64"}),
    "ios": frozenset({"arm64", "x86_64"}),
    "android": frozenset({"arm64_v8a", "armeabi_v7a", "x86_64", "x86"}),
    "emscripten": frozenset({"wasm32"}),
    "freebsd": frozenset({"amd64", "arm64", "i386"}),
}

@dataclass(frozen=True)
class Profile:
    """One machine. Only facts that change tags; everything else is description."""

    id: str
    os: str
    arch: str
    description: str = ""
    libc: str | None = None  # "glibc" or "musl" on Linux
    libc_version: tuple[int, int] | None = None
    os_version: tuple[int, int] | None = None  # macOS / iOS
    release: str | None = None  # FreeBSD `uname -r`, e.g. 14.0-RELEASE
    python_bits: int = 64  # 32 = 32-bit userland (interpreter) on a 64-bit kernel
    float_abi: str = "hard"  # armv7l: "soft" (armel) fails packaging's ELF hard-float check
    api_level: int | None = None  # Android
    sdk: str | None = None  # iOS: iphoneos / iphonesimulator
    emscripten_version: str | None = None
    pyemscripten_version: str | None = None
    rosetta: bool = False

    @property
    def glibc(self) -> tuple[int, int] | None:
        return self.libc_version if self.libc == "glibc" else None

    @property
    def musl(self) -> tuple[int, int] | None:
        return self.libc_version if self.libc == "musl" else None

    def sysconfig_platform(self) -> str:
        """What `sysconfig.get_platform()` returns on this machine (the kernel's view)."""
        if self.os == "linux":
            return f"linux-{self.arch}"
        if self.os == "windows":
            return {"amd64": "win-amd64", "x86": "win32", "arm64": "win-arm64"}[self.arch]
        if self.os == "ios":
            assert self.os_version is not None
            return f"ios-{self.os_version[0]}.{self.os_version[1]}-{self.arch}-{self.sdk}"
        if self.os == "android":
            return f"android-{self.api_level}-{self.arch}"
        if self.os == "emscripten":
            return f"emscripten-{self.emscripten_version}-wasm32"
        if self.os == "freebsd":
            return f"freebsd-{self.release}-{self.arch}"
        assert self.os_version is not None
        return f"macosx-{self.os_version[0]}.{self.os_version[1]}-{self.arch}"

    def summary(self) -> str:
        """A short fact line, e.g. `linux aarch64, glibc 2.17`."""
        parts = [f"{self.os} {self.arch}"]
        if self.libc and self.libc_version:
            parts.append(f"{self.libc} {self.libc_version[0]}.{self.libc_version[1]}")
        if self.os_version and self.os in ("macos", "ios"):
            parts.append(f"{self.os} {self.os_version[0]}.{self.os_version[1]}")
        if self.release:
            parts.append(self.release)
        if self.api_level:
            parts.append(f"API {self.api_level}")
        if self.python_bits == 32:
            parts.append("32-bit userland")
        if self.float_abi == "soft":
            parts.append("soft-float")
        if self.rosetta:
            parts.append("x86_64 Python under Rosetta 2")
        return ", ".join(parts)

