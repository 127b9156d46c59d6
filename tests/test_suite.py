"""Rules for the test suite itself."""
import ast

from conftest import ROOT


def _marks_browser(tree: ast.Module) -> bool:
    """A module-level `pytestmark = pytest.mark.browser` (or a list holding it)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            return "mark.browser" in ast.unparse(node.value)
    return False


def test_every_module_that_drives_chromium_is_marked_browser():
    drivers = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        imports_browser = any(isinstance(n, ast.ImportFrom) and n.module == "browser" for n in ast.walk(tree))
        if imports_browser or "shutil.which(\"chromium\")" in text:
            drivers.append(path.name)
            assert _marks_browser(tree), f"{path.name} drives Chromium: add pytestmark = pytest.mark.browser"
    assert {"test_browser.py", "test_search.py"} <= set(drivers)
