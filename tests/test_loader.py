"""Bad input on the way in (issue 18): every case one `path:line:col: 错误[rule]` line, never a traceback,
never a silently different number. The loader is source/positioned.py, the slips source/slips.py."""
import csv
import gzip
import io
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.archive import load_archive
from generator.diagnostics import format_text
from generator import urls
from generator.write.output import STATE_DIR

BASE = FIXTURES / "bad" / "cell" / "type" / "content"  # one body, one 2021 report, "五" its only fault
ZEROS = "disclosed:                  [0, 0, 0, 0, 0, 0, 0]"  # line 15; its total is column 50
LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


@pytest.fixture
def body(tmp_path, monkeypatch):
    """A clean body to edit: content/body/{_index.yaml,2023.md} in a temporary working folder."""
    shutil.copytree(BASE, tmp_path / "content")
    report = tmp_path / "content" / "body" / "2023.md"
    report.write_text(report.read_text(encoding="utf-8").replace('["五"]', "[5]"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content" / "body"


def errors(root: Path = Path("content")):
    found = [d for d in load_archive(root).diagnostics if d.severity == "error"]
    assert all(format_text(d).startswith(f"{d.path}:{d.line}:{d.col}: 错误[") for d in found)
    return found


def edit(body: Path, old: str, new: str, name: str = "2023.md"):
    path = body / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_base_is_clean(body):
    assert errors() == []


# (what, old text, new text, rule, line, column or None, words the message must hold)
CASES = [
    ("billion laughs", "format:", LAUGHS + "format:", "yaml/alias", 4, 6, "“&a”"),
    ("nesting 5,000 deep", "format:", "deep: " + "[" * 5000 + "]" * 5000 + "\nformat:", "yaml/depth", 4, 26, "20 层"),
    ("nesting 30 deep in blocks", "format:",
     "".join(" " * i + f"k{i}:\n" for i in range(30)) + " " * 30 + "v: 1\nformat:",
     "yaml/depth", 24, 21, "20 层"),
    ("&a [*a]", "format:", "loop: &a [*a]\nformat:", "yaml/alias", 4, 7, "“&a”"),
    ("an alias alone", "format:", "x: *a\nformat:", "yaml/alias", 4, 4, "“*a”"),
    ("a wildcard cell unquoted", 'format: "2021"\n',
     'format: "2021"\nknown_issues:\n  - rule: arith/row-total\n    cell: *.new.total\n    note: 原文如此。\n',
     "yaml/alias", 7, 12, '"*.new.total"'),
    ("!!python/name", "format:", "x: !!python/name:os.system ''\nformat:", "yaml/tag", 4, 4, "!!python/name:os.system"),
    ("!!python/object/apply", "format:", "x: !!python/object/apply:os.system [ls]\nformat:",
     "yaml/tag", 4, 4, "!!python"),
    ("unknown tag !foo", "format:", "x: !foo bar\nformat:", "yaml/tag", 4, 4, "“!foo”"),
    ("year: !!int abc", "year: 2023", "year: !!int abc", "yaml/tag", 3, 7, "“!!int”"),
    ("!!str on a count", ZEROS, ZEROS.replace("0]", "!!str 0]"), "yaml/tag", 15, 50, "“!!str”"),
    ("merge key <<", "format:", "<<: {title: x}\nformat:", "yaml/merge-key", 4, 1, "<<"),
    ("count 010", ZEROS, ZEROS.replace("0]", "010]"), "cell/number-form", 15, 50, "“010”有前导零"),
    ("count 0x10", ZEROS, ZEROS.replace("0]", "0x10]"), "cell/number-form", 15, 50, "十六进制"),
    ("count 0o10", ZEROS, ZEROS.replace("0]", "0o10]"), "cell/number-form", 15, 50, "八进制"),
    ("count 1:03", ZEROS, ZEROS.replace("0]", "1:03]"), "cell/number-form", 15, 50, "六十进制"),
    ("count 1_000", ZEROS, ZEROS.replace("0]", "1_000]"), "cell/number-form", 15, 50, "下划线"),
    ("count 1e3", ZEROS, ZEROS.replace("0]", "1e3]"), "cell/number-form", 15, 50, "科学计数法"),
    ("count 1.5e+3", ZEROS, ZEROS.replace("0]", "1.5e+3]"), "cell/number-form", 15, 50, "科学计数法"),
    ("count .nan", ZEROS, ZEROS.replace("0]", ".nan]"), "cell/number-form", 15, 50, "有限"),
    ("count 10^30", ZEROS, ZEROS.replace("0]", "1" + "0" * 30 + "]"), "cell/range", 15, 50, "10¹²"),
    ("count 10^12 + 1", ZEROS, ZEROS.replace("0]", "1000000000001]"), "cell/range", 15, 50, "10¹²"),
    ("money with 7 places", "[2.55]", "[2.5500001]", "cell/range", 11, 25, "6 位"),
    ("published: 2015-13-45", "format:", "published: 2015-13-45\nformat:",
     "meta/type", 4, 12, "“2015-13-45”不是有效的日期"),
    ("published: 2016-02-30", "format:", "published: 2016-02-30\nformat:",
     "meta/type", 4, 12, "“2016-02-30”不是有效的日期"),
    ("published with a time", "format:", "published: 2016-02-03 10:00:00\nformat:", "meta/type", 4, 12, "不写时刻"),
    ("year of 5,000 digits", "year: 2023", "year: " + "9" * 5000, "meta/type", 3, 7, "共 5000 个字符"),
    ("year 02023", "year: 2023", "year: 02023", "meta/type", 3, 7, "“02023”有前导零"),
    ("known_issues: 5", "format:", "known_issues: 5\nformat:", "meta/type", 4, 15, "应为列表"),
    ("a list as a known issue's rule", "format:",
     "known_issues:\n  - rule: [a, b]\n    cell: a.b.c\n    note: x\nformat:",
     "known-issues/invalid", 5, 11, "rule 应为"),
    ("a known issue's cell with full-width stops", "format:",
     "known_issues:\n  - rule: arith/row-total\n    cell: applications．new．total\n    note: x\nformat:",
     "yaml/full-width", 6, 23, "cell 用了全角句点“．”，应为半角句点“.”：改为 applications.new.total"),
    ("a mapping as a key", "format:", "? [a]\n: b\nformat:", "yaml/type", 4, 3, "键"),
    ("full-width commas", "[0, 0, 0]", "[0，0，0]", "yaml/full-width", 6, 26,
     "表二“规章”行：用了全角逗号“，”，应为半角逗号“,”：改为 [0, 0, 0]"),
    ("dun hao between counts", "[0, 0, 0]", "[0、0、0]", "yaml/full-width", 6, 26, "顿号“、”"),
    ("a full-width digit", "[6]", "[２]", "yaml/full-width", 9, 25, "用了全角数字“２”，应为半角数字“2”：改为 2"),
    ("full-width digits in the year", "year: 2023", "year: ２０２３", "yaml/full-width", 3, 7, "“year”：用了全角数字"),
    ("title： a full-width colon", "title:", "title：", "yaml/full-width", 2, 6,
     "用了全角冒号“：”，应为半角冒号“:”：改为 title: 某镇"),
    ("a row key with a full-width colon", "  disclosed: ", "  disclosed：", "yaml/full-width", 15, 12, "全角冒号"),
    ("a full-width space after the colon", "year: 2023", "year:　2023", "yaml/full-width", 3, 6, "全角空格"),
    ("full-width brackets", "[0, 0, 0]", "［0, 0, 0］", "yaml/full-width", 6, 24, "全角方括号“［”"),
    ("corner brackets", "[0, 0, 0]", "【0, 0, 0】", "yaml/full-width", 6, 24, "方头括号“【”"),
    ("one full-width bracket", "[0, 0, 0]", "[0, 0, 0］", "yaml/full-width", 6, 32, "改为 regulations: [0, 0, 0]"),
]


@pytest.mark.parametrize("what, old, new, rule, line, col, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_one_clear_line(body, what, old, new, rule, line, col, words):
    edit(body, old, new)
    found = errors()
    assert [(d.rule, d.path, d.line) for d in found] == [(rule, "content/body/2023.md", line)], found
    assert col is None or found[0].col == col, found
    assert words in found[0].message


def test_plain_numbers_read_as_written_up_to_the_bounds(body):
    edit(body, ZEROS, ZEROS.replace("0, 0, 0, 0, 0, 0, 0", "0, 0, 0, 0, 0, 1000000000000, 1000000000000"))
    edit(body, "[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 0]")
    archive = load_archive(Path("content"))
    assert archive.reports[0].cell("applications", "disclosed", "total").value == 10 ** 12


def test_index_yaml_slips_and_types(body):
    (body / "_index.yaml").write_text("name：某镇\n", encoding="utf-8")
    found = errors()
    assert [(d.rule, d.path, d.line, d.col) for d in found] == [
        ("yaml/full-width", "content/body/_index.yaml", 1, 5)]
    (body / "_index.yaml").write_text("name: 某镇\nlevel: 乡镇\ncode: \"２３０５２３\"\n", encoding="utf-8")
    found = errors()
    assert [(d.rule, d.line) for d in found] == [("index/invalid", 3)]
    assert "用了全角数字“２”，应为半角数字“2”：改为 230523" in found[0].message
    (body / "_index.yaml").write_text("- 某镇\n", encoding="utf-8")
    assert [(d.rule, d.line) for d in errors()] == [("yaml/type", 1)]
    (body / "_index.yaml").write_text("name: &a 某镇\nlevel: *a\n", encoding="utf-8")
    assert [(d.rule, d.line) for d in errors()] == [("yaml/alias", 1)]


# -- links and folder names ------------------------------------------------------------------------

def test_links_are_refused_for_every_kind_of_file(body, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "_index.yaml").write_text("name: 外面\nlevel: 乡镇\n", encoding="utf-8")
    shutil.copy(body / "2023.md", outside / "2024.md")
    (body / "_index.yaml").unlink()
    (body / "_index.yaml").symlink_to(outside / "_index.yaml")
    (body / "2024.md").symlink_to(outside / "2024.md")
    (body / "sub").symlink_to(outside, target_is_directory=True)
    archive = load_archive(Path("content"))
    found = [(d.rule, d.path) for d in archive.errors]
    assert ("file/name", "content/body/_index.yaml") in found
    assert ("file/name", "content/body/2024.md") in found
    assert ("file/name", "content/body/sub") in found
    assert all("符号链接" in d.message for d in archive.errors if d.rule == "file/name")
    assert archive.folders[("body",)].name != "外面" and [r.year for r in archive.reports] == [2023]


def test_an_index_that_is_not_a_file_is_refused_not_read(body):
    (body / "_index.yaml").unlink()
    os.mkfifo(body / "_index.yaml")  # reading it would wait for ever
    assert [(d.rule, d.path) for d in errors()] == [("file/name", "content/body/_index.yaml")]


@pytest.mark.parametrize("name", urls.SITE_FOLDERS)
def test_a_top_level_folder_may_not_take_a_path_of_the_site(body, name):
    body.rename(body.parent / name)
    found = errors()
    assert [(d.rule, d.path, d.line) for d in found] == [("file/reserved-name", f"content/{name}", 1)]
    assert f"/{name}/" in found[0].message


def test_reserved_names_are_fine_lower_down_but_years_are_not(body):
    (body / "data").mkdir()
    (body / "data" / "_index.yaml").write_text("name: 数据局\nlevel: 部门\n", encoding="utf-8")
    assert errors() == []
    (body / "data").rename(body / "2024")
    assert [(d.rule, d.path) for d in errors()] == [("file/reserved-name", "content/body/2024")]


# -- what the build makes --------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/","点击")'


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    """The valid fixture archive, its province renamed to a formula, built with its search index."""
    from generator.cli import main
    work = tmp_path_factory.mktemp("evil")
    shutil.copytree(FIXTURES / "valid" / "content", work / "content")
    index = work / "content" / "sample-province" / "_index.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace("name: 示例省", f"name: '{EVIL}'"), encoding="utf-8")
    for folder, name in (("sample-city", "'-417'"), ("sample-city/jia-town", "'@SUM(1+1)'")):
        index = work / "content" / "sample-province" / folder / "_index.yaml"
        index.write_text(index.read_text(encoding="utf-8").replace("name:", f"name: {name} #"), encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        assert main(["build", "--jobs", "1"]) == 0
    finally:
        os.chdir(cwd)
    return work


def test_csv_fields_that_would_run_as_formulas_are_quoted(evil_site):
    for name in ("cells.csv.gz", "cells-2020.csv"):
        raw = (evil_site / "site" / "data" / name).read_bytes()
        text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and {r["region_path"] for r in rows if r["year"] == "2020"} == {"'" + EVIL}
        for row in rows:
            for field, value in row.items():
                assert field == "value" or not value.startswith(("=", "+", "-", "@", "\t", "\r")), (field, value)
        negatives = [r["value"] for r in rows if r["value"].startswith("-")]
        assert negatives and all(int(v) < 0 for v in negatives)  # numbers stay numbers: -2, not '-2
    text = gzip.decompress((evil_site / "site" / "data" / "cells.csv.gz").read_bytes()).decode("utf-8-sig")
    assert "'@SUM(1+1)" in text and ",'-417," in text
    page = (evil_site / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert "单引号" in page and 'id="csv-formula"' in page


def test_every_top_level_output_is_a_site_folder_a_site_file_or_content(evil_site):
    made = {p.name for p in (evil_site / "site").iterdir()}
    content = {p.name for p in (evil_site / "content").iterdir() if p.is_dir()}
    assert made - content - set(urls.SITE_FOLDERS) - set(urls.SITE_FILES) == {STATE_DIR}  # the build's manifest
    assert {"data", "years", "search", "search-index", "assets", "schema"} <= made


def test_outcome_total_names_a_sub_item_with_its_group(body):
    edit(body, "withheld_third_party:       [0, 0, 5, 5, 0, 1, 11]",
         "withheld_third_party:       [0, 0, 5, 5, 0, 1, 12]")
    found = {d.rule: d.message for d in errors()}
    assert "（三）不予公开 4.保护第三方合法权益(12)" in found["arith/outcome-total"]
    assert "（三）4(" not in found["arith/outcome-total"]


def test_full_width_punctuation_in_a_title_is_no_slip(body):
    """Titles and notes are Chinese text: only YAML's structure and numbers are searched for slips."""
    edit(body, "title: 某镇", "title: 【公开】某镇：第一，")
    assert errors() == []
    edit(body, "  penalties:", "\tpenalties:")  # a real syntax error later on: it is the one reported
    assert [(d.rule, d.line) for d in errors()] == [("yaml/syntax", 9)]
