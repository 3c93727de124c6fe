"""Fuzz campaign: the command line, in-process, with random combinations of real flags, values and garbage.

Rule: the exit code is 0, 1 or 2; stderr never holds a traceback or an "internal error"; a failure
(exit 2) ends in one `tagsim: error: <where>: <what>` line. A subprocess smoke test runs
`python -m tagsim` with hostile argv (undecodable bytes, NUL-free garbage) to check the real streams.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_support import count, fuzz
from tagsim.cli import main
from tagsim.files import remote

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["platforms", "tags", "explain", "check", "history", "verify", "frobnicate", "", "--help", "-h"]
PLATFORMS = ["linux-x86_64-glibc2.17", "linux-aarch64-glibc2.17", "macos14-arm64", "windows-amd64", "android24-arm64_v8a",
             "ios13-arm64-iphoneos", "emscripten-wasm32", "freebsd14-amd64", "aarch64-manylinux_2_17",
             "x86_64-unknown-linux-musl", "os=linux,arch=aarch64,glibc=2.17", "os=linux,arch=x86_64,glibc=1.0",
             "os=android,arch=x86,api=\u00b2", "os=macos,arch=arm64,version=99", "linux-nowhere", "", "=",
             "x86_64-manylinux_2_" + "9" * 5000]
VALUES = ["cp312", "cp313t", "pp310", "3.12", "cp27", "graalpy311", "pip", "uv", "pip==20.3.4", "uv==0.4.30", "pip==7.0",
          "pip==1." + "9" * 5000, "conda", "demo", "demo==1.0", "demo>=1." + "9" * 5000, "demo @@ 1",
          "demo @ https://x/y.whl", ":all:", ":none:", "maturin", "0", "-1", "nan", "inf", "1e300", "0.5", "3", "json",
          "text", "markdown", "github", "*.whl=+manylinux_2_17_x86_64", "=+", "*.whl", "demo-1.0-py3-none-win_amd64.whl",
          "nomatch-*", "linux-x86_64-glibc2.17:cp312", "1.0", "1." + "9" * 5000, "\u00e9", "--", "-", "\x7f", " "]
FLAGS = ["--format", "--python", "--installer", "--diff-installer", "--limit", "--spec", "--prefer-binary", "--only-binary",
         "--no-binary", "--no-build", "--pre", "--build-backend", "--index-url", "--project", "--offline", "--timeout",
         "--platform", "--matrix", "--require", "--retag", "--drop", "--add", "--since", "--help", "--bogus", "-x"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    base = tmp_path_factory.mktemp("cli-sources")
    page = base / "page.json"
    page.write_text(json.dumps({"name": "demo", "files": [
        {"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "demo-1.0.tar.gz", "yanked": "bad"},
        {"filename": "demo-2.0-cp312-cp312-manylinux_2_28_x86_64.whl", "requires-python": ">=3.13"},
        {"filename": "demo-2.0.tar.gz", "requires-python": ">=1." + "9" * 5000}, {"filename": "other-1.0.tar.gz"},
        {"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "demo-\ud800.whl"}]}), encoding="utf-8")
    html = base / "page.html"
    html.write_text('<a href="demo-3.0-py3-none-macosx_11_0_arm64.whl" data-yanked>x</a><a href="demo-3.0.zip">', encoding="utf-8")
    folder = base / "dist"
    folder.mkdir()
    (folder / "demo-1.0-py3-none-any.whl").write_bytes(b"not a zip")
    (folder / "demo-1.0.tar.gz").write_bytes(b"\x1f\x8b broken")
    (folder / "notes.txt").write_text("x")
    names = base / "names.txt"
    names.write_text("demo-1.0-cp312-abi3-win_amd64.whl\n# comment\ndemo-1.0.zip\n", encoding="utf-8")
    bad_json = base / "bad.json"
    bad_json.write_text('{"files": ' + "[" * 50_000, encoding="utf-8")
    matrix = base / "matrix.json"
    matrix.write_text(json.dumps({"platforms": ["windows-amd64"], "pythons": ["cp312"], "require": ["windows-amd64"]}))
    # The first five read as demo's files; the rest are hostile or refused.
    return [str(page), str(html), str(folder), str(names), "demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz",
            str(bad_json), str(matrix), str(base / "missing"), "x" * 5000 + ".whl", "http://127.0.0.1:9/simple/demo/",
            "ftp://example/simple/demo/", str(ROOT / "data" / "demo")]


GOOD = {"--format": ["json", "text", "markdown", "github"], "--python": ["cp312", "cp313t", "pp310", "3.11", "cp38"],
        "--installer": ["pip", "uv", "pip==20.3.4", "uv==0.4.30", "pip==19.3.1"], "--diff-installer": ["uv", "pip==20.2.4"],
        "--limit": ["3", "0"], "--spec": ["demo", "demo==1.0", "demo<2", "demo>=2.0"], "--only-binary": [":all:", "demo"],
        "--no-binary": [":all:", "demo", ":none:"], "--build-backend": ["maturin", "hatchling", "weird.backend:x"],
        "--platform": PLATFORMS[:10], "--require": ["windows-amd64", "linux-x86_64-glibc2.17:cp312"],
        "--retag": ["demo-*=+win_amd64", "*.whl=-any"], "--drop": ["*.tar.gz", "demo-1.0*"],
        "--add": ["demo-1.0-py3-none-win_amd64.whl"], "--since": ["1.0"], "--timeout": ["2", "0.5"]}
SWITCHES = ["--prefer-binary", "--no-build", "--pre", "--offline"]
_CHOICE = {"--python", "--installer", "--spec", "--only-binary", "--no-binary", "--build-backend", "--timeout"}
COMMAND_FLAGS = {"tags": {"--format", "--python", "--installer", "--diff-installer", "--limit"},
                 "explain": _CHOICE | {"--format"}, "history": _CHOICE | {"--platform", "--since"},
                 "check": _CHOICE | {"--format", "--platform", "--require", "--retag", "--drop", "--add"},
                 "platforms": {"--format"}}


@st.composite
def argvs(draw: st.DrawFn, sources: list[str]) -> list[str]:
    """Mostly well-formed command lines (so the commands run), with near-valid and garbage tokens mixed in."""
    command = draw(st.sampled_from(["explain"] * 4 + ["check"] * 3 + ["tags"] * 2 + ["history", "platforms"] + COMMANDS))
    argv = [command]
    if command in ("tags", "explain") and draw(st.integers(0, 7)):
        argv.append(draw(st.sampled_from(PLATFORMS[:10])) if draw(st.integers(0, 3)) else draw(st.sampled_from(PLATFORMS)))
    if command in ("explain", "check", "history"):
        good, bad = sources[:5], sources[5:]
        pool = st.sampled_from(good) if draw(st.integers(0, 4)) else st.sampled_from(bad)
        argv += draw(st.lists(pool, min_size=0 if draw(st.integers(0, 9)) == 0 else 1, max_size=3))
        if draw(st.integers(0, 2)):
            argv += ["--spec", draw(st.sampled_from(GOOD["--spec"]))]
    own = sorted(f for f in GOOD if f in COMMAND_FLAGS.get(command, ()))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["good"] * 10 + ["switch"] * 2 + ["any-value", "garbage"]))
        if kind == "good" and own:
            flag = draw(st.sampled_from(own))
            argv += [flag, draw(st.sampled_from(GOOD[flag]))]
        elif kind == "switch":
            argv.append(draw(st.sampled_from(SWITCHES)))
        elif kind == "any-value":
            argv += [draw(st.sampled_from(FLAGS)), draw(st.one_of(st.sampled_from(VALUES), st.sampled_from(sources)))]
        elif kind == "garbage":
            argv.append(draw(st.one_of(st.sampled_from(FLAGS + VALUES), st.text(max_size=12).filter(lambda t: "\x00" not in t))))
    if command == "check" and "--platform" not in argv and draw(st.integers(0, 5)):
        argv += ["--platform", draw(st.sampled_from(PLATFORMS[:8]))]  # mostly keep the matrix small
    return argv


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse --help exits 0 itself
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def check_outcome(argv: list[str], code: int, err: str) -> None:
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code == 2 and err:
        last = err.rstrip("\n").splitlines()[-1]
        assert last.startswith(("tagsim: error: ", "usage:")), (argv, err)


@pytest.fixture
def quick_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No backoff sleeps between retries, and a private cache."""
    monkeypatch.setattr(remote, "time", SimpleNamespace(sleep=lambda _s: None, monotonic=time.monotonic, time=time.time))
    monkeypatch.setenv("TAGSIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@fuzz(ci=150, large=8_000)
@given(data=st.data())
def test_random_command_lines(data: st.DataObject, sources: list[str], quick_network: None,
                              capsys: pytest.CaptureFixture[str]) -> None:
    argv = data.draw(argvs(sources))
    count("cli")
    code, _, err = run_cli(argv, capsys)
    check_outcome(argv, code, err)


@pytest.mark.parametrize("argv", [
    ["tags", "windows-amd64", "--installer", "pip==1." + "9" * 5000],
    ["explain", "windows-amd64", "demo-1.0.tar.gz", "--spec", "demo==1." + "9" * 5000],
    ["history", "demo-1.0.tar.gz", "--since", "1." + "9" * 5000, "--platform", "windows-amd64"],
    ["explain", "linux-x86_64-glibc2.17", "http://127.0.0.1:9/simple/demo/", "--timeout", "inf"],
    ["explain", "linux-x86_64-glibc2.17", "http://127.0.0.1:9/simple/demo/", "--timeout", "nan"],
    ["explain", "linux-x86_64-glibc2.17", "http://127.0.0.1:9/simple/demo/", "--timeout", "1e300"],
    ["platforms", "--matrix", "m\x00.json"],
    ["explain", "windows-amd64", "a\nb.json"],  # the path, with its newline, made a two-line error
])
def test_crashes_found_by_the_cli_campaign(argv: list[str], capsys: pytest.CaptureFixture[str], quick_network: None) -> None:
    """Crash pins: ValueError past int()'s 4300 digits (--installer, --spec, --since), OverflowError/ValueError
    from sockets (--timeout inf/nan/1e300), ValueError from a NUL in --matrix; a newline in a path split the error."""
    code, _, err = run_cli(argv, capsys)
    assert code == 2 and err.startswith("tagsim: error: ") and err.count("\n") == 1, err
    assert "internal error" not in err


def test_huge_requires_python_is_ignored_like_an_invalid_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Crash pin: `requires-python: >=3.<5000 digits>` raised ValueError out of the policy (pip, uv, poetry, pdm)."""
    page = tmp_path / "p.json"
    page.write_text(json.dumps({"files": [{"filename": "demo-1.0-py3-none-any.whl", "requires-python": ">=3." + "9" * 5000}]}))
    for installer in ("pip", "uv", "poetry", "pdm"):
        code, out, err = run_cli(["explain", "windows-amd64", str(page), "--installer", installer, "--format", "json"], capsys)
        if "not modelled" in err or "unknown installer" in err:
            continue
        assert code == 0 and json.loads(out)["decisions"][0]["outcome"] == "wheel", err


def test_surrogate_filenames_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Crash pin: a JSON page filename with a lone surrogate ("\\ud800") made the text output raise UnicodeEncodeError."""
    page = tmp_path / "p.json"
    page.write_text('{"files": [{"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "d\\ud800mo-1.0.tar.gz"},'
                    ' {"filename": "demo-1.0.tar.gz", "yanked": "\\udcff"}]}')
    for fmt in ("text", "json", "markdown"):
        code, out, err = run_cli(["explain", "windows-amd64", str(page), "--spec", "demo", "--format", fmt,
                                  "--installer", "pip==19.0.3"], capsys)
        assert code == 0 and "internal error" not in err
        if fmt == "text":
            assert "\\ud800" in out


def test_subprocess_smoke_has_no_traceback(tmp_path: Path) -> None:
    """The real entry point and real streams (C locale, undecodable argv bytes, a folder with an undecodable name)."""
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / os.fsdecode(b"demo-1.0-py3-none-\xff.whl")).write_bytes(b"")
    (folder / "demo-1.0.tar.gz").write_bytes(b"")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LC_ALL": "C", "PYTHONIOENCODING": "ascii",
           "TAGSIM_CACHE_DIR": str(tmp_path / "cache")}
    cases: list[list[str | bytes]] = [
        ["explain", "windows-amd64", str(folder), "--spec", "demo"],
        ["explain", "windows-amd64", b"demo-1.0-py3-none-\xff\xfe.whl", "demo-\u00e9-1.0.tar.gz", "--spec", "demo"],
        ["check", str(folder), "--spec", "demo", "--platform", "windows-amd64", "--format", "markdown"],
        ["tags", "os=android,arch=x86,api=\u00b2"],
        ["explain", "windows-amd64", "demo-1.0.tar.gz", "--timeout", "nan", "--index-url", "http://127.0.0.1:9/simple",
         "--project", "demo"],
        ["frobnicate", "--\u00e9"],
        [],
    ]
    for argv in cases:
        proc = subprocess.run([sys.executable, "-m", "tagsim", *argv], capture_output=True, env=env, timeout=120)
        err = proc.stderr.decode("ascii", "replace")
        count("cli")
        assert proc.returncode in (0, 1, 2), (argv, proc.returncode, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)


@example(argv=["check", "demo-1.0.tar.gz", "--python", "cp312", "--platform", "windows-amd64", "--format", "github"])
@fuzz(ci=30, large=1_500)
@given(argv=st.lists(st.sampled_from(FLAGS + VALUES + PLATFORMS[:6] + ["demo-1.0.tar.gz"]), max_size=8).map(lambda a: ["check", *a]))
def test_check_gate_exit_codes(argv: list[str], capsys: pytest.CaptureFixture[str], quick_network: None) -> None:
    """`check` is the CI gate: exit 1 only when --require failed; 0 or 2 otherwise."""
    count("cli")
    code, _, err = run_cli(argv, capsys)
    check_outcome(argv, code, err)
    if code == 1:
        assert "--require" in argv or "matrix" in " ".join(argv)


POISON = st.lists(st.sampled_from(["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\x00",
                                   "\x1b[31m", "::error::forged", "::add-mask::x", "::stop-commands::t", "\n::", "a", " ",
                                   "pip==26.3: installs demo-9.9-py3-none-any.whl", "\t"]), min_size=1, max_size=6).map("".join)
INJECTION_RUNS = [["check", "--platform", "windows-amd64", "--require", "windows-amd64", "--format", "github"],
                  ["check", "--platform", "linux-x86_64-glibc2.17", "--format", "markdown"],
                  ["check", "--platform", "windows-amd64"], ["explain", "windows-amd64"],
                  ["explain", "linux-x86_64-glibc2.17", "--format", "markdown"], ["history", "--platform", "windows-amd64"]]


def _page_with(tmp: Path, poison: str, field: str) -> Path:
    files = [{"filename": "demo-1.0-py3-none-any.whl"}, {"filename": "demo-1.1.tar.gz"},
             {"filename": "demo-1.1-cp312-cp312-win_amd64.whl"}]
    target = files[2]
    if field == "filename":
        target["filename"] = target["filename"] + poison
    elif field == "yanked":
        target["yanked"] = poison
    else:
        target["requires-python"] = poison
    path = tmp / "demo.json"
    path.write_text(json.dumps({"name": "demo", "files": files}), encoding="utf-8")
    return path


def _lines(argv: list[str], page: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], list[str]]:
    args = [*argv[:2], str(page), *argv[2:]] if argv[0] == "explain" else [argv[0], str(page), *argv[1:]]
    main(args)
    out, err = capsys.readouterr()
    return out.split("\n"), err.split("\n")


@fuzz(ci=30, large=2_000)
@given(poison=POISON, field=st.sampled_from(["filename", "yanked", "requires-python"]), run=st.sampled_from(INJECTION_RUNS))
@example(poison="\n::error::forged", field="filename", run=INJECTION_RUNS[0])
def test_no_outside_string_adds_a_line(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, poison: str, field: str, run: list[str]) -> None:
    """Issue 14 class 2: control characters (and `\\n::` workflow commands) in every input-derived field of a
    page; the output has exactly the lines tagsim meant to print: as many as with a plain stand-in, and
    none that starts with what the input wrote."""
    count("cli")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    tmp = tmp_path_factory.mktemp("inject")
    out, err = _lines(run, _page_with(tmp, poison, field), capsys)
    plain = "x" * len(poison)
    plain_out, plain_err = _lines(run, _page_with(tmp, plain, field), capsys)
    assert (len(out), len(err)) == (len(plain_out), len(plain_err)), (out, plain_out, err, plain_err)
    forged = ("::error::forged", "::add-mask::", "::stop-commands::", "pip==26.3: installs demo-9.9", "\r", "\x1b")
    assert not [line for line in out + err if line.lstrip().startswith(forged)]
    assert not [line for line in out + err if any(c in line for c in "\r\x0b\x0c\x1c\x1e\x85\u2028\u2029\x00\x1b")]
