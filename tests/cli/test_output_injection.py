"""Strings from the outside cannot add lines to tagsim's output (issue 14 item 2).

A page can carry filenames and yank reasons with newlines: `::error::` would be a GitHub workflow
command in CI, another line a forged decision in `explain`. Every text format prints them escaped,
on one line, and cuts a long one with its length said.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagsim.cli import main

FORGED = "demo-0.9-py3-none-any.whl\n::error::forged"
DECISION = "demo-1.0-py3-none-any.whl\npip==26.3: installs demo-9.9-py3-none-any.whl"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    files = [{"filename": FORGED}, {"filename": DECISION},
             {"filename": "demo-1.1-py3-none-any.whl", "yanked": "bad\n::add-mask::x\n" + "line\n" * 100_000},
             {"filename": "demo-1.0.tar.gz"}]
    path = tmp_path / "demo.json"
    path.write_text(json.dumps({"name": "demo", "files": files}), encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [
    ["check", "--platform", "windows-amd64", "--require", "windows-amd64", "--format", "github", "--spec", "demo==1.1"],
    ["check", "--platform", "windows-amd64", "--format", "markdown"],
    ["check", "--platform", "windows-amd64"],
    ["explain", "windows-amd64"],
    ["explain", "windows-amd64", "--spec", "demo==1.1", "--format", "markdown"],
])
def test_no_input_starts_a_line(argv: list[str], page: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    args = [*argv[:2], str(page), *argv[2:]] if argv[0] == "explain" else [argv[0], str(page), *argv[1:]]
    main(args)
    out, err = capsys.readouterr()
    lines = (out + err).splitlines()
    assert not [line for line in lines if line.startswith(("::error::forged", "::add-mask::", "pip==26.3: installs demo-9.9"))]
    assert not [line for line in lines if line.strip() == "line"]
    assert len(out) < 200_000  # the 100,000-line yank reason is cut


def test_the_escaped_text_is_still_there(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["explain", "windows-amd64", str(page)])
    out = capsys.readouterr().out
    assert "yanked: bad\\n::add-mask::x\\nline\\n" in out and "characters)" in out
