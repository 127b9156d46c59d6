"""`nianbao check` and `nianbao build` as an editor meets them."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator.formats import get_format

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (错误|警告)\[(?P<rule>[a-z-]+/[a-z-]+)\] \S")


def bad(rule):
    return FIXTURES / "bad" / rule


def test_clean_archive_exits_0(cli):
    code, out, err = cli("check", cwd=FIXTURES / "valid")
    assert code == 0 and out == ""
    assert "0 个错误" in err and "2 处已说明的原文问题" in err


def test_error_exits_1_with_one_line_naming_file_line_rule_labels_and_values(cli):
    code, out, _ = cli("check", cwd=bad("arith/balance"))
    assert code == 1
    lines = out.splitlines()
    assert all(LINE.match(l) for l in lines), lines
    assert lines[0].startswith("content/body/2023.md:13:")
    # the Chinese column label, the short row labels and both sums
    assert "错误[arith/balance] 表三“自然人”列：一(" in lines[0] and "，但（七）总计(" in lines[0]


def test_warnings_pass_unless_strict(cli):
    assert cli("check", cwd=bad("format/unusual-year"))[0] == 0
    code, out, _ = cli("check", "--strict", cwd=bad("format/unusual-year"))
    assert code == 1 and "错误[format/unusual-year]" in out


def test_every_problem_in_every_file_in_one_run_sorted(cli, tmp_path):
    for i, rule in enumerate(["arith/balance", "cell/negative", "yaml/syntax", "meta/unknown-key"]):
        shutil.copytree(bad(rule) / "content" / "body", tmp_path / "content" / f"body{i}")
    code, out, _ = cli("check", cwd=tmp_path)
    found = [LINE.match(l) for l in out.splitlines()]
    assert code == 1 and all(found)
    assert {m["rule"] for m in found} == {"arith/balance", "cell/negative", "yaml/syntax", "meta/unknown-key"}
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in found]
    assert keys == sorted(keys)


def test_json_and_github_formats(cli):
    code, out, _ = cli("check", "--format", "json", cwd=bad("cell/negative"))
    data = json.loads(out)
    assert code == 1
    assert [(d["rule"], d["severity"], d["cell"], d["line"]) for d in data] == [
        ("cell/negative", "error", "active.coercion.decisions", 10)]
    code, out, _ = cli("check", "--format", "github", cwd=bad("cell/negative"))
    assert out.startswith("::error file=content/body/2023.md,line=10,col=")
    assert "title=cell/negative::" in out


def test_missing_content_folder_is_a_clear_error(cli, tmp_path):
    code, _, err = cli("check", "--content", "nowhere", cwd=tmp_path)
    assert code == 2 and "找不到内容目录" in err


@pytest.mark.parametrize("rule", ["yaml/syntax", "file/encoding", "file/empty", "yaml/type", "table/type",
                                  "meta/type", "table/row-length", "report/duplicate"])
def test_bad_input_never_gives_a_traceback(rule):
    run = subprocess.run([sys.executable, "-m", "generator.cli", "check"], cwd=bad(rule),
                         capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "NIANBAO_CACHE": os.environ["NIANBAO_CACHE"]})
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert any(LINE.match(l) and f"[{rule}]" in l for l in run.stdout.splitlines())


def test_tab_indented_front_matter_is_explained(cli, tmp_path):
    body = tmp_path / "content" / "body"
    shutil.copytree(bad("cell/null") / "content" / "body", body)
    text = (body / "2023.md").read_text(encoding="utf-8").replace("\n  new:", "\n\tnew:")
    (body / "2023.md").write_text(text, encoding="utf-8")
    code, out, _ = cli("check", cwd=tmp_path)
    assert code == 1 and "错误[yaml/syntax]" in out and "制表符" in out


def test_build_writes_nothing_when_checks_fail(cli, tmp_path):
    shutil.copytree(bad("arith/balance") / "content", tmp_path / "content")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("previous site", encoding="utf-8")
    code, out, _ = cli("build", cwd=tmp_path)
    assert code == 1 and "[arith/balance]" in out
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["index.html"]
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no temporary folder left


def test_build_is_byte_identical_and_never_deletes_a_file_it_did_not_write(cli, tmp_path):
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    assert cli("build", cwd=tmp_path)[0] == 0
    site = tmp_path / "site"
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (site / "stale.html").write_text("old", encoding="utf-8")
    code, _, err = cli("build", cwd=tmp_path)  # a file the build did not make: refused, nothing written
    assert code == 2 and "错误[build/output]" in err and "stale.html" in err and "--force" in err
    kept = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert kept == {**first, Path("stale.html"): b"old"}
    assert cli("build", "--force", cwd=tmp_path)[0] == 0
    assert cli("build", cwd=tmp_path)[0] == 0  # kept by --force: the editor's own file from now on
    second = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert second.pop(Path("stale.html")) == b"old"
    manifest = Path(".nianbao/manifest.json")
    assert json.loads(second.pop(manifest))["kept"] == ["stale.html"]
    assert json.loads(first.pop(manifest))["kept"] == []
    assert first == second
    # home, search, data, 术语, quality, 统计, 4 folders, 5 years, 5 reports, 2 year-over-year comparisons
    assert len([p for p in first if p.name == "index.html"]) == 22
    assert {"data/cells.sqlite", "data/cells.csv.gz", "feed.xml", "sitemap.xml", "quality/quality.csv"} <= {
        p.as_posix() for p in first}


def test_report_page_escapes_raw_html_and_shows_every_cell(cli, tmp_path):
    shutil.copytree(bad("narrative/raw-html") / "content", tmp_path / "content")
    code, out, _ = cli("build", cwd=tmp_path)
    assert code == 0 and "警告[narrative/raw-html]" in out
    html = (tmp_path / "site" / "body" / "2023" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    spec = get_format("2021")
    cells = sum(len(b.columns) for t in spec.tables for b in t.blocks for r in b.rows if not r.optional)
    assert cells == 200 and html.count("<td data-col=") == cells


def test_two_pages_on_one_path_fail_the_build_cleanly(cli, tmp_path):
    # a body folder named "years" would put its 2020 report where the year page for 2020 lives:
    # the check refuses the name (file/reserved-name) before anything is made
    shutil.copytree(FIXTURES / "valid" / "content", tmp_path / "content")
    shutil.copytree(tmp_path / "content" / "sample-province" / "sample-city", tmp_path / "content" / "years",
                    ignore=shutil.ignore_patterns("jia-town"))
    (tmp_path / "content" / "years" / "_index.yaml").write_text("name: 年份机关\nlevel: 部门\n", encoding="utf-8")
    code, out, err = cli("build", cwd=tmp_path)
    assert code == 1 and "content/years:1:1: 错误[file/reserved-name]" in out + err
    assert not (tmp_path / "site").exists()
