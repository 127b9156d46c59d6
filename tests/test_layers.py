"""generator/ imports in one direction: each layer only from the layers below it (tests/layers.py),
with no cycle between modules or between packages; and `nianbao check` loads no renderer."""
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_CONTENT
from layers import LAYERS, backwards, cycles, import_graph, layer, packages

PACKAGE = ROOT / "generator"


@pytest.fixture(scope="module")
def graph():
    return import_graph(PACKAGE)


def test_every_module_belongs_to_a_layer(graph):
    assert all(layer(m) is not None for m in graph if m != "generator")


def test_no_import_cycles_between_modules_or_packages(graph):
    assert cycles(graph) == []
    assert cycles(packages(graph)) == []


def test_every_import_goes_down_the_layers(graph):
    assert backwards(graph) == [], f"layers, lowest first: {[name for name, _ in LAYERS]}"


@pytest.mark.parametrize("module, line, finds", [
    ("model/report.py", "from ..render import env", "backwards"),  # the model importing the renderers
    ("urls.py", "from .pages import site", "backwards"),
    ("render/env.py", "from ..pages import site", "cycle"),  # pages.site imports render: a cycle
    ("formats/spec.py", "    from . import get_format", "cycle"),  # a package imported from inside itself
])
def test_the_checks_catch_a_backwards_import_or_a_cycle(tmp_path, module, line, finds):
    copy = tmp_path / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    path = copy / module
    if line.startswith(" "):  # inside a function: imports there count too
        path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef later():\n{line}\n", encoding="utf-8")
    else:
        path.write_text(f"{line}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = import_graph(copy)
    if finds == "backwards":
        assert backwards(broken)
    else:
        assert cycles(broken) or cycles(packages(broken))


RENDERING = ("jinja2", "markdown_it", "markupsafe", "opencc")  # opencc: the search's character table
BUILD_ONLY = ("generator.render", "generator.pages", "generator.search", "generator.export", "generator.outputs",
              "generator.bodypages", "generator.build")


def test_nianbao_check_loads_neither_the_renderers_nor_the_search_index(tmp_path):
    code = ("import sys; from generator.cli import main; "
            f"code = main(['check', '--content', {str(SEED_CONTENT)!r}, '--no-cache', '--jobs', '2']); "
            "print(code, ' '.join(sorted(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    status, modules = run.stdout.split(" ", 1)
    loaded = set(modules.split())
    assert status == "0" and "generator.checks.arithmetic" in loaded and "5 份报告" in run.stderr
    assert not {m for m in loaded if m.split(".")[0] in RENDERING or m.startswith(BUILD_ONLY)}
    assert "generator.divisions" not in loaded and "pypinyin" not in loaded  # only new and import need them
