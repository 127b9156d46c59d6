"""A round trip on the archive itself: every report of content/, as its own built report page and as
the PDF Chromium prints from that page, imports to the same numbers. A blank stays blank or is
deduced to the value the rules force; the page shows a deduced cell with its mark and reason, and
the report JSON lists it."""
import gzip
import json
import subprocess
from decimal import Decimal

import pytest
from browser import CHROMIUM, FLAGS
from conftest import ROOT, SEED_CONTENT
from jsonschema import validate

from generator.archive import load_archive
from generator.build import build
from generator.checks.deduce import deduce
from generator.importers import import_file
from generator import urls

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

ARCHIVE = load_archive(ROOT / "content")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("roundtrip") / "site"
    assert not build(ROOT / "content", out, search=False).errors
    return out


def page_of(site, report):
    return site / urls.output_path(urls.report_url(report))


def same_numbers(report, imported):
    plain = {t: {r: [c.value for c in cells] for r, cells in rows.items()} for t, rows in report.tables.items()}
    forced = {f.cell: f.value for f in deduce(report.format, plain)}
    assert imported.format.id == report.format.id and imported.year == report.year
    for table, rows in plain.items():
        for row, values in rows.items():
            got = imported.tables[table][row]
            for i, value in enumerate(values):
                if value is None:
                    assert got[i] is None or got[i] == forced[(table, row, i)], (table, row, i, got[i])
                else:
                    assert got[i] is not None and Decimal(str(got[i])) == Decimal(str(value)), (table, row, i)


@pytest.mark.parametrize("report", ARCHIVE.reports, ids=lambda r: r.path)
def test_a_report_page_imports_to_its_own_numbers(site, report):
    same_numbers(report, import_file(page_of(site, report)).report)


@pytest.mark.parametrize("furniture", [False, True], ids=["plain", "header-footer"])
@pytest.mark.parametrize("report", ARCHIVE.reports, ids=lambda r: r.path)
def test_the_pdf_chromium_prints_from_a_report_page_imports_to_its_own_numbers(site, report, furniture, tmp_path):
    """With Chromium's own header and footer too (date, page title, address, "1/3" on every page)."""
    assert CHROMIUM, "Debian's chromium is needed"
    pdf = tmp_path / "page.pdf"
    plain = [] if furniture else ["--no-pdf-header-footer"]
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *plain,
                    f"--print-to-pdf={pdf}", page_of(site, report).as_uri()], capture_output=True, timeout=120,
                   check=True)
    same_numbers(report, import_file(pdf).report)


def test_a_deduced_cell_is_marked_on_the_page_and_in_the_json(tmp_path):
    import shutil
    shutil.copytree(SEED_CONTENT, tmp_path / "content")  # the frozen seeds: they keep hongqi/ at the top
    imported = import_file(ROOT / "tests/fixtures/import/documents/portal-2023.html")
    from generator.reportfile import render
    body = tmp_path / "content/hongqi/other"
    body.mkdir()
    (body / "_index.yaml").write_text("name: 某镇\nlevel: 乡镇\n", encoding="utf-8")
    (body / "2023.md").write_text(render(imported.report), encoding="utf-8")
    out = tmp_path / "site"
    assert not build(tmp_path / "content", out, search=False).errors
    html = (out / "hongqi/other/2023/index.html").read_text(encoding="utf-8")
    assert 'class="num deduced" title="据勾稽关系推得：原文此格空白，arith/' in html
    assert '2<span class="deduced-mark" aria-hidden="true">推</span>' in html
    assert "据勾稽关系推得：原文此格空白，表格的加总关系只允许这一个值（共 4 格" in html
    data = json.loads((out / "hongqi/other/2023/report.json").read_text(encoding="utf-8")) \
        if (out / "hongqi/other/2023/report.json").exists() else None
    if data is None:
        [path] = [p for p in out.rglob("*.json") if "hongqi/other" in p.as_posix() and "2023" in p.name + p.as_posix()]
        data = json.loads(path.read_text(encoding="utf-8"))
    assert {"cell": "applications.new.total", "rule": "arith/balance"} in data["deduced"]
    schema = json.loads((out / "schema/2021.json").read_text(encoding="utf-8"))
    validate(data, schema)
    import csv
    import sqlite3
    rows = list(csv.DictReader(gzip.decompress((out / "data/cells.csv.gz").read_bytes()).decode("utf-8-sig")
                               .splitlines()))
    flagged = {(r["body_id"], r["table"], r["row_id"], r["column_id"]) for r in rows if r["deduced"] == "1"}
    assert flagged == {("hongqi/other", *cell.split(".")) for cell in
                       ("applications.new.total", "applications.disclosed.natural",
                        "applications.withheld_query.nonprofit", "appeals.cases.after_review_total")}
    db = sqlite3.connect(out / "data/cells.sqlite")
    try:
        marked = db.execute("SELECT count(*) FROM cells_long WHERE deduced = '1'").fetchone()[0]
    finally:
        db.close()
    assert marked == 4
