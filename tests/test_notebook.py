"""The teaching notebook runs offline against the installed package and still shows what is committed.

The notebook (notebooks/which-wheel.ipynb) is executed from scratch with nbclient; every text output
(stdout, results, the text of the exercises' checks) must equal the committed one exactly. Volatile fields
are left out of the comparison: execution counts, timing metadata, stderr (matplotlib's one-off
"building the font cache" notice, warnings of newer library versions), and the bytes of PNG figures, which
depend on the matplotlib and FreeType versions. A figure must still be there, in the same output slot,
with the same pixel size (the notebook renders at a fixed size and dpi without a tight bounding box),
and the data each figure draws is printed as text by the cell before it, so it is compared strictly.

After a deliberate change, refresh the committed outputs with:

    python tests/test_notebook.py --update
"""

from __future__ import annotations

import copy
import importlib.util
import os
import struct
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "which-wheel.ipynb"
TIME_LIMIT = 120.0  # seconds, kernel start included
_DEPS = ("nbclient", "nbformat", "ipykernel", "matplotlib")


def _missing_deps() -> list[str]:
    return [name for name in _DEPS if importlib.util.find_spec(name) is None]


def execute(nb: Any) -> Any:
    """Run a copy of the notebook in a fresh kernel, from notebooks/ (its relative paths start there)."""
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    env = dict(os.environ, MPLBACKEND="Agg")
    # The kernel runs in notebooks/: a relative PYTHONPATH (`PYTHONPATH=src`) must keep pointing where it did.
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    client = NotebookClient(nb, timeout=TIME_LIMIT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(env=env)
    return nb


def png_size(data: str) -> tuple[int, int]:
    import base64

    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", raw[16:24])
    return width, height


def _merged_streams(outputs: list[Any]) -> list[dict[str, Any]]:
    """Consecutive stream outputs of one name joined (the kernel may split a print across messages)."""
    out: list[dict[str, Any]] = []
    for output in outputs:
        if output["output_type"] == "stream":
            if output["name"] == "stderr":
                continue
            if out and out[-1]["output_type"] == "stream" and out[-1]["name"] == output["name"]:
                out[-1]["text"] += output["text"]
                continue
            out.append({"output_type": "stream", "name": output["name"], "text": output["text"]})
        else:
            out.append(dict(output))
    return out


def normalized_outputs(cell: Any) -> list[Any]:
    """What the comparison sees of one code cell's outputs."""
    result = []
    for output in _merged_streams(cell.get("outputs", [])):
        kind = output["output_type"]
        if kind == "stream":
            result.append(("stream", output["name"], output["text"]))
        elif kind in ("execute_result", "display_data"):
            data = {}
            for mime, value in sorted(output["data"].items()):
                if mime == "image/png":
                    data[mime] = ("png", png_size(value))
                else:
                    data[mime] = value if isinstance(value, str) else "".join(value)
            result.append((kind, data))
        else:  # an error output: never committed, and execution would have raised
            result.append((kind, output.get("ename"), output.get("evalue")))
    return result


def committed_form(nb: Any) -> Any:
    """The executed notebook as it is committed: no stderr, no timing, merged streams, sequential counts."""
    import nbformat

    nb = copy.deepcopy(nb)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        outputs = _merged_streams(cell.outputs)
        for output in outputs:
            if output["output_type"] == "execute_result":
                output["execution_count"] = count
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _read() -> Any:
    import nbformat

    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed() -> tuple[Any, Any, float]:
    missing = _missing_deps()
    if missing:
        message = (f"notebook test needs {', '.join(missing)}: pip install '.[test]' "
                   "(the test extra includes the notebook extra)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    committed = _read()
    start = time.monotonic()
    fresh = execute(committed)
    return committed, fresh, time.monotonic() - start


def test_notebook_runs_within_the_time_limit(executed: tuple[Any, Any, float]) -> None:
    _, _, seconds = executed
    assert seconds < TIME_LIMIT, f"the notebook took {seconds:.1f}s"


def test_reexecution_reproduces_the_committed_outputs(executed: tuple[Any, Any, float]) -> None:
    committed, fresh, _ = executed
    assert len(committed.cells) == len(fresh.cells)
    for number, (old, new) in enumerate(zip(committed.cells, fresh.cells, strict=True)):
        if old.cell_type != "code":
            continue
        where = f"cell {number} ({old.get('id')}): {old.source.splitlines()[0] if old.source else ''}"
        assert normalized_outputs(old) == normalized_outputs(new), (
            f"{where}: outputs differ from the committed notebook; if the change is intended, "
            "run `python tests/test_notebook.py --update` and review the diff")


def test_committed_notebook_is_complete(executed: tuple[Any, Any, float]) -> None:
    """Every code cell was executed and committed with its outputs, and the pictures are there."""
    committed, _, _ = executed
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None and c.outputs for c in code), "run --update: a code cell has no outputs"
    pictures = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 2


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python tests/test_notebook.py --update   (re-execute the notebook and commit its outputs)")
        return 2
    import nbformat

    start = time.monotonic()
    fresh = execute(_read())
    nbformat.write(committed_form(fresh), NOTEBOOK)
    print(f"executed and wrote {NOTEBOOK.relative_to(ROOT)} in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
