"""Property tests (hypothesis) of the tag-ordering invariants and of the choice policies."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tagsim import compatible_tags, parse_installer, parse_python
from tagsim.choice.decide import decide
from tagsim.choice.requirement import parse_spec
from tagsim.errors import NotModelledError
from tagsim.files.filename import parse_filename
from tagsim.platform.profile import Profile

PIPS = ["9.0.3", "18.1", "19.0.3", "19.3.1", "20.2.4", "20.3.4", "21.1.3", "21.3.1", "24.0", "24.3.1", "25.3",
        "26.2.1", "26.3"]
UVS = ["0.1.20", "0.1.45", "0.4.30", "0.5.11", "0.7.22", "0.9.30", "0.11.20", "0.11.21", "0.13.8"]
installers = st.one_of(st.sampled_from([f"pip=={v}" for v in PIPS]), st.sampled_from([f"uv=={v}" for v in UVS]))
# uv before 0.1.22 ranked older manylinux and `cpXY-none` too high (astral-sh/uv#2477, fixed by #2483/#2489);
# the ordering invariants hold from 0.1.22 on, and `test_uv_before_0_1_22_keeps_its_legacy_order` pins the old one.
ordered_installers = st.one_of(st.sampled_from([f"pip=={v}" for v in PIPS]),
                               st.sampled_from([f"uv=={v}" for v in UVS if v != "0.1.20"]))
modern_pips = st.sampled_from([f"pip=={v}" for v in PIPS if v >= "20.3" or v.startswith("9")])
cpythons = st.sampled_from(["cp38", "cp39", "cp310", "cp311", "cp312", "cp313", "cp314"])
pythons = st.one_of(cpythons, st.sampled_from(["cp313t", "cp314t", "pp39", "pp310"]))
TRIPLE = re.compile(r"^[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+$")


@st.composite
def linux_profiles(draw: st.DrawFn, libc: str | None = None) -> Profile:
    libc = libc or draw(st.sampled_from(["glibc", "musl"]))
    arch = draw(st.sampled_from(["x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64"]))
    version = (2, draw(st.integers(5, 41))) if libc == "glibc" else (1, draw(st.integers(0, 2)))
    return Profile(id="gen", os="linux", arch=arch, libc=libc, libc_version=version)


@st.composite
def mac_profiles(draw: st.DrawFn) -> Profile:
    major = draw(st.integers(10, 15))
    minor = draw(st.integers(9, 15)) if major == 10 else 0
    return Profile(id="gen", os="macos", arch=draw(st.sampled_from(["x86_64", "arm64"])), os_version=(major, minor))


profiles = st.one_of(linux_profiles(), mac_profiles(),
                     st.sampled_from(["amd64", "x86", "arm64"]).map(lambda a: Profile(id="w", os="windows", arch=a)))


def tags_or_skip(profile: Profile, python: str, installer: str) -> tuple[str, ...]:
    try:
        return compatible_tags(profile, parse_python(python), parse_installer(installer))
    except NotModelledError:
        assume(False)
        raise


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(profiles, pythons, installers)
def test_no_duplicates_and_valid_triples(profile: Profile, python: str, installer: str) -> None:
    tags = tags_or_skip(profile, python, installer)
    assert len(tags) == len(set(tags))
    assert all(TRIPLE.match(t) for t in tags)


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(linux_profiles("glibc"), st.integers(1, 8), cpythons, ordered_installers)
def test_raising_glibc_never_removes_a_tag_and_newer_manylinux_ranks_first(
        profile: Profile, bump: int, python: str, installer: str) -> None:
    assert profile.libc_version is not None
    newer = replace(profile, libc_version=(2, profile.libc_version[1] + bump))
    old_tags, new_tags = tags_or_skip(profile, python, installer), tags_or_skip(newer, python, installer)
    assert set(old_tags) <= set(new_tags)
    rank = {t: i for i, t in enumerate(new_tags)}
    pep600 = [t for t in new_tags if re.search(r"-manylinux_2_\d+_", t)]
    for tag in pep600:
        py, abi, plat = tag.split("-")
        minor = int(plat.split("_")[2])
        lower = f"{py}-{abi}-" + re.sub(r"manylinux_2_\d+_", f"manylinux_2_{minor - 1}_", plat, count=1)
        if lower in rank:
            assert rank[tag] < rank[lower]


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(profiles, cpythons, ordered_installers)
def test_abi_order_and_abi3_of_older_minor(profile: Profile, python: str, installer: str) -> None:
    tags = tags_or_skip(profile, python, installer)
    rank = {t: i for i, t in enumerate(tags)}
    interp = parse_python(python)
    older = f"cp3{interp.minor - 1}"
    for tag in tags:
        py, abi, plat = tag.split("-")
        if py == interp.interpreter and abi == interp.abi:
            for lower in (f"{py}-abi3-{plat}", f"{py}-none-{plat}", f"{older}-abi3-{plat}"):
                if lower in rank:
                    assert rank[tag] < rank[lower], (tag, lower)
            if f"{py}-abi3-{plat}" in rank and f"{py}-none-{plat}" in rank:
                assert rank[f"{py}-abi3-{plat}"] < rank[f"{py}-none-{plat}"]
            if f"{py}-abi3-{plat}" in rank and f"{older}-abi3-{plat}" in rank:
                assert rank[f"{py}-abi3-{plat}"] < rank[f"{older}-abi3-{plat}"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(profiles, pythons, installers)
def test_py3_none_any_everywhere_and_below_every_platform_tag(profile: Profile, python: str, installer: str) -> None:
    tags = tags_or_skip(profile, python, installer)
    assert "py3-none-any" in tags
    last_platform = max(i for i, t in enumerate(tags) if not t.endswith("-any"))
    assert tags.index("py3-none-any") > last_platform


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(mac_profiles(), pythons, installers)
def test_macos_accepts_no_newer_macos_and_arm64_no_x86_64(profile: Profile, python: str, installer: str) -> None:
    assert profile.os_version is not None
    for tag in tags_or_skip(profile, python, installer):
        m = re.search(r"macosx_(\d+)_(\d+)_(\w+)$", tag)
        if m:
            assert (int(m[1]), int(m[2])) <= profile.os_version
            if profile.arch == "arm64":
                assert m[3] in ("arm64", "universal2", "universal")


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(profiles, st.sampled_from(["cp313t", "cp314t"]), installers)
def test_free_threaded_never_accepts_plain_abi3(profile: Profile, python: str, installer: str) -> None:
    assert not any(t.split("-")[1] == "abi3" for t in tags_or_skip(profile, python, installer))


# --- choice policies -------------------------------------------------------------------------

PLATS = ["manylinux_2_17_x86_64", "manylinux_2_28_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64",
         "linux_x86_64", "macosx_11_0_arm64", "win_amd64", "any", "manylinux_2_17_aarch64"]
ABIS = [("cp312", "cp312"), ("cp312", "abi3"), ("cp39", "abi3"), ("py3", "none"), ("cp311", "cp311"),
        ("cp313", "cp313")]


@st.composite
def dist_names(draw: st.DrawFn) -> str:
    version = draw(st.sampled_from(["1.0", "1.1", "2.0"]))
    if draw(st.booleans()):
        return f"demo-{version}.tar.gz"
    py, abi = draw(st.sampled_from(ABIS))
    plat = draw(st.sampled_from(PLATS)) if abi != "none" or draw(st.booleans()) else "any"
    build = draw(st.sampled_from(["", "-1", "-2"]))
    return f"demo-{version}{build}-{py}-{abi}-{plat}.whl"


file_sets = st.lists(dist_names(), min_size=1, max_size=8, unique=True)
PROFILE = Profile(id="p", os="linux", arch="x86_64", libc="glibc", libc_version=(2, 28))
INTERP = parse_python("cp312")
SPEC = parse_spec("demo")


def choose(names: list[str], installer: str) -> str | None:
    decision = decide(PROFILE, INTERP, parse_installer(installer), [parse_filename(n) for n in names], SPEC)
    return decision.chosen.filename if decision.chosen else None


choice_installers = st.sampled_from(["pip==26.3", "pip==21.3.1", "pip==20.2.4", "uv==0.13.8"])


@settings(max_examples=300)
@given(file_sets, choice_installers, st.sampled_from(["demo-3.0-cp312-cp312-win_amd64.whl",
                                                       "demo-3.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                                                       "demo-1.0-cp312-cp312-musllinux_1_2_x86_64.whl"]))
def test_adding_an_incompatible_file_never_changes_the_decision(names: list[str], installer: str, extra: str) -> None:
    assume(extra not in names)
    assert choose([*names, extra], installer) == choose(names, installer)


@settings(max_examples=300)
@given(file_sets, choice_installers, st.randoms())
def test_input_order_does_not_change_the_decision_without_exact_ties(names: list[str], installer: str, rnd) -> None:
    # Exact ties (same version, rank and build tag) are broken by listing order in pip; skip those.
    decision = decide(PROFILE, INTERP, parse_installer(installer), [parse_filename(n) for n in names], SPEC)
    usable = [c for c in decision.considered if c.usable]
    keys = [(c.file.version, c.rank, c.file.build) for c in usable]
    assume(len(keys) == len(set(keys)))
    shuffled = names[:]
    rnd.shuffle(shuffled)
    assert choose(shuffled, installer) == choose(names, installer)


@settings(max_examples=300)
@given(file_sets, st.sampled_from(["pip==26.3", "pip==21.3.1", "uv==0.13.8"]))
def test_chosen_wheel_ranks_best_within_its_version(names: list[str], installer: str) -> None:
    decision = decide(PROFILE, INTERP, parse_installer(installer), [parse_filename(n) for n in names], SPEC)
    if decision.outcome != "wheel":
        return
    assert decision.chosen is not None and decision.rank is not None
    for c in decision.considered:
        if c.usable and c.file.version == decision.chosen.version and c.rank is not None:
            assert decision.rank <= c.rank


@settings(max_examples=300)
@given(file_sets, choice_installers, st.sampled_from(["manylinux_2_5_x86_64", "linux_x86_64", "win32"]))
def test_adding_tags_to_the_chosen_wheel_never_makes_it_worse(names: list[str], installer: str, plat: str) -> None:
    decision = decide(PROFILE, INTERP, parse_installer(installer), [parse_filename(n) for n in names], SPEC)
    if decision.outcome != "wheel" or decision.chosen is None:
        return
    chosen = decision.chosen.filename
    stem, _, plats = chosen[:-4].rpartition("-")
    retagged = f"{stem}-{plats}.{plat}.whl" if plat not in plats.split(".") else chosen
    again = decide(PROFILE, INTERP, parse_installer(installer),
                   [parse_filename(retagged if n == chosen else n) for n in names], SPEC)
    assert again.outcome == "wheel" and again.rank is not None and again.rank <= decision.rank  # type: ignore[operator]


def test_uv_before_0_1_22_keeps_its_legacy_order() -> None:
    profile = Profile(id="p", os="linux", arch="x86_64", libc="glibc", libc_version=(2, 17))
    tags = compatible_tags(profile, parse_python("cp312"), parse_installer("uv==0.1.20"))
    assert tags[:4] == ("cp312-cp312-linux_x86_64", "cp312-none-linux_x86_64", "cp312-cp312-manylinux_2_5_x86_64",
                        "cp312-none-manylinux_2_5_x86_64")
