"""PEP 508 marker environments: what `sys.platform`, `platform.machine()`... say on a profile's machine.

Lock files select packages with markers (`sys_platform == "darwin"`), so a profile needs the values a
real interpreter on that machine reports, not the host's. Values are those of CPython's own
functions on each OS (`sys.platform`, `platform.system()`, `platform.machine()`, `os.name`), as
packaging `markers.default_environment` reads them. Where uv's `--python-platform` emulation says
otherwise (`crates/uv-configuration/src/target_triple.rs` `TargetTriple::markers`, uv 0.13), the
difference is in `UV_DIFFERS` and docs/locks.md. `platform_release` and `platform_version` are
kernel build strings no profile knows: they are empty, as uv leaves them for every native target.
"""

from __future__ import annotations

from collections.abc import Mapping

from .interpreter import IMPLEMENTATIONS, Interpreter
from .profile import Profile

#: The marker variables tagsim sets (every PEP 508 one, so nothing falls back to the host's values).
MARKER_NAMES = ("os_name", "sys_platform", "platform_system", "platform_machine", "platform_release",
                "platform_version", "implementation_name", "implementation_version",
                "platform_python_implementation", "python_version", "python_full_version")

#: `sys.platform`: CPython `configure` (`MACHDEP`); iOS and Android since 3.13 (PEP 730, PEP 738);
#: FreeBSD is `freebsd` + the major release (`freebsd14`).
_SYS_PLATFORM = {"linux": "linux", "macos": "darwin", "windows": "win32", "ios": "ios", "android": "android",
                 "emscripten": "emscripten"}
#: `platform.system()`: `uname().sysname`; iOS `"iOS"` (3.13 `platform.ios_ver`), Android `"Android"` (3.13).
_SYSTEM = {"linux": "Linux", "macos": "Darwin", "windows": "Windows", "ios": "iOS", "android": "Android",
           "emscripten": "Emscripten", "freebsd": "FreeBSD"}
#: `platform.machine()` on Windows is `PROCESSOR_ARCHITECTURE`: AMD64, x86, ARM64 (upper case).
_WINDOWS_MACHINE = {"amd64": "AMD64", "x86": "x86", "arm64": "ARM64"}
#: Android's `uname -m` is the kernel's: aarch64, armv7l, x86_64, i686 (PEP 738).
_ANDROID_MACHINE = {"arm64_v8a": "aarch64", "armeabi_v7a": "armv7l", "x86_64": "x86_64", "x86": "i686"}
#: `platform.python_implementation()` and `sys.implementation.name`.
_PYTHON_IMPLEMENTATION = {"cp": "CPython", "pp": "PyPy", "graalpy": "GraalVM"}
_IMPLEMENTATION_NAME = {tag: name for name, tag in IMPLEMENTATIONS.items()}
#: `sys.implementation.version` of the PyPy and GraalPy releases `Interpreter.abi` assumes.
_IMPL_VERSION = {"pp": "7.3.0", "graalpy": "24.2.0"}

#: Where uv's `--python-platform` markers (uv 0.13 `TargetTriple::platform_machine`) differ from a real
#: interpreter on that machine: profile os/arch -> (variable, uv's value).
UV_DIFFERS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("windows", "amd64"): ("platform_machine", "x86_64"),
}


def _machine(profile: Profile) -> str:
    """`platform.machine()` (the kernel's `uname -m`, not the interpreter's bitness)."""
    if profile.os == "windows":
        return _WINDOWS_MACHINE[profile.arch]
    if profile.os == "android":
        return _ANDROID_MACHINE[profile.arch]
    if profile.os == "linux" and profile.arch == "aarch64" and profile.python_bits == 32:
        return "armv8l"  # a 32-bit userland on an arm64 kernel runs with the linux32 personality
    if profile.os == "macos" and profile.rosetta:
        return "x86_64"  # an x86_64 interpreter under Rosetta 2 sees an Intel machine
    return profile.arch  # linux uname -m, macOS arm64/x86_64, iOS arm64, wasm32, FreeBSD amd64/arm64/i386


def _sys_platform(profile: Profile) -> str:
    if profile.os == "freebsd":
        major = (profile.release or "14").split(".")[0].split("-")[0]
        return f"freebsd{major}"
    return _SYS_PLATFORM[profile.os]


def marker_environment(profile: Profile, interp: Interpreter) -> dict[str, str]:
    """Every PEP 508 variable for `interp` on `profile`; python_full_version is X.Y.0 without a patch level."""
    python_impl, impl_name = _PYTHON_IMPLEMENTATION[interp.implementation], _IMPLEMENTATION_NAME[interp.implementation]
    return {
        "os_name": "nt" if profile.os == "windows" else "posix",
        "sys_platform": _sys_platform(profile),
        "platform_system": _SYSTEM[profile.os],
        "platform_machine": _machine(profile),
        "platform_release": "",
        "platform_version": "",
        "implementation_name": impl_name,
        "implementation_version": _IMPL_VERSION.get(interp.implementation, interp.full_version),
        "platform_python_implementation": python_impl,
        "python_version": f"{interp.major}.{interp.minor}",
        "python_full_version": interp.full_version,
    }
