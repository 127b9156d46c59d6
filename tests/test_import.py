"""`nianbao import`: the five seeds against the hand-made files, and a text per layout quirk."""
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED_CONTENT
from generator.archive import load_archive
from generator.checks.deduce import cell_name, deduce
from generator.importers import import_text
from generator.reportfile import render

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))  # the five published reports content/ was made from
QUIRKS = FIXTURES / "import"


@pytest.fixture(scope="module")
def hand_made():
    """Seed file name -> the hand-made report made from it (its provenance names the seed)."""
    archive = load_archive(SEED_CONTENT)
    return {re.search(r"seeds/(\S+?\.txt)", r.meta["provenance"]).group(1): r for r in archive.reports}


def imported(tmp_path: Path, text_file: Path, **kw):
    """Import a text into a fresh archive and load it back through the real loader."""
    result = import_text(text_file.read_text(encoding="utf-8"), text_file.name, **kw)
    body = tmp_path / "content" / "body"
    body.mkdir(parents=True)
    (body / "_index.yaml").write_text("name: 某机关\nlevel: 乡镇\n", encoding="utf-8")
    (body / f"{result.report.year}.md").write_text(render(result.report), encoding="utf-8")
    archive = load_archive(tmp_path / "content")
    assert len(archive.reports) == 1, archive.diagnostics
    return result, archive.reports[0], archive.diagnostics


def values(report):
    return {(t, r, i): c.value for t, rows in report.tables.items() for r, cells in rows.items()
            for i, c in enumerate(cells)}


def plain(report) -> dict:
    return {t: {r: [c.value for c in cells] for r, cells in rows.items()} for t, rows in report.tables.items()}


def name(report, cell) -> str:
    return cell_name(report.format, cell)


def prose(text: str) -> str:
    return re.sub(r"[\s#]", "", text)


def test_the_five_seeds_are_all_here(hand_made):
    assert len(SEEDS) == 5 and {s.name for s in SEEDS} == set(hand_made)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_imports_to_the_hand_made_report(seed, hand_made, tmp_path):
    result, report, diagnostics = imported(tmp_path, seed)
    want = hand_made[seed.name]
    assert (report.title, report.year, report.format.id) == (want.title, want.year, want.format.id)
    got, expected = values(report), values(want)
    assert got.keys() == expected.keys()
    # a blank of the hand-made file is blank, or deduced to the one value the rules leave it
    forced = {f.cell: f.value for f in deduce(want.format, plain(want))}
    differ = {cell: (got[cell], expected[cell]) for cell in got if got[cell] != expected[cell]
              and not (expected[cell] is None and got[cell] == forced.get(cell) and name(report, cell) in report.deduced)}
    assert differ == {}
    # every blank is explained, so the imported file passes the structural checks
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert prose(report.narrative) == prose(want.narrative)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_a_blank_is_blank_for_the_reason_the_hand_made_file_gives(seed, hand_made, tmp_path):
    result, report, _ = imported(tmp_path, seed)
    want = hand_made[seed.name]
    for cell, value in values(report).items():
        if value is None and name(report, cell) not in report.deduced:
            table, row, i = cell
            column = report.format.table(table).block_of(row).columns[i].id
            mine = [k.note for k in report.known_issues if k.covers("cell/null", f"{table}.{row}.{column}")]
            theirs = [k.note for k in want.known_issues if k.covers("cell/null", f"{table}.{row}.{column}")]
            assert mine and theirs, cell
            # both say the same thing of the original: a missing cell, or a count of numbers short of the row
            assert ("空白" in mine[0]) == ("空白" in theirs[0]) or "只有" in mine[0] and "只有" in theirs[0], (mine, theirs)


def numbers_in(text: str) -> set:
    return {float(n) for n in re.findall(r"[+-]?\d+(?:\.\d+)?", text.replace("−", "-"))}


@pytest.mark.parametrize("text_file", SEEDS + sorted(QUIRKS.glob("*.txt")), ids=lambda p: p.name[:20])
def test_never_invents_a_number(text_file, tmp_path):
    _, report, _ = imported(tmp_path, text_file)
    printed = numbers_in(text_file.read_text(encoding="utf-8"))
    read = {c: v for c, v in values(report).items() if v is not None and name(report, c) not in report.deduced}
    assert {float(v) for v in read.values()} <= printed


def test_pipe_layout_2019_signed_decimal_units_subtotal_and_vertical_headers(tmp_path):
    result, report, diagnostics = imported(tmp_path, QUIRKS / "pipe-2019.txt")
    assert report.format.id == "2019" and report.year == 2019  # from 本年新制作数量 etc., ASCII punctuation
    rows = {r: [c.value for c in cells] for t in report.tables.values() for r, cells in t.items()}
    assert rows["licensing"] == [716, -417, 298] and rows["other_services"] == [61, 36, 97]
    assert rows["central_procurement"] == [7, 251000]  # "251000元": the unit is reported, not converted
    assert any("251000元" in r for r in result.remarks)
    assert rows["withheld"] == [1, 0, 0, 0, 0, 0, 1]  # the stray （三） row is the subtotal
    assert rows["withheld_third_party"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["new"] == [20, 2, 0, 0, 1, 0, 23] and rows["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["cases"] == [2, 0, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]  # header printed one character per line
    # a row with 5 of 7 numbers is not guessed from its numbers; the rules force every cell to 0
    # (（七）总计 and the other rows are printed), so the cells are deduced and marked
    assert rows["unprocessed_excessive"] == [0] * 7
    assert {f"applications.unprocessed_excessive.{c}" for c in ("natural", "total")} <= set(report.deduced)
    assert report.known_issues == [] and [d for d in diagnostics if d.severity == "error"] == []
    assert "四、结转下年度继续办理" not in report.narrative  # a row of table 三, not a section heading
    assert "一是公开内容还不够全面，二是平台建设有待加强。" in report.narrative  # wrapped line re-joined


def test_traditional_characters_wrapped_labels_and_decimals(tmp_path):
    result, report, diagnostics = imported(tmp_path, QUIRKS / "traditional-2021.txt")
    assert result.traditional and report.format.id == "2021"
    assert report.title == "某县某镇人民政府 2022 年政府信息公开工作年度报告"
    rows = {r: [c.value for c in cells] for t in report.tables.values() for r, cells in t.items()}
    assert str(rows["fees"][0]) == "75.9260"
    assert rows["normative_documents"] == [2, 1, 5] and rows["licensing"] == [15]
    assert rows["unavailable_not_held"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["other_unpaid_fee"] == [0] * 7  # its label wrapped onto a second line
    assert report.known_issues == [] and [d for d in diagnostics if d.severity == "error"] == []
    assert "## 五、存在的主要问题及改进情况" in report.narrative


def test_one_cell_per_line_layout_keeps_the_originals_arithmetic_fault(tmp_path):
    result, report, diagnostics = imported(tmp_path, QUIRKS / "one-cell-per-line-2021.txt")
    rows = {r: [c.value for c in cells] for t in report.tables.values() for r, cells in t.items()}
    assert report.format.id == "2021"  # from the damaged labels 本年发件 / 现行有效件 too
    assert rows["normative_documents"] == [1, 0, 4] and rows["licensing"] == [8]
    assert rows["outcome_total"] == [2, 0, 0, 0, 0, 0, 3]  # as printed: 总计 3 ≠ 2
    assert rows["carried_forward"] == [0] * 7 and rows["cases"] == [0] * 15
    faults = [d for d in diagnostics if d.severity == "error"]
    assert faults and {d.rule for d in faults} >= {"arith/row-total"}


def test_a_report_in_neither_format_keeps_its_narrative_only(tmp_path):
    result, report, diagnostics = imported(tmp_path, QUIRKS / "narrative-only-2016.txt")
    assert report.format is None and report.tables == {} and report.year == 2016
    assert report.title == "某县人民政府办公室 2016年政府信息公开工作年度报告"
    assert re.findall(r"^## (.+)$", report.narrative, re.M) == [
        "一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况",
        "四、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、存在的主要问题及改进措施", "六、其他需要报告的事项"]
    assert "全年主动公开政府信息1200余条，受理依申请公开23件" in report.narrative


def test_cli_import_writes_the_file_prints_what_it_could_not_read_and_refuses_to_overwrite(cli, tmp_path):
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    seed = SEEDS[0]
    code, out, err = cli("import", seed, "--body", "content/newbody", cwd=tmp_path)
    assert code == 0, err
    assert "已导入 content/newbody/2025.md（据表格标签判定为 2021 格式）" in out
    assert "格原文空白，但勾稽关系只允许一个值，已填入并记在 deduced 中" in out
    assert re.search(r"^  applications\.unavailable_not_held\.business = 0（arith/[a-z-]+）$", out, re.M)
    assert "content/newbody/_index.yaml:1:1: 错误[index/invalid]" in out  # the placeholder to fill in
    written = (tmp_path / "content/newbody/2025.md").read_text(encoding="utf-8")
    code, out, err = cli("import", seed, "--body", "content/newbody", cwd=tmp_path)
    assert code == 2 and "已存在，不会覆盖" in err
    assert (tmp_path / "content/newbody/2025.md").read_text(encoding="utf-8") == written


def test_cli_import_prints_the_originals_arithmetic_faults(cli, tmp_path):
    (tmp_path / "content").mkdir()
    code, out, _ = cli("import", QUIRKS / "one-cell-per-line-2021.txt", "--body", "content/xiang", cwd=tmp_path)
    assert code == 0
    assert re.search(r"content/xiang/2023\.md:\d+:\d+: 错误\[arith/row-total\]", out)


def test_cli_import_without_a_year_says_how_to_give_one(cli, tmp_path):
    text = tmp_path / "r.txt"
    text.write_text("某镇政府信息公开工作年度报告\n一、总体情况\n无。\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    code, _, err = cli("import", text, "--body", "content/zhen", cwd=tmp_path)
    assert code == 2 and "--year" in err and "Traceback" not in err
    assert cli("import", text, "--body", "content/zhen", "--year", "2015", cwd=tmp_path)[0] == 0
