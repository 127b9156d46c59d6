"""The pages show what the narrative, calendar and coverage checks find: a real site built from a small
archive with one case of each, read back as HTML and CSV."""
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factory import DEFAULT_NARRATIVE, report_text
from generator.build import build
from test_claims import APPEALS, SHANGHAI, tables

SHANGHAI_PROSE = "本年度共受理政府信息公开申请612件，予以公开及部分公开258件。因政府信息公开被申请行政复议7件，提起行政诉讼9件，均获维持。"
ACKNOWLEDGED = ("known_issues:\n  - rule: narrative/claim\n    cell: narrative.unavailable.*\n"
                "    note: 原文正文的265件只是第1项。")


def _write(folder: Path, name: str, level: str, reports: dict):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.yaml").write_text(f"name: {name}\nlevel: {level}\n", encoding="utf-8")
    for year, text in reports.items():
        (folder / f"{year}.md").write_text(text, encoding="utf-8")


def _report(year, prose="本年度工作情况良好。", meta="", narrative=None, format_id="2021", rows=None, appeals=None):
    rows = SHANGHAI if rows is None else rows
    return report_text(format_id, year, f"某机关 {year} 年政府信息公开工作年度报告",
                       tables(format_id, rows, appeals or [0] * 15), meta=meta,
                       narrative=narrative or DEFAULT_NARRATIVE.replace("本年度工作情况良好。", prose))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("quality")
    content = root / "content"
    _write(content / "sheng", "某省", "省", {})
    # a city: the Shanghai sentences (two disagreements and one acknowledged), a source URL, on time
    _write(content / "sheng" / "shi", "某市", "市", {
        2023: _report(2023, SHANGHAI_PROSE + "无法提供265件。", appeals=APPEALS,
                      meta="published: 2024-03-20\nsource: https://example.gov.cn/nb/2023.html\n" + ACKNOWLEDGED)})
    # a department: published late, 2024 missing, section 五 missing
    late = DEFAULT_NARRATIVE.replace("\n## 五、存在的主要问题及改进情况\n", "")
    _write(content / "sheng" / "shi" / "ju", "某局", "部门", {
        2022: _report(2022, meta="published: 2023-03-15\n"), 2023: _report(2023, narrative=late)})
    _write(content / "sheng" / "shi" / "zhen", "某镇", "乡镇", {2024: _report(2024)})
    out = root / "site"
    archive = build(content, out, search=False, jobs=1)
    assert not archive.errors, archive.errors
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_disagreeing_sentence_is_marked_and_the_quality_panel_links_to_it(site):
    html = (site / "sheng/shi/2023/index.html").read_text(encoding="utf-8")
    marks = re.findall(r'<mark id="(claim-\d+)" class="([^"]+)" title="([^"]*)">([^<]*)</mark>', html)
    assert [(i, c, t) for i, c, _, t in marks] == [
        ("claim-1", "claim", "本年度共受理政府信息公开申请612件，予以公开及部分公开258件。"),
        ("claim-2", "claim", "因政府信息公开被申请行政复议7件，提起行政诉讼9件，均获维持。"),
        ("claim-3", "claim claim-acknowledged", "无法提供265件。")]
    assert "=275" in marks[0][2] and "均获维持" in marks[1][2]
    start = html.index('class="quality')
    panel = html[start:html.index("</section>", start)]
    links = re.findall(r'<li class="sev-warning">([^<]*) <a href="#(claim-\d)">见正文</a></li>', panel)
    assert [i for _, i in links] == ["claim-1", "claim-2"]
    assert "（一）予以公开(272)+（二）部分公开(3)=275" in links[0][0]
    assert "正文所述数字与表格不符（1 处）：原文正文的265件只是第1项。" in panel  # acknowledged: a fault of the original


def test_provenance_is_shown_or_said_to_be_unrecorded(site):
    city = (site / "sheng/shi/2023/index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.gov.cn/nb/2023.html" rel="nofollow noopener">' in city
    assert "<dd>2024-03-20</dd>" in city and "逾期" not in _text(city[:city.index("</dl>")])  # a city: 31 March
    town = (site / "sheng/shi/zhen/2024/index.html").read_text(encoding="utf-8")
    assert "<dt>原文</dt><dd>原文链接未记录</dd>" in town and "<dt>发布日期</dt><dd>未记录</dd>" in town


def test_a_late_report_says_how_late_on_its_page(site):
    html = (site / "sheng/shi/ju/2022/index.html").read_text(encoding="utf-8")
    assert '2023-03-15（<strong class="late">逾期 43 天</strong>：法定期限 2023-01-31）' in html
    assert "第四十九条" in html  # the warning names its basis


def test_body_and_region_pages_name_missing_years_and_coverage(site):
    body = _text((site / "sheng/shi/ju/index.html").read_text(encoding="utf-8"))
    assert "缺少的年度：2024" in body
    region = (site / "sheng/index.html").read_text(encoding="utf-8")
    coverage = re.findall(r'<th scope="row">(\d{4})</th><td class="num having">(\d+)</td><td class="num bodies">(\d+)',
                          region)
    assert coverage == [("2024", "1", "3"), ("2023", "2", "3"), ("2022", "1", "3")]
    assert re.search(r'<a href="/sheng/shi/">某市</a>：2024</li>', region)
    assert re.search(r'<a href="/sheng/shi/ju/">某局</a>：2024</li>', region)


class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None


def test_the_quality_page_counts_each_case_per_region_and_links_the_reports(site):
    html = (site / "quality/index.html").read_text(encoding="utf-8")
    text = _text(html)
    assert "报告 4 份" in text and "正文与表格不符 3 处（1 份报告，含已说明的）" in text
    assert "逾期发布 1 份" in text and "缺少的年度 2 个" in text and "缺少的法定部分 1 处" in text
    parser = Rows()
    parser.feed(html)
    rows = {r[0]: r[1:] for r in parser.rows if r and r[0] in ("某省", "某市")}
    # 报告, 通过, 已说明, 警告, 无法核验, 仅有正文, 不符, 逾期, 缺年, 缺部分, 警告按规则
    assert rows["某省"][:10] == ["4", "1", "0", "3", "0", "0", "3", "1", "2", "1"]
    assert "narrative/claim 2" in rows["某省"][10] and "meta/late 1" in rows["某省"][10]
    section = html[html.index('id="rule-narrative-claim"'):]
    section = section[:section.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">', section) == ["/sheng/shi/2023/"]
    assert '<a href="/quality/">' in (site / "index.html").read_text(encoding="utf-8")


def test_the_quality_csv_holds_the_same_counts(site):
    data = (site / "quality/quality.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["region_id"] for r in rows] == ["", "sheng", "sheng/shi"]
    total = rows[0]
    assert (total["region"], total["reports"], total["prose_disagreements"], total["late"], total["missing_years"],
            total["missing_sections"], total["warnings:narrative/claim"], total["warnings:meta/late"]) == (
        "全档案", "4", "3", "1", "2", "1", "2", "1")


def test_a_sentence_crossing_markup_marks_its_longest_plain_run(tmp_path):
    content = tmp_path / "content"
    _write(content / "body", "某市", "市", {2023: _report(2023, "本年度，**予以公开及部分公开258件**，其余均已办结。")})
    assert not build(content, tmp_path / "site", search=False, jobs=1).errors
    html = (tmp_path / "site/body/2023/index.html").read_text(encoding="utf-8")
    assert re.search(r'<strong><mark id="claim-1" class="claim" title="[^"]+">予以公开及部分公开258件</mark></strong>', html)
    assert '<a href="#claim-1">见正文</a>' in html


def test_a_region_page_links_to_its_row_of_the_quality_page(site):
    region = (site / "sheng/shi/index.html").read_text(encoding="utf-8")
    assert '<a href="/quality/#region-sheng/shi">' in region
    assert '<tr id="region-sheng/shi">' in (site / "quality/index.html").read_text(encoding="utf-8")


def test_the_quality_page_lists_late_reports_with_their_delay(site):
    html = (site / "quality/index.html").read_text(encoding="utf-8")
    late = html[html.index('id="late"'):html.index('id="warnings"')]
    assert re.findall(r'<a href="([^"]+)">', late) == ["/sheng/shi/ju/2022/"]
    assert "发布于 2023-03-15，逾期 43 天" in late


def test_a_marked_sentence_with_raw_html_stays_text(tmp_path):
    content = tmp_path / "content"
    _write(content / "body", "某市", "市", {2023: _report(2023, '予以公开及部分公开258件<script>alert("x")</script>。')})
    assert not build(content, tmp_path / "site", search=False, jobs=1).errors
    html = (tmp_path / "site/body/2023/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert re.search(r'<mark id="claim-1" class="claim" title="[^"<>]+">予以公开及部分公开258件&lt;script&gt;alert\(&quot;x&quot;\)'
                     r'&lt;/script&gt;。</mark>', html)
