"""What an sdist's own members say its build needs: native sources, build files, `setup.py` text.

Facts about the file, with where each came from ("Cargo.toml at the root", "Extension( in setup.py").
Reads only the one bounded pass of `archive_scan` (member names and a few small members); nothing
is run. A `setup.py` is code, so what it computes is said to be unknown, never guessed pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

RUST = "Rust toolchain (cargo)"
C = "C compiler"
CXX = "C/C++ compiler"
CMAKE = "CMake"
MESON = "Meson"
NINJA = "Ninja"
CYTHON = "Cython"
FORTRAN = "Fortran compiler"
GO = "Go toolchain"

#: The top-level members read whole (besides pyproject.toml): small, and they say how the build runs.
READ_AT_TOP = ("setup.py", "Cargo.toml", "CMakeLists.txt")

#: Source suffix -> the needs it brings (the compiler that turns it into an extension module).
SOURCE_NEEDS: dict[str, tuple[str, ...]] = {
    ".c": (C,), ".cpp": (CXX,), ".cc": (CXX,), ".cxx": (CXX,), ".pyx": (CYTHON, C), ".f": (FORTRAN,),
    ".f90": (FORTRAN,), ".go": (GO,),
}
#: Build files -> needs, wherever they are; a root one is named as such.
BUILD_FILES: dict[str, tuple[str, ...]] = {"Cargo.toml": (RUST,), "CMakeLists.txt": (CMAKE, CXX),
                                           "meson.build": (MESON, NINJA, C)}
#: Words in a `setup.py` that name an extension module, and what building it needs.
SETUP_WORDS: dict[str, tuple[str, ...]] = {"Extension(": (C,), "RustExtension(": (RUST,), "cythonize(": (CYTHON, C),
                                           "CMakeExtension(": (CMAKE, CXX), "Pybind11Extension(": (CXX,)}
_EXT_MODULES = re.compile(r"ext_modules\s*=")
_SETUP_REQUIRES = re.compile(r"setup_requires\s*=")
_RUST_VERSION = re.compile(r'^\s*rust-version\s*=\s*"([0-9][0-9.]*)"', re.MULTILINE)
_CMAKE_MIN = re.compile(r"cmake_minimum_required\s*\(\s*VERSION\s+([0-9]+(?:\.[0-9]+)*)", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """One need and where it was seen (shown as "Rust toolchain (cargo): Cargo.toml at the root")."""

    need: str
    why: str


def top_name(name: str) -> str | None:
    """`pkg-1.0/setup.py` -> `setup.py`: the member's name in the sdist's one top folder, else None."""
    parts = name.split("/")
    if len(parts) == 2 and ".." not in parts and not name.startswith("/"):
        return parts[1]
    return None


def is_read_member(name: str) -> bool:
    return top_name(name) in ("pyproject.toml", *READ_AT_TOP)


def members_evidence(names: Sequence[str]) -> list[Evidence]:
    """Build files (a root one first) and native sources by suffix, counted, with an example."""
    out: list[Evidence] = []
    by_suffix: dict[str, list[str]] = {}
    build_files: dict[str, list[str]] = {}
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if base in BUILD_FILES:
            build_files.setdefault(base, []).append(name)
            continue
        dot = base.rfind(".")
        suffix = base[dot:].lower() if dot > 0 else ""
        if suffix in SOURCE_NEEDS:
            by_suffix.setdefault(suffix, []).append(name)
    for base, found in build_files.items():
        root = next((n for n in found if top_name(n) == base), None)
        why = f"{base} at the root" if root else f"{base} in {_folder(found[0])}"
        out.extend(Evidence(need, why) for need in BUILD_FILES[base])
    for suffix, found in by_suffix.items():
        why = f"{len(found)} {suffix} file{'s' if len(found) > 1 else ''} (e.g. {_inner(found[0])})"
        out.extend(Evidence(need, why) for need in SOURCE_NEEDS[suffix])
    return out


def _inner(name: str) -> str:
    """A member's path below the sdist's top folder."""
    return name.split("/", 1)[1] if "/" in name else name


def _folder(name: str) -> str:
    inner = _inner(name)
    return (inner.rsplit("/", 1)[0] + "/") if "/" in inner else "the root"


@dataclass(frozen=True)
class SetupPy:
    """What a `setup.py` says in its text: extension needs, and what only running it would tell."""

    evidence: tuple[Evidence, ...]
    unknowns: tuple[str, ...]


def read_setup_py(text: str) -> SetupPy:
    """The words of a `setup.py` that name extension modules; `ext_modules=` without one of them is
    computed by code (unknown statically), and `setup_requires` adds build requirements at build time."""
    evidence = [Evidence(need, f"{word} in setup.py") for word, needs in SETUP_WORDS.items() if word in text
                for need in needs]
    unknowns = []
    if not evidence and _EXT_MODULES.search(text):
        unknowns.append("setup.py computes ext_modules: which compilers it needs is known only by running it")
    if _SETUP_REQUIRES.search(text):
        unknowns.append("setup.py has setup_requires: more build requirements, known only by running it")
    return SetupPy(tuple(evidence), tuple(unknowns))


def version_floor(member: str, text: str) -> str | None:
    """`rust-version` of a root Cargo.toml, `cmake_minimum_required` of a root CMakeLists.txt."""
    pattern = _RUST_VERSION if member == "Cargo.toml" else _CMAKE_MIN if member == "CMakeLists.txt" else None
    found = pattern.search(text) if pattern else None
    return found[1] if found else None
