"""Folder page charts: every year in the range has a slot (a year without a report is a marked gap),
a blank shows "—", the change of table format is marked, and several measures are drawn."""
import re
from types import SimpleNamespace

import pytest

from conftest import FIXTURES, ROOT
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


def test_a_years_sums_are_blank_when_any_report_is_blank_and_its_rate_is_a_ratio_of_sums():
    summaries = [_report(2021, "2021", {"new": (2,), "disclosure": (1, 1), "appeals": (0, 0)}),
                 _report(2021, "2021", {"new": (4,), "disclosure": (0, 3), "appeals": (None, 1)}),
                 _report(2022, None, None)]
    first, second = trends.years(summaries)
    assert first.values == {"new": (6,), "disclosure": (0.25,), "appeals": (None, 1)}
    assert first.formats == {"2021"}
    assert second.values["new"] == ("无表格",) and second.formats == frozenset()


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
