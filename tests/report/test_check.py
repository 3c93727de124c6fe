"""`tagsim check`: the matrix, the --require gate, formats, what-if diffs, and bad release folders."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from tagsim.choice.registry import parse_installer
from tagsim.choice.requirement import parse_spec
from tagsim.cli import main
from tagsim.errors import EditError
from tagsim.files.edits import apply_edits, parse_retag
from tagsim.files.filename import parse_filename
from tagsim.files.sources import load_sources
from tagsim.platform.interpreter import parse_python
from tagsim.platform.resolve import resolve_platform
from tagsim.report.check import build_rows, default_pythons, diff_checks, run_check
from tagsim.report.explain import explain

DEMO = str(Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json")
RETAG = "uv-0.1.44-*musllinux_1_1_aarch64.whl=+manylinux_2_17_aarch64.manylinux2014_aarch64"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the issue's acceptance: retag uv 0.1.44's static musl wheel -----------------------------

def test_retag_moves_glibc217_from_sdist_to_the_retagged_wheel(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.44", "--build-backend", "maturin",
                       "--platform", "linux-aarch64-glibc2.17", "--platform", "linux-aarch64-glibc2.28",
                       "--retag", RETAG, "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) >= {"before", "after", "changes"}
    changes = {(c["platform"], c["installer"].split("==")[0]): c for c in data["changes"]}
    assert set(changes) == {("linux-aarch64-glibc2.17", "pip"), ("linux-aarch64-glibc2.17", "uv")}
    for change in changes.values():
        assert change["before"] == "sdist (needs cargo)" and change["kind"] == "fixed"
        assert change["after"] == ("uv-0.1.44-py3-none-manylinux2014_aarch64.manylinux_2_17_aarch64."
                                   "musllinux_1_1_aarch64.whl")
    assert data["summary"] == "fixes 2 cells, breaks 0"
    # glibc 2.28 still prefers its manylinux_2_28 wheel: no change there.
    after = [r for r in data["after"]["rows"] if r["platform"] == "linux-aarch64-glibc2.28"]
    assert {r["file"] for r in after} == {"uv-0.1.44-py3-none-manylinux_2_28_aarch64.whl"}


def test_retag_text_diff_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.44", "--build-backend", "maturin",
                       "--platform", "linux-aarch64-glibc2.17", "--platform", "linux-aarch64-glibc2.28",
                       "--retag", RETAG)
    assert code == 0
    assert "linux-aarch64-glibc2.17 cp312 pip==26.3: sdist (needs cargo) -> uv-0.1.44-py3-none-manylinux2014" in out
    assert "glibc2.28" not in out and out.rstrip().endswith("fixes 2 cells, breaks 0")


# --- what-if edits -------------------------------------------------------------------------------

def test_retag_modes_follow_wheel_tags() -> None:
    files = [parse_filename("demo-1.0-py3-none-manylinux_2_28_x86_64.whl")]
    added = apply_edits(files, [parse_retag("demo-*=+manylinux_2_17_x86_64")])
    # `wheel tags` sorts each tag component of the new name.
    assert added[0].filename == "demo-1.0-py3-none-manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
    removed = apply_edits(added, [parse_retag("demo-*=-manylinux_2_28_x86_64")])
    assert removed[0].filename == "demo-1.0-py3-none-manylinux_2_17_x86_64.whl"
    replaced = apply_edits(files, [parse_retag("*.whl=musllinux_1_1_x86_64")])
    assert replaced[0].filename == "demo-1.0-py3-none-musllinux_1_1_x86_64.whl"


@pytest.mark.parametrize("text", ["nothing", "=+x", "a=+Bad-Tag", "a=+"])
def test_malformed_retag(text: str) -> None:
    with pytest.raises(EditError):
        parse_retag(text)


def test_edit_matching_nothing_is_an_error_not_no_change(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "demo-1.0-py3-none-any.whl", "--platform", "windows-amd64",
                       "--drop", "nomatch-*")
    assert code == 2 and "--drop: 'nomatch-*' matches no file" in err


def test_drop_and_add_in_command_line_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "--platform", "windows-amd64",
                       "--drop", "*.whl", "--add", "demo-1.0-py3-none-win_amd64.whl", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [c["kind"] for c in data["changes"]] == ["changed", "changed"]  # another wheel, another tag
    assert {r["file"] for r in data["after"]["rows"]} == {"demo-1.0-py3-none-win_amd64.whl"}
    # The other order drops the added wheel too: only the sdist is left.
    code, out, _ = run(capsys, "check", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz", "--platform", "windows-amd64",
                       "--add", "demo-1.0-py3-none-win_amd64.whl", "--drop", "*.whl", "--format", "json")
    assert [c["kind"] for c in json.loads(out)["changes"]] == ["broke", "broke"]


def test_diff_reports_a_break() -> None:
    files = load_sources(["demo-1.0-py3-none-manylinux_2_17_x86_64.whl", "demo-1.0.tar.gz"]).files
    rows = build_rows([resolve_platform("linux-x86_64-glibc2.17")], [parse_python("cp312")])
    installers = [parse_installer("pip"), parse_installer("uv")]
    before = run_check(files, rows, installers)
    after = run_check(apply_edits(files, [parse_retag("*.whl=manylinux_2_28_x86_64")]), rows, installers)
    changes = diff_checks(before, after)
    assert [c.kind for c in changes] == ["broke", "broke"]


# --- the matrix, the gate and the formats ---------------------------------------------------------

def test_cells_are_explain_decisions() -> None:
    files = load_sources([DEMO]).files
    req = parse_spec("uv==0.1.40")
    profile, interp = resolve_platform("linux-aarch64-glibc2.17"), parse_python("cp312")
    result = run_check(files, build_rows([profile], [interp]), [parse_installer("pip")], req=req)
    direct = explain(profile, interp, files, req=req, installers=[parse_installer("pip")])
    assert result.cells[0].decision == direct.decisions[0]
    assert result.cells[0].text() == "sdist (backend unknown)"


def test_require_gate_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", DEMO, "--spec", "uv==0.1.40", "--build-backend", "maturin"]
    code, out, _ = run(capsys, *base, "--platform", "linux-x86_64-glibc2.17", "--require", "linux-x86_64-glibc2.17")
    assert code == 0 and "all get a wheel" in out
    code, out, _ = run(capsys, *base, "--platform", "linux-x86_64-glibc2.17", "--require", "linux-aarch64-glibc2.17")
    assert code == 1
    assert "FAIL linux-aarch64-glibc2.17 cp312 pip==26.3: builds uv-0.1.40.tar.gz from source: needs Rust" in out
    code, _, _ = run(capsys, *base, "--platform", "linux-aarch64-glibc2.17")
    assert code == 0  # no --require: report only
    code, _, err = run(capsys, *base, "--require", "no-such-platform")
    assert code == 2 and err.startswith("tagsim: error: PLATFORM: unknown platform")


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.40", "--platform", "linux-aarch64-glibc2.17",
                       "--platform", "macos14-arm64", "--require", "linux-aarch64-glibc2.17:cp312", "--format", "json")
    data = json.loads(out)
    assert code == 1 and set(data) == {"rows", "summary"}
    assert len(data["rows"]) == 4 and {"platform", "python", "installer", "outcome", "rejected"} <= set(data["rows"][0])
    assert "considered" not in data["rows"][0] and "\n" not in out.strip()  # short and compact by default
    assert data["rows"][0]["rejected"]["version"] == "0.1.40" and sum(data["rows"][0]["rejected"]["counts"].values()) \
        == 6023  # every file of the listing but the chosen one
    assert data["summary"]["counts"] == {"cells": 4, "wheel": 2, "sdist": 2, "none": 0}
    assert [f["platform"] for f in data["summary"]["required_failing"]] == ["linux-aarch64-glibc2.17"] * 2


def test_markdown_is_a_pipe_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.40", "--platform", "linux-aarch64-glibc2.17",
                       "--format", "markdown")
    lines = out.splitlines()
    assert code == 0 and "| platform" in out and any(line.startswith("|:--") or line.startswith("|--") for line in lines)
    assert "\x1b[" not in out  # no colour outside a terminal


def test_github_format_writes_step_summary_and_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.40", "--platform", "linux-aarch64-glibc2.17",
                       "--require", "linux-aarch64-glibc2.17", "--format", "github")
    assert code == 1 and "| platform" in summary.read_text()
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert len(errors) == 2 and "linux-aarch64-glibc2.17 cp312 pip==26.3" in errors[0]


def test_default_pythons_follow_the_newest_release() -> None:
    files = load_sources(["x-2.0-cp311-cp311-win_amd64.whl", "x-2.0-cp313-cp313-win_amd64.whl",
                          "x-2.0-cp310-abi3-win_amd64.whl", "x-1.0-cp38-cp38-win_amd64.whl"]).files
    assert [i.tag for i in default_pythons(files, "x")] == ["cp311", "cp313"]
    assert [i.tag for i in default_pythons(load_sources(["y-1.0-py3-none-any.whl"]).files, "y")] == ["cp312"]


def test_matrix_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = tmp_path / "matrix.json"
    matrix.write_text(json.dumps({
        "platforms": ["linux-aarch64-glibc2.17", "os=linux,arch=x86_64,glibc=2.28"],
        "profiles": [{"id": "rpi", "os": "linux", "arch": "armv7l", "libc": "glibc", "libc_version": "2.31"}],
        "pythons": ["cp311", "cp312"], "require": ["rpi:cp312"]}))
    code, out, _ = run(capsys, "check", DEMO, "--spec", "uv==0.1.40", "--matrix", str(matrix), "--format", "json")
    data = json.loads(out)
    assert {(r["platform"], r["python"]) for r in data["rows"]} == {
        (p, py) for p in ("rpi", "linux-aarch64-glibc2.17", "os=linux,arch=x86_64,glibc=2.28") for py in ("cp311", "cp312")}
    assert code == 0  # rpi gets manylinux_2_17_armv7l
    matrix.write_text(json.dumps({"platforms": [], "colour": True}))
    code, _, err = run(capsys, "check", DEMO, "--matrix", str(matrix))
    assert code == 2 and "unknown key 'colour'" in err


# --- bad release folders: one line and exit 2, or a listed unusable row -------------------------

def _wheel(path: Path, tags: list[str], name: str = "demo-1.0.dist-info", extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}/WHEEL", "Wheel-Version: 1.0\n" + "".join(f"Tag: {t}\n" for t in tags))
        for member, data in (extra or {}).items():
            zf.writestr(member, data)


def test_bad_folder_contents_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    _wheel(dist / "demo-1.0-py3-none-manylinux_2_17_x86_64.whl", ["py3-none-manylinux_2_17_x86_64"])
    _wheel(dist / "demo-1.0-py3-none-manylinux_2_28_x86_64.whl", ["py3-none-manylinux_2_17_x86_64"])  # hand-renamed
    (dist / "demo-1.0-py3-none-win_amd64.whl").write_bytes(b"PK\x03\x04truncated")
    (dist / "demo-1.0.tar.gz").write_bytes(b"plain text, not gzip")
    _wheel(dist / "demo-1.0-py3-none-macosx_11_0_arm64.whl", ["py3-none-macosx_11_0_arm64"],
           extra={"../../evil.py": b"x"})
    (dist / "README.txt").write_text("notes")
    code, out, err = run(capsys, "check", str(dist), "--platform", "linux-x86_64-glibc2.28", "--format", "json",
                         "--all-considered", "--pretty")
    data = json.loads(out)
    assert code == 0, err
    unusable = {u["file"]: u["reason"] for u in data["summary"]["unusable_files"]}
    assert "not a zip archive" in unusable["demo-1.0-py3-none-win_amd64.whl"]
    assert "not a gzip" in unusable["demo-1.0.tar.gz"]
    assert "escapes the install folder" in unusable["demo-1.0-py3-none-macosx_11_0_arm64.whl"]
    assert "not a distribution file" in unusable["README.txt"]
    warnings = " ".join(data["summary"]["warnings"])
    assert "demo-1.0-py3-none-manylinux_2_28_x86_64.whl: WHEEL Tag lines differ from the filename" in warnings
    # Every file is still in each decision's considered list.
    considered = {c["file"] for c in data["rows"][0]["considered"]}
    assert considered == {p.name for p in dist.iterdir()}


def test_huge_wheel_metadata_member_is_a_warning(tmp_path: Path) -> None:
    from tagsim.files.archives import MAX_WHEEL_META_BYTES

    path = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("demo-1.0.dist-info/WHEEL", b"Tag: py3-none-any\n" + b"#" * (MAX_WHEEL_META_BYTES + 10))
    loaded = load_sources([str(path)])
    files, warnings = loaded.files, loaded.warnings
    assert files[0].usable and "over the" in warnings[0]


def test_sdist_symlink_out_of_tree_is_unusable(tmp_path: Path) -> None:

    path = tmp_path / "demo-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        info = tarfile.TarInfo("demo-1.0/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(info)
        data = b"[build-system]\n"
        info = tarfile.TarInfo("demo-1.0/pyproject.toml")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    files = load_sources([str(path)]).files
    assert not files[0].usable and "points outside" in (files[0].problem or "")


def test_unreadable_folder_and_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        code, _, err = run(capsys, "check", str(locked), "--platform", "windows-amd64")
    finally:
        locked.chmod(0o755)
    import os

    if os.geteuid() != 0:  # root reads any folder
        assert code == 2 and "cannot list folder" in err
    code, out, _ = run(capsys, "check", "demo-1.0-py3-none-any.whl", "demo-1.0-py3-none-any.whl",
                       "--platform", "windows-amd64", "--format", "json")
    data = json.loads(out)
    assert code == 0 and "duplicate filename" in data["summary"]["unusable_files"][0]["reason"]


def test_progress_bar_only_on_a_terminal_after_the_delay() -> None:
    from tagsim.cli.progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    bar = Progress(10, "check", stream=tty, delay=0.0)
    bar(5)
    bar.close()
    assert "check [" in tty.getvalue() and "5/10" in tty.getvalue()
    quiet = Progress(10, "check", stream=pipe, delay=0.0)
    quiet(5)
    assert pipe.getvalue() == ""
    slow_start = Progress(10, "check", stream=Tty(), delay=60.0)
    slow_start(5)
    assert not slow_start.shown


def test_repeated_pythons_and_installers_count_once(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14: a repeated --python or --installer no longer inflates the counts."""
    from tagsim.cli import main

    assert main(["check", DEMO, "--spec", "uv==0.1.40", "--platform", "windows-amd64", "--python", "cp312",
                 "--python", "cp312", "--installer", "pip", "--installer", "pip==26.3"]) == 0
    assert "1 cells (cp312): 1 wheel, 0 sdist, 0 none" in capsys.readouterr().out


def test_dropping_every_file_blames_the_edit_and_long_globs_are_clipped(capsys: pytest.CaptureFixture[str]) -> None:
    from tagsim.cli import main

    assert main(["check", "demo-1.0.tar.gz", "--drop", "*"]) == 2
    assert capsys.readouterr().err.startswith("tagsim: error: --drop: the edits leave no usable file")
    assert main(["check", DEMO, "--drop", "x" * 100_000]) == 2
    err = capsys.readouterr().err
    assert err.endswith("... (100000 characters) matches no file\n") and len(err) < 300
