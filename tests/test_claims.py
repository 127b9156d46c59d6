"""Prose against tables (checks/claims.py, formats/claims.yaml): what the patterns find, on the real
content and on sentences written like real reports, and what they must leave alone."""
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import ROOT
from factory import DEFAULT_NARRATIVE, report_text
from generator.archive import load_archive
from generator.checks import claims
from generator.checks.numerals import parse_number
from generator.formats import get_format
from generator.formats.claims import ClaimsSpecError, load_claims, PATH

# ---------------------------------------------------------------------------------------------- numerals


@pytest.mark.parametrize("text,value", [
    ("一百二十三", 123), ("两", 2), ("零", 0), ("十五", 15), ("一千零五", 1005), ("二十", 20), ("十万", 100000),
    ("三万二千", 32000), ("一万零五百", 10500), ("二〇二三", 2023), ("258", 258), ("1,234", 1234), ("２５８", 258),
    ("9.63211", claims.Decimal("9.63211")), ("十十", None), ("一百二三", None)])
def test_numbers_as_reports_write_them(text, value):
    assert parse_number(text) == value


_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """How a report writes n (< 100,000) in Chinese numerals: 一百零五, 十五, 三万二千."""
    if n == 0:
        return "零"
    parts, zero = [], False
    for unit, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, unit)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("" if (unit == 10 and digit == 1 and not parts) else _DIGITS[digit]) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@given(st.integers(0, 99999))
def test_every_chinese_numeral_reads_back(n):
    assert parse_number(chinese(n)) == n


# ---------------------------------------------------------------------------------------------- reports

# The Shanghai-2019 pattern (formats.md §8.4): every table rule holds, the prose does not.
SHANGHAI = {  # (row, 自然人, 总计); every other applicant column 0 except where noted
    "disclosed": (258, 272), "partly_disclosed": (0, 3),
    "unavailable_not_held": (265, 265), "unavailable_needs_creation": (60, 60), "unavailable_unclear": (12, 12),
}


def tables(format_id: str, rows: dict, appeals: list[int] | None = None) -> dict:
    """Consistent tables with the given (自然人, 总计) per outcome row; 商业企业 takes the difference."""
    fmt = get_format(format_id)
    out = {t.id: {r.id: [0] * len(t.block_of(r.id).columns) for r in t.rows if not r.optional} for t in fmt.tables}
    apps = out["applications"]
    for row, (natural, total) in rows.items():
        apps[row] = [natural, total - natural, 0, 0, 0, 0, total]
    outcomes = [r for r in apps if r not in ("new", "carried_over", "outcome_total", "carried_forward")]
    apps["outcome_total"] = [sum(apps[r][i] for r in outcomes) for i in range(7)]
    apps["new"] = [apps["outcome_total"][i] + apps["carried_forward"][i] - apps["carried_over"][i] for i in range(7)]
    if appeals:
        out["appeals"]["cases"] = appeals
    return out


# 复议 7 (5 upheld, 2 pending), 诉讼 9 directly (8 upheld, 1 pending)
APPEALS = [5, 0, 0, 2, 7, 8, 0, 0, 1, 9, 0, 0, 0, 0, 0]


def build(narrative: str, format_id="2019", year=2019, rows=SHANGHAI, appeals=APPEALS, meta="", level="市"):
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "content" / "body"
        body.mkdir(parents=True)
        (body / "_index.yaml").write_text(f"name: 某机关\nlevel: {level}\n", encoding="utf-8")
        text = report_text(format_id, year, "某机关年度报告", tables(format_id, rows, appeals), meta=meta,
                           narrative=DEFAULT_NARRATIVE.replace("本年度工作情况良好。", narrative))
        (body / f"{year}.md").write_text(text, encoding="utf-8")
        archive = load_archive(Path(tmp) / "content")
    return archive, text


def found(narrative: str, **kw):
    archive, text = build(narrative, **kw)
    report = archive.reports[0]
    return [(c.spec.id, c.stated, claims.judge(report, c).status) for c in claims.find(report)], archive, text


def test_the_shanghai_sentences_are_three_warnings_naming_sentence_cells_and_both_numbers():
    prose = ("本年度共受理政府信息公开申请612件，予以公开及部分公开258件。无法提供265件。"
             "因政府信息公开被申请行政复议7件，提起行政诉讼9件，均获维持。")
    got, archive, text = found(prose)
    assert got == [("received", 612, "agrees"), ("disclosed_and_partly", 258, "differs"),
                   ("unavailable", 265, "differs"), ("review", 7, "agrees"), ("litigation", 9, "agrees"),
                   ("all_upheld", 0, "differs")]
    warnings = [d for d in archive.diagnostics if d.rule == "narrative/claim"]
    line = next(l for l in text.splitlines() if "予以公开及部分公开" in l)
    at = 1 + text.splitlines().index(line)
    assert [(d.line, d.col, d.cell, d.severity) for d in warnings] == [
        (at, 1, "narrative.disclosed_and_partly.1", "warning"),
        (at, 1 + line.index("无法提供"), "narrative.unavailable.1", "warning"),
        (at, 1 + line.index("因政府信息公开"), "narrative.all_upheld.1", "warning")]
    first, second, third = (d.message for d in warnings)
    assert "予以公开及部分公开258件" in first and "258" in first and "（一）予以公开(272)+（二）部分公开(3)=275" in first
    assert "无法提供265件" in second and "（四）1(265)+（四）2(60)+（四）3(12)=337" in second
    assert "均获维持" in third and "尚未审结" in third and "=3" in third


def test_agreeing_prose_gives_no_warning_in_any_numeral():
    prose = ("全年共收到政府信息公开申请六百一十二件，其中予以公开二百七十二件、部分公开3件，无法提供三百三十七件。"
             "上年结转申请0件。已办结612件，结转下年度继续办理0件。行政复议7件，行政诉讼九件。")
    got, archive, _ = found(prose)
    assert [s for s in got if s[2] != "agrees"] == []
    assert {s[0] for s in got} == {"received", "disclosed", "partly_disclosed", "unavailable", "carried_over",
                                   "completed", "carried_forward", "review", "litigation"}
    assert not [d for d in archive.diagnostics if d.severity != "acknowledged"]


@pytest.mark.parametrize("prose", [
    "其中自然人申请258件，法人或其他组织申请354件。",  # sub-parts
    "自然人予以公开258件。",
    "因本机关不掌握相关政府信息无法提供265件。",  # one item of a group
    "上年共收到申请500件，较上年增加112件。",  # another period, a change
    "2018年收到政府信息公开申请300件。",
    "累计受理政府信息公开申请5000件。",
    "收到政府信息公开申请600余件，约予以公开250件。",  # approximate
    "全年主动公开政府信息258条，开展培训2次，参训30人次。",  # other units
    "处理第258件申请时。",  # an ordinal
    "本年度收取信息处理费用为0元。",  # not the table's 行政事业性收费
    "收到5件行政复议申请。",  # an application for review, not for information
    "收到申请人投诉2件。",
])
def test_sub_parts_other_periods_and_other_units_are_not_claims(prose):
    got, archive, _ = found(prose)
    assert got == []
    assert not [d for d in archive.diagnostics if d.severity != "acknowledged"]


def test_statements_of_nothing_and_their_disagreement():
    got, archive, _ = found("本年度未发生政府信息公开行政复议、行政诉讼。", appeals=APPEALS)
    assert got == [("no_appeals", 0, "differs")]
    message = next(d.message for d in archive.diagnostics if d.rule == "narrative/claim")
    assert "未发生行政复议、行政诉讼" in message and "=16" in message
    zero = [0] * 15
    got, _, _ = found("本年度未收到政府信息公开申请，未发生行政复议和行政诉讼。", rows={}, appeals=zero)
    assert got == [("received_none", 0, "agrees"), ("no_appeals", 0, "agrees")]


def test_money_in_wan_yuan_and_yuan_rounds_as_written():
    rows = {"disclosed": (1, 1)}
    text_prose = "行政事业性收费9.63万元。"
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "content" / "body"
        body.mkdir(parents=True)
        (body / "_index.yaml").write_text("name: 某市\nlevel: 市\n", encoding="utf-8")
        text = report_text("2021", 2023, "某市报告", tables("2021", rows, [0] * 15),
                           narrative=DEFAULT_NARRATIVE.replace("本年度工作情况良好。", text_prose + "行政事业性收费96321.1元。收取行政事业性收费12万元。"))
        text = text.replace("fees:                [0]", "fees:                [9.63211]")
        assert "[9.63211]" in text
        (body / "2023.md").write_text(text, encoding="utf-8")
        report = load_archive(Path(tmp) / "content").reports[0]
        assert [(c.spec.id, claims.judge(report, c).status) for c in claims.find(report)] == [
            ("fees", "agrees"), ("fees", "agrees"), ("fees", "differs")]


def test_a_claim_about_a_blank_cell_is_not_assessed_unless_the_known_cells_exceed_it():
    appeals = [None, None, None, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    meta = "known_issues:\n  - rule: cell/null\n    cell: appeals.cases.review_*\n    note: 原文空白。"
    got, archive, _ = found("未有政府信息公开方面的行政复议和行政诉讼。", appeals=appeals, meta=meta)
    assert got == [("no_appeals", 0, "blank")]
    assert not [d for d in archive.diagnostics if d.severity != "acknowledged"]


def test_a_disagreement_is_acknowledged_in_known_issues_like_any_rule():
    meta = ("known_issues:\n  - rule: narrative/claim\n    cell: narrative.disclosed_and_partly.*\n"
            "    note: 原文正文的258件只是自然人一列。")
    archive, _ = build("予以公开及部分公开258件。", meta=meta)
    assert [(d.rule, d.severity, d.note) for d in archive.diagnostics] == [
        ("narrative/claim", "acknowledged", "原文正文的258件只是自然人一列。")]


def test_every_real_report_claim_is_found_and_agrees_or_is_acknowledged():
    archive = load_archive(ROOT / "content")
    found_claims = {}
    for report in archive.reports:
        acknowledged = {d.cell for d in archive.diagnostics_for(report) if d.severity == "acknowledged"}
        for claim in claims.find(report):
            status = claims.judge(report, claim).status
            assert status != "differs" or claim.cell in acknowledged, (report.path, claim)
            found_claims[(report.folder[-1], report.year, claim.spec.id)] = status
    # 小城子镇 2025: 全年共受理依申请公开事项 1 件; 小店镇 2023: 收到两起公众申请;
    # 宝东镇 2024: 未发生依申请公开政府信息, 未有…行政复议和行政诉讼 (复议 cells blank: not assessable)
    assert found_claims == {("xiaochengzi", 2025, "received"): "agrees", ("xiaodian", 2023, "received"): "agrees",
                            ("baodong", 2024, "received_none"): "agrees", ("baodong", 2024, "no_appeals"): "blank"}


def test_the_claims_file_is_validated_when_loaded(tmp_path):
    good = PATH.read_text(encoding="utf-8")
    for broken, problem in ((good.replace("sum: [applications.new.total]", "sum: [applications.nope.total]", 1),
                             "no format has every cell"),
                            (good.replace('lead: "不予处理${end}"', 'lead: "不予处理(${end}"', 1), "does not compile"),
                            (good.replace("- id: received\n", "- id: received_with_carried\n", 1), "ids are unique"),
                            (good.replace("${end}", "${nope}", 1), "unknown macro")):
        path = tmp_path / "claims.yaml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(ClaimsSpecError, match=problem):
            load_claims(path)
    load_claims(PATH)
