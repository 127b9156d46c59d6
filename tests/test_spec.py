"""The format spec files are checked before use: a typo names the file, its line and the key at fault.
And one rule says which format a year usually has, asked by both `check` and `new`."""
import dataclasses
import re

import pytest

from conftest import ROOT
from generator import scaffold
from generator.checks import plausibility
from generator.checks.context import Context
from generator.formats import FORMATS
from generator.formats import spec
from generator.formats.spec import SpecError, load_format, load_formats
from generator.model import Report

SPEC = ROOT / "generator" / "formats" / "f2021.yaml"


def test_the_shipped_spec_files_are_valid():
    formats = load_formats(sorted(SPEC.parent.glob("f*.yaml")))
    assert [f.id for f in formats] == sorted(FORMATS) and formats[1] == FORMATS["2021"]


# (what is replaced, by what, the key path the message names, and what it says)
TYPOS = [
    ("left: [new, carried_over]", "left: [new, carried_ovr]", "rules[0].left[1]", "没有行“carried_ovr”"),
    ("  - rule: arith/balance", "  - rule: arith/balanse", "rules[0].rule", "arith/balanse"),
    ("sum: [applications.new.total]", "sum: [applications.new.totl]", "key_figures[0].sum[0]", "没有列“totl”"),
    ("sum: [applications.new.total]", "sum: [applicatons.new.total]", "key_figures[0].sum[0]", "表须存在"),
    ("{table: active, row: regulations,", "{table: active, row: regulation,", "expected_zero[0].row",
     "没有行“regulation”"),
    ("unless_level: [国家, 省, 市]", "unless_level: [国家, 省, 城市]", "expected_zero[0].unless_level", "城市"),
    ("kind: count, unit: 件, aliases: [本年发件]", "kind: cuont, unit: 件, aliases: [本年发件]",
     "tables[0].blocks[0].columns[0].kind", "cuont"),
    ("stub: 信息内容", "stup: 信息内容", "tables[0].blocks[0].stup", "是否应为“stub”"),
    ("key_figures:", "key_figure:", "key_figure", "是否应为“key_figures”"),
]


@pytest.mark.parametrize("old, new, key, says", TYPOS, ids=[t[2] for t in TYPOS])
def test_a_typo_in_the_spec_names_the_file_line_and_key(tmp_path, old, new, key, says):
    text = SPEC.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "f2021.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_format(broken)
    message = str(raised.value)
    line = text[: text.index(old)].count("\n") + 1
    match = re.match(rf"{re.escape(str(broken))}:(\d+):(\d+): 格式定义错误：{re.escape(key)}：", message)
    assert match and int(match.group(1)) in (line, line + 1), message  # (a flow list's value or the next line)
    assert says in message and "\n" not in message


def test_key_figures_must_agree_across_formats(tmp_path):
    for path in SPEC.parent.glob("f*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "f2021.yaml").read_text(encoding="utf-8")
    (tmp_path / "f2021.yaml").write_text(text.replace("{id: new, label: 新收", "{id: received, label: 新收"),
                                         encoding="utf-8")
    with pytest.raises(SpecError, match=r"f2021\.yaml:\d+:\d+: 格式定义错误：key_figures：关键数字应与其他格式相同"):
        load_formats(sorted(tmp_path.glob("f*.yaml")))


def test_a_broken_section_file_is_refused(tmp_path):
    path = tmp_path / "sections.yaml"
    path.write_text("sections:\n  - {heading: 一、总体情况, keywords: []}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"sections\.yaml:2:\d+: 格式定义错误：sections\[0\]\.keywords"):
        spec._load_sections(path)


def _report(year: int, format_id: str) -> Report:
    return Report("x.md", ("x",), year, FORMATS[format_id], {"format": format_id, "title": "t", "year": year})


def test_check_and_new_agree_on_a_years_usual_format_when_the_ranges_overlap(monkeypatch):
    # 2019's format still usual in 2021 and 2022: the newer format is the usual one
    monkeypatch.setitem(FORMATS, "2019", dataclasses.replace(FORMATS["2019"], last_year=2022))
    for year in range(2015, 2027):
        usual = spec.usual_format(year)
        warned = list(plausibility.check(_report(year, "2021"), Context(None, "乡镇", {})))
        if usual is None:  # before any national format: `new` still writes the newest tables
            assert scaffold.default_format(year).id == "2021" and warned
            continue
        assert scaffold.default_format(year) == usual
        assert bool(warned) == (usual.id != "2021"), (year, warned)
    assert spec.usual_format(2021).id == "2021" and spec.usual_format(2020).id == "2019"
