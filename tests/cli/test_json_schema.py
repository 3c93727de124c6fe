"""Every JSON output validates against docs/tagsim-output.schema.json, and the schema is strict enough to fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tagsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
UV = str(ROOT / "data" / "demo" / "pypi-simple-uv.json")
CORPUS = str(ROOT / "tests" / "golden" / "corpus")
SCHEMA = json.loads((ROOT / "docs" / "tagsim-output.schema.json").read_text(encoding="utf-8"))


def validator(definition: str) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{definition}"})


def output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return out


CASES = [
    ("explain", ["explain", "linux-aarch64-glibc2.17", UV, "--spec", "uv==0.1.40", "--installer", "pip", "--installer",
                 "uv", "--installer", "poetry", "--installer", "pdm", "--build-backend", "maturin", "--format", "json"]),
    ("explain", ["explain", "linux-x86_64-glibc2.28", f"{CORPUS}/dist", "--format", "json"]),
    ("check", ["check", UV, "--spec", "uv==0.1.44", "--format", "json", "--require", "linux-aarch64-glibc2.17"]),
    ("check", ["check", UV, "--spec", "uv==0.1.40", "--platform", "windows-arm64", "--python", "cp38", "--python",
               "cp313t", "--format", "json", "--all-considered"]),
    ("check", ["check", f"{CORPUS}/dist", "--format", "json", "--installer", "pip==20.2.4", "--installer", "uv"]),
    ("checkWhatIf", ["check", UV, "--spec", "uv==0.1.40", "--platform", "linux-aarch64-glibc2.17", "--format", "json",
                     "--retag", "uv-0.1.40-*musllinux_1_2_aarch64.whl=+manylinux_2_17_aarch64"]),
    ("history", ["history", UV, "--since", "0.1.40", "--spec", "uv<0.1.50", "--format", "json", "--platform",
                 "linux-aarch64-glibc2.17", "--platform", "windows-amd64"]),
    ("lock", ["check", str(ROOT / "tests/fixtures/locks/uv/uv.lock"), "--no-fetch-sdist", "--format", "json",
              "--platform", "linux-x86_64-musl1.1", "--platform", "emscripten-wasm32", "--python", "cp312",
              "--require", "linux-x86_64-musl1.1"]),
    ("lock", ["check", str(ROOT / "tests/fixtures/locks/uv/pylock.toml"), "--no-fetch-sdist", "--format", "json",
              "--platform", "windows-arm64", "--installer", "pip", "--installer", "uv", "--installer", "poetry",
              "--all-considered"]),
    ("platforms", ["platforms", "--format", "json"]),
    ("tags", ["tags", "linux-aarch64-glibc2.17", "--format", "json", "--limit", "12"]),
    ("tagDiff", ["tags", "macos14-arm64", "--installer", "uv", "--diff-installer", "pip==20.3", "--format", "json"]),
]


@pytest.mark.parametrize("definition, argv", CASES, ids=[" ".join(a[:1] + a[-3:]) for _, a in CASES])
def test_outputs_validate(definition: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = output(capsys, *argv)
    assert "\n" not in out.strip()  # compact when not on a terminal
    validator(definition).validate(json.loads(out))
    pretty = output(capsys, *argv, "--pretty")
    assert json.loads(pretty) == json.loads(out) and pretty.count("\n") > 1


def test_stream_lines_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "files.jsonl"
    listing.write_text("\n".join([
        json.dumps({"project": "demo", "filename": "demo-1.0-py3-none-any.whl", "requires-python": ">=3.13"}),
        json.dumps({"project": "demo", "filename": "demo-1.0.tar.gz"}), "nope.rpm", "{bad json",
    ]) + "\n", encoding="utf-8")
    out = output(capsys, "stream", str(listing), "--platform", "linux-x86_64-glibc2.28", "--python", "cp312",
                 "--python", "cp313t", "--installer", "pip", "--installer", "pip==20.2.4")
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["kind"] for line in lines} == {"decision", "unusable", "error", "summary"}
    check = validator("streamLine")
    for line in lines:
        check.validate(line)


def test_the_schema_refuses_what_it_should(capsys: pytest.CaptureFixture[str]) -> None:
    """A schema that accepts anything would make the tests above pass on any output."""
    data = json.loads(output(capsys, *CASES[2][1]))
    check = validator("check")
    broken: list[Any] = []
    for edit in (lambda d: d["rows"][0].pop("outcome"), lambda d: d["rows"][0].update(outcome="maybe"),
                 lambda d: d["rows"][0].update(considered=[]),  # both considered and rejected
                 lambda d: d["rows"][0]["rejected"]["counts"].update(bogus=1),
                 lambda d: d["summary"].update(extra=True)):
        copied = copy.deepcopy(data)
        edit(copied)
        broken.append(copied)
    for document in broken:
        with pytest.raises(jsonschema.ValidationError):
            check.validate(document)
    lock = json.loads(output(capsys, *CASES[7][1]))
    statuses = {d["status"] for d in lock["decisions"]}
    assert statuses == {"wheel", "build", "fail", "skipped"}
    for edit in (lambda d: d["decisions"][0].update(rejected=2),  # the count the lock JSON used to carry
                 lambda d: next(r for r in d["decisions"] if r["status"] == "skipped").update(outcome="none"),
                 lambda d: d["decisions"][0].update(status="maybe"), lambda d: d["targets"][0]["counts"].pop("skipped")):
        copied = copy.deepcopy(lock)
        edit(copied)
        with pytest.raises(jsonschema.ValidationError):
            validator("lock").validate(copied)
    history = json.loads(output(capsys, *CASES[6][1]))
    history["releases"][0]["cells"][0] = ["wheel", "x"]
    with pytest.raises(jsonschema.ValidationError):
        validator("history").validate(history)


def test_shared_entries_are_shared_within_one_report_only() -> None:
    """A check's cells share the JSON of the files the static checks reject (one dict per file, not per cell);
    a dict handed to a caller is never handed out again, so changing it changes nothing else."""
    from tagsim import build_rows, load_source, parse_installer, parse_python, parse_spec, resolve_platform, run_check
    from tagsim.render.json import Detail, check_json, decision_json

    files = load_source(UV)
    rows = build_rows([resolve_platform("linux-aarch64-glibc2.17"), resolve_platform("windows-amd64")],
                      [parse_python("cp312")])
    result = run_check(files, rows, [parse_installer("pip")], req=parse_spec("uv==0.1.44"))
    data = check_json(result, Detail.ALL)
    first, second = ({entry["file"]: entry for entry in row["considered"]} for row in data["rows"])
    static = [name for name, entry in first.items() if entry["reason"] == "version"]
    assert len(static) == 6007 and all(first[name] is second[name] for name in static)
    decision = result.cells[0].decision
    given = decision_json(decision)
    given["considered"][-1]["detail"] = "changed by the caller"
    assert decision_json(decision)["considered"][-1]["detail"] != "changed by the caller"
    assert check_json(result, Detail.ALL)["rows"][0]["considered"][-1]["detail"] != "changed by the caller"


def test_lock_verbose_is_all_considered(capsys: pytest.CaptureFixture[str]) -> None:
    """`--verbose` (what issue 15 named it) is `--all-considered`: the same document, each record's files listed."""
    argv = CASES[8][1]
    listed = json.loads(output(capsys, *argv))
    assert json.loads(output(capsys, *[a if a != "--all-considered" else "--verbose" for a in argv])) == listed
    decided = [r for r in listed["decisions"] if r["status"] != "skipped" and "considered" in r]
    assert decided and all(r["considered"] for r in decided if r["installer"].startswith("uv") and r["source"] == "registry")
