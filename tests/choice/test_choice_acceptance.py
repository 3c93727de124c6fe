"""Issue 3 acceptance: the uv 0.1.40-0.1.45 aarch64 story, from the bundled real listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagsim import parse_installer, parse_python, resolve_platform
from tagsim.choice.decision import Decision
from tagsim.choice.flags import Flags
from tagsim.choice.requirement import parse_spec
from tagsim.files.sources import load_source
from tagsim.report.explain import explain

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json"
PIP, UV = parse_installer("pip"), parse_installer("uv")


def _decide(platform: str, spec: str, flags: Flags | None = None, source: str = str(DEMO)) -> dict[str, Decision]:
    # `load_source`, not `load_sources`: the folder test's empty files stand for names, and `load_sources`
    # would look inside them and list them as unusable (not zips), as a real installer would fail on them.
    expl = explain(resolve_platform(platform), parse_python("cp312"), load_source(source), req=parse_spec(spec),
                   installers=[PIP, UV], flags=flags)
    return {d.installer.name: d for d in expl.decisions}


def test_uv_0_1_40_on_centos7_aarch64_builds_the_sdist_which_needs_cargo() -> None:
    decisions = _decide("linux-aarch64-glibc2.17", "uv==0.1.40", Flags(build_backend="maturin"))
    for decision in decisions.values():
        assert decision.outcome == "sdist"
        assert decision.chosen is not None and decision.chosen.filename == "uv-0.1.40.tar.gz"
        assert decision.build is not None and "Rust toolchain (cargo)" in decision.build.needs
        details = {c.file.filename: c.detail for c in decision.considered}
        assert details["uv-0.1.40-py3-none-manylinux_2_28_aarch64.whl"] == "needs glibc 2.28, platform has 2.17"
        assert details["uv-0.1.40-py3-none-musllinux_1_2_aarch64.whl"] == (
            "musllinux wheel is for musl, platform uses glibc")


def test_without_backend_the_build_needs_are_unknown_not_guessed() -> None:
    decision = _decide("linux-aarch64-glibc2.17", "uv==0.1.40")["pip"]
    assert decision.build is not None and decision.build.backend is None and decision.build.needs == ()
    assert "unknown requirements" in decision.message


@pytest.mark.parametrize(("platform", "expected"), [
    ("linux-aarch64-glibc2.17", "uv-0.1.45-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl"),
    ("linux-aarch64-glibc2.28", "uv-0.1.45-py3-none-manylinux_2_28_aarch64.whl"),
    ("linux-aarch64-musl1.1", "uv-0.1.45-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl"),
])
def test_uv_0_1_45_dual_tagged_wheel(platform: str, expected: str) -> None:
    for decision in _decide(platform, "uv==0.1.45").values():
        assert decision.outcome == "wheel"
        assert decision.chosen is not None and decision.chosen.filename == expected


def test_newest_version_sdist_versus_older_wheel() -> None:
    spec = "uv>=0.1.43,<=0.1.44"
    wheel_0_1_43 = "uv-0.1.43-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl"
    plain = _decide("linux-aarch64-glibc2.17", spec)
    assert plain["pip"].outcome == "sdist" and plain["pip"].chosen.filename == "uv-0.1.44.tar.gz"  # type: ignore[union-attr]
    assert plain["uv"].chosen.filename == "uv-0.1.44.tar.gz"  # type: ignore[union-attr]
    prefer = _decide("linux-aarch64-glibc2.17", spec, Flags(prefer_binary=True))["pip"]
    assert prefer.chosen is not None and prefer.chosen.filename == wheel_0_1_43
    no_build = _decide("linux-aarch64-glibc2.17", spec, Flags(no_build=True))["uv"]
    assert no_build.chosen is not None and no_build.chosen.filename == wheel_0_1_43


def test_uv_ignores_prefer_binary() -> None:
    decision = _decide("linux-aarch64-glibc2.17", "uv>=0.1.43,<=0.1.44", Flags(prefer_binary=True))["uv"]
    assert decision.chosen is not None and decision.chosen.filename == "uv-0.1.44.tar.gz"


def test_directory_source_gives_the_same_answers_as_the_listing(tmp_path: Path) -> None:
    import json

    listing = json.loads(DEMO.read_text())
    for entry in listing["files"]:
        if entry["filename"].startswith(("uv-0.1.43", "uv-0.1.44", "uv-0.1.45")):
            (tmp_path / entry["filename"]).write_bytes(b"")
    for platform in ("linux-aarch64-glibc2.17", "linux-aarch64-glibc2.28", "linux-aarch64-musl1.1"):
        for spec in ("uv==0.1.45", "uv>=0.1.43,<=0.1.44", "uv"):
            from_listing = _decide(platform, spec if spec != "uv" else "uv<=0.1.45")
            from_dir = _decide(platform, spec if spec != "uv" else "uv<=0.1.45", source=str(tmp_path))
            for name in ("pip", "uv"):
                a, b = from_listing[name], from_dir[name]
                assert (a.outcome, a.chosen and a.chosen.filename) == (b.outcome, b.chosen and b.chosen.filename)


def test_load_sources_looks_inside_files_at_hand(tmp_path: Path) -> None:
    """Issue 12: the archive check runs in the library's `load_sources`, not only in the CLI."""
    from tagsim.files.sources import load_sources

    (tmp_path / "demo-1.0-py3-none-any.whl").write_bytes(b"")
    loaded = load_sources([str(tmp_path)])
    assert [f.kind.value for f in loaded.files] == ["unusable"]
    assert loaded.warnings == ["demo-1.0-py3-none-any.whl: not a zip archive (truncated or corrupt wheel); listed as unusable"]
