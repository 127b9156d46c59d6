"""The narrative's six sections (checks/sections.py) and the publication deadline (checks/timeliness.py)."""
import datetime
import tempfile
from pathlib import Path

import pytest

from factory import DEFAULT_NARRATIVE, report_text
from generator.archive import load_archive
from generator.checks import timeliness
from generator.model import Report
from test_claims import tables

RULES = ("narrative/section-missing", "narrative/section-repeated", "narrative/section-number")


def section_warnings(narrative: str):
    archive, text = _build(narrative)
    lines = text.splitlines()
    return [(d.rule, lines[d.line - 1].strip(), d.cell) for d in archive.diagnostics if d.rule in RULES]


def _build(narrative: str):
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "content" / "body"
        body.mkdir(parents=True)
        (body / "_index.yaml").write_text("name: 某市\nlevel: 市\n", encoding="utf-8")
        text = report_text("2021", 2023, "某市报告", tables("2021", {}, [0] * 15), narrative=narrative)
        (body / "2023.md").write_text(text, encoding="utf-8")
        return load_archive(Path(tmp) / "content"), text


H = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
     "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def narrative(*headings, level="##"):
    return "\n" + "".join(f"\n{h if h.startswith('#') else level + ' ' + h}\n\n正文。\n" for h in headings)


def test_the_six_sections_in_order_pass_with_variant_wordings_and_sub_headings():
    assert section_warnings(DEFAULT_NARRATIVE) == []
    variants = ["一、总体情况", "### （一）主动公开", "### 一、主动公开工作", "二、主动公开政府信息的情况",
                "三、收到和处理政府信息公开申请情况", "#### 三、本年度办理结果", "## 四、结转下年度继续办理",
                "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况",
                "### 一、主要问题", "### 二、改进情况", "六、其他事项"]
    assert section_warnings(narrative(*variants)) == []


def test_missing_repeated_and_misnumbered_sections_are_warned_at_their_line():
    got = section_warnings(narrative(H[0], H[1], H[2], H[3], H[5]))
    assert got == [("narrative/section-missing", "## 六、其他需要报告的事项", "narrative.section.5")]
    got = section_warnings(narrative(H[0], H[1], H[1], H[2], H[3], H[4], H[5]))
    assert got == [("narrative/section-repeated", "## 二、主动公开政府信息情况", "narrative.section.2")]
    # a missing 二 renumbered the rest: each heading names its section by its words, so the numbers are wrong
    got = section_warnings(narrative(H[0], "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况",
                                     "四、存在的主要问题及改进情况", "五、其他需要报告的事项"))
    assert sorted(g[0] for g in got) == ["narrative/section-missing"] + ["narrative/section-number"] * 4
    assert got[0] == ("narrative/section-missing", "## 二、收到和处理政府信息公开申请情况", "narrative.section.2")
    got = section_warnings(narrative(H[0], H[2], H[1], H[3], H[4], "其他需要报告的事项"))
    assert got == [("narrative/section-number", "## 二、主动公开政府信息情况", "narrative.section.2"),
                   ("narrative/section-number", "## 其他需要报告的事项", "narrative.section.6")]


def test_table_rows_pasted_as_headings_are_not_sections():
    got = section_warnings(narrative(H[0], H[1], "三、本年度办理结果", "四、结转下年度继续办理", H[4], H[5]))
    assert [g[0] for g in got] == ["narrative/section-missing", "narrative/section-missing"]
    assert {g[2] for g in got} == {"narrative.section.3", "narrative.section.4"}


def test_a_narrative_only_report_is_not_held_to_the_formats_sections(tmp_path):
    body = tmp_path / "content" / "body"
    body.mkdir(parents=True)
    (body / "_index.yaml").write_text("name: 某市\nlevel: 市\n", encoding="utf-8")
    (body / "2015.md").write_text("---\ntitle: 某市2015年报告\nyear: 2015\nformat: none\n---\n\n正文。\n",
                                  encoding="utf-8")
    assert load_archive(tmp_path / "content").diagnostics == []


@pytest.mark.parametrize("level,year,published,late", [
    ("部门", 2023, "2024-01-31", None), ("部门", 2023, "2024-02-01", 1), ("部门", 2023, "2024-03-15", 44),
    ("市", 2023, "2024-03-31", None), ("市", 2023, "2024-04-02", 2), ("乡镇", 2023, "2024-03-15", None),
    ("部门", 2017, "2018-03-15", None), ("部门", 2017, "2018-04-01", 1), ("", 2023, "2030-01-01", None)])
def test_the_deadline_depends_on_who_reports_and_when(level, year, published, late):
    report = Report("x.md", ("x",), year, None, {"published": datetime.date.fromisoformat(published)})
    got = timeliness.days_late(report, level)
    assert (got[0] if got else None) == late
    if got:
        assert "第四十九条" in got[2].basis or "第三十一条" in got[2].basis


def test_sections_numbered_otherwise_than_the_format_are_warned():
    got = section_warnings(narrative("1、总体情况", *H[1:5], "第六部分 其他需要报告的事项"))
    assert got == [("narrative/section-number", "## 1、总体情况", "narrative.section.1"),
                   ("narrative/section-number", "## 第六部分 其他需要报告的事项", "narrative.section.6")]
