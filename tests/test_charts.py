"""Folder page charts: every year in the range has a slot (a year without a report is a marked gap),
a blank shows "—", the change of table format is marked, and several measures are drawn."""
import re
from types import SimpleNamespace

import pytest

from conftest import FIXTURES, ROOT, SEED_CONTENT
from generator.build import build
from generator import urls
from generator.pages import trends
from generator.render.charts import MEASURES, Year, charts


def _report(year, format_id, trend):
    fmt = SimpleNamespace(id=format_id) if format_id else None
    return SimpleNamespace(report=SimpleNamespace(year=year, format=fmt), trend=trend)


def test_missing_years_are_gaps_and_a_format_change_is_marked():
    years = [Year(2019, {"new": (3,), "disclosure": (0.5,), "appeals": (1, None)}, frozenset({"2019"})),
             Year(2022, {"new": (None,), "disclosure": ("无办结",), "appeals": (0, 2)}, frozenset({"2021"}))]
    made = {c.measure.id: c for c in charts(years, "x")}
    assert set(made) == {m.id for m in MEASURES}
    new = made["new"]
    assert [s.year for s in new.slots] == [2019, 2020, 2021, 2022]
    assert [s.missing for s in new.slots] == [False, True, True, False]
    assert new.slots[3].bars[0].value is None and new.slots[3].bars[0].text == "—"
    assert [b.label for b in new.breaks] == ["2021 年格式"]
    assert new.slots[2].x < new.breaks[0].x < new.slots[3].x
    assert made["disclosure"].slots[0].bars[0].text == "50%"
    assert made["disclosure"].slots[3].bars[0].text == "无办结" and made["disclosure"].slots[3].bars[0].height == 0
    assert [b.text for b in made["appeals"].slots[0].bars] == ["1", "—"]
    assert "2020 年：无报告" in new.description and "2019 年：新收 3" in new.description


def test_a_years_sums_add_the_reports_with_the_figure_as_the_statistics_do():
    """One rule with the statistics tables (stats.figures.total): a blank report is left out and
    counted; only a figure every report left blank is "—"; the rate is a ratio of sums over the
    reports with both its parts."""
    summaries = [_report(2021, "2021", {"new": (2,), "disclosure": (1, 1), "appeals": (0, None)}),
                 _report(2021, "2021", {"new": (4,), "disclosure": (None, 3), "appeals": (None, None)}),
                 _report(2021, "2021", {"new": (None,), "disclosure": (3, 5), "appeals": (1, None)}),
                 _report(2022, None, None)]
    first, second = trends.years(summaries)
    assert first.values == {"new": (6,), "disclosure": (4 / 6,), "appeals": (1, None)}
    assert first.blanks == {"new": (1,), "disclosure": (1,), "appeals": (1, 3)}
    assert first.formats == {"2021"}
    assert second.values["new"] == ("无表格",) and second.formats == frozenset()
    made = {c.measure.id: c for c in charts([first], "x")}
    bars = made["appeals"].slots[0].bars
    assert [b.text for b in bars] == ["1*", "—"]
    assert "行政复议 1（1 份报告缺数，未计入）" in made["appeals"].description
    assert "行政诉讼 —；" not in made["appeals"].description and "行政诉讼 —" in made["appeals"].description


def test_a_years_chart_total_equals_the_statistics_total():
    """For each year of the real reports (2025: 大寨镇's 新收 total is blank), the chart's figures are
    those the statistics tables give: the same sum, the same count of blank reports."""
    from generator.archive import load_archive
    from generator.points import trend_parts
    from generator.stats.figures import group, report_record
    archive = load_archive(SEED_CONTENT)
    checked = 0
    for year in archive.years:
        reports = [r for r in archive.reports if r.year == year]
        stats = group([report_record(r) for r in reports]).figures
        chart = trends._year(year, [SimpleNamespace(report=r, trend=trend_parts(r)) for r in reports])
        for measure, series, figure in (("new", 0, "new"), ("appeals", 0, "review"), ("appeals", 1, "litigation")):
            total = stats[figure]
            assert chart.values[measure][series] == (total.value if total.added else None)
            assert chart.blanks[measure][series] == total.blanks
            checked += total.blanks > 0 and total.added > 0
    assert checked  # a year where some reports are blank and others are not


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts") / "site"
    archive = build(FIXTURES / "valid" / "content", out, search=False)
    assert not archive.errors
    return archive, out


def test_a_body_page_draws_every_measure_over_every_year_with_the_format_change(site):
    archive, out = site
    body = next(r.folder for r in archive.reports if r.folder and any(
        o.folder == r.folder and o.format and r.format and o.format.id != r.format.id for o in archive.reports))
    years = sorted(r.year for r in archive.reports if r.folder == body)
    page = (out / urls.output_path(urls.folder_url(body))).read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart" id="own-(\w+)">(.*?)</figure>', page, re.S)
    assert [m for m, _ in figures] == [m.id for m in MEASURES]
    for _, svg in figures:
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
        for year in range(years[0], years[-1] + 1):
            assert f"{year} 年：" in desc
        assert 'class="format-break"' in svg and "2021 年格式" in svg


def test_the_real_content_charts_a_gap_between_2020_and_2025(tmp_path):
    out = tmp_path / "site"
    assert not build(ROOT / "content", out, search=False).errors
    page = (out / "heilongjiang/shuangyashan/baoqing/xiaochengzi/index.html").read_text(encoding="utf-8")
    desc = re.search(r'id="own-new-desc">(.*?)</desc>', page, re.S).group(1)
    assert all(f"{y} 年：无报告" in desc for y in range(2021, 2025)), desc
    assert page.count('class="gap">无报告</text>') >= 12  # four missing years in each of three charts
