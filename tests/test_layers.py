"""The engine's rooms: each module imports only its own room or rooms below it, and no
engine module imports another in a cycle (imports inside functions count too).

Rooms, lowest first (docs/ARCHITECTURE.md): the contract (top-level modules), weights, nets,
sampling, outputs, run, cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ENGINE = REPO / "engine"

ROOMS = ("contract", "weights", "nets", "sampling", "outputs", "run", "cli")
# Top-level modules of engine/ that form the contract (and the shared telemetry helpers).
CONTRACT = {"request", "events", "errors", "config", "cancel", "imaging", "telemetry", "data"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ENGINE.rglob("*.py")) if "__pycache__" not in p.parts}


def room_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:  # the engine package itself (version, re-exports of the contract)
        return "contract"
    if parts[1] in ROOMS:
        return parts[1]
    if parts[1] in CONTRACT:
        return "contract"
    raise AssertionError(f"{module} is in no room: add it to a room package or to CONTRACT")


def imported_engine_modules(path: Path, known: set[str]) -> set[str]:
    """Every engine module ``path`` imports, at module level or inside any function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "engine":
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "engine":
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                found.add(full if full in known else source)
    return {m for m in found if m != here}


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        targets = imported_engine_modules(path, known)
        unknown = targets - known
        assert not unknown, f"{name} imports engine modules that do not exist: {sorted(unknown)}"
        graph[name] = targets
    return graph


def test_every_engine_module_is_in_a_room():
    for name in all_modules():
        assert room_of(name) in ROOMS


def test_no_room_imports_a_higher_room():
    upward = []
    for name, targets in import_graph().items():
        mine = ROOMS.index(room_of(name))
        for target in sorted(targets):
            if ROOMS.index(room_of(target)) > mine:
                upward.append(f"{name} ({room_of(name)}) imports {target} ({room_of(target)})")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


# The checker itself: it must see imports inside functions, relative imports, and cycles.


def test_checker_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "engine"
    (pkg / "nets").mkdir(parents=True)
    (pkg / "run").mkdir()
    for init in (pkg / "__init__.py", pkg / "nets" / "__init__.py", pkg / "run" / "__init__.py"):
        init.write_text("")
    (pkg / "run" / "runner.py").write_text("")
    (pkg / "nets" / "dit.py").write_text(
        "def f():\n    from engine.run import runner\n\ndef g():\n    from ..run.runner import x\n"
    )
    import tests.test_layers as me

    monkeypatch.setattr(me, "REPO", tmp_path)
    monkeypatch.setattr(me, "ENGINE", pkg)
    found = me.imported_engine_modules(pkg / "nets" / "dit.py", set(me.all_modules()))
    assert found == {"engine.run.runner"}
    with pytest.raises(AssertionError, match="upward imports"):
        me.test_no_room_imports_a_higher_room()


def test_checker_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
