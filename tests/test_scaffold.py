"""`nianbao new`: every row, null cells, labels as comments; passes `check` once filled in."""
import random
import re

import pytest
import yaml

from factory import consistent_tables
from generator.formats import SECTIONS, get_format


def fill(text: str, tables: dict) -> str:
    """Replace each row's nulls by the factory's numbers, line by line, as an editor would."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^  (\w+):(\s+)\[[^\]]*\]", line)
        row = next((rows[m.group(1)] for rows in tables.values() if m and m.group(1) in rows), None)
        out.append(line if row is None else f"  {m.group(1)}:{m.group(2)}[{', '.join(map(str, row))}]" + line[m.end():])
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("format_id,year", [("2021", 2024), ("2019", 2020)])
def test_new_report_filled_with_consistent_numbers_passes_check(cli, tmp_path, format_id, year):
    (tmp_path / "content/body").mkdir(parents=True)
    # 规章 is plausible at city level
    (tmp_path / "content/body/_index.yaml").write_text("name: 某市\nlevel: 市\n", encoding="utf-8")
    code, out, _ = cli("new", "content/body", year, "--format", format_id, cwd=tmp_path)
    assert code == 0 and f"content/body/{year}.md" in out
    path = tmp_path / f"content/body/{year}.md"
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    fmt = get_format(format_id)
    for table in fmt.tables:  # every row of the format, every cell null
        assert set(front[table.id]) == {r.id for r in table.rows if not r.optional}
        assert all(v is None for row in front[table.id].values() for v in row)
        assert all(f"# {r.full_label}" in text for r in table.rows if not r.optional)  # labels as comments
    assert re.findall(r"^## (.+)$", text, re.M) == [s.heading for s in SECTIONS]
    assert "# 列：自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计" in text
    code, out, _ = cli("check", cwd=tmp_path)  # unfilled: every null cell and the empty title are named
    assert code == 1 and "错误[cell/null]" in out and "“title”不能为空" in out
    text = fill(text, consistent_tables(format_id, random.Random(year)))
    path.write_text(text.replace('title: ""', f"title: 某镇 {year} 年政府信息公开工作年度报告"), encoding="utf-8")
    code, out, err = cli("check", cwd=tmp_path)
    assert (code, out) == (0, ""), out
    assert "0 个错误，0 个警告" in err


def test_new_refuses_to_overwrite(cli, tmp_path):
    (tmp_path / "content").mkdir()
    assert cli("new", "content/body", 2024, cwd=tmp_path)[0] == 0
    path = tmp_path / "content/body/2024.md"
    path.write_text(path.read_text(encoding="utf-8") + "编辑过的内容\n", encoding="utf-8")
    before = path.read_bytes()
    code, _, err = cli("new", "content/body", 2024, cwd=tmp_path)
    assert code == 2 and "已存在，不会覆盖" in err and path.read_bytes() == before


def test_new_creates_index_placeholders_that_check_names_clearly(cli, tmp_path):
    (tmp_path / "content").mkdir()
    code, out, _ = cli("new", "content/sheng/shi/zhen", 2022, cwd=tmp_path)
    assert code == 0
    for folder in ("sheng", "sheng/shi", "sheng/shi/zhen"):
        assert (tmp_path / "content" / folder / "_index.yaml").is_file()
        assert f"已新建 content/{folder}/_index.yaml" in out
    code, out, err = cli("check", cwd=tmp_path)
    assert code == 1 and "Traceback" not in out + err
    for folder in ("sheng", "sheng/shi", "sheng/shi/zhen"):
        assert f"content/{folder}/_index.yaml:1:1: 错误[index/invalid] name 须为非空的中文名称" in out
        assert f"content/{folder}/_index.yaml:2:1: 错误[index/invalid] level“”无效" in out


def test_new_keeps_an_existing_index_and_uses_the_years_format(cli, tmp_path):
    index = "name: 小城子镇\nlevel: 乡镇\n"
    (tmp_path / "content/zhen").mkdir(parents=True)
    (tmp_path / "content/zhen/_index.yaml").write_text(index, encoding="utf-8")
    code, out, _ = cli("new", "content/zhen", 2020, cwd=tmp_path)
    assert code == 0 and "2019 格式" in out and "_index.yaml" not in out
    assert (tmp_path / "content/zhen/_index.yaml").read_text(encoding="utf-8") == index
    assert 'format: "2019"' in (tmp_path / "content/zhen/2020.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("body,message", [("elsewhere/body", "不在内容目录"), ("content/宝清", "须为小写拼音"),
                                          ("content", "不能直接放在内容目录下")])
def test_new_refuses_a_bad_place_with_a_clear_message(cli, tmp_path, body, message):
    (tmp_path / "content").mkdir()
    code, _, err = cli("new", body, 2024, cwd=tmp_path)
    assert code == 2 and message in err
    assert list((tmp_path / "content").iterdir()) == []
