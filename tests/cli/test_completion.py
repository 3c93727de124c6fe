"""`tagsim completion`: the scripts complete in the real shells (issue 18, small things), and `--version`."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tagsim.cli import main
from tagsim.cli.completion import Shell, script


def _bash_complete(words: list[str]) -> list[str]:
    """COMPREPLY for the command line `words` (the last word is being completed), asked of bash itself."""
    line = " ".join(f"'{w}'" for w in words)
    program = f"{script(Shell.BASH)}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _tagsim; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="SKIPPED LOUDLY: no bash on this machine")
@pytest.mark.parametrize(("words", "wanted"), [
    (["tagsim", "ex"], ["explain"]),
    (["tagsim", "explain", "linux-aarch64-glibc2."], ["linux-aarch64-glibc2.17", "linux-aarch64-glibc2.28",
                                                     "linux-aarch64-glibc2.31", "linux-aarch64-glibc2.36"]),
    (["tagsim", "check", "dist/", "--platform", "macos14-"], ["macos14-arm64", "macos14-x86_64-rosetta"]),
    (["tagsim", "check", "dist/", "--format", "h"], ["html"]),
    (["tagsim", "explain", "here", "x", "--installer", "p"], ["pip", "poetry", "pdm"]),
    (["tagsim", "completion", "f"], ["fish"]),
])
def test_bash_completes_commands_platforms_and_values(words: list[str], wanted: list[str]) -> None:
    assert _bash_complete(words) == wanted


@pytest.mark.skipif(shutil.which("fish") is None, reason="SKIPPED LOUDLY: no fish shell on this machine; its script is "
                    "checked only as text")
def test_fish_completes_platforms() -> None:
    program = f"{script(Shell.FISH)}\ncomplete -C 'tagsim explain windows-a'"
    out = subprocess.run(["fish", "-c", program], capture_output=True, text=True, timeout=30, check=True).stdout
    assert [line.split("\t")[0] for line in out.splitlines()] == ["windows-amd64", "windows-arm64"]


def test_scripts_name_every_command_and_the_zsh_one_loads_bash_completion() -> None:
    for shell in Shell:
        text = script(shell)
        assert all(c in text for c in ("explain", "history", "stream", "completion", "linux-x86_64-musl1.1", "html"))
    assert script(Shell.ZSH).startswith("autoload -U +X bashcompinit && bashcompinit\n")


def test_version_names_the_modelled_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.splitlines()[1].startswith("models pip 8.1 to 26.3, uv 0.1.19 to ") and "pdm 2.17.0 to " in out
