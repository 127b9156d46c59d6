"""The long table's compressed and columnar downloads, read back from a real build: every .csv.gz
decompresses to exactly the CSV's bytes, every Parquet file holds the CSV's rows as typed values, the
data page lists each with its size, and a rebuild rewrites only the files whose reports changed.

Built from the frozen real reports (SEED_CONTENT) and from the valid fixture (money with decimals, the
2019 format, a report without tables), the latter with a region named like a formula and a cell marked
as deduced.
"""
import csv
import gzip
import io
import re
import shutil
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, SEED_CONTENT
from generator import urls
from generator.archive import load_archive
from generator.build import build
from generator.export import columnar, csvgzip
from generator.export.csvfile import COLUMNS, neutralise
from generator.export.datapage import human_size

EVIL = '=HYPERLINK("http://evil.example","点我")'
DEDUCED = "applications.new.total"  # of sample-city/2021.md, forced by its row's sum


def _valid_with_formula_and_deduced(content):
    shutil.copytree(FIXTURES / "valid" / "content", content)
    index = content / "sample-province" / "_index.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace("name: 示例省", f"name: '{EVIL}'"), encoding="utf-8")
    report = content / "sample-province" / "sample-city" / "2021.md"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("\n---", f"\ndeduced:\n  - {{cell: {DEDUCED}, rule: arith/row-total}}\n---", 1),
                      encoding="utf-8")


@pytest.fixture(scope="module", params=["seeds", "fixture"])
def built(request, tmp_path_factory):
    work = tmp_path_factory.mktemp(request.param)
    if request.param == "seeds":
        shutil.copytree(SEED_CONTENT, work / "content")
    else:
        _valid_with_formula_and_deduced(work / "content")
    assert not build(work / "content", work / "site", search=False).errors
    return load_archive(work / "content"), work / "site"


def _path(site, url):
    return site / urls.output_path(url)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv_bytes(site, year) -> bytes:
    """A year's long CSV; for the whole archive (year None), the CSV that cells.csv.gz holds."""
    if year:
        return _path(site, urls.year_csv_url(year)).read_bytes()
    return gzip.decompress(_path(site, urls.cells_url(None, "csv.gz")).read_bytes())


def test_each_gzip_file_decompresses_to_exactly_the_csv(built):
    archive, site = built
    header, *rows = _csv_rows(_csv_bytes(site, None))
    assert header == [name for name, _ in COLUMNS]
    by_year = [r for year in archive.years for r in _csv_rows(_csv_bytes(site, year))[1:]]
    assert sorted(rows, key=lambda r: int(r[header.index("year")])) == by_year  # the years' rows, in archive order
    for year in archive.years:
        packed = _path(site, urls.cells_url(year, "csv.gz")).read_bytes()
        assert gzip.decompress(packed) == _csv_bytes(site, year), year
        assert packed[3] & 0x08 == 0 and packed[4:8] == b"\0\0\0\0"  # no file name, no date: same bytes each build
        if len(_csv_bytes(site, year)) > 10_000:
            assert len(packed) * 5 < len(_csv_bytes(site, year))
    assert not _path(site, "/data/cells.csv").exists()  # the whole archive's CSV only compressed


def _as_csv(row: dict) -> list[str]:
    """A Parquet row as the CSV writes it: text behind an apostrophe where it looks like a formula."""
    out = []
    for name, _ in COLUMNS:
        value = row[name]
        if name == "deduced":
            out.append("1" if value else "")
        elif name in ("year", "value"):
            out.append("" if value is None else str(value))
        else:
            out.append("" if value is None else neutralise(value))
    return out


def test_each_parquet_file_holds_the_csvs_rows_as_typed_values(built):
    archive, site = built
    for year in (None, *archive.years):
        table = pq.read_table(_path(site, urls.cells_url(year, "parquet")))
        assert table.schema.names == [name for name, _ in COLUMNS]
        assert table.schema.field("year").type == pa.int16() and table.schema.field("value").type == pa.float64()
        assert table.schema.field("deduced").type == pa.bool_() and table.schema.field("body_id").type == pa.string()
        header, *rows = _csv_rows(_csv_bytes(site, year))
        got = table.to_pylist()
        assert len(got) == len(rows)
        for parquet_row, csv_row in zip(got, rows):
            expected = _as_csv(parquet_row)
            value = csv_row[header.index("value")]
            at = header.index("value")
            assert expected[:at] + expected[at + 1:] == csv_row[:at] + csv_row[at + 1:]
            assert (parquet_row["value"] is None) == (value == "")
            if value:  # the same number: every count exactly, an amount as printed
                assert Decimal(repr(parquet_row["value"])) == Decimal(value)
        if year:
            assert got == [r for r in pq.read_table(_path(site, urls.cells_url(None, "parquet"))).to_pylist()
                           if r["year"] == year]


@pytest.mark.parametrize("built", ["fixture"], indirect=True)  # only the fixture has a region named like a formula
def test_parquet_holds_text_as_it_is_and_the_csv_neutralises_it(built):
    archive, site = built
    assert any(f.name == EVIL for f in archive.folders.values())
    rows = pq.read_table(_path(site, urls.cells_url(None, "parquet"))).to_pylist()
    assert {r["region_path"] for r in rows if r["body_id"].startswith("sample-province")} >= {EVIL}
    text = gzip.decompress(_path(site, urls.cells_url(None, "csv.gz")).read_bytes()).decode("utf-8-sig")
    quoted = "'" + EVIL.replace('"', '""')  # behind an apostrophe, then quoted as CSV
    assert f',"{quoted}",' in text and f",{EVIL}" not in text
    deduced = [r for r in rows if r["deduced"]]
    assert [(r["body_id"], f"{r['table']}.{r['row_id']}.{r['column_id']}", r["year"]) for r in deduced] == \
        [("sample-province/sample-city", DEDUCED, 2021)]
    assert [r["value"] for r in rows if r["column_id"] == "fee_amount" and r["year"] == 2021
            and r["body_id"] == "sample-province/sample-city"] == [4.74]


def test_the_data_page_lists_each_file_with_its_size(built):
    archive, site = built
    html = _path(site, urls.DATA_URL).read_text(encoding="utf-8")
    declared = csvgzip.downloads(archive) + columnar.downloads(archive)
    assert len(declared) == 2 * (len(archive.years) + 1)
    for label, url in declared:
        size = human_size(_path(site, url).stat().st_size)
        assert re.search(rf'<th scope="row">{re.escape(label)}</th><td><a href="{re.escape(url)}">[^<]+</a></td>'
                         rf'<td class="num">{re.escape(size)}</td>', html), url


def test_the_data_page_names_each_parquet_columns_type(built):
    _, site = built
    html = _path(site, urls.DATA_URL).read_text(encoding="utf-8")
    for name, kind in (("year", "int16"), ("value", "double"), ("deduced", "bool"), ("body_name", "string")):
        assert re.search(rf'<code>{name}</code></th><td>[^<]+</td><td><code>{kind}</code></td>', html), name


def test_sizes_read_in_the_largest_fitting_unit():
    assert [human_size(n) for n in (512, 3 << 10, 5 << 20, (3 << 30) + (1 << 29))] == \
        ["512 字节", "3.0 KB", "5.0 MB", "3.5 GB"]


def test_a_rebuild_rewrites_only_the_files_of_the_changed_year_and_equals_a_clean_build(tmp_path):
    content, cache, site = tmp_path / "content", tmp_path / "cache", tmp_path / "site"
    shutil.copytree(SEED_CONTENT, content)
    assert not build(content, site, cache_dir=cache, search=False).errors
    names = [p.name for p in (site / "data").iterdir()
             if p.name.startswith("cells") and p.suffix in (".gz", ".parquet")]
    before = {n: (site / "data" / n).stat().st_ino for n in names}
    index = content / "hulin" / "baodong" / "_index.yaml"  # the body of the 2024 report, its only one
    index.write_text(index.read_text(encoding="utf-8").replace("name:", "name: 新", 1), encoding="utf-8")
    assert not build(content, site, cache_dir=cache, search=False).errors
    rewritten = {n for n in names if (site / "data" / n).stat().st_ino != before[n]}
    assert rewritten == {"cells.csv.gz", "cells-2024.csv.gz", "cells.parquet", "cells-2024.parquet"}
    clean = tmp_path / "clean"
    assert not build(content, clean, search=False).errors
    for n in names:
        assert (site / "data" / n).read_bytes() == (clean / "data" / n).read_bytes(), n
    assert "新" in pq.read_table(site / "data" / "cells-2024.parquet").column("body_name")[0].as_py()
