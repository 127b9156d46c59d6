"""The import graph of generator/, read with `ast`, and the layers it must respect.

    python tests/layers.py [ROOT]   # prints the figures: modules, imports, cycles, backwards imports

Every import counts, also one inside a function, except those under `if TYPE_CHECKING:` (they never
run: a type named in an annotation creates no dependency).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

# Lowest first. A module may import from its own layer and the layers below, never from above.
LAYERS = [
    ("source", ["source", "diagnostics"]),
    ("formats", ["formats", "divisions"]),  # divisions: the official administrative divisions, reference data too
    ("model", ["model", "urls", "quality"]),  # URLs and quality low down: every layer above names them
    ("checks", ["checks", "archive", "bodies"]),
    ("summaries", ["summaries", "points", "stats"]),  # points: the 要点 of one report; stats: of many
    ("pages and render", ["pages", "render"]),
    ("export and search", ["export", "search"]),
    ("write", ["write", "cache"]),
    ("build", ["bodywork", "bodypages", "checking", "outputs", "build", "live"]),
    ("commands", ["cli", "serve", "editor", "scaffold", "reportfile", "importers", "__main__"]),
]


def layer(module: str) -> int | None:
    """The layer index of a module of the package (generator.x.y), None for the package itself."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    for index, (_, prefixes) in enumerate(LAYERS):
        if parts[1] in prefixes:
            return index
    raise KeyError(f"{module}: in no layer of tests/layers.py (add it to LAYERS)")


def _modules(package: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    return skip


def import_graph(package: Path) -> dict[str, set[str]]:
    """module -> the modules of the package it imports (a name imported from a package counts as the
    submodule of that name where there is one, else as the package)."""
    modules = _modules(package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                base = (here[: len(here) - node.level + 1] if node.level else []) + (node.module or "").split(".")
                base = ".".join(p for p in base if p)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[module] |= {t for t in targets if t in modules and t != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same graph between the package's top-level modules and subpackages (generator.pages …)."""
    def top(module: str) -> str:
        return ".".join(module.split(".")[:2])
    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out.setdefault(top(module), set()).update(top(t) for t in targets if top(t) != top(module))
    return out


def backwards(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a higher layer than the importer's."""
    out = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            here, there = layer(module), layer(target)
            if here is not None and there is not None and there > here:
                out.append((module, target))
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    graph = import_graph(root / "generator")
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} imports between them")
    for name, found in (("modules", cycles(graph)), ("packages (generator.x)", cycles(packages(graph)))):
        print(f"import cycles between {name}: {len(found)}")
        for c in found:
            print("  " + " ↔ ".join(c))
    wrong = backwards(graph)
    print(f"backwards imports: {len(wrong)}")
    for a, b in wrong:
        print(f"  {a} → {b}")
