"""The command line: outputs, JSON shapes, and the error contract (one line, exit 2, no traceback)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tagsim.cli import main

DEMO = str(Path(__file__).resolve().parents[2] / "data" / "demo" / "pypi-simple-uv.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_platforms_json_lists_every_required_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "platforms", "--format", "json")
    ids = {p["id"] for p in json.loads(out)["profiles"]}
    required = [
        "linux-x86_64-glibc2.5", "linux-i686-glibc2.5", "linux-x86_64-glibc2.12", "linux-x86_64-glibc2.17",
        "linux-i686-glibc2.17", "linux-aarch64-glibc2.17", "linux-ppc64le-glibc2.17", "linux-s390x-glibc2.17",
        "linux-armv7l-glibc2.17", "linux-x86_64-glibc2.28", "linux-aarch64-glibc2.28", "linux-x86_64-glibc2.31",
        "linux-aarch64-glibc2.31", "linux-armv7l-glibc2.31", "linux-armv6l-glibc2.31", "linux-x86_64-glibc2.35",
        "linux-x86_64-glibc2.36", "linux-aarch64-glibc2.36", "linux-x86_64-glibc2.39", "linux-riscv64-glibc2.39",
        "linux-x86_64-musl1.1", "linux-aarch64-musl1.1", "linux-x86_64-musl1.2", "linux-aarch64-musl1.2",
        "macos10.9-x86_64", "macos10.15-x86_64", "macos11-x86_64", "macos11-arm64", "macos12-arm64",
        "macos13-arm64", "macos14-arm64", "macos14-x86_64-rosetta", "windows-amd64", "windows-win32",
        "windows-arm64", "ios13-arm64-iphoneos", "android24-arm64_v8a", "emscripten-wasm32", "freebsd14-amd64",
    ]
    assert code == 0 and set(required) <= ids


def test_tags_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tags", "linux-aarch64-glibc2.17", "--format", "json", "--installer", "pip==26.3")
    data = json.loads(out)
    assert code == 0 and data["installer"] == "pip==26.3" and data["python"] == "cp312"
    assert data["tags"][0] == "cp312-cp312-linux_aarch64" and len(data["tags"]) == 96


def test_inline_profile_and_uv_target_alias(capsys: pytest.CaptureFixture[str]) -> None:
    _, inline, _ = run(capsys, "tags", "os=linux,arch=aarch64,glibc=2.17", "--format", "json", "--installer", "uv")
    _, alias, _ = run(capsys, "tags", "aarch64-manylinux_2_17", "--format", "json", "--installer", "uv")
    assert json.loads(inline)["tags"] == json.loads(alias)["tags"]


def test_diff_installer_shows_linux_first_flip(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tags", "linux-x86_64-glibc2.17", "--installer", "pip==26.3",
                       "--diff-installer", "pip==26.2.1", "--format", "json")
    diffs = {d["tag"]: d for d in json.loads(out)["differences"]}
    assert code == 0 and diffs["cp312-cp312-linux_x86_64"]["pip==26.3"] == 0


def test_explain_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "linux-aarch64-glibc2.17", DEMO, "--spec", "uv==0.1.40",
                       "--build-backend", "maturin", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["platform"] == "linux-aarch64-glibc2.17"
    for decision in data["decisions"]:
        assert decision["outcome"] == "sdist" and decision["file"] == "uv-0.1.40.tar.gz"
        assert "Rust toolchain (cargo)" in decision["build"]["needs"]
        assert len(decision["considered"]) == 6024  # every file of the listing is accounted for


def test_invalid_filenames_are_listed_not_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "linux-x86_64-glibc2.17", "demo-1.0-py3-none-any.whl",
                       "demo-1.0.whl", "notes-txt.whl", "--format", "json", "--installer", "pip")
    considered = json.loads(out)["decisions"][0]["considered"]
    invalid = {c["file"]: c for c in considered if c["reason"] == "invalid"}
    assert code == 0 and set(invalid) == {"demo-1.0.whl", "notes-txt.whl"}
    assert all("invalid wheel filename" in c["detail"] for c in invalid.values())


@pytest.mark.parametrize("argv", [
    ["tags", "linux-nowhere"],
    ["tags", "os=linux,arch=aarch64,glibc=1.0"],
    ["tags", "os=linux,arch=aarch64,musl=9.9"],
    ["tags", "os=macos,arch=arm64,version=99"],
    ["tags", "linux-aarch64-glibc2.17", "--installer", "pip==7.0"],
    ["tags", "linux-aarch64-glibc2.17", "--installer", "conda"],
    ["tags", "linux-aarch64-glibc2.17", "--python", "cp27x"],
    ["tags", "linux-aarch64-glibc2.17", "--python", "pp310", "--installer", "pip==19.3.1"],
    ["explain", "linux-aarch64-glibc2.17", "/nonexistent/folder"],
    ["explain", "linux-aarch64-glibc2.17", "demo-1.0.tar.gz", "--spec", "demo @@ 1"],
    ["frobnicate"],
    [],
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("tagsim: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_malformed_profile_file_names_the_profile_and_field(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"profiles": [{"id": "box", "os": "linux", "arch": "aarch64", "libc": "glibc",
                                             "libc_version": "2.17", "colour": "red"}]}))
    code, _, err = run(capsys, "platforms", "--matrix", str(bad))
    assert code == 2 and "'box'" in err and "colour" in err


@pytest.mark.parametrize("argv", [["explain", "windows-amd64", "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"],
                                  ["explain", "windows-amd64", "demo-1.0.tar.gz", "--format", "json"],
                                  ["tags", "linux-aarch64-glibc2.17", "--limit", "5"],
                                  ["tags", "windows-arm64", "--installer", "pip", "--diff-installer", "uv"],
                                  ["platforms", "--format", "json"]])
def test_output_file_holds_what_stdout_would(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o FILE` on every command (issue 18): the file holds exactly what stdout would, and stdout stays empty."""
    assert main(argv) == 0
    printed = capsys.readouterr().out
    target = tmp_path / "out"
    assert main([*argv, "-o", str(target)]) == 0
    assert capsys.readouterr().out == "" and target.read_text(encoding="utf-8") == printed


def test_stream_output_file_and_its_ticker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`stream -o FILE` writes the lines stdout would; the running count goes to a terminal's stderr only."""
    from tagsim.cli.progress import Ticker

    names = tmp_path / "names.txt"
    names.write_text("demo-1.0-py3-none-any.whl\ndemo-1.0.tar.gz\n", encoding="utf-8")
    argv = ["stream", str(names), "--platform", "windows-amd64"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert main([*argv, "-o", str(tmp_path / "out.jsonl")]) == 0
    assert capsys.readouterr().out == "" and (tmp_path / "out.jsonl").read_text(encoding="utf-8") == printed

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter([0.0, 0.5, 1.5, 1.6, 2.0])
    tty = Tty()
    ticker = Ticker("stream", stream=tty, clock=lambda: next(clock))  # starts at 0.0
    for done in (10, 20, 30, 40):  # at 0.5 (too early), 1.5 (shown), 1.6 (too soon after), 2.0 (shown)
        ticker(done)
    ticker.close()
    assert tty.getvalue().count("stream: ") == 2 and "stream: 40 decisions (20/s)" in tty.getvalue()
    piped = io.StringIO()
    quiet = Ticker("stream", stream=piped)
    quiet(1_000_000)
    assert piped.getvalue() == ""
