"""Statistics (/stats/ and region pages) checked against an independent computation from the long CSV
(data/cells.csv) and the raw format files: per year, per province and per region, totals honest about
blanks, rates as sums over sums, and rankings with their minimum."""
import csv
import gzip
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.build import build
from generator.export.tabular import csv_text, neutral
from synthetic import with_seeds

FORMATS = ROOT / "generator" / "formats"
MIN_APPLICATIONS = 10  # as the ranking's note states


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A synthetic archive (both formats, nested regions) beside the real content (blank cells, bodies
    at several levels, a report in no format)."""
    root = tmp_path_factory.mktemp("stats")
    content = with_seeds(root / "content", 60)
    out = root / "site"
    assert not build(content, out, search=False, cache_dir=root / "cache").errors
    return out


def _figures() -> dict[str, dict[str, list[tuple[str, str, str]]]]:
    """Per format id, per figure id: its cells, read from the data files themselves."""
    rates = yaml.safe_load((FORMATS / "rates.yaml").read_text(encoding="utf-8"))
    out = {}
    for path in FORMATS.glob("f*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        figures = {k["id"]: [tuple(p.split(".")) for p in k["sum"]] for k in spec["key_figures"]}
        for figure_id, f in rates["figures"].items():
            figures[figure_id] = [(f["table"], r, c) for r in f["rows"] for c in f["columns"]]
        out[str(spec["id"])] = figures
    return out


def _reports(site: Path) -> dict[tuple[str, int], dict]:
    """Every report of the long CSV: its place and cells (None where blank)."""
    out: dict[tuple[str, int], dict] = {}
    with gzip.open(site / "data" / "cells.csv.gz", "rt", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            report = out.setdefault((row["body_id"], int(row["year"])), {
                "format": row["format"], "cells": {},
                "province": (row["region_path"].split("/")[0] if row["region_path"] else row["body_name"])})
            value = row["value"]
            number = (Decimal(value) if "." in value else int(value)) if value else None
            report["cells"][(row["table"], row["row_id"], row["column_id"])] = number
    return out


def _value(report: dict, cells) -> int | None:
    values = [report["cells"].get(c) for c in cells]
    return None if None in values else sum(values)


def _expected(reports: list[dict], figures) -> dict[str, str]:
    """The CSV fields of a statistics row, worked out here."""
    out = {}
    for figure_id, label in (("new", "新收"), ("handled", "办结"), ("withheld", "不予公开"), ("review", "行政复议")):
        values = [_value(r, figures[r["format"]][figure_id]) for r in reports]
        known = [v for v in values if v is not None]
        out[label] = str(sum(known)) if known else ""
        out[f"{label}·缺数报告数"] = str(len(values) - len(known))
    pairs = []
    for r in reports:
        f = figures[r["format"]]
        top = [_value(r, f["disclosed"]), _value(r, f["partly_disclosed"])]
        bottom = _value(r, f["handled"])
        if None not in top and bottom is not None:
            pairs.append((sum(top), bottom))
    out["公开率·计入报告数"] = str(len(pairs))
    out["公开率·缺数报告数"] = str(len(reports) - len(pairs))
    denominator = sum(b for _, b in pairs)
    out["公开率（%）"] = str(round(100 * sum(t for t, _ in pairs) / denominator, 2)) if denominator else ""
    return out


def _read(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _check(rows: list[dict], key: str, groups: dict, figures) -> None:
    assert [r[key] for r in rows if r[key] != "全部年度"] == [str(k) for k in sorted(groups)]
    for row in rows:
        if row[key] == "全部年度":
            continue
        expected = _expected(groups[type(next(iter(groups)))(row[key])], figures)
        assert {k: row[k] for k in expected} == expected, row[key]


def test_per_year_statistics_match_the_long_csv(site):
    reports, figures = _reports(site), _figures()
    by_year = defaultdict(list)
    for (_, year), r in reports.items():
        by_year[year].append(r)
    rows = _read(site / "stats" / "by-year.csv")
    _check(rows, "年度", by_year, figures)
    total = rows[-1]
    assert total["年度"] == "全部年度"
    assert {k: total[k] for k in _expected(list(reports.values()), figures)} == \
        _expected(list(reports.values()), figures)
    index = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    assert int(total["报告数"]) == index["count"]  # reports in no format are counted, with no figures
    assert int(total["无统一表格的报告数"]) == sum(1 for r in index["reports"] if r["format"] == "none")
    assert int(total["新收·缺数报告数"]) > 0  # the real content has blank cells: the test sees them


def test_per_province_and_region_statistics_match_the_long_csv(site):
    reports, figures = _reports(site), _figures()
    for year in {y for _, y in reports}:
        groups = defaultdict(list)
        for (_, y), r in reports.items():
            if y == year:
                groups[r["province"]].append(r)
        rows = [r for r in _read(site / "stats" / "by-province.csv") if r["年度"] == str(year)]
        assert sorted(r["省份"] for r in rows) == sorted(groups)
        for row in rows:
            assert {k: row[k] for k in _expected(groups[row["省份"]], figures)} == \
                _expected(groups[row["省份"]], figures)
    region = defaultdict(list)
    for (body, year), r in reports.items():
        if body.startswith("p0/"):
            region[year].append(r)
    _check(_read(site / "p0" / "stats-by-year.csv"), "年度", region, figures)


def test_rankings_state_their_minimum_and_keep_it(site):
    reports, figures = _reports(site), _figures()
    rows = _read(site / "stats" / "rank-disclosure.csv")
    assert rows and all(int(r["办结"]) >= MIN_APPLICATIONS for r in rows)
    rates = [float(r["公开率（%）"]) for r in rows]
    assert rates == sorted(rates, reverse=True)
    page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert f"不少于 {MIN_APPLICATIONS} 件" in page
    # every ranked body's rate is its reports' numerators over their denominators
    names = defaultdict(list)
    for (body_id, _), r in reports.items():
        names[body_id].append(r)
    index = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    by_name = defaultdict(set)
    for r in index["reports"]:
        by_name[(r["body"], r["region_path"])].add(r["body_id"])
    for row in rows[:10]:
        (body_id,) = by_name[(row["机关"], row["所属地区"])]
        assert _expected(names[body_id], figures)["公开率（%）"] == row["公开率（%）"]


def test_pages_show_the_tables_without_javascript_with_totals_and_downloads(site):
    page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert page.count('<table class="figures stats sortable">') == 6  # year, level, province, three rankings
    assert "<tfoot>" in page and "全部年度" in page
    assert 'aria-sort="descending"' in page  # a ranking says how it is sorted
    for name in ("by-year", "by-level", "by-province", "rank-disclosure", "rank-withheld", "rank-unavailable"):
        assert f'href="/stats/{name}.csv" download' in page
        assert (site / "stats" / f"{name}.csv").is_file()
    assert "份缺数" in page  # blanks are said in the cells
    region = (site / "p0" / "index.html").read_text(encoding="utf-8")
    assert 'href="/p0/stats-by-year.csv"' in region and "全档案统计" in region


def test_csv_text_neutralises_formulas():
    assert neutral("=SUM(A1)") == "'=SUM(A1)" and neutral("+1") == "'+1" and neutral("@x") == "'@x"
    assert neutral("-x") == "'-x" and neutral(-3) == "-3" and neutral("金顺省") == "金顺省" and neutral(None) == ""
    assert csv_text(["a"], [["=1"]]) == "\ufeffa\r\n'=1\r\n"


def test_year_and_folder_pages_have_a_totals_row_and_a_download(site):
    reports, figures = _reports(site), _figures()
    index = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    for year in sorted({y for _, y in reports}):
        rows = _read(site / "years" / str(year) / "figures.csv")
        assert len(rows) == sum(1 for r in index["reports"] if r["year"] == year)
        mine = [r for (_, y), r in reports.items() if y == year]
        news = [_value(r, figures[r["format"]]["new"]) for r in mine]
        assert sorted(int(r["新收"]) for r in rows if r["新收"]) == sorted(v for v in news if v is not None)
        page = (site / "years" / str(year) / "index.html").read_text(encoding="utf-8")
        foot = page.split("<tfoot>")[1].split("</tfoot>")[0]
        known = [v for v in news if v is not None]
        assert f">{sum(known)}" in foot and f"合计（{len(rows)} 份报告）" in foot
        blanks = len(rows) - len(known)
        assert (f"{blanks} 份缺数" in foot) == (blanks > 0)
        assert f'href="/years/{year}/figures.csv" download' in page and "sortable" in page
    body = (site / "p0" / "c0" / "k0" / "t1" / "index.html").read_text(encoding="utf-8")
    assert "<tfoot>" in body and 'href="/p0/c0/k0/t1/figures.csv" download' in body
    region = _read(site / "p0" / "figures.csv")
    assert len(region) == sum(1 for r in index["reports"] if r["body_id"].startswith("p0/"))
    assert {r["网址"] for r in region} == {r["url"] for r in index["reports"] if r["body_id"].startswith("p0/")}


def test_the_data_page_lists_the_archive_statistics_and_the_years_figures_with_sizes(site):
    """The data page's list comes from the outputs (outputs.OUTPUTS): every /stats/*.csv written and
    every year's figures.csv is listed, with its size; a region's CSVs stay on the region's page."""
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'<a href="(/(?:stats|years)/[^"]+\.csv)"', page))
    written = {f"/stats/{p.name}" for p in (site / "stats").glob("*.csv")}
    written |= {f"/years/{p.parent.name}/figures.csv" for p in (site / "years").glob("*/figures.csv")}
    assert len(written) > 6 and listed == written
    assert "/p0/figures.csv" not in page and "/p0/stats-by-year.csv" not in page
