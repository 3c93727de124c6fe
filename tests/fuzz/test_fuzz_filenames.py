"""Fuzz campaign: wheel and sdist filenames (random, mutated real names, hostile ones).

Rule: `parse_filename` never raises; every name is either parsed or reported unusable with a
one-line reason; the input name is kept verbatim; a parsed name renders back (canonically) to a
name that parses to the same facts; and the why-not machinery (compat, platform tags, the text
rendering) takes every parsed wheel without an exception.
"""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_support import count, fuzz
from tagsim.choice.registry import parse_installer
from tagsim.files.filename import MAX_WHEEL_TAGS, DistFile, parse_filename
from tagsim.platform.interpreter import parse_python
from tagsim.platform.resolve import resolve_platform
from tagsim.render.text import decision_text
from tagsim.report.explain import explain

REAL = [
    "uv-0.1.40-py3-none-manylinux_2_28_aarch64.whl", "uv-0.1.40.tar.gz",
    "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "cryptography-43.0.0-cp39-abi3-macosx_10_9_universal2.whl", "Pillow-10.4.0-pp310-pypy310_pp73-win_amd64.whl",
    "torch-2.4.0-1-cp311-cp311-musllinux_1_2_aarch64.whl", "six-1.16.0-py2.py3-none-any.whl",
    "pyobjc-10.3-cp313-cp313t-ios_13_0_arm64_iphoneos.whl", "demo-1.0-py3-none-android_24_arm64_v8a.whl",
    "demo-1.0-cp312-cp312-pyemscripten_2025_0_wasm32.whl", "demo-1.0-cp311-cp311-freebsd_14_0_release_amd64.whl",
    "zope.interface-6.0.zip", "Foo_Bar-1.0rc1.post2.dev3+local.7.tar.gz", "demo-1!2.0-py3-none-any.whl",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+!~ \u00e9\u0130\u212a\u0663\ud800/\\\x00"
PROFILES = [resolve_platform(p) for p in ("linux-x86_64-glibc2.17", "macos14-arm64", "windows-amd64",
                                            "linux-aarch64-musl1.2", "android24-arm64_v8a")]
INSTALLERS = [parse_installer("pip"), parse_installer("uv"), parse_installer("pip==19.3.1")]
CP312 = parse_python("cp312")

names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._]{0,12}[A-Za-z0-9])?", fullmatch=True)
versions = st.from_regex(r"([0-9]+!)?[0-9]{1,4}(\.[0-9]{1,4}){0,3}((a|b|rc)[0-9]{1,3})?(\.post[0-9])?(\.dev[0-9])?"
                         r"(\+[a-z0-9]{1,5})?", fullmatch=True)
interp_tags = st.sampled_from(["py3", "py2", "cp38", "cp312", "cp313", "pp310", "graalpy311", "ip27", "cp3999999999",
                               "py3x", "jy27"])
abi_tags = st.sampled_from(["none", "abi3", "abi3t", "cp312", "cp313t", "cp37m", "pypy310_pp73", "cp312d"])
plat_tags = st.one_of(
    st.sampled_from(["any", "win_amd64", "win32", "win_arm64", "linux_x86_64", "manylinux1_x86_64",
                     "manylinux2014_aarch64", "musllinux_1_2_x86_64", "macosx_11_0_arm64", "macosx_10_9_universal2",
                     "ios_13_0_arm64_iphoneos", "android_21_x86_64", "pyodide_2024_0_wasm32",
                     "emscripten_3_1_58_wasm32", "freebsd_14_0_release_amd64", "manylinux_2_99999999999_x86_64"]),
    st.builds(lambda a, b, arch: f"manylinux_{a}_{b}_{arch}", st.integers(0, 10**12), st.integers(0, 10**12),
              st.sampled_from(["x86_64", "aarch64", "i686", "armv7l"])),
    st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True),
)


@st.composite
def wheel_names(draw: st.DrawFn) -> str:
    build = draw(st.one_of(st.just(""), st.from_regex(r"[0-9]{1,6}[a-z_]{0,4}", fullmatch=True).map(lambda b: f"-{b}")))
    py = ".".join(draw(st.lists(interp_tags, min_size=1, max_size=3, unique=True)))
    abi = ".".join(draw(st.lists(abi_tags, min_size=1, max_size=2, unique=True)))
    plat = ".".join(draw(st.lists(plat_tags, min_size=1, max_size=4, unique=True)))
    return f"{draw(names)}-{draw(versions)}{build}-{py}-{abi}-{plat}.whl"


@st.composite
def sdist_names(draw: st.DrawFn) -> str:
    return f"{draw(names)}-{draw(versions)}{draw(st.sampled_from(['.tar.gz', '.zip']))}"


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """A valid name damaged the ways real uploads and hand edits damage names."""
    name = draw(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["dash", "unicode", "empty-tag", "many-tags", "huge-build", "case", "double",
                                     "truncate", "insert", "delete", "swap-suffix", "spaces"]))
        if kind == "dash":
            i = draw(st.integers(0, len(name)))
            name = name[:i] + "-" * draw(st.integers(1, 3)) + name[i:]
        elif kind == "unicode":
            i = draw(st.integers(0, len(name)))
            name = name[:i] + draw(st.sampled_from(["\u00e9", "\u0130", "\u212a", "\u0663", "\ud800", "\u200b",
                                                    "\U0001f600", "\x00", "\n"])) + name[i:]
        elif kind == "empty-tag":
            name = name.replace("-none-", "--", 1).replace(".whl", "..whl", 1) if draw(st.booleans()) else \
                name.replace("-py3-", "--", 1)
        elif kind == "many-tags":
            n = draw(st.integers(2, 300))
            head, _, tail = name.rpartition("-")
            name = f"{head}-{'.'.join(f'p{i}' for i in range(n))}-{tail}" if head else name
        elif kind == "huge-build":
            digits = draw(st.integers(20, 6000))
            parts = name.split("-")
            if len(parts) >= 5:
                parts.insert(2, "9" * digits + "x")
                name = "-".join(parts)
        elif kind == "case":
            name = draw(st.sampled_from([name.upper(), name.swapcase(), name.title()]))
        elif kind == "double":
            name += draw(st.sampled_from([".whl", ".tar.gz", ".zip", ".whl.whl"]))
        elif kind == "truncate":
            name = name[: draw(st.integers(0, len(name)))]
        elif kind == "insert":
            i = draw(st.integers(0, len(name)))
            name = name[:i] + draw(st.text(ALPHABET, max_size=8)) + name[i:]
        elif kind == "delete" and name:
            i = draw(st.integers(0, len(name) - 1))
            name = name[:i] + name[i + 1:]
        elif kind == "swap-suffix":
            name = name.rsplit(".", 1)[0] + draw(st.sampled_from([".whl", ".tar.gz", ".zip", ".tgz", ".egg", ""]))
        elif kind == "spaces":
            name = f" {name} "
    return name


filenames = st.one_of(wheel_names(), sdist_names(), mutated(st.one_of(wheel_names(), sdist_names(), st.sampled_from(REAL))),
                      st.text(ALPHABET, max_size=60).map(lambda t: t + ".whl"), st.text(ALPHABET, max_size=60))


def canonical(dist: DistFile) -> str:
    """The name rendered back from the parsed facts (`wheel`'s spelling: underscores, sorted tag sets)."""
    assert dist.name is not None and dist.version is not None
    stem = f"{dist.name.replace('-', '_')}-{dist.version}"
    if dist.kind == "sdist":
        return stem + (".zip" if dist.filename.endswith(".zip") else ".tar.gz")
    build = f"-{dist.build[0]}{dist.build[1]}" if dist.build else ""
    pys, abis, plats = (sorted({getattr(t, part) for t in dist.tags}) for part in ("interpreter", "abi", "platform"))
    return f"{stem}{build}-{'.'.join(pys)}-{'.'.join(abis)}-{'.'.join(plats)}.whl"


def check_name(filename: str) -> DistFile:
    dist = parse_filename(filename, origin="fuzz")
    assert dist.filename == filename  # kept verbatim, never normalised away
    assert dist.kind in ("wheel", "sdist", "unusable")
    if dist.kind == "unusable":
        assert dist.problem and "\n" not in dist.problem and dist.name is None
        return dist
    assert dist.name and dist.version is not None and dist.problem is None
    again = parse_filename(canonical(dist))
    assert (again.kind, again.name, again.version, again.build, again.tags) == \
        (dist.kind, dist.name, dist.version, dist.build, dist.tags), canonical(dist)
    if dist.is_wheel:
        # A wheel name is a product of its compressed tag sets.
        pys, abis, plats = ({getattr(t, part) for t in dist.tags} for part in ("interpreter", "abi", "platform"))
        assert len(dist.tags) == len(pys) * len(abis) * len(plats) <= MAX_WHEEL_TAGS
    return dist


@fuzz(ci=300, large=25_000)
@given(filenames)
@example("d-1-" + ".".join(f"py{i}" for i in range(300)) + "-" + ".".join(f"a{i}" for i in range(300)) + "-"
         + ".".join(f"p{i}" for i in range(300)) + ".whl")  # 27M tags: hang + gigabytes before the cap
@example("demo-1.0-py3-none-" + ".".join(f"manylinux_2_{i}_x86_64" for i in range(200)) + ".whl")
@example("demo-1.0-" + "9" * 6000 + "-py3-none-any.whl")
@example("\u0130-0-A-0-0.whl")  # parsed ('İ' matches 'i' case-insensitively) but did not render back: now unusable
@example("demo-1.0-py3-none-any.whl.whl")
@example("DEMO-1.0-PY3-NONE-ANY.WHL")
@example("demo-1.0-py3--any.whl")
def test_every_name_is_parsed_or_unusable(filename: str) -> None:
    count("filenames")
    started = time.monotonic()
    check_name(filename)
    assert time.monotonic() - started < 5


def test_compressed_tag_explosion_is_refused_fast() -> None:
    """Crash pin: 300x300x300 compressed tags made packaging build 27 million Tag objects (minutes, GBs)."""
    name = ("d-1-" + ".".join(f"py{i}" for i in range(300)) + "-" + ".".join(f"a{i}" for i in range(300)) + "-"
            + ".".join(f"p{i}" for i in range(300)) + ".whl")
    started = time.monotonic()
    dist = parse_filename(name)
    assert time.monotonic() - started < 1
    assert not dist.usable and "27000000 tags" in (dist.problem or "")
    assert parse_filename("demo-1.0-py3-none-" + ".".join(f"p{i}" for i in range(200)) + ".whl").usable


@fuzz(ci=80, large=3_000)
@given(st.lists(st.one_of(wheel_names(), mutated(wheel_names())), min_size=1, max_size=6))
@example(["0-0-py3-none-any.whl", "0-0-\npy3-none-p0.p1-any.whl"])  # packaging's reason held the raw newline
@example(["demo-1.0-py3-none-manylinux_2_" + "9" * 5000 + "_x86_64.whl"])
@example(["demo-1.0-cp3" + "9" * 5000 + "-abi3-manylinux_2_17_x86_64.whl"])
def test_why_not_and_text_take_any_parsed_wheel(filenames: list[str]) -> None:
    """Every parsed wheel goes through tag evaluation, why-not details, hints and the text rendering."""
    count("filenames")
    files = [check_name(f) for f in filenames]
    project = next((f.name for f in files if f.usable), None)
    if project is None:
        return
    from packaging.requirements import Requirement

    req = Requirement(project)
    for profile in PROFILES:
        expl = explain(profile, CP312, files, req=req, installers=INSTALLERS)
        for decision in expl.decisions:
            assert len(decision.considered) == len(files)
            text = decision_text(decision)
            text.encode("utf-8", "backslashreplace")


def test_huge_digit_runs_in_tags_are_explained_not_crashed(capsys: object) -> None:
    """Crash pin: `manylinux_2_<5000 digits>` and `cp3<5000 digits>` hit int()'s 4300-digit limit (ValueError)."""
    from tagsim.choice.registry import tag_index

    for name in ["demo-1.0-py3-none-manylinux_2_" + "9" * 5000 + "_x86_64.whl",
                 "demo-1.0-cp3" + "9" * 5000 + "-abi3-manylinux_2_17_x86_64.whl"]:
        dist = parse_filename(name)
        index = tag_index(PROFILES[0], CP312, INSTALLERS[0])
        result = index.evaluate(dist.tags)
        assert result.detail.startswith("unknown")  # type: ignore[union-attr]


def test_name_list_file_with_hostile_lines(tmp_path: Path) -> None:
    from tagsim.files.sources import load_source

    lines = ["demo-1.0-py3-none-any.whl", "  ", "# comment", "\u00e9\u0130-1.0.tar.gz", "x" * 5000 + ".whl",
             "demo-1.0-py3-none-any.whl.whl"]
    path = tmp_path / "names.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    files = load_source(str(path))
    assert [f.filename for f in files] == [lines[0], lines[3], lines[4], lines[5]]
