"""Fuzz campaign: platform profiles (`platforms.json` edits, `--matrix` files, inline specs, uv targets).

Rule: a profile is accepted or refused with a `ProfileError` naming the profile (and the field);
an accepted profile renders back (`tagsim platforms --format json`) to a record that reads as the
same profile, and every installer computes its tags there or says it does not model them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_support import count, fuzz, result_or_tagsim_error
from tagsim.choice.registry import compatible_tags, parse_installer
from tagsim.errors import ProfileError
from tagsim.platform.interpreter import parse_python
from tagsim.platform.profile import Profile
from tagsim.platform.profile_file import bundled_profiles, load_profiles_file, parse_profiles_document, profile_from_mapping
from tagsim.platform.resolve import resolve_platform
from tagsim.render.json import profile_json as profile_record
from tagsim.report.plan import load_matrix

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = json.loads((ROOT / "data" / "platforms.json").read_text(encoding="utf-8"))["profiles"]
INSTALLERS = [parse_installer(s) for s in ("pip", "uv", "pip==20.3.4", "pip==19.3.1", "uv==0.4.30")]
PYTHONS = [parse_python(p) for p in ("cp312", "cp313t", "pp310")]
KEYS = ["id", "description", "os", "arch", "libc", "libc_version", "python_bits", "float_abi", "os_version", "rosetta",
        "sdk", "api_level", "emscripten_version", "pyemscripten_version", "colour", "", "ID", "arch "]
junk = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=12),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                 st.sampled_from(["2.17", "1.0", "9.9", "99", "2.10", "26.9", "2.51", "1.3", " 2.17 ", "2.17.1", "\u0662.\u0661\u0667",
                                  "2." + "9" * 5000, "14.0-RELEASE", "3.1.58", "2025_0", "x86_64", "aarch64", "glibc",
                                  "musl", "soft", "iphonesimulator", "linux", "macos"]),
                 st.sampled_from([2.17, 2.1, 2.10, 9.9, 14, 32, 64, 16, 40, 41, 15, 32.0]))


@st.composite
def profile_entries(draw: st.DrawFn) -> Any:
    entry = copy.deepcopy(draw(st.sampled_from(BUNDLED)))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["set", "set", "drop", "unknown", "version"]))
        if action == "set":
            entry[draw(st.sampled_from(KEYS))] = draw(junk)
        elif action == "drop" and entry:
            entry.pop(draw(st.sampled_from(sorted(entry))))
        elif action == "unknown":
            entry[draw(st.text(min_size=1, max_size=6))] = draw(junk)
        else:
            field = draw(st.sampled_from(["libc_version", "os_version", "api_level"]))
            entry[field] = draw(st.sampled_from(["1.0", "9.9", "99", "99.0", "2.0", "2.50", "2.51", "0.9", "1.2", "1.3",
                                                 "10.0", "26.9", "27.0", 15, 16, 40, 41, "", "2.", ".17",
                                                 # issue 14 item 3: huge minors made millions of macOS tags
                                                 "10.16", "10.17", "10.99999", "11.20", "11.21", "14.999999", "2.999999"]))
    return entry if draw(st.integers(0, 14)) else draw(junk)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    profiles = draw(st.lists(profile_entries(), max_size=4))
    if profiles and draw(st.integers(0, 4)) == 0:
        profiles.append(copy.deepcopy(profiles[0]))  # duplicates
    doc: Any = {"schema_version": 1, "profiles": profiles}
    return doc if draw(st.integers(0, 14)) else draw(st.one_of(junk, st.just({"profiles": draw(junk)})))


def check_profile(profile: Profile) -> None:
    record = profile_record(profile)
    again = profile_from_mapping(record, where="round trip")
    assert again == profile, (record, again)
    for installer in INSTALLERS:
        for interp in PYTHONS:
            tags, error = result_or_tagsim_error(lambda: compatible_tags(profile, interp, installer))  # noqa: B023
            assert error is not None or (tags and len(set(tags)) == len(tags))


@fuzz(ci=200, large=15_000)
@given(documents())
@example({"profiles": [{"id": "box", "os": "linux", "arch": ["x86_64"], "libc": "glibc", "libc_version": "2.17"}]})
@example({"profiles": [{"id": "box", "os": "linux", "arch": "x86_64", "libc": "glibc", "libc_version": "2." + "9" * 5000}]})
@example({"profiles": [{"id": "box", "os": "linux", "arch": "x86_64", "libc": "glibc", "libc_version": 2.10}]})
@example({"profiles": [{"id": "a", "os": "windows", "arch": "amd64"}, {"id": "a", "os": "windows", "arch": "x86"}]})
@example({"profiles": [{"id": "box", "os": "windows", "arch": "amd64", "\n": None}]})  # a two-line error before the fix
def test_profile_documents(document: Any) -> None:
    count("profiles")
    result, error = result_or_tagsim_error(lambda: parse_profiles_document(document, source="platforms.json"))
    if error is not None:
        assert isinstance(error, ProfileError) and str(error).startswith("platforms.json")
        assert str(error).count(" profile '") <= 1  # the profile is named once
        return
    assert len(result) == len(document["profiles"])  # every entry became a profile, or the file was refused
    for profile in result.values():
        check_profile(profile)


INLINE_PARTS = st.one_of(
    st.sampled_from(["os=linux", "os=macos", "os=windows", "os=ios", "os=android", "os=freebsd", "os=emscripten",
                     "arch=x86_64", "arch=aarch64", "arch=arm64", "arch=amd64", "arch=armv7l", "arch=wasm32",
                     "glibc=2.17", "glibc=1.0", "musl=1.2", "musl=9.9", "version=14.0", "version=99", "version=14.0-RELEASE",
                     "bits=32", "bits=64", "bits=²", "api=24", "api=\u0663\u0663", "api=" + "9" * 5000, "rosetta=yes", "sdk=iphoneos",
                     "float_abi=soft", "emscripten_version=3.1.58", "glibc=2." + "9" * 5000, "=", "os", "a=b=c", ""]),
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(KEYS), st.text(max_size=8)))


@fuzz(ci=250, large=15_000)
@given(st.one_of(st.lists(INLINE_PARTS, min_size=1, max_size=6).map(",".join), st.text(max_size=30),
                 st.sampled_from(["aarch64-manylinux_2_17", "manylinux_2_99_x86_64", "x86_64-manylinux_2_" + "9" * 5000,
                                  "x86_64-unknown-linux-musl", "wasm32-pyodide2025", "", "linux-x86_64-glibc2.17"])))
@example("os=android,arch=x86,api=²")  # ValueError from int() before the fix
@example("os=android,arch=x86,api=" + "9" * 5000)
@example("os=linux,arch=x86_64,glibc=2." + "9" * 5000)  # ValueError (int digit limit) before the fix
@example("os=linux,arch=x86_64,glibc=1.0")
@example("os=linux,arch=x86_64,musl=9.9")
@example("os=macos,arch=arm64,version=99")
def test_inline_specs_and_uv_targets(spec: str) -> None:
    count("profiles")
    profile, error = result_or_tagsim_error(lambda: resolve_platform(spec))
    if error is not None:
        assert isinstance(error, ProfileError)
        return
    check_profile(profile)


@pytest.mark.parametrize(("spec", "message"), [
    ("os=linux,arch=x86_64,glibc=1.0", "'libc_version': 1.0 is not a real version"),
    ("os=linux,arch=x86_64,musl=9.9", "'libc_version': 9.9 is not a real version"),
    ("os=macos,arch=arm64,version=99", "'os_version': 99.0 is not a real version"),
    ("os=android,arch=x86,api=²", "'api_level': expected a number"),
    ("os=linux,arch=x86_64,glibc=2." + "9" * 5000, "'libc_version': expected a version like 2.17"),
])
def test_impossible_inline_profiles_name_the_field(spec: str, message: str) -> None:
    """Crash pins: `api=²` and a 5000-digit glibc minor raised ValueError out of `parse_inline`."""
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(".", r"\.")):
        resolve_platform(spec)


def test_unhashable_arch_and_float_versions_are_profile_errors() -> None:
    """Crash pin: `"arch": [...]` raised TypeError (unhashable); `"libc_version": 2.10` silently read as 2.1."""
    base = {"id": "box", "os": "linux", "libc": "glibc", "libc_version": "2.17"}
    with pytest.raises(ProfileError, match="'arch'"):
        profile_from_mapping({**base, "arch": ["x86_64"]}, where="m.json")
    with pytest.raises(ProfileError, match="as a string"):
        profile_from_mapping({**base, "arch": "x86_64", "libc_version": 2.10}, where="m.json")


@pytest.mark.parametrize("text", ['{"profiles": ' + "[" * 100_000 + "]}", '{"profiles": [], "n": ' + "9" * 5000 + "}",
                                  "\udcff", '{"profiles": [1]}', "[]", ""])
def test_profile_and_matrix_files_with_hostile_json(tmp_path: Path, text: str) -> None:
    """Crash pins: deep nesting (RecursionError) and 5000-digit integers (ValueError) in `--matrix` files."""
    path = tmp_path / "m.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    for loader in (load_profiles_file, load_matrix):
        with pytest.raises(ProfileError) as info:
            loader(str(path))
        assert str(path) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ProfileError):
        load_profiles_file("m\x00.json")
    with pytest.raises(ProfileError):
        load_matrix("m\x00.json")


def test_every_bundled_profile_round_trips() -> None:
    for profile in bundled_profiles().values():
        assert profile_from_mapping(profile_record(profile), where="rt") == profile


def test_platforms_json_reads_back_as_a_profile_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bug pin: `platforms --format json` wrote FreeBSD's release as `release`, a key profile files refuse."""
    from tagsim.cli import main

    assert main(["platforms", "--format", "json"]) == 0
    path = tmp_path / "mine.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert load_profiles_file(path) == bundled_profiles()
