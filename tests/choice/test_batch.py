"""`choice.batch` against its oracle, `decide`: equal decisions, cell for cell, explanation and hints included.

On every recorded scenario (tests/scenarios, with every installer version the fixtures hold), on the
recorded folder ties, and on hypothesis-generated listings (yanks, build tags, Requires-Python,
pre-releases, ties through pages and folders, only-binary/no-binary/prefer-binary, every installer era
including poetry and pdm, combinations that are not modelled).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement

from tagsim import (
    Batch,
    Column,
    Decision,
    Flags,
    decide,
    decide_columns,
    decision_json,
    parse_filename,
    parse_installer,
    parse_names,
    parse_spec,
)
from tagsim.choice.decide import Rejections
from tagsim.choice.decision import considered_entry
from tagsim.choice.listing import Listing
from tagsim.choice.registry import family_of
from tagsim.errors import TagsimError
from tagsim.files.filename import DistFile
from tagsim.platform.interpreter import Interpreter, parse_python
from tagsim.platform.profile import Profile
from tagsim.tags.eras import PDM_ROWS, PIP_ROWS, POETRY_ROWS, UV_ROWS

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = ["linux-x86_64-glibc2.28", "macos14-x86_64-rosetta", "linux-aarch64-glibc2.17", "linux-x86_64-musl1.2",
             "macos14-arm64", "macos10.15-x86_64", "windows-amd64", "linux-armv7l-glibc2.31"]
#: The first version of every era row of every installer, and the newest of each: every era is a column.
ERAS = sorted({f"{name}=={row[0]}" for name, rows in (("pip", PIP_ROWS), ("uv", UV_ROWS), ("poetry", POETRY_ROWS),
                                                       ("pdm", PDM_ROWS)) for row in rows}
              | {"pip", "uv", "poetry", "pdm"})


@cache
def interp(tag: str) -> Interpreter:
    """One interpreter object per tag, as a matrix's rows share theirs (columns share picks only then)."""
    return parse_python(tag)


def answer(thunk: Any) -> Any:
    """A decision as JSON (with its `considered` and hints), or the error it raises."""
    try:
        return decision_json(thunk())
    except TagsimError as exc:
        return ["error", type(exc).__name__, str(exc)]


def batch_answer(result: Decision | TagsimError) -> Any:
    return ["error", type(result).__name__, str(result)] if isinstance(result, TagsimError) else decision_json(result)


def assert_batch_equals_decide(files: list[DistFile], columns: list[Column], req: Requirement | None,
                               flags: Flags, batch: Batch | None = None) -> None:
    batch = batch or Batch(columns)
    results = batch.decide(files, req, flags)
    assert len(results) == len(columns)
    answers = batch.answers(files, req, flags)  # the compact row of each column says what its decision says
    for i, result in enumerate(results):
        if isinstance(result, Decision):
            assert answers.chosen(i) == (result.outcome, result.chosen, result.rank, result.tag)
        else:
            assert isinstance(answers.error(i), TagsimError)
    fresh = batch.answers(files, req, flags)  # an sdist's parts without its decision (what `tagsim stream` writes)
    for i, result in enumerate(results):
        if isinstance(result, Decision) and result.outcome == "sdist":
            assert fresh.sdist(i) == (result.build, result.message, result.hints)
            assert answers.result(i) == result and answers.sdist(i) == fresh.sdist(i)  # and once built, the decision's
    for column, result in zip(columns, results, strict=True):
        if isinstance(result, Decision):  # the short summary (read first) says what `considered` says
            short = result.rejected
            assert result.considered and result.rejected == short
            # and `considered` is what one pass over every file of the listing says (`walk`, its definition)
            drop = family_of(column.installer).drop_flags
            walked = Rejections(column.profile, column.interp, column.installer, Listing.of(files), req, drop(flags))
            chosen, ordered = walked.walk()
            assert result.considered == tuple(considered_entry(ev, chosen) for ev in ordered)
        expected = answer(lambda c=column: decide(c.profile, c.interp, c.installer, files, req, flags))
        assert batch_answer(result) == expected, (column.profile.id, column.interp.tag, column.installer.spec)


def _flags(raw: dict[str, Any]) -> Flags:
    return Flags(prefer_binary=raw.get("prefer_binary", False), only_binary=parse_names(raw.get("only_binary", [])),
                 no_binary=parse_names(raw.get("no_binary", [])), no_build=raw.get("no_build", False),
                 pre=raw.get("pre", False), prefer_binary_for=parse_names(raw.get("prefer_binary_for", [])))


def _scenarios() -> list[dict[str, Any]]:
    out = []
    for kind in ("choices", "tools"):
        for raw in json.loads((ROOT / "tests" / "scenarios" / f"{kind}.json").read_text(encoding="utf-8")):
            out.append({**raw, "kind": kind})
    return out


RECORDED_INSTALLERS = sorted({p.stem.replace("-", "==", 1) for kind in ("choices", "tools")
                              for p in (ROOT / "tests" / "fixtures" / kind).glob("*.json")})


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda s: f"{s['kind']}/{s['id']}")
def test_every_recorded_scenario(scenario: dict[str, Any], profiles: dict[str, Profile]) -> None:
    """The scenario's own platform and Python, and a few others, x every recorded installer version."""
    files = [parse_filename(x["filename"], requires_python=x.get("requires_python"),
                            yanked=x.get("yanked", False) is not False,
                            yanked_reason=x["yanked"] if isinstance(x.get("yanked"), str) else None)
             for x in scenario["files"]]
    own = profiles.get(scenario["platform"])
    chosen = [own] if own is not None else []
    chosen += [profiles[p] for p in PLATFORMS[:4] if p != scenario["platform"]]
    pythons = sorted({scenario["python"], "cp312", "cp38"})
    from tagsim import resolve_platform

    if own is None:
        chosen.insert(0, resolve_platform(scenario["platform"]))
    columns = [Column(p, interp(py), parse_installer(i)) for p in chosen for py in pythons
               for i in RECORDED_INSTALLERS]
    assert_batch_equals_decide(files, columns, parse_spec(scenario["spec"]), _flags(scenario.get("flags", {})))


def test_recorded_folder_ties(profiles: dict[str, Profile]) -> None:
    records = json.loads((ROOT / "tests" / "fixtures" / "issue13" / "q2_ties.json").read_text(encoding="utf-8"))
    seen = set()
    installers = sorted({r["installer"] for r in records["records"]})
    columns = [Column(profiles[p], interp("cp312"), parse_installer(i))
               for p in ("linux-x86_64-glibc2.36", "linux-x86_64-glibc2.28") if p in profiles for i in installers]
    for record in records["records"]:
        names, folder = record["creation_and_page_order"], record["source"] == "find-links"
        key = (tuple(names), folder)
        if key in seen:
            continue
        seen.add(key)
        files = [parse_filename(n, in_folder=folder) for n in (sorted(names) if folder else names)]
        assert_batch_equals_decide(files, columns, parse_spec("demo"), Flags())


def test_the_uv_listing_history_and_whole(profiles: dict[str, Profile]) -> None:
    """The bundled uv listing: every release pinned (as `history` asks) and the whole listing, every profile."""
    from tagsim import load_source
    from tagsim.report.history import group_releases

    files = load_source(str(ROOT / "data" / "demo" / "pypi-simple-uv.json"))
    columns = [Column(p, interp("cp312"), parse_installer(i)) for p in profiles.values()
               for i in ("pip", "uv", "pip==20.2.4")]
    batch = Batch(columns)
    for version, dists in group_releases(files, "uv")[::25]:
        assert_batch_equals_decide(list(dists), columns, Requirement(f"uv=={version}"), Flags(), batch)
    assert_batch_equals_decide(files, columns[::7], None, Flags())


#: Same ABI, two systems each: on Linux the first ranks best (manylinux_2_28), on macOS 14 the second (14_0);
#: the last two tie on Linux (manylinux_2_17) and not on macOS.
CROSS = ["cp312-cp312-manylinux_2_28_x86_64.macosx_10_9_x86_64", "cp312-cp312-manylinux_2_17_x86_64.macosx_14_0_x86_64",
         "py3-none-manylinux_2_17_x86_64.macosx_10_9_x86_64", "py3-none-manylinux_2_17_x86_64.macosx_14_0_x86_64"]


@pytest.mark.parametrize("order", [CROSS, CROSS[::-1]], ids=["listed", "reversed"])
def test_columns_that_rank_the_same_files_in_other_orders(order: list[str], profiles: dict[str, Profile]) -> None:
    """Columns share a pick only when they admit the same files in the same rank order (ties included)."""
    files = [parse_filename(f"demo-1.0-{tags}.whl") for tags in order]
    columns = [Column(profiles[p], interp("cp312"), parse_installer(i))
               for p in ("linux-x86_64-glibc2.28", "macos14-x86_64-rosetta", "linux-x86_64-glibc2.36")
               for i in ("pip", "pip==20.2.4", "uv", "uv==0.1.20")]
    results = Batch(columns).decide(files)
    chosen = {(c.profile.os, c.installer.spec): r.chosen.filename for c, r in zip(columns, results, strict=True)
              if isinstance(r, Decision) and r.chosen is not None}
    assert chosen[("linux", "pip==26.3")].endswith(CROSS[0] + ".whl")
    assert chosen[("macos", "pip==26.3")].endswith(CROSS[1] + ".whl")
    assert_batch_equals_decide(files, columns, None, Flags())
    no_cp312 = [f for f in files if "py3-none" in f.filename]  # a tie on Linux, a rank on macOS
    assert_batch_equals_decide(no_cp312, columns, None, Flags())


# --- generated listings ---------------------------------------------------------------------------------

_TAGS = ["py3-none-any", "py2.py3-none-any", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
         "cp312-cp312-manylinux_2_28_aarch64", "cp38-abi3-manylinux_2_17_aarch64", "cp312-cp312-musllinux_1_2_x86_64",
         "cp312-cp312-macosx_11_0_arm64", "cp38-abi3-macosx_10_9_universal2", "cp312-cp312-win_amd64",
         "cp38-cp38-manylinux1_x86_64", "cp313-cp313t-manylinux_2_17_x86_64", "pp310-pypy310_pp73-manylinux_2_17_x86_64",
         "py3-none-linux_armv7l", "py3-none-manylinux_2_31_armv7l", "cp312-none-any", "py3-none-macosx_10_9_x86_64",
         # Tag sets for two systems: ranked one way on Linux, the other way (or tied) on macOS.
         *CROSS]
_VERSIONS = ["1.0", "1.1", "2.0", "2.0rc1", "2.1.dev0", "3.0b2"]
_REQUIRES = [None, ">=3.9", "<3.9", ">=3.8,<3.11", "!=3.12.0,>=3.12", ">=3.12", "invalid"]

_file = st.builds(
    lambda version, tag, build, sdist, requires, yanked, folder: parse_filename(
        f"demo-{version}.tar.gz" if sdist else f"demo-{version}{'-' + build if build else ''}-{tag}.whl",
        requires_python=requires, yanked=yanked, yanked_reason="broken" if yanked else None, in_folder=folder),
    st.sampled_from(_VERSIONS), st.sampled_from(_TAGS), st.sampled_from(["", "", "1", "2a", "10"]),
    st.booleans(), st.sampled_from(_REQUIRES), st.booleans() | st.just(False), st.just(False) | st.booleans())
_listing = st.lists(_file, min_size=1, max_size=12, unique_by=lambda d: d.filename).map(list)
_flag_sets = st.builds(
    Flags, prefer_binary=st.booleans(), only_binary=st.sampled_from([frozenset(), frozenset({":all:"}), frozenset({"demo"})]),
    no_binary=st.sampled_from([frozenset(), frozenset({":all:"}), frozenset({"demo"})]), no_build=st.booleans(),
    pre=st.booleans(), prefer_binary_for=st.sampled_from([frozenset(), frozenset({"demo"})]))
_requirements = st.sampled_from([None, "demo", "demo==2.0", "demo>=1.1", "demo==2.0rc1", "demo<2", "demo===1.0",
                                 "demo!=2.0"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(files=_listing, flags=_flag_sets, spec=_requirements,
       installers=st.lists(st.sampled_from(ERAS), min_size=1, max_size=4, unique=True),
       pythons=st.lists(st.sampled_from(["cp312", "cp38", "cp313t", "pp310", "cp312@3.12.1"]), min_size=1, max_size=2,
                        unique=True),
       platforms=st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=3, unique=True))
def test_generated_listings(files: list[DistFile], flags: Flags, spec: str | None, installers: list[str],
                            pythons: list[str], platforms: list[str]) -> None:
    from tagsim import bundled_profiles

    profiles = bundled_profiles()
    columns = [Column(profiles[p], interp(py), parse_installer(i)) for p in platforms for py in pythons
               for i in installers]
    assert_batch_equals_decide(files, columns, parse_spec(spec) if spec else None, flags)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(listings=st.lists(_listing, min_size=2, max_size=6), flags=_flag_sets, spec=_requirements,
       installers=st.lists(st.sampled_from(ERAS), min_size=1, max_size=3, unique=True))
def test_one_batch_remembers_picks_across_generated_listings(listings: list[list[DistFile]], flags: Flags,
                                                             spec: str | None, installers: list[str]) -> None:
    """Picks are remembered across listings under the facts they read (`choice.answers`): one batch deciding
    many listings in turn, each listing also renamed to another project and version (the same shapes, as a
    history's releases or a stream's projects repeat them), still equals `decide` on every one."""
    from tagsim import bundled_profiles

    profiles = bundled_profiles()
    columns = [Column(profiles[p], interp(py), parse_installer(i)) for p in PLATFORMS[:3]
               for py in ("cp312", "cp38") for i in installers]
    batch = Batch(columns)
    req = parse_spec(spec) if spec else None
    for files in listings:
        assert_batch_equals_decide(files, columns, req, flags, batch)
        renamed = [parse_filename(f.filename.replace("demo-", "other-", 1), requires_python=f.requires_python,
                                  yanked=f.yanked, yanked_reason=f.yanked_reason, in_folder=f.in_folder) for f in files]
        assert_batch_equals_decide(renamed, columns, parse_spec(spec.replace("demo", "other")) if spec else None,
                                   flags, batch)


def _variants(files: list[DistFile]) -> list[list[DistFile]]:
    """The listing, then each fact a pick reads changed on its own: the order (filename ties), one file's
    yank, its Requires-Python, its build tag."""
    def remade(dist: DistFile, *, filename: str | None = None, requires: str | bool | None = False,
               yanked: bool | None = None) -> DistFile:
        return parse_filename(filename or dist.filename,
                              requires_python=dist.requires_python if requires is False else requires,
                              yanked=dist.yanked if yanked is None else yanked, yanked_reason=dist.yanked_reason,
                              in_folder=dist.in_folder)

    out = [files, files[::-1]]
    for k, dist in enumerate(files):
        for change in ({"yanked": not dist.yanked}, {"requires": ">=3.9" if dist.requires_python else "<3.9"}):
            out.append([remade(d, **change) if n == k else d for n, d in enumerate(files)])  # type: ignore[arg-type]
        if dist.is_wheel and dist.filename.count("-") == 4:
            built = dist.filename.replace("-", "-7-", 2).replace("-7-", "-", 1)
            out.append([remade(d, filename=built) if n == k else d for n, d in enumerate(files)])
    return out


_two_tied = st.lists(st.sampled_from(["demo-1.0-py3-none-any.whl", "demo-1.0-py2.py3-none-any.whl",
                                       "demo-1.0.tar.gz", "demo-1.0.zip", "demo-0.9-py3-none-any.whl"]),
                     min_size=1, max_size=5, unique=True).map(lambda names: [parse_filename(n) for n in names])


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.one_of(_listing.map(lambda fs: fs[:6]), _two_tied), flags=_flag_sets,
       spec=st.sampled_from([None, "demo", "demo==1.0", "demo>=1.0", "demo==2.0", "demo>=2.0"]),
       installers=st.lists(st.sampled_from(ERAS), min_size=1, max_size=3, unique=True))
def test_one_batch_remembers_picks_only_under_the_facts_they_read(files: list[DistFile], flags: Flags,
                                                                  spec: str | None, installers: list[str]) -> None:
    """Picks are remembered across listings under the facts they read (`choice.answers`). One batch decides a
    listing and then each variant with one such fact changed (file order, a yank, a Requires-Python, a build
    tag), under a pinned and an unpinned requirement; every answer still equals `decide`."""
    from tagsim import bundled_profiles

    profiles = bundled_profiles()
    columns = [Column(profiles[p], interp(py), parse_installer(i)) for p in PLATFORMS[:2]
               for py in ("cp312", "cp38") for i in installers]
    batch = Batch(columns)
    specs = [spec, spec.replace("==", ">=") if spec else "demo==1.0"]
    for variant in _variants(files):
        for text in specs:
            assert_batch_equals_decide(variant, columns, parse_spec(text) if text else None, flags, batch)


def test_one_batch_many_listings_and_the_convenience_call(profiles: dict[str, Profile]) -> None:
    """A batch keeps its tag-set vectors across listings; `decide_columns` is one listing with a fresh batch."""
    columns = [Column(profiles[p], interp("cp312"), parse_installer(i)) for p in PLATFORMS for i in ("pip", "uv")]
    batch = Batch(columns)
    first = [parse_filename("demo-1.0-py3-none-any.whl"), parse_filename("demo-1.0.tar.gz")]
    second = [parse_filename("demo-2.0-cp312-cp312-win_amd64.whl"), parse_filename("demo-2.0.tar.gz")]
    for files in (first, second, first):
        assert [batch_answer(r) for r in batch.decide(files)] == \
            [batch_answer(r) for r in decide_columns(files, columns)]
    outcomes = [r.outcome.value for r in batch.decide(second) if not isinstance(r, TagsimError)]
    assert outcomes.count("wheel") == 2 and outcomes.count("sdist") == len(columns) - 2  # windows-amd64, pip and uv


def test_errors_are_per_column_and_the_same_as_decide(profiles: dict[str, Profile]) -> None:
    files = [parse_filename("demo-1.0-py3-none-any.whl")]
    columns = [Column(profiles["linux-x86_64-glibc2.28"], interp(py), parse_installer(i))
               for py in ("cp312", "cp313t") for i in ("pip==20.2.4", "pip", "poetry")]
    results = Batch(columns).decide(files)
    assert [isinstance(r, TagsimError) for r in results] == [False, False, False, True, False, True]
    assert_batch_equals_decide(files, columns, None, Flags())
    several = [*files, parse_filename("other-1.0.tar.gz")]
    assert all(isinstance(r, TagsimError) and "several projects" in str(r) for r in Batch(columns).decide(several))
