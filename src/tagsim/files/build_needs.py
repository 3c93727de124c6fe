"""What building an sdist needs: its `[build-system]`, its own members, or `--build-backend`.

Reads the members `archive_scan` gave from its one bounded pass (nothing is extracted or written):
the top-level `pyproject.toml`, `setup.py`, `Cargo.toml` and `CMakeLists.txt`, and every member's
name. Each need keeps its evidence (`sdist_contents.Evidence`); what only running the build would
tell (a computed `ext_modules`, an in-tree backend, a backend tagsim has no row for) is said in
`unknowns`, and such a build is never called pure Python.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .sdist_contents import (
    CMAKE,
    CXX,
    CYTHON,
    MESON,
    NINJA,
    RUST,
    C,
    Evidence,
    is_read_member,
    members_evidence,
    read_setup_py,
    top_name,
    version_floor,
)

if TYPE_CHECKING:
    from .archive_scan import Scan

#: Backend module (the part before `:`) -> what a build of it needs on the machine.
BACKEND_NEEDS: dict[str, tuple[str, ...]] = {
    "maturin": (RUST,),
    "setuptools_rust": (RUST, C),
    "scikit_build_core": (CMAKE, CXX),
    "mesonpy": (MESON, NINJA, C),
    "setuptools": (),
    "hatchling": (),
    "flit_core": (),
    "pdm": (),
    "poetry": (),
}
#: `--build-backend setuptools` without the file: its members would say whether there are extensions.
MAYBE_C = "maybe a C compiler (if the project has extension modules)"
_ALIASES = {"maturin": "maturin", "setuptools-rust": "setuptools_rust", "setuptools_rust": "setuptools_rust",
            "scikit-build-core": "scikit_build_core", "scikit_build_core": "scikit_build_core",
            "meson-python": "mesonpy", "mesonpy": "mesonpy", "setuptools": "setuptools",
            "hatchling": "hatchling", "hatch": "hatchling", "flit-core": "flit_core", "flit_core": "flit_core",
            "flit": "flit_core", "pdm-backend": "pdm", "pdm": "pdm", "poetry-core": "poetry", "poetry": "poetry"}
#: A build requirement (canonical name) that means a toolchain for the build.
REQUIRE_NEEDS: dict[str, tuple[str, ...]] = {
    "maturin": (RUST,), "setuptools-rust": (RUST,), "cython": (C,), "cffi": (C,), "pybind11": (CXX,),
    "nanobind": (CXX,), "scikit-build": (CMAKE, CXX), "scikit-build-core": (CMAKE, CXX),
    "meson-python": (MESON, NINJA, C),
}
#: Needs that a build requirement installs into the build environment (pip-installable tools).
PROVIDED_BY: dict[str, tuple[str, ...]] = {CYTHON: ("cython",), CMAKE: ("cmake",), NINJA: ("ninja",),
                                           MESON: ("meson", "meson-python"), RUST: ("puccinialin",)}
#: Build requirements a backend adds at build time (`get_requires_for_build_wheel`) when the machine lacks
#: the tool: the need is then met from the index, if it has a wheel for the platform.
BACKEND_NOTES = {
    "mesonpy": "meson-python asks for the ninja package when no ninja >= 1.8.2 is on PATH "
               "(mesonpy get_requires_for_build_wheel)",
    "scikit_build_core": "scikit-build-core asks for the cmake and ninja packages when the machine's are missing "
                         "or too old (scikit_build_core.build get_requires_for_build_wheel)",
}
#: What `[tool.*]` keys of pyproject.toml make a backend run project code at build time.
_HOOKS = {"hatchling": (("hatch", "build", "hooks"), ("hatch", "build", "targets", "wheel", "hooks")),
          "poetry": (("poetry", "build"),), "pdm": (("pdm", "build", "run-setuptools"),)}
#: pip (`pip/_internal/pyproject.py` `load_pyproject_toml`, pip >= 23.1) and uv (`uv-build-frontend`
#: `DEFAULT_BACKEND`) both use this when an sdist declares no `[build-system]`.
LEGACY_REQUIRES = ("setuptools>=40.8.0",)
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
#: Matrix cells are narrow: the one word a maintainer recognises for each need.
SHORT_NEEDS = {RUST: "cargo", C: "cc", CXX: "c++", CMAKE: "cmake", MESON: "meson", NINJA: "ninja",
               CYTHON: "cython", "Fortran compiler": "fortran", "Go toolchain": "go", MAYBE_C: "maybe cc"}
PURE_PYTHON = "pure Python (no compiler needed)"
UNKNOWN = "building runs the project's build backend; unknown requirements"


@dataclass(frozen=True)
class BuildNeeds:
    backend: str | None
    needs: tuple[str, ...]
    source: str  # "pyproject.toml", "--build-backend", "legacy setup.py", "unknown"
    note: str = ""
    known: bool = True  # False: a backend tagsim has no table row for, so its needs are not all known
    requires: tuple[str, ...] = ()  # build-system.requires as written (the legacy default when none)
    evidence: tuple[Evidence, ...] = ()  # where each need was seen
    unknowns: tuple[str, ...] = ()  # what only running the build would tell
    minimums: tuple[tuple[str, str], ...] = ()  # (need, "1.74 (rust-version in Cargo.toml)")

    @property
    def certain(self) -> bool:
        """Every need is known: no unknown backend, nothing computed at build time."""
        return self.backend is not None and self.known and not self.unknowns

    def short(self) -> str:
        """The compact form a matrix cell shows: `needs cargo`, `pure Python`, `backend unknown`."""
        if self.needs:
            return "needs " + ", ".join(SHORT_NEEDS.get(n, n) for n in self.needs) + (
                "" if self.certain else ", maybe more")
        if self.backend is None and not self.evidence and not self.unknowns:
            return "backend unknown"
        return "pure Python" if self.certain else "needs unknown"

    def described(self, need: str) -> str:
        """A need with its minimum version when the sdist states one."""
        floor = next((m for n, m in self.minimums if n == need), None)
        return f"{need} >= {floor}" if floor else need

    def summary(self) -> str:
        if not self.needs and (self.backend is None or not self.known) and not self.evidence:
            return self.note or UNKNOWN
        base = ", ".join(self.described(n) for n in self.needs) if self.needs else (
            PURE_PYTHON if self.certain else "no toolchain seen in the sdist")
        extra = [self.note] if self.note else []
        return "; ".join([base, *extra, *self.unknowns])


def canonical(requirement: str) -> str:
    """The project name of a requirement string, canonical, without parsing the rest (`maturin>=1` -> maturin)."""
    base = requirement.split(";")[0]
    for sep in "<>=!~[ @(":
        base = base.split(sep)[0]
    return base.strip().lower().replace("_", "-").replace(".", "-")


def _backend_key(name: str) -> str | None:
    module = name.split(":")[0].split(".")[0].strip().lower()
    return _ALIASES.get(module) or _ALIASES.get(name.strip().lower())


def needs_for_backend(name: str, *, source: str, requires: tuple[str, ...] = ()) -> BuildNeeds:
    """Map a backend (module path like `maturin` or `setuptools.build_meta`, or a package name) to needs;
    without the file (`--build-backend`), a setuptools build may or may not compile."""
    key = _backend_key(name)
    if key == "setuptools" and any(canonical(r) == "setuptools-rust" for r in requires):
        key = "setuptools_rust"
    if key is None:
        return BuildNeeds(name, (), source, note=f"backend {name!r}: {UNKNOWN}", known=False)
    return BuildNeeds(name, BACKEND_NEEDS[key] or ((MAYBE_C,) if key == "setuptools" else ()), source)


def is_top_pyproject(name: str) -> bool:
    return top_name(name) == "pyproject.toml"


def needs_from_sdist(path: str) -> BuildNeeds:
    """An sdist's build needs, read from the archive (`archives.inspect_files` gets them in its own pass)."""
    from .archive_scan import Unreadable, scan

    try:
        return needs_from_scan(scan(path, is_read_member, "sdist"))
    except Unreadable as exc:
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} ({exc})")


def _member(found: Scan, base: str) -> tuple[bytes | None, str | None]:
    """A top-level member as extraction leaves it (its last copy), or None with why it was not read."""
    names = [n for n in found.names if top_name(n) == base]
    if not names:
        return None, None
    name = names[-1]
    if name in found.oversized:
        return None, f"{base} is over the size limit"
    if name not in found.texts:
        return None, f"{base} is not a regular file"
    return found.texts[name], None


@dataclass(frozen=True)
class _System:
    """The `[build-system]` as read: backend, requires, where from, and what could not be read."""

    backend: str | None
    requires: tuple[str, ...]
    source: str
    problem: str | None = None
    in_tree: bool = False
    hooks: tuple[str, ...] = ()


def needs_from_scan(found: Scan) -> BuildNeeds:
    data, problem = _member(found, "pyproject.toml")
    has_setup = any(top_name(n) == "setup.py" for n in found.names)
    if data is None and problem is None and not has_setup and not found.names:
        return BuildNeeds(None, (), "unknown", note=f"{UNKNOWN} (the archive is empty)")
    if data is None and problem is None and found.stopped:  # it may be past where the reading stopped
        problem = f"no pyproject.toml in {found.stopped}"
    elif data is None and problem is None and not has_setup:  # pip: "neither 'setup.py' nor 'pyproject.toml' found"
        problem = "no pyproject.toml or setup.py at the top of the archive"
    system = _System(None, (), "unknown", problem) if problem else (
        _read_system(data) if data is not None else _System(LEGACY_BACKEND, LEGACY_REQUIRES, "legacy setup.py"))
    evidence: list[Evidence] = []
    unknowns: list[str] = []
    if system.problem:
        unknowns.append(f"the build backend is unknown ({system.problem})")
    if system.backend is not None:
        evidence.extend(_backend_evidence(system))
    for requirement in system.requires:
        evidence.extend(Evidence(n, f"`{requirement}` in build-system.requires")
                        for n in REQUIRE_NEEDS.get(canonical(requirement), ()))
    key = _backend_key(system.backend) if system.backend else None
    if system.backend is not None and key is None:
        unknowns.append(f"backend {system.backend!r} is not in tagsim's table: what it needs is not known")
    if system.in_tree:
        unknowns.append("the backend is in the sdist itself (backend-path): it runs the project's own code")
    unknowns.extend(f"[tool.{hook}] runs project code at build time" for hook in system.hooks)
    evidence.extend(members_evidence(found.names))
    setup, setup_problem = _member(found, "setup.py")
    if setup is not None and key in (None, "setuptools", "setuptools_rust"):
        read = read_setup_py(setup.decode("utf-8", "replace"))
        evidence.extend(read.evidence)
        unknowns.extend(read.unknowns)
    elif setup_problem:
        unknowns.append(setup_problem)
    if found.stopped:
        unknowns.append(f"only {found.stopped} was read")
    repeats = found.repeats.get(next((n for n in reversed(found.names) if is_top_pyproject(n)), ""), 1)
    notes = [BACKEND_NOTES[key]] if key in BACKEND_NOTES else []
    if system.backend is None:  # the one-line reason, where readers of an unknown backend look for it
        notes.append(f"{UNKNOWN} ({system.problem})")
    if repeats > 1:
        notes.append(f"the archive holds {repeats} top-level pyproject.toml; the last (kept by extraction) was read")
    note = "; ".join(notes)
    return _combine(system, evidence, unknowns, _minimums(found), note, key is not None and not system.in_tree)


def _combine(system: _System, evidence: list[Evidence], unknowns: list[str], minimums: tuple[tuple[str, str], ...],
             note: str, known: bool) -> BuildNeeds:
    """The needs in first-seen order, less what a build requirement installs (Cython, cmake...)."""
    names = {canonical(r) for r in system.requires}
    provided = {need for need, packages in PROVIDED_BY.items() if names.intersection(packages)}
    if any(e.need == CXX for e in evidence):
        provided.add(C)  # a C/C++ compiler covers C
    needs = tuple(dict.fromkeys(e.need for e in evidence if e.need not in provided))
    kept = tuple(dict.fromkeys(e for e in evidence if e.need not in provided))
    return BuildNeeds(system.backend, needs, system.source, note=note, known=known, requires=system.requires,
                      evidence=kept, unknowns=tuple(dict.fromkeys(unknowns)),
                      minimums=tuple(m for m in minimums if m[0] in needs))


def _backend_evidence(system: _System) -> list[Evidence]:
    key = _backend_key(system.backend or "")
    if key is None:
        return []
    by_name = next((r for r in system.requires if _backend_key(canonical(r)) == key), None)
    why = f"`{by_name}` in build-system.requires" if by_name else f"build-backend {system.backend!r}"
    if system.source == "legacy setup.py":
        why = "no [build-system]: the legacy setuptools backend"
    return [Evidence(need, why) for need in BACKEND_NEEDS[key]]


def _minimums(found: Scan) -> tuple[tuple[str, str], ...]:
    out = []
    for base, need, what in (("Cargo.toml", RUST, "rust-version"), ("CMakeLists.txt", CMAKE, "cmake_minimum_required")):
        data, _ = _member(found, base)
        floor = version_floor(base, data.decode("utf-8", "replace")) if data is not None else None
        if floor:
            out.append((need, f"{floor} ({what} in {base})"))
    return tuple(out)


def _read_system(data: bytes) -> _System:
    """`[build-system]` of a pyproject.toml; absent (or no `build-backend`) is the legacy setuptools path (PEP 517)."""
    if sys.version_info < (3, 11):
        return _System(None, (), "unknown", "Python 3.11+ is needed to read TOML")
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:  # RecursionError: `a = [[[[...`
        return _System(None, (), "unknown", f"pyproject.toml: {exc.__class__.__name__}")
    system = document.get("build-system")
    if system is not None and not isinstance(system, dict):
        return _System(None, (), "unknown", "pyproject.toml: [build-system] is not a table")
    if system is not None and "requires" not in system:
        return _System(None, (), "unknown", "pyproject.toml: [build-system] has no 'requires' (pip refuses it)")
    system = system or {}
    requires = system.get("requires", list(LEGACY_REQUIRES))
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        return _System(None, (), "unknown", "pyproject.toml: build-system.requires is not a list of strings")
    if "build-backend" not in system:
        return _System(LEGACY_BACKEND, tuple(requires), "legacy setup.py")
    backend = system["build-backend"]
    if not isinstance(backend, str):
        return _System(None, tuple(requires), "unknown", "pyproject.toml: build-backend is not a string")
    tool = document.get("tool")
    hooks = tuple(".".join(path) for path in _HOOKS.get(_backend_key(backend) or "", ()) if _has(tool, path))
    return _System(backend, tuple(requires), "pyproject.toml", in_tree="backend-path" in system, hooks=hooks)


def _has(table: object, path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(table, dict) or key not in table:
            return False
        table = table[key]
    return True
