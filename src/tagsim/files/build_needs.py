"""What building an sdist needs, from its `[build-system]` or from `--build-backend`.

Reads the top-level `pyproject.toml` of the archive from the one bounded pass of
`archive_scan` (nothing is extracted or written); the archive modules load only when an sdist is read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .archive_scan import Scan

#: Backend module (the part before `:`) -> what a build of it needs on the machine.
BACKEND_NEEDS: dict[str, tuple[str, ...]] = {
    "maturin": ("Rust toolchain (cargo)",),
    "setuptools_rust": ("Rust toolchain (cargo)", "C compiler"),
    "scikit_build_core": ("CMake", "C/C++ compiler"),
    "mesonpy": ("Meson", "Ninja", "C compiler"),
    "setuptools": ("maybe a C compiler (if the project has extension modules)",),
    "hatchling": (),
    "flit_core": (),
    "pdm": (),
    "poetry": (),
}
_REQUIRE_HINTS = {"setuptools-rust": "setuptools_rust", "setuptools_rust": "setuptools_rust"}
_ALIASES = {"maturin": "maturin", "setuptools-rust": "setuptools_rust", "setuptools_rust": "setuptools_rust",
            "scikit-build-core": "scikit_build_core", "scikit_build_core": "scikit_build_core",
            "meson-python": "mesonpy", "mesonpy": "mesonpy", "setuptools": "setuptools",
            "hatchling": "hatchling", "hatch": "hatchling", "flit-core": "flit_core", "flit_core": "flit_core",
            "flit": "flit_core", "pdm-backend": "pdm", "pdm": "pdm", "poetry-core": "poetry", "poetry": "poetry"}
#: Matrix cells are narrow: the one word a maintainer recognises for each need.
SHORT_NEEDS = {"Rust toolchain (cargo)": "cargo", "C compiler": "cc", "C/C++ compiler": "c++", "CMake": "cmake",
               "Meson": "meson", "Ninja": "ninja",
               "maybe a C compiler (if the project has extension modules)": "maybe cc"}
PURE_PYTHON = "pure Python (no compiler needed)"
UNKNOWN = "building runs the project's build backend; unknown requirements"


@dataclass(frozen=True)
class BuildNeeds:
    backend: str | None
    needs: tuple[str, ...]
    source: str  # "pyproject.toml", "--build-backend", "legacy setup.py", "unknown"
    note: str = ""
    known: bool = True  # False: a backend tagsim has no table row for, so its needs are not known

    def short(self) -> str:
        """The compact form a matrix cell shows: `needs cargo`, `pure Python`, `backend unknown`."""
        if self.backend is None or not self.known:
            return "backend unknown"
        if not self.needs:
            return "pure Python"
        return "needs " + ", ".join(SHORT_NEEDS.get(n, n) for n in self.needs)

    def summary(self) -> str:
        if self.backend is None or not self.known:
            return self.note or UNKNOWN
        base = ", ".join(self.needs) if self.needs else PURE_PYTHON
        return f"{base}; {self.note}" if self.note else base


def needs_for_backend(name: str, *, source: str, requires: tuple[str, ...] = ()) -> BuildNeeds:
    """Map a backend (module path like `maturin` or `setuptools.build_meta`, or a package name) to needs."""
    module = name.split(":")[0].split(".")[0].strip().lower()
    key = _ALIASES.get(module) or _ALIASES.get(name.strip().lower())
    # setuptools + setuptools-rust in `requires` builds Rust extensions.
    if key == "setuptools" and any(_REQUIRE_HINTS.get(r) for r in requires):
        key = "setuptools_rust"
    if key is None:
        return BuildNeeds(name, (), source, note=f"backend {name!r}: {UNKNOWN}", known=False)
    return BuildNeeds(name, BACKEND_NEEDS[key], source)


def _requirement_names(requires: object) -> tuple[str, ...]:
    if not isinstance(requires, list):
        return ()
    names = []
    for item in requires:
        if isinstance(item, str):
            base = item.split(";")[0]
            for sep in "<>=!~[ ":
                base = base.split(sep)[0]
            names.append(base.strip().lower())
    return tuple(names)


def is_top_pyproject(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[1] == "pyproject.toml" and ".." not in parts and not name.startswith("/")


def _pyproject(found: Scan) -> tuple[bytes | None, str]:
    """The top-level `pyproject.toml` extraction would leave (the last copy), or None with the reason."""
    names = [n for n in found.names if is_top_pyproject(n)]
    if not names:
        return None, (f"no pyproject.toml in {found.stopped}" if found.stopped else "no pyproject.toml in the archive")
    name = names[-1]
    if name in found.oversized:
        return None, "pyproject.toml is over the size limit"
    if name not in found.texts:
        return None, "pyproject.toml is not a regular file"
    return found.texts[name], "pyproject.toml"


def needs_from_sdist(path: str) -> BuildNeeds:
    """An sdist's build needs, read from the archive (`archives.inspect_files` gets them in its own pass)."""
    from .archive_scan import Unreadable, scan

    try:
        return needs_from_scan(scan(path, is_top_pyproject, "sdist"))
    except Unreadable as exc:
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} ({exc})")


def needs_from_scan(found: Scan) -> BuildNeeds:
    data, origin = _pyproject(found)
    if data is None:
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} ({origin})")
    copies = found.repeats.get(next(n for n in reversed(found.names) if is_top_pyproject(n)), 1)
    needs = _needs_from_pyproject(data)
    if copies > 1:  # the archive holds it twice: extraction keeps the last, which is what was read
        return replace(needs, note=(needs.note + "; " if needs.note else "")
                       + f"the archive holds {copies} top-level pyproject.toml; the last (kept by extraction) was read")
    return needs


def _needs_from_pyproject(data: bytes) -> BuildNeeds:
    if sys.version_info < (3, 11):
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} (Python 3.11+ is needed to read TOML)")
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:  # RecursionError: `a = [[[[...`
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} (pyproject.toml: {exc.__class__.__name__})")
    system = document.get("build-system")
    if not isinstance(system, dict) or "build-backend" not in system:
        # PEP 517: no backend means the legacy setuptools path.
        return BuildNeeds("setuptools.build_meta:__legacy__", BACKEND_NEEDS["setuptools"], "legacy setup.py")
    backend = system.get("build-backend")
    if not isinstance(backend, str):
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} (build-backend is not a string)")
    return needs_for_backend(backend, source="pyproject.toml", requires=_requirement_names(system.get("requires")))
