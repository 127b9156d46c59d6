"""Wide downloads: one row per report, one column per cell (Chinese headers carrying the ids), as CSV,
XLSX and Parquet, for the archive and each year; every cell agrees with the long CSV; the XLSX read back with
openpyxl; sheets and files split at the row limit; text that looks like a formula stays text."""
import csv
import gzip
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from generator.build import build
from generator.export import wide
from synthetic import with_seeds

TRICKY = "=HYPERLINK(\"http://example.org\")报告"


def _content(root: Path) -> Path:
    content = with_seeds(root / "content", 30)
    report = content / "p0" / "c0" / "k0" / "2021.md"
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"^title: .*$", f"title: '{TRICKY}'", text, count=1, flags=re.M), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wide")
    out = root / "site"
    assert not build(_content(root), out, search=False, cache_dir=root / "cache").errors
    return out


def _csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _long(site: Path) -> dict[tuple[str, str], str]:
    """(report id, table.row.column) -> value, from the long CSV."""
    out = {}
    with gzip.open(site / "data" / "cells.csv.gz", "rt", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            cell = f"{row['table']}.{row['row_id']}.{row['column_id']}"
            out[(f"{row['body_id']}/{row['year']}", cell)] = row["value"]
    return out


def test_one_row_per_report_and_every_cell_as_in_the_long_csv(site):
    index = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    rows = _csv(site / "data" / "wide.csv")
    head, body = rows[0], rows[1:]
    assert head[:len(wide.LEAD)] == list(wide.LEAD)
    assert len(body) == index["count"] and {r[0] for r in body} == {r["id"] for r in index["reports"]}
    ids = [re.fullmatch(r".+ \[([a-z0-9_.]+)\]", h).group(1) for h in head[len(wide.LEAD):]]
    assert len(ids) == len(set(ids))
    assert "三·一、本年新收政府信息公开申请数量·申请人情况·自然人 [applications.new.natural]" in head
    long = _long(site)
    filled = 0
    for row in body:
        for cell_id, value in zip(ids, row[len(wide.LEAD):]):
            assert value == long.get((row[0], cell_id), ""), (row[0], cell_id)
            filled += (row[0], cell_id) in long
    assert filled == len(long)  # every cell of the long form is somewhere in the wide one
    by_id = {r["id"]: r for r in index["reports"]}
    for row in body:
        meta = dict(zip(head, row))
        assert meta["标题"] == by_id[row[0]]["title"] or meta["标题"] == "'" + by_id[row[0]]["title"]
        assert meta["网址"].endswith(by_id[row[0]]["url"]) and meta["年度"] == str(by_id[row[0]]["year"])
        assert meta["发布日期"] == (by_id[row[0]]["published"] or "")
    for year in {r["year"] for r in index["reports"]}:
        rows = _csv(site / "data" / f"wide-{year}.csv")[1:]
        assert sorted(r[0] for r in rows) == sorted(r["id"] for r in index["reports"] if r["year"] == year)


def test_the_xlsx_reads_back_as_the_csv(site):
    csv_rows = _csv(site / "data" / "wide.csv")
    book = openpyxl.load_workbook(site / "data" / "wide.xlsx", read_only=True)
    assert book.sheetnames == ["报告"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == csv_rows[0]
    for got, expected in zip(rows[1:], csv_rows[1:]):
        text = ["" if v is None else str(v) if not isinstance(v, float) else format(v, "g") for v in got]
        expected = [e[1:] if e.startswith("'=") else e for e in expected]  # the CSV neutralises, XLSX types
        assert [t.rstrip("0").rstrip(".") if "." in t else t for t in text] == \
            [e.rstrip("0").rstrip(".") if "." in e else e for e in expected]
    assert len(rows) == len(csv_rows)
    for year in {r[6] for r in csv_rows[1:]}:
        sheet = openpyxl.load_workbook(site / "data" / f"wide-{year}.xlsx", read_only=True).worksheets[0]
        assert sheet.max_row == 1 + sum(1 for r in csv_rows[1:] if r[6] == year)


def test_the_parquet_reads_back_as_the_csv_with_typed_columns(site):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from decimal import Decimal
    from generator.export.tabular import neutral
    csv_rows = _csv(site / "data" / "wide.csv")
    table = pq.read_table(site / "data" / "wide.parquet")
    assert table.column_names == csv_rows[0]
    assert table.schema.field("年度").type == pa.int16() and table.schema.field("标题").type == pa.string()
    assert {table.schema.field(h).type for h in csv_rows[0][len(wide.LEAD):]} == {pa.float64()}
    got = table.to_pylist()
    assert len(got) == len(csv_rows) - 1
    for row, expected in zip(got, csv_rows[1:]):
        values = list(row.values())
        lead, cells = values[:len(wide.LEAD)], values[len(wide.LEAD):]
        assert ["" if v is None else neutral(v) for v in lead] == expected[:len(wide.LEAD)]  # the text as it is
        assert [v is None for v in cells] == [e == "" for e in expected[len(wide.LEAD):]]
        assert all(Decimal(repr(v)) == Decimal(e) for v, e in zip(cells, expected[len(wide.LEAD):]) if e)
    assert any(r["标题"] == TRICKY for r in got)  # not behind an apostrophe: Parquet holds text, never formulas
    for year in {r[6] for r in csv_rows[1:]}:
        assert pq.read_table(site / "data" / f"wide-{year}.parquet").column("年度").to_pylist() == \
            [int(r[6]) for r in csv_rows[1:] if r[6] == year]


def test_a_formula_looking_title_stays_text(site):
    rows = _csv(site / "data" / "wide.csv")
    assert any(r[1] == "'" + TRICKY for r in rows)
    book = openpyxl.load_workbook(site / "data" / "wide.xlsx")  # not read-only: cell types
    cells = [c for c in book.worksheets[0]["B"] if c.value == TRICKY]
    assert cells and all(c.data_type == "s" for c in cells)


def test_files_and_sheets_split_at_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(wide, "ROW_LIMIT", 8)  # 7 reports per sheet or file
    out = tmp_path / "site"
    assert not build(_content(tmp_path), out, search=False, cache_dir=tmp_path / "cache").errors
    index = json.loads((out / "data" / "reports.json").read_text(encoding="utf-8"))
    count = index["count"]
    parts = sorted((out / "data").glob("wide-part*.csv")) + [out / "data" / "wide.csv"]
    assert len(parts) == -(-count // 7) > 1
    ids = []
    for part in parts:
        rows = _csv(part)
        assert rows[0][0] == "报告标识" and 1 <= len(rows) - 1 <= 7
        ids += [r[0] for r in rows[1:]]
    assert sorted(ids) == sorted(r["id"] for r in index["reports"])
    book = openpyxl.load_workbook(out / "data" / "wide.xlsx", read_only=True)
    assert len(book.sheetnames) == -(-count // 7)
    assert sum(s.max_row - 1 for s in book.worksheets) == count
    assert all(next(s.iter_rows(max_row=1, values_only=True))[0] == "报告标识" for s in book.worksheets)
    page = (out / "data" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="/data/{p.name}"' in page for p in parts)


def test_the_data_page_lists_the_wide_files_with_sizes(site):
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("wide.csv", "wide.xlsx"):
        size = (site / "data" / name).stat().st_size
        url = re.escape(f"/data/{name}")
        assert re.search(rf'href="{url}">{url}</a></td><td class="num">[0-9.]+ KB', page)
        assert size > 0
