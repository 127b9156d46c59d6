"""Golden snapshots of key pages (normalised HTML), reviewed as diffs.

After an intended change, run `UPDATE_GOLDEN=1 make test` and review `git diff tests/golden/`.
"""
import os
import re

import pytest

from conftest import ROOT, SEED_CONTENT
from generator.build import build

GOLDEN = ROOT / "tests" / "golden"
PAGES = {
    "report-2021.html": "heilongjiang/shuangyashan/baoqing/xiaochengzi/2025/index.html",
    "report-2019.html": "heilongjiang/shuangyashan/baoqing/xiaochengzi/2020/index.html",
    "body.html": "heilongjiang/shuangyashan/baoqing/xiaochengzi/index.html",
}


def normalise(html: str) -> str:
    """One tag per line, whitespace collapsed: diffs show what changed, not how it was indented."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s*<", ">\n<", html).strip() + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "site"
    assert not build(SEED_CONTENT, out).errors
    return out


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_its_golden_snapshot(site, name):
    got = normalise((site / PAGES[name]).read_text(encoding="utf-8"))
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), f"{name} changed: UPDATE_GOLDEN=1 to accept, then review the diff"
