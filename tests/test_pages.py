"""The built site from the real content/: tables read back to the YAML's numbers, links resolve."""
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from conftest import SEED_CONTENT
from generator.archive import load_archive
from generator.build import build
from generator import urls


class TableCells(HTMLParser):
    """Collect {(table, row, column): text} from the report page's form tables."""

    def __init__(self):
        super().__init__()
        self.cells, self.table, self.row, self.col, self.text = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self.table = a["data-table"]
        elif tag == "tr" and "data-row" in a:
            self.row = a["data-row"]
        elif tag == "td" and "data-col" in a:
            self.col, self.text = a["data-col"], ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "td" and self.text is not None:
            self.cells[(self.table, self.row, self.col)] = self.text.strip()
            self.text = None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    assert not build(SEED_CONTENT, out).errors
    return load_archive(SEED_CONTENT), out  # what the pages must say: the YAML, with every cell


def _value(text):
    return None if text == "—" else Decimal(text)


def test_every_table_cell_reads_back_as_in_the_yaml(built):
    archive, out = built
    checked = 0
    for report in archive.reports:
        html = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
        parser = TableCells()
        parser.feed(html)
        expected = {}
        for table in report.format.tables:
            for block in table.blocks:
                for row in block.rows:
                    for column in block.columns:
                        cell = report.cell(table.id, row.id, column.id)
                        if cell is not None:
                            expected[(table.id, row.id, column.id)] = cell.value
        got = {k: _value(v) for k, v in parser.cells.items()}
        assert got == {k: (None if v is None else Decimal(v)) for k, v in expected.items()}, report.path
        checked += len(got)
    assert checked > 900


def test_every_internal_link_resolves_and_every_page_kind_exists(built):
    _, out = built
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert "404.html" in pages and "index.html" in pages
    assert "years/2025/index.html" in pages and "heilongjiang/shuangyashan/baoqing/index.html" in pages
    for page in pages:
        for href in re.findall(r'href="(/[^"#]*)', (out / page).read_text(encoding="utf-8")):
            assert (out / urls.output_path(href)).is_file(), f"{page} links to missing {href}"


def test_region_page_sums_key_figures_of_the_reports_beneath(built):
    _, out = built
    html = (out / "heilongjiang/index.html").read_text(encoding="utf-8")
    # 小城子镇 2025 received 1 application (新收) and its 2020 report 0
    rows = dict(re.findall(r'<tr><th scope="row">(\d{4})</th><td class="num">(\d+)</td>', html))
    assert rows == {"2020": "0", "2025": "1"}
    assert '<a href="/heilongjiang/shuangyashan/">双鸭山市</a>（市，2 份报告）' in html


def test_year_page_lists_exactly_that_years_reports(built):
    archive, out = built
    html = (out / "years/2025/index.html").read_text(encoding="utf-8")
    titles = {r.title for r in archive.reports if r.year == 2025}
    assert all(t in html for t in titles) and len(titles) == 2
    assert "2020 年政府信息公开工作年度报告" not in html


def _bars(out, page: str, chart_id: str) -> tuple[list[str], list[float]]:
    """(years, bar heights) of one chart of a built page."""
    html = (out / page).read_text(encoding="utf-8")
    svg = html[html.index(f'aria-labelledby="{chart_id}-title'):]
    svg = svg[: svg.index("</svg>")]
    years = re.findall(r'text-anchor="middle">(\d{4})</text>', svg)
    return years, [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]


@pytest.mark.parametrize("page, chart_id", [("heilongjiang/shuangyashan/baoqing/xiaochengzi/index.html", "own-new"),
                                            ("heilongjiang/index.html", "totals-new")])
def test_body_and_region_charts_draw_each_years_applications(built, page, chart_id):
    years, heights = _bars(built[1], page, chart_id)
    # issue 17: every year of the range has its slot; 2021-2024 have no report and no bar
    assert years == [str(y) for y in range(2020, 2026)]
    assert heights[0] == 0 and heights[1] > 0 and len(heights) == 2  # 0 applications in 2020, 1 in 2025


def test_report_pages_link_to_the_previous_and_next_year(built):
    _, out = built
    body = "/heilongjiang/shuangyashan/baoqing/xiaochengzi/"
    first = (out / urls.output_path(body + "2020/")).read_text(encoding="utf-8")
    last = (out / urls.output_path(body + "2025/")).read_text(encoding="utf-8")
    assert f'rel="next" href="{body}2025/"' in first and 'rel="prev"' not in first
    assert f'rel="prev" href="{body}2020/"' in last and 'rel="next"' not in last
    single = (out / "dazhai/2025/index.html").read_text(encoding="utf-8")
    assert 'class="year-nav"' not in single  # a body with one report has no other year to go to


def test_home_page_says_what_the_archive_holds_and_lists_the_newest_first(built):
    archive, out = built
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "本档案收录 5 个地区 4 个机关的 5 份报告，涵盖 4 个年度" in html
    newest = html[html.index("<h2>最新报告</h2>"):]
    years = [int(y) for y in re.findall(r"</a></th><td>(\d{4})</td>", newest)]
    assert years == sorted((r.year for r in archive.reports), reverse=True)


def test_newest_prefers_the_publication_date_over_the_year():
    from datetime import date
    from types import SimpleNamespace as R
    from generator.pages.site import newest
    late = R(year=2023, path="b", meta={"published": date(2025, 3, 1)})
    plain = R(year=2024, path="a", meta={})
    early = R(year=2024, path="c", meta={"published": date(2025, 1, 20)})
    assert [r.path for r in newest([plain, early, late])] == ["b", "c", "a"]  # undated: as if at New Year
