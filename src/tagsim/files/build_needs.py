"""What building an sdist needs, from its `[build-system]` or from `--build-backend`.

Reads the one `pyproject.toml` member of the archive in memory, with size caps; nothing is
extracted or written. The archive modules load only when an sdist is read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

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
MAX_MEMBER_BYTES = 1024 * 1024
MAX_ARCHIVE_MEMBERS = 100_000
#: Decompressed bytes of an sdist read while looking for `pyproject.toml` (a tar bomb costs seconds per GiB).
MAX_SCAN_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class BuildNeeds:
    backend: str | None
    needs: tuple[str, ...]
    source: str  # "pyproject.toml", "--build-backend", "legacy setup.py", "unknown"
    note: str = ""

    def short(self) -> str:
        """The compact form a matrix cell shows: `needs cargo`, `pure Python`, `backend unknown`."""
        if self.backend is None:
            return "backend unknown"
        if not self.needs:
            return "pure Python"
        return "needs " + ", ".join(SHORT_NEEDS.get(n, n) for n in self.needs)

    def summary(self) -> str:
        if self.backend is None:
            return self.note or UNKNOWN
        return ", ".join(self.needs) if self.needs else PURE_PYTHON


def needs_for_backend(name: str, *, source: str, requires: tuple[str, ...] = ()) -> BuildNeeds:
    """Map a backend (module path like `maturin` or `setuptools.build_meta`, or a package name) to needs."""
    module = name.split(":")[0].split(".")[0].strip().lower()
    key = _ALIASES.get(module) or _ALIASES.get(name.strip().lower())
    # setuptools + setuptools-rust in `requires` builds Rust extensions.
    if key == "setuptools" and any(_REQUIRE_HINTS.get(r) for r in requires):
        key = "setuptools_rust"
    if key is None:
        return BuildNeeds(name, (), source, note=f"backend {name!r}: {UNKNOWN}")
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


def _read_member(path: str) -> tuple[bytes | None, str]:
    """The top-level `pyproject.toml` of an sdist, or None with the reason."""
    import lzma
    import tarfile
    import zipfile
    import zlib

    from .zip_limits import zip_too_big

    try:
        if path.endswith(".zip"):
            too_big = zip_too_big(path)
            if too_big:
                return None, f"the archive has {too_big}"
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist()[:MAX_ARCHIVE_MEMBERS] if _is_top_pyproject(i.filename)]
                if not infos:
                    return None, "no pyproject.toml in the archive"
                if infos[0].file_size > MAX_MEMBER_BYTES:
                    return None, "pyproject.toml is over the size limit"
                return archive.read(infos[0])[: MAX_MEMBER_BYTES + 1], "pyproject.toml"
        with tarfile.open(path, "r:gz") as archive:
            for count, member in enumerate(archive):
                if count >= MAX_ARCHIVE_MEMBERS:
                    return None, "too many archive members"
                if _is_top_pyproject(member.name):
                    if not member.isfile():
                        return None, "pyproject.toml is not a regular file"
                    if member.size > MAX_MEMBER_BYTES:
                        return None, "pyproject.toml is over the size limit"
                    handle = archive.extractfile(member)
                    return (handle.read(MAX_MEMBER_BYTES + 1) if handle else None), "pyproject.toml"
                if member.offset_data + member.size > MAX_SCAN_BYTES:
                    return None, f"no pyproject.toml in the first {MAX_SCAN_BYTES // 2**20} MiB of the archive"
        return None, "no pyproject.toml in the archive"
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, ValueError,
            zlib.error, lzma.LZMAError) as exc:
        return None, f"unreadable archive ({exc.__class__.__name__})"


def _is_top_pyproject(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[1] == "pyproject.toml" and ".." not in parts and not name.startswith("/")


def needs_from_sdist(path: str) -> BuildNeeds:
    data, origin = _read_member(path)
    if data is None:
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} ({origin})")
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
