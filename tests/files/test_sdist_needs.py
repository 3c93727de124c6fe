"""What an sdist's build needs, read from its members: real sdists of each kind, and what cannot be known.

The real sdists are recorded by `tools/fidelity/sdists/record_sdists.py` (member names and build
files, always here) and kept in ~/.cache/tagsim/sdists/ (used when present, else skipped loudly).
"""

from __future__ import annotations

import pytest

from sdist_support import FETCH_HINT, REAL_DIR, RECORDED, rebuilt, tar_gz
from tagsim.files.archive_scan import scan_bytes
from tagsim.files.build_needs import BuildNeeds, needs_from_scan, needs_from_sdist
from tagsim.files.sdist_contents import is_read_member

#: filename -> (cell words, a piece of evidence that must be among the reasons). Written from reading each sdist.
EXPECTED = {
    "uv-0.1.40.tar.gz": ("needs cargo", "Cargo.toml at the root"),
    "bcrypt-4.1.2.tar.gz": ("needs cargo, cc", "`setuptools-rust` in build-system.requires"),
    "PyYAML-6.0.1.tar.gz": ("needs cc", "Extension( in setup.py"),
    "pyzmq-26.0.3.tar.gz": ("needs cmake, c++", "CMakeLists.txt at the root"),
    "siphash24-1.6.tar.gz": ("needs ninja, cc", "meson.build at the root"),
    "MarkupSafe-2.1.5.tar.gz": ("needs cc", "Extension( in setup.py"),
    "idna-3.7.tar.gz": ("pure Python", None),
    "six-1.16.0.tar.gz": ("pure Python", None),
}


def needs_of(filename: str, data: bytes) -> BuildNeeds:
    return needs_from_scan(scan_bytes(data, filename, is_read_member, "sdist"))


@pytest.mark.parametrize("record", RECORDED["sdists"], ids=lambda r: r["filename"])
def test_recorded_real_sdist(record: dict[str, object]) -> None:
    filename = str(record["filename"])
    needs = needs_of(filename, rebuilt(record))
    words, why = EXPECTED[filename]
    assert needs.short() == words
    if why is not None:
        assert why in {e.why for e in needs.evidence}
    assert record["license"]  # kept only when its license allows it


def test_every_kind_is_covered() -> None:
    kinds = " ".join(str(r["kind"]) for r in RECORDED["sdists"])
    for kind in ("maturin", "setuptools-rust", "Cython", "scikit-build-core", "meson-python", "C extension", "pure"):
        assert kind in kinds


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_real_file_reads_as_its_record(filename: str) -> None:
    path = REAL_DIR / filename
    if not path.exists():
        pytest.skip(f"{path} is absent: {FETCH_HINT}")
    real = needs_from_sdist(str(path))
    record = next(r for r in RECORDED["sdists"] if r["filename"] == filename)
    assert real == needs_of(filename, rebuilt(record))


def test_uv_names_the_rust_version_it_asks_for() -> None:
    record = next(r for r in RECORDED["sdists"] if r["filename"] == "uv-0.1.40.tar.gz")
    needs = needs_of("uv-0.1.40.tar.gz", rebuilt(record))
    assert needs.requires == ("maturin>=1.0,<2.0",) and needs.backend == "maturin"
    assert needs.described("Rust toolchain (cargo)").startswith("Rust toolchain (cargo) >= 1.")


def _sdist(**members: str) -> BuildNeeds:
    return needs_of("demo-1.0.tar.gz", tar_gz({f"demo-1.0/{k.replace('__', '.')}": v for k, v in members.items()}))


SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'


def test_computed_ext_modules_is_unknown_never_pure() -> None:
    needs = _sdist(pyproject__toml=SETUPTOOLS, setup__py="from setuptools import setup\nsetup(ext_modules=make())\n")
    assert needs.short() == "needs unknown" and not needs.certain
    assert any("computes ext_modules" in u for u in needs.unknowns)


def test_setup_requires_is_unknown() -> None:
    needs = _sdist(setup__py="from setuptools import setup, Extension\nsetup(setup_requires=['x'], "
                   "ext_modules=[Extension('a', ['a.c'])])\n")
    assert needs.short() == "needs cc, maybe more" and needs.backend == "setuptools.build_meta:__legacy__"


def test_in_tree_backend_and_unknown_backend_are_unknown() -> None:
    in_tree = _sdist(pyproject__toml='[build-system]\nrequires = []\nbuild-backend = "hatchling.build"\n'
                                     'backend-path = ["."]\n')
    assert in_tree.short() == "needs unknown"
    odd = _sdist(pyproject__toml='[build-system]\nrequires = ["odd"]\nbuild-backend = "odd"\n', Cargo__toml="")
    assert odd.short() == "needs cargo, maybe more" and "Cargo.toml at the root" in {e.why for e in odd.evidence}


def test_hatch_build_hook_is_unknown() -> None:
    needs = _sdist(pyproject__toml='[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                                   '[tool.hatch.build.hooks.custom]\n')
    assert needs.short() == "needs unknown" and "[tool.hatch.build.hooks]" in needs.unknowns[0]


def test_pure_python_only_when_nothing_is_unknown() -> None:
    assert _sdist(pyproject__toml='[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n'
                  ).short() == "pure Python"


@pytest.mark.parametrize(("pyproject", "said"), [
    ("[build-system\nrequires = 3", "pyproject.toml: TOMLDecodeError"),
    ("[build-system]\nbuild-backend = 'maturin'\n", "has no 'requires'"),
    ("[build-system]\nrequires = 'maturin'\nbuild-backend = 'maturin'\n", "not a list of strings"),
    ("build-system = 3\n", "[build-system] is not a table"),
    ("\udcff", "UnicodeDecodeError"),
])
def test_bad_pyproject_is_unknown_with_the_reason(pyproject: str, said: str) -> None:
    data = tar_gz({"demo-1.0/pyproject.toml": pyproject.encode("utf-8", "surrogateescape"),
                   "demo-1.0/src/lib.rs": "", "demo-1.0/Cargo.toml": ""})
    needs = needs_of("demo-1.0.tar.gz", data)
    assert needs.backend is None and any(said in u for u in needs.unknowns)
    assert needs.short() == "needs cargo, maybe more"  # the members still say what they say
