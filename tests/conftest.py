import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# A frozen copy of the real reports in content/: tests read this, never the live archive, which grows
# (all a test may ask of content/ is that it passes the check: see test_seeds.py)
SEED_CONTENT = FIXTURES / "seeds" / "content"
sys.path.insert(0, str(ROOT / "tests"))  # for factory

from a11y import WIDTHS, Browser  # noqa: E402 (found through the line above)
from generator.serve import Server  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def cli_cache(tmp_path_factory):
    """The CLI keeps its cache in .cache/ of the folder it runs in, and tests run it inside the fixtures."""
    os.environ["NIANBAO_CACHE"] = str(tmp_path_factory.mktemp("cli-cache"))


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `nianbao ARGS` in-process from a working directory; returns (exit code, stdout, stderr)."""
    from generator.cli import main

    def run(*args, cwd: Path):
        monkeypatch.chdir(cwd)
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def archive_copy(tmp_path):
    """Copy a fixture archive (a folder holding content/) to a temporary folder."""
    def copy(src: Path) -> Path:
        dst = tmp_path / "work"
        shutil.copytree(src, dst)
        return dst
    return copy


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def browser(request, tmp_path_factory):
    """A headless Chromium tab at a phone's and a desktop's width, for the browser tests."""
    tab = Browser(tmp_path_factory.mktemp("profile"), request.param)
    yield tab
    tab.close()


@pytest.fixture
def server(tmp_path):
    """`nianbao serve` started on a copy of the frozen real reports (tmp_path/content), on a free port."""
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    served = Server(tmp_path / "content", port=0, log=lambda line: None)
    served.start()
    yield served
    served.stop()
