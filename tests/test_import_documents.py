"""`nianbao import` on documents as bodies publish them (tests/make_import_fixtures.py made them):
every printed number in its cell, printed blanks blank or deduced, metadata, clear failures."""
import json
import random
import re
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from factory import consistent_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.archive import load_archive
from generator.checks.deduce import cell_name, deduce
from generator.formats import get_format
from generator.importers import DocumentError, UnreadableText, import_file
from generator.importers.documents import kind_of
from generator.reportfile import render

DOCS = FIXTURES / "import" / "documents"
DOCUMENTS = sorted(p for p in DOCS.iterdir() if not p.name.endswith(".json"))


def expected(doc: Path) -> dict:
    return json.loads(doc.with_name(doc.name + ".expected.json").read_text(encoding="utf-8"))


def loaded(tmp_path: Path, imported):
    body = tmp_path / "content" / "body"
    body.mkdir(parents=True)
    (body / "_index.yaml").write_text("name: 某机关\nlevel: 乡镇\n", encoding="utf-8")
    (body / f"{imported.report.year}.md").write_text(render(imported.report), encoding="utf-8")
    archive = load_archive(tmp_path / "content")
    assert len(archive.reports) == 1, archive.diagnostics
    return archive.reports[0], archive.diagnostics


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.name)
def test_every_printed_number_lands_and_blanks_are_blank_or_forced(doc, tmp_path):
    want = expected(doc)
    imported = import_file(doc)
    report, diagnostics = loaded(tmp_path, imported)
    # a PDF's text drops the spaces around the year in the title
    assert (re.sub(r"\s", "", report.title), report.year, report.format.id) == (
        re.sub(r"\s", "", want["title"]), want["year"], want["format"])
    assert str(report.meta["published"]) == want["published"]
    printed = {(t, r, i): v for t, rows in want["tables"].items() for r, vs in rows.items() for i, v in enumerate(vs)}
    forced = {f.cell: f.value for f in deduce(report.format, {t: {r: [None if v is None else Decimal(v) for v in vs]
                                                              for r, vs in rows.items()}
                                                          for t, rows in want["tables"].items()})}
    for cell, value in printed.items():
        got = report.tables[cell[0]][cell[1]][cell[2]].value
        if value is not None:
            assert got is not None and Decimal(got) == Decimal(value), cell
        else:  # printed blank: blank with a note, or the one value the rules allow, marked
            assert got is None or (got == forced[cell] and cell_name(report.format, cell) in report.deduced), cell
    assert [d for d in diagnostics if d.severity == "error"] == []


def test_a_portal_page_keeps_its_report_and_leaves_out_the_portal(tmp_path):
    imported = import_file(DOCS / "portal-2023.html", source="https://www.example.gov.cn/a/1.html")
    report, _ = loaded(tmp_path, imported)
    assert report.meta["source"] == "https://www.example.gov.cn/a/1.html"
    for furniture in ("当前位置", "浏览次数", "版权所有", "网站标识码", "分享到", "互动交流"):
        assert furniture not in report.narrative
    assert "## 一、总体情况" in report.narrative and "## 五、存在的主要问题及改进情况" in report.narrative
    assert imported.body_name == "红旗区小店镇"
    # the blanks: 总计 of 一 (its six columns printed), 自然人 of （一） and two more, all forced
    assert set(report.deduced) == {"applications.new.total", "applications.disclosed.natural",
                                   "applications.withheld_query.nonprofit", "appeals.cases.after_review_total"}
    assert report.cell("applications", "new", "total").value == 2


def test_gbk_and_undeclared_gb18030_pages_read_like_the_utf8_page(tmp_path):
    base = import_file(DOCS / "portal-2023.html").report
    misdeclared = tmp_path / "misdeclared.html"  # says gb2312, saved as UTF-8 (a CMS migrated)
    misdeclared.write_bytes((DOCS / "portal-2023.html").read_bytes().replace(b"charset=utf-8", b"charset=gb2312"))
    for path in (DOCS / "portal-2023-gbk.html", DOCS / "portal-2023-gb18030-undeclared.html", misdeclared):
        other = import_file(path).report
        assert (other.title, other.tables, other.narrative) == (base.title, base.tables, base.narrative)


def test_an_old_portal_laid_out_in_tables_reads_the_same(tmp_path):
    """Old portals put the whole page in layout tables; the report's tables sit inside them."""
    page = (DOCS / "portal-2023.html").read_text(encoding="utf-8")
    page = page.replace("<body>", '<body><table width="100%"><tr><td class="left">栏目导航</td><td>', 1)
    page = page.replace("</body>", "</td></tr></table></body>", 1)
    nested = tmp_path / "nested.html"
    nested.write_text(page, encoding="utf-8")
    base = import_file(DOCS / "portal-2023.html").report
    assert import_file(nested).report.tables == base.tables


def test_units_in_cells_and_signed_changes():
    report = import_file(DOCS / "portal-2019-units.html").report
    assert report.tables["active"]["central_procurement"] == [7, 251000]


def test_the_kind_is_told_from_the_content_not_the_name(tmp_path):
    for doc in ("print-2023.pdf", "word-2023.docx", "portal-2023.html"):
        disguised = tmp_path / (doc.split(".")[0] + ".txt")
        disguised.write_bytes((DOCS / doc).read_bytes())
        assert import_file(disguised).report.tables == import_file(DOCS / doc).report.tables
    assert kind_of((DOCS / "tab-2023.txt").read_bytes()) == "text"


def test_a_table_broken_across_pages_is_one_table():
    imported = import_file(DOCS / "long-2019.pdf")
    assert imported.unread == 0 and imported.report.deduced == []
    assert imported.report.published.isoformat() == "2020-01-31"  # the signature date at the end


def test_a_row_cut_by_a_page_break_is_one_row():
    """split-row-2023.pdf: row 二's label ends page 1 (its value cells empty), its numbers begin page 2."""
    from generator.importers.documents import read
    [line] = [line for line in read(DOCS / "split-row-2023.pdf").text.split("\n") if "上年结转" in line]
    assert line.split("\t")[-7:] == ["0"] * 7


def scan_pdf(tmp_path: Path) -> Path:
    """A PDF page with an image and no text, as a scanner makes it."""
    from PIL import Image
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 300), "white").save(path, "PDF")
    return path


def encrypted_pdf(tmp_path: Path) -> Path:
    """A PDF whose trailer says it is encrypted (standard security handler, an unknown password)."""
    data = scan_pdf(tmp_path).read_bytes()
    lock = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"11" * 32 + b"> /P -4 >>\n"
            b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]\n")
    path = tmp_path / "locked.pdf"
    path.write_bytes(data.replace(b"trailer\n<<\n", b"trailer\n<<\n" + lock))
    return path


def test_clear_failures_name_the_file_in_one_line(cli, tmp_path):
    (tmp_path / "content").mkdir()
    cases = {
        scan_pdf(tmp_path): "扫描件",
        encrypted_pdf(tmp_path): "加密",
        tmp_path / "cut.pdf": "PDF",
        tmp_path / "zip.docx": "不是 Word",
        tmp_path / "none.html": "不像政府信息公开工作年度报告",
        tmp_path / "latin.txt": "编码",
    }
    (tmp_path / "cut.pdf").write_bytes((DOCS / "print-2023.pdf").read_bytes()[:3000])
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    (tmp_path / "zip.docx").write_bytes(buf.getvalue())
    (tmp_path / "none.html").write_text("<html><body><p>2020年某镇年度报告</p><p>欢迎访问</p></body></html>",
                                        encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(bytes(range(128, 256)) * 40)
    for path, words in cases.items():
        code, out, err = cli("import", path, "--body", "content/zhen", cwd=tmp_path)
        assert code == 2 and words in err and str(path.name) in err, (path, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("import", DOCS / "tab-2023.txt", "--body", "nowhere/zhen", "--content", "nowhere", cwd=tmp_path)
    assert code == 2 and "找不到内容目录 nowhere" in err and "mkdir" in err


def test_many_files_continue_past_failures_never_overwrite_and_end_with_a_table(cli, tmp_path):
    (tmp_path / "content").mkdir()
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("portal-2023.html", "long-2019.pdf"):
        (folder / name).write_bytes((DOCS / name).read_bytes())
    (folder / "scan.pdf").write_bytes(scan_pdf(tmp_path).read_bytes())
    code, out, _ = cli("import", folder, "--body", "content/qu", cwd=tmp_path)
    assert code == 1
    assert "[1/3]" in out and "[3/3]" in out and "失败：" in out and "扫描件" in out
    assert re.search(r"^文件\s+机关与年度\s+格式\s+读出\s+空白\s+推得\s+检查$", out, re.M)
    assert re.search(r"portal-2023\.html\s+content/qu 2023\s+2021\s+196\s+0\s+4\s", out)
    assert "共 3 个文件：导入 2 个，失败 1 个。" in out
    before = (tmp_path / "content/qu/2023.md").read_text(encoding="utf-8")
    code, out, _ = cli("import", folder / "portal-2023.html", folder / "long-2019.pdf", "--body", "content/qu",
                       cwd=tmp_path)
    assert code == 1 and out.count("已存在，不会覆盖") == 2
    assert (tmp_path / "content/qu/2023.md").read_text(encoding="utf-8") == before
    mapping = tmp_path / "docs" / "map.yaml"
    mapping.write_text("portal-2023.html: content/other\n", encoding="utf-8")
    assert cli("import", "--map", mapping, cwd=tmp_path)[0] == 0
    assert (tmp_path / "content/other/2023.md").exists()


# -- deduction ------------------------------------------------------------------------------------

def blanked(tables: dict, cells) -> dict:
    out = {t: {r: list(v) for r, v in rows.items()} for t, rows in tables.items()}
    for t, r, i in cells:
        out[t][r][i] = None
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["2019", "2021"]), st.integers(0, 10**6), st.integers(1, 80))
def test_deduced_values_equal_the_original(format_id, seed, count):
    rng = random.Random(seed)
    tables = consistent_tables(format_id, rng)
    cells = [(t, r, i) for t, rows in tables.items() for r, vs in rows.items() for i in range(len(vs))]
    blanks = rng.sample(cells, min(count, len(cells)))
    for forced in deduce(get_format(format_id), blanked(tables, blanks)):
        assert forced.cell in blanks
        assert forced.value == tables[forced.cell[0]][forced.cell[1]][forced.cell[2]]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_a_cell_with_two_possible_values_is_never_filled(seed):
    """Blank 自然人 and 商业企业 of rows 一 and 二: moving one application from 一 to 二 in one column
    and back in the other keeps every sum, so while all four are ≥ 1 none has a single value."""
    rng = random.Random(seed)
    while True:
        tables = consistent_tables("2021", rng, high=9)
        if all(tables["applications"][r][i] >= 1 for r in ("new", "carried_over") for i in (0, 1)):
            break
    blanks = [("applications", r, i) for r in ("new", "carried_over") for i in (0, 1)]
    assert deduce(get_format("2021"), blanked(tables, blanks)) == []


def test_zero_total_forces_zero_blanks_and_contradictions_force_nothing():
    fmt = get_format("2021")
    tables = consistent_tables("2021", random.Random(1))
    tables["appeals"]["cases"] = [0, 0, 0, 0, 0] + [1, 0, 0, 0, 1] + [0] * 5
    got = deduce(fmt, blanked(tables, [("appeals", "cases", 0), ("appeals", "cases", 1)]))
    assert [(f.cell, f.value, f.rule) for f in got] == [(("appeals", "cases", 0), 0, "arith/appeal-total"),
                                                       (("appeals", "cases", 1), 0, "arith/appeal-total")]
    tables["appeals"]["cases"][4] = 3  # 总计 3 but the printed parts and blank can only give 0 + x with x…
    tables["appeals"]["cases"][2] = 5  # …a printed part already above the total: no solution
    assert deduce(fmt, blanked(tables, [("appeals", "cases", 0)])) == []


def test_a_deduced_mark_on_a_cell_the_rules_do_not_force_is_an_error(tmp_path):
    imported = import_file(DOCS / "portal-2023.html")
    imported.report.tables["appeals"]["cases"][14] = 5
    report, diagnostics = loaded(tmp_path, imported)
    assert any(d.rule == "deduced/not-forced" and d.cell == "appeals.cases.after_review_total" for d in diagnostics)


def test_check_deduce_lists_and_writes_forced_values_keeping_the_rest(cli, tmp_path):
    import shutil
    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content/dazhai/2025.md"
    before = path.read_text(encoding="utf-8")
    code, out, _ = cli("check", "--deduce", cwd=tmp_path)
    assert code == 0 and "content/dazhai/2025.md:" in out and "applications.new.total = 0（arith/" in out
    assert path.read_text(encoding="utf-8") == before
    assert cli("check", "--deduce", "--write", cwd=tmp_path)[0] == 0
    after = path.read_text(encoding="utf-8")
    assert "  - {cell: applications.new.total, rule: arith/" in after
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n")) if a != b]
    assert after.count("\n") > before.count("\n") and "new:                        [0, 0, 0, 0, 0, 0, 0]" in after
    archive = load_archive(tmp_path / "content")
    assert not [d for d in archive.diagnostics if d.rule == "deduced/not-forced"]
    assert changed


# -- fuzz: no traceback on any input --------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000),
       st.sampled_from(["", "%PDF-1.4\n", "PK\x03\x04", "<html><body><table><tr><td rowspan=99999>"]))
def test_any_bytes_give_a_message_or_a_report(tmp_path_factory, data, prefix):
    path = tmp_path_factory.mktemp("fuzz") / "x.bin"
    path.write_bytes(prefix.encode("latin-1") + data)
    try:
        import_file(path, year=2021)
    except (DocumentError, UnreadableText) as exc:
        assert str(exc) and "\n" not in str(exc)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_mangled_html_and_truncated_pdf_give_a_message_or_a_report(tmp_path_factory, seed):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("mangled")
    html = (DOCS / "portal-2023.html").read_text(encoding="utf-8")
    cut = sorted(rng.sample(range(len(html)), 6))
    mangled = html[:cut[0]] + html[cut[1]:cut[2]] + "<td colspan='x' rowspan=-3>" + html[cut[3]:]
    pdf = (DOCS / "print-2023.pdf").read_bytes()
    for name, data in (("a.html", mangled.encode("utf-8")), ("b.pdf", pdf[: rng.randrange(len(pdf))])):
        (folder / name).write_bytes(data)
        try:
            import_file(folder / name, year=2023)
        except (DocumentError, UnreadableText) as exc:
            assert str(exc) and "\n" not in str(exc)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4))
def test_the_solver_fills_exactly_the_cells_an_exhaustive_search_finds_forced(seed, count):
    """Table 四 (three groups: four results and their 总计) with small numbers: every completion of the
    blanks is enumerated; a blank is forced when all completions agree on it. The solver must fill
    exactly those, with that value."""
    import itertools
    rng = random.Random(seed)
    fmt = get_format("2021")
    tables = consistent_tables("2021", rng, high=3)
    cells = [("appeals", "cases", i) for i in range(15)]
    blanks = rng.sample(cells, count)
    top = 4 * 3  # no count of 四 can exceed four results of at most 3 each
    seen: dict = {cell: set() for cell in blanks}
    row = tables["appeals"]["cases"]
    for guess in itertools.product(range(top + 1), repeat=len(blanks)):
        trial = list(row)
        for (_, _, i), v in zip(blanks, guess):
            trial[i] = v
        if all(trial[g + 4] == sum(trial[g:g + 4]) for g in (0, 5, 10)):
            for cell, v in zip(blanks, guess):
                seen[cell].add(v)
    forced = {cell: values.pop() for cell, values in seen.items() if len(values) == 1}
    got = {f.cell: f.value for f in deduce(fmt, blanked(tables, blanks))}
    assert got == forced
