"""The package reads as the pipeline (issue 12): stages import only downwards, no cycles, no module over 400 lines.

cli -> report/render -> choice -> files/tags -> platform -> errors; verify sits beside report and
uses choice and below. Imports inside functions and under TYPE_CHECKING count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tagsim"

#: stage -> the stages it may import (besides itself and the bottom modules).
ALLOWED: dict[str, set[str]] = {
    "platform": set(),
    "tags": {"platform"},
    "files": {"platform"},
    "choice": {"files", "tags", "platform"},
    "report": {"choice", "files", "tags", "platform"},
    "render": {"report", "verify", "choice", "files", "tags", "platform"},
    "verify": {"choice", "files", "tags", "platform"},
    "cli": {"report", "render", "verify", "choice", "files", "tags", "platform"},
}
BOTTOM = {"errors", "text_enum"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        out[name] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """The tagsim modules (dotted, relative to the package) this module imports."""
    found: set[str] = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.startswith("tagsim"):
                target = node.module[len("tagsim."):] if node.module != "tagsim" else ""
            else:
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" if target else a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name[len("tagsim."):] for a in node.names if a.name.startswith("tagsim."))
    return found


def test_stages_import_only_downwards() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        stage = name.split(".")[0]
        if stage not in ALLOWED:
            continue
        for target in _imports(name, path) & set(modules):
            other = target.split(".")[0]
            if other != stage and other not in BOTTOM and other not in ALLOWED[stage]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: {t for t in _imports(name, path) & set(modules) if t != name and not name.startswith(t + ".")}
             for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join([*trail, node, nxt])}"
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_no_module_over_400_lines() -> None:
    long = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > 400}
    assert not long, long


def test_every_folder_says_what_it_holds_and_may_import() -> None:
    for stage in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, stage


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The check is not blind: an upward import (tags -> choice) in a copy of a module is found."""
    fake = tmp_path / "tags" / "x.py"
    fake.parent.mkdir()
    fake.write_text("from ..choice import decide\n", encoding="utf-8")
    assert "choice.decide" in _imports("tags.x", fake)


def test_public_names_are_not_shadowed_by_submodules() -> None:
    """A lazily exported name that is also a submodule's name (`tagsim.verify.compare`, `tagsim.render`) resolves
    to the submodule once that is imported: every public name must stay the object it names."""
    import importlib
    import types

    import tagsim
    import tagsim.verify

    for name in _modules():
        if name and name != "__main__":  # importing __main__ runs the CLI
            importlib.import_module(f"tagsim.{name}")
    for package in (tagsim, tagsim.verify):
        shadowed = [n for n in package.__all__ if isinstance(getattr(package, n), types.ModuleType)]
        assert not shadowed, f"{package.__name__}: {shadowed}"
