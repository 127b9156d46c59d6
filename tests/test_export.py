"""Open data, read back from a real build: report JSON, CSV, schemas, SQLite, feed, sitemap, data page.

Every archive here is built for real (the seed content/ and the valid fixture) and the files are
read from disk, then compared with the report files themselves.
"""
import copy
import csv
import gzip
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, ROOT, SEED_CONTENT
from generator.archive import load_archive
from generator.build import build
from generator.export.csvfile import COLUMNS
from generator.formats import FORMATS
from generator import urls

BASE = "https://nianbao.example.org"
ARCHIVES = {"seeds": SEED_CONTENT, "fixture": FIXTURES / "valid" / "content"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=sorted(ARCHIVES))
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param) / "site"
    assert not build(ARCHIVES[request.param], out, base_url=BASE).errors
    return load_archive(ARCHIVES[request.param]), out  # what the files must say: the YAML, with every cell


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """The valid fixture, built once: its 2021 report has money with decimals, its 2020 report the 2019 format."""
    out = tmp_path_factory.mktemp("fixture") / "site"
    assert not build(ARCHIVES["fixture"], out).errors
    return out


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def front_matter(path):
    """The report file's front matter, read with plain PyYAML: independent of the project's loader."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def number(value):
    return None if value is None else Decimal(str(value))


def test_every_report_json_holds_the_yaml_numbers(built):
    archive, out = built
    for report in archive.reports:
        data = read_json(out / urls.output_path(urls.report_json_url(report)))
        assert Path(report.path).as_posix().endswith("/" + data["file"])
        raw = front_matter(Path(report.path))
        tables = {t.id for t in report.format.tables} if report.format else set()
        assert set(data["tables"]) == tables, report.path
        for table_id in tables:
            rows = data["tables"][table_id]["rows"]
            assert list(rows) == [r for r in (r.id for r in report.format.table(table_id).rows) if r in raw[table_id]]
            for row_id, values in raw[table_id].items():
                assert [number(v) for v in rows[row_id]["cells"].values()] == [number(v) for v in values], \
                    f"{report.path}: {table_id}.{row_id}"
        assert (data["title"], data["year"]) == (raw["title"], raw["year"])


def test_reports_index_lists_every_report_with_its_json(built):
    archive, out = built
    index = read_json(out / "data" / "reports.json")
    assert index["count"] == len(archive.reports) == len(index["reports"])
    for entry in index["reports"]:
        assert read_json(out / entry["json"].lstrip("/"))["id"] == entry["id"]
        assert (out / urls.output_path(entry["url"])).is_file()


def read_csv(path):
    """A long CSV's rows; the whole archive's is gzip-compressed (cells.csv.gz)."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [name for name, _ in COLUMNS]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_csv_has_one_row_per_cell_and_rebuilds_every_table(built):
    archive, out = built
    rows = read_csv(out / "data" / "cells.csv.gz")
    rebuilt = {}
    for r in rows:
        table = rebuilt.setdefault((r["body_id"], int(r["year"])), {}).setdefault(r["table"], {})
        table.setdefault(r["row_id"], []).append(None if r["value"] == "" else Decimal(r["value"]))
    expected = {(("/".join(rep.folder)), rep.year): {t: {row: [c.value for c in cells] for row, cells in rows_.items()}
                                                    for t, rows_ in rep.tables.items()}
                for rep in archive.reports if rep.tables}
    assert rebuilt == expected
    assert len(rows) == sum(len(cells) for rep in archive.reports for t in rep.tables.values() for cells in t.values())


def test_csv_labels_come_from_the_spec_and_each_year_has_its_own_file(built):
    archive, out = built
    rows = read_csv(out / "data" / "cells.csv.gz")
    for r in rows:
        table = FORMATS[r["format"]].table(r["table"])
        row = table.row(r["row_id"])
        column = next(c for c in table.block_of(r["row_id"]).columns if c.id == r["column_id"])
        assert (r["row_label"], r["column_label"], r["unit"]) == (row.full_label, column.full_label, column.unit or "")
    years = sorted({rep.year for rep in archive.reports})
    per_year = [read_csv(out / urls.output_path(urls.year_csv_url(y))) for y in years]
    assert [r for part in per_year for r in part] == sorted(rows, key=lambda r: int(r["year"]))
    assert all({r["year"] for r in part} <= {str(y)} for part, y in zip(per_year, years))


def validator(out, format_id):
    schema = read_json(out / "schema" / f"{format_id}.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_report_json_validates_against_its_formats_schema(built):
    archive, out = built
    for report in archive.reports:
        data = json.loads((out / urls.output_path(urls.report_json_url(report))).read_text(encoding="utf-8"))
        errors = list(validator(out, data["schema"].split("/")[-1].removesuffix(".json")).iter_errors(data))
        assert not errors, f"{report.path}: {errors[0].message}"
        others = [f for f in (*FORMATS, "none") if f != (report.format.id if report.format else "none")]
        assert all(not validator(out, f).is_valid(data) for f in others), "a schema must not fit another format"


def _sample(out, report_id):
    return json.loads((out / f"{report_id}.json").read_text(encoding="utf-8"))


BREAKAGES = {
    "negative count": lambda d: d["tables"]["applications"]["rows"]["new"]["cells"].update(natural=-1),
    "fractional count": lambda d: d["tables"]["applications"]["rows"]["new"]["cells"].update(natural=1.5),
    "string": lambda d: d["tables"]["appeals"]["rows"]["cases"]["cells"].update(review_total="0"),
    "unknown row": lambda d: d["tables"]["applications"]["rows"].update(invented={"label": "x", "cells": {}}),
    "missing row": lambda d: d["tables"]["applications"]["rows"].pop("carried_forward"),
    "missing column": lambda d: d["tables"]["applications"]["rows"]["new"]["cells"].pop("total"),
    "unknown column": lambda d: d["tables"]["applications"]["rows"]["new"]["cells"].update(extra=0),
    "wrong label": lambda d: d["tables"]["applications"]["rows"]["new"].update(label="新收"),
    "negative money": lambda d: d["tables"]["active"]["rows"]["fees"]["cells"].update(fee_amount=-0.5),
    "unknown key": lambda d: d.update(extra=1),
    "missing table": lambda d: d["tables"].pop("appeals"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_report_json_fails_its_schema(breakage, fixture_site):
    data = _sample(fixture_site, "sample-province/sample-city/2021")
    check = validator(fixture_site, "2021")
    assert check.is_valid(data)
    broken = copy.deepcopy(data)
    BREAKAGES[breakage](broken)
    assert not check.is_valid(broken)


def test_schema_kinds_follow_the_spec(fixture_site):
    data = _sample(fixture_site, "sample-province/sample-city/2020")
    check = validator(fixture_site, "2019")
    assert check.is_valid(data)
    cells = data["tables"]["active"]["rows"]["licensing"]["cells"]
    for value, ok in ((-417, True), (None, True), (-1.5, False)):  # 本年增/减 is a signed integer
        assert check.is_valid(_with(data, cells, "change", value)) is ok
    procurement = data["tables"]["active"]["rows"]["central_procurement"]["cells"]
    assert check.is_valid(_with(data, procurement, "procurement_amount", 251000.25))  # money keeps decimals


def _with(data, cells, column, value):
    old = cells[column]
    cells[column] = value
    result = copy.deepcopy(data)
    cells[column] = old
    return result


def test_schema_command_prints_and_writes_the_published_schemas(cli, tmp_path, built):
    _, out = built
    code, printed, _ = cli("schema", "--format", "2021", cwd=tmp_path)
    assert code == 0 and printed == (out / "schema" / "2021.json").read_text(encoding="utf-8")
    code, _, err = cli("schema", "--out", tmp_path / "schemas", cwd=tmp_path)
    assert code == 0 and "3 个" in err
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == ["2019.json", "2021.json", "none.json"]
    for p in (tmp_path / "schemas").iterdir():
        assert p.read_bytes() == (out / "schema" / p.name).read_bytes()


def test_sqlite_view_gives_back_every_row_of_the_csv(built):
    _, out = built
    db = sqlite3.connect(out / "data" / "cells.sqlite")
    try:
        cursor = db.execute("SELECT * FROM cells_long")
        names = [d[0] for d in cursor.description]
        cells = cursor.fetchall()
        reports = db.execute("SELECT id, title FROM reports").fetchall()
    finally:
        db.close()
    assert names == ["report_id"] + [name for name, _ in COLUMNS]
    expected = [tuple(number(v or None) if k == "value" else v for k, v in r.items())
                for r in read_csv(out / "data" / "cells.csv.gz")]
    got = [tuple(number(v) if k == "value" else "" if v is None else str(v) for k, v in zip(names[1:], row[1:]))
           for row in cells]
    assert got == expected
    assert all(row[0] == f"{row[1]}/{row[4]}" for row in cells)
    index = read_json(out / "data" / "reports.json")["reports"]
    assert sorted(reports) == sorted((r["id"], r["title"]) for r in index)


def test_atom_feed_lists_the_newest_reports_with_absolute_links(built):
    archive, out = built
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + tag).text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(50, len(archive.reports))
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True) and feed.find(f"{ATOM}updated").text == updated[0]
    for e in entries:
        assert e.find(f"{ATOM}title").text and e.find(f"{ATOM}id").text.startswith(BASE + "/")
        page = e.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert (out / urls.output_path(page.removeprefix(BASE))).is_file()
    published = {r.title: r.meta["published"].isoformat() for r in archive.reports if "published" in r.meta}
    for e in entries:  # dates come from the content: the published date where the report has one
        if e.find(f"{ATOM}title").text in published:
            assert e.find(f"{ATOM}updated").text.startswith(published[e.find(f"{ATOM}title").text])


def test_sitemap_lists_every_page_and_robots_points_to_it(built):
    _, out = built
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in root]
    pages = sorted(BASE + "/" + p.relative_to(out).as_posix().removesuffix("index.html")
                   for p in out.rglob("index.html"))
    assert sorted(locs) == pages and f"{BASE}/data/" in locs
    assert f"Sitemap: {BASE}/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8").splitlines()


def test_data_page_documents_every_id_of_the_spec_and_the_real_sizes(built):
    _, out = built
    html = (out / "data" / "index.html").read_text(encoding="utf-8")
    for fmt in FORMATS.values():
        section = html[html.index(f'id="format-{fmt.id}"'):]
        for table in fmt.tables:
            assert f"<code>{table.id}</code>" in section
            for block in table.blocks:
                assert all(f"<code>{c.id}</code></th><td>{c.full_label}</td>" in section for c in block.columns)
                assert all(f"<code>{r.id}</code></th><td>{r.full_label}</td>" in section for r in block.rows)
        assert all(f"<code>{r.rule}</code>" in section for r in fmt.rules)
    assert all(f"<code>{name}</code>" in html for name, _ in COLUMNS)
    sizes = re.findall(r'<td><a href="([^"]+)">[^<]+</a></td><td class="num">([\d.]+) (GB|MB|KB|字节)</td>', html)
    assert len(sizes) >= 7
    for url, amount, unit in sizes:
        real = (out / url.lstrip("/")).stat().st_size
        scale = {"GB": 1 << 30, "MB": 1 << 20, "KB": 1 << 10, "字节": 1}[unit]
        assert abs(real / scale - float(amount)) <= 0.05, url


def test_report_page_links_its_json_and_its_years_csv(built):
    archive, out = built
    for report in archive.reports:
        html = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
        for url in (urls.report_json_url(report), urls.year_csv_url(report.year), urls.DATA_URL):
            assert f'href="{url}"' in html and (out / urls.output_path(url)).is_file()


def test_cli_refuses_a_base_url_with_a_path_and_writes_nothing(cli, tmp_path):
    code, _, err = cli("build", "--content", ARCHIVES["fixture"], "--base-url", "https://x.org/sub", cwd=tmp_path)
    assert code == 2 and "--base-url" in err and not (tmp_path / "site").exists()


def test_readme_documents_every_open_data_file_and_csv_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Open data"):]
    for url in (urls.REPORTS_JSON_URL, urls.cells_url(None, "csv.gz"), urls.cells_url(None, "parquet"),
                urls.SQLITE_URL, urls.FEED_URL, urls.SITEMAP_URL,
                urls.ROBOTS_URL, urls.DATA_URL, "/schema/"):
        assert url in section, url
    assert all(f"`{name}`" in section for name, _ in COLUMNS)
