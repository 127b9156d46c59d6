"""Year over year: each report beside the body's previous one, every figure and rate with its change,
table 三's rows matched by id across the change of format (2019 → 2021), linked from the report pages."""
import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.formats import FORMATS
from synthetic import with_seeds


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("compare")
    content = with_seeds(root / "content", 12)
    out = root / "site"
    assert not build(content, out, search=False, cache_dir=root / "cache").errors
    return out


def _rows(html: str, section: str) -> dict[str, list[str]]:
    part = html.split(f'<section id="{section}">')[1].split("</section>")[0]
    out = {}
    for key, row in re.findall(r"<tr(?: data-row=\"([a-z_]+)\")?><th scope=\"row\">(.*?)</tr>", part, re.S):
        label = key or re.sub(r"<[^>]+>", "", row.split("</th>")[0]).split("＝")[0]
        out[label] = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return out


def _total(report: dict, row: str):
    rows = report["tables"]["applications"]["rows"]
    return rows[row]["cells"]["total"] if row in rows else None


def _change(a, b) -> str:
    if a is None or b is None:
        return "—"
    return f"+{b - a}" if b > a else f"−{a - b}" if b < a else "0"


def test_every_consecutive_pair_has_a_page_that_matches_both_reports(site):
    index = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    by_body: dict[str, list[dict]] = {}
    for r in index["reports"]:
        by_body.setdefault(r["body_id"], []).append(r)
    pairs = 0
    for reports in by_body.values():
        reports.sort(key=lambda r: r["year"])
        for earlier, later in zip(reports, reports[1:]):
            page = site / later["url"].lstrip("/") / "compare" / "index.html"
            if earlier["format"] == "none" or later["format"] == "none":
                assert not page.exists()
                continue
            pairs += 1
            html = page.read_text(encoding="utf-8")
            a, b = (json.loads((site / r["json"].lstrip("/")).read_text(encoding="utf-8")) for r in (earlier, later))
            rows = _rows(html, "rows")
            for row_id in b["tables"]["applications"]["rows"]:
                x, y = _total(a, row_id), _total(b, row_id)
                got = rows[row_id]
                assert got[1] == ("—" if y is None else str(y)), (later["id"], row_id)
                if row_id in a["tables"]["applications"]["rows"]:
                    assert got[0] == ("—" if x is None else str(x)) and got[2] == _change(x, y)
                else:
                    assert got[2] == f"仅 {later['format']} 年格式有此行"
            for row_id in set(a["tables"]["applications"]["rows"]) - set(b["tables"]["applications"]["rows"]):
                in_later = FORMATS[later["format"]].table("applications").block_of(row_id) is not None
                assert rows[row_id][2] == ("—" if in_later else f"仅 {earlier['format']} 年格式有此行")
            figures = _rows(html, "figures")
            new = [_total(r, "new") for r in (a, b)]
            assert figures["新收"] == [str(new[0]) if new[0] is not None else "—",
                                     str(new[1]) if new[1] is not None else "—", _change(*new)]
            assert ("两年的表格格式不同" in html) == (earlier["format"] != later["format"])
            report_page = (site / later["url"].lstrip("/") / "index.html").read_text(encoding="utf-8")
            assert f'href="{later["url"]}compare/">与 {earlier["year"]} 年比较' in report_page
            previous_page = (site / earlier["url"].lstrip("/") / "index.html").read_text(encoding="utf-8")
            assert f'href="{later["url"]}compare/">与 {later["year"]} 年比较' in previous_page
    assert pairs >= 10


def test_the_change_of_format_maps_the_shared_rows(site):
    html = (site / "p0/c0/k0/2021/compare/index.html").read_text(encoding="utf-8")
    assert "2019 年格式 → 2021 年格式" in html
    rows = _rows(html, "rows")
    assert rows["new"][2] != "—" and rows["outcome_total"][2] != "—"  # shared rows, compared
    assert {k for k, v in rows.items() if v[2] == "仅 2021 年格式有此行"} == {"other_no_correction", "other_unpaid_fee",
                                                                            "other_misc"}
    rates = _rows(html, "rates")
    assert set(rates) == {"公开率", "不予公开率", "无法提供率", "复议纠错率", "诉讼纠错率"}
    assert all(v[2] == "—" or v[2].endswith("个百分点") for v in rates.values())
