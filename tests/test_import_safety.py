"""`nianbao import` and `new` under bad input: an implausible year is refused before anything is
written, and control characters never reach a written file, which the loader can always read."""
import datetime
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.archive import load_archive
from generator.formats import get_format
from generator.reportfile import CONTROLS, ReportFile, clean, render

NIANBAO = [sys.executable, "-m", "generator.cli"]


def nianbao(*args, cwd):
    return subprocess.run([*NIANBAO, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("year", ["-5", "99999", "1999", "abc", "２０２４", str(datetime.date.today().year + 2)])
@pytest.mark.parametrize("command", ["import", "new"])
def test_an_implausible_year_is_refused_and_nothing_is_written(tmp_path, year, command):
    (tmp_path / "content").mkdir()
    text = tmp_path / "r.txt"
    text.write_text("某镇2024年政府信息公开工作年度报告\n一、总体情况\n无。\n", encoding="utf-8")
    args = ["import", text, "--body", "content/zhen", "--year", year] if command == "import" else \
        ["new", "content/zhen", year]
    run = nianbao(*args, cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"“{year}”不是有效的报告年度，应为 2000–{datetime.date.today().year + 1} 之间的四位数年份" in run.stderr
    assert list((tmp_path / "content").iterdir()) == []


def test_a_title_with_nul_and_escape_characters_is_written_readable(tmp_path):
    (tmp_path / "content").mkdir()
    text = tmp_path / "r.txt"
    text.write_text("某镇\x00政府\x1b[31m信息公开\x85工作\x07年度报告\n一、总体情况\n正文\x00有\x1b控制字符。\n",
                    encoding="utf-8")
    run = nianbao("import", text, "--body", "content/zhen", "--year", "2024", cwd=tmp_path)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    written = (tmp_path / "content/zhen/2024.md").read_text(encoding="utf-8")
    assert not CONTROLS.search(written)
    report = load_archive(tmp_path / "content").reports[0]
    assert report.meta["title"] == "某镇政府[31m信息公开工作年度报告"


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1), note=st.text(), narrative=st.text())
def test_any_text_written_into_a_report_file_reads_back_without_its_control_characters(title, note, narrative):
    fmt = get_format("2021")
    report = ReportFile(title=title, year=2024, format=fmt, narrative=narrative, provenance=note,
                        known_issues=[{"rule": "cell/null", "cell": "applications.new.total", "note": note}],
                        remarks={(fmt.tables[0].id, fmt.tables[0].rows[0].id): note})
    text = render(report)
    assert not CONTROLS.search(text)
    meta = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert meta["title"] == clean(title)
    assert meta.get("provenance", "") == clean(note)
    assert meta["known_issues"][0]["note"] == clean(note)
    assert text.endswith(clean(narrative))
