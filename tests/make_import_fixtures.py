"""Make the published-document fixtures of tests/test_import_documents.py (and the figures script).

Run `.venv/bin/python tests/make_import_fixtures.py` to regenerate; the outputs are committed, so the
import tests never need Chromium. The documents are laid out the way bodies publish: a portal page
(navigation, breadcrumbs, a footer naming 政府信息公开工作年度报告, merged header cells, blanks as
&nbsp;, units in cells), the same page in GBK, the PDF Chromium prints from a report page (ruled
tables, CJK fonts; one long enough that table 三 breaks across pages), a Word file, the TAB text an
editor gets by copying a web table, and a PDF-style text extraction (single spaces, wrapped labels,
a label printed one character per line). This script knows the spec's layout only; it never calls
the importer. Each document has `<name>.expected.json`: every cell as printed (null: printed blank).
"""
from __future__ import annotations

import html
import json
import random
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factory import consistent_tables  # noqa: E402
from generator.formats import get_format  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "import" / "documents"
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--no-pdf-header-footer"]


# ---- the reports laid out ---------------------------------------------------------------------

def real_report(path: Path) -> dict:
    """A report of content/: its title, year, format, tables and narrative."""
    text = path.read_text(encoding="utf-8")
    _, front, narrative = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    fmt = get_format(meta["format"])
    tables = {t.id: meta[t.id] for t in fmt.tables}
    return {"title": meta["title"], "year": meta["year"], "format": fmt, "tables": tables, "narrative": narrative}


def synthetic_2019() -> dict:
    """A consistent 2019-format report with signed changes and money."""
    tables = consistent_tables("2019", random.Random(13), high=30)
    tables["active"]["central_procurement"] = [7, Decimal("251000")]
    narrative = ("\n## 一、总体情况\n\n2019年，本区认真贯彻落实《条例》要求，推进政务公开。\n\n"
                 "## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n"
                 "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
                 "## 五、存在的主要问题及改进情况\n\n一是公开内容还不够全面，二是平台建设有待加强。\n\n"
                 "## 六、其他需要报告的事项\n\n无。\n")
    return {"title": "某市某区人民政府2019年政府信息公开工作年度报告", "year": 2019, "format": get_format("2019"),
            "tables": tables, "narrative": narrative}


def blank(report: dict, cells: list[tuple[str, str, int]]) -> dict:
    """The report as printed with these cells left blank."""
    tables = {t: {r: list(v) for r, v in rows.items()} for t, rows in report["tables"].items()}
    for table, row, i in cells:
        tables[table][row][i] = None
    return {**report, "tables": tables}


def printed(value, column, units: bool) -> str:
    if value is None:
        return ""
    text = str(value)
    return text + column.unit if units and column.kind == "money" and column.unit else text


# ---- the grid of a table, merged cells as (text, rowspan, colspan) -----------------------------

def grid(table, rows: dict, units: bool = False) -> list[list[tuple]]:
    """Rows of (text, rowspan, colspan, is_value) as a web page prints the table."""
    width = max(len(b.columns) for b in table.blocks)
    depth = max(len(r.groups) + 1 for b in table.blocks for r in b.rows if r.id in rows)
    out = []
    for block in table.blocks:
        labels = depth if (block.stub or len(block.rows) > 1) else 0
        if block.label:
            out.append([(block.label, 1, labels + width, False)])
        out += _header(block, labels, width)
        shown = [r for r in block.rows if r.id in rows]
        for i, row in enumerate(shown):
            line = []
            for level, group in enumerate(row.groups):
                if i == 0 or shown[i - 1].groups[: level + 1] != row.groups[: level + 1]:
                    span = sum(1 for r in shown[i:] if r.groups[: level + 1] == row.groups[: level + 1])
                    line.append((group, span, 1, False))
            if labels:
                line.append((row.label, 1, labels - len(row.groups), False))
            values = rows[row.id]
            for j, (column, value) in enumerate(zip(block.columns, values)):
                extra = width - len(block.columns) if j == len(values) - 1 else 0
                line.append((printed(value, column, units), 1, 1 + extra, True))
            out.append(line)
    return out


def _header(block, labels: int, width: int) -> list[list[tuple]]:
    depth = max(len(c.groups) + 1 for c in block.columns)
    lines = [[] for _ in range(depth)]
    if labels:
        lines[0].append((block.stub or "", depth, labels, False))
    for i, column in enumerate(block.columns):
        for level, group in enumerate(column.groups):
            if i == 0 or block.columns[i - 1].groups[: level + 1] != column.groups[: level + 1]:
                span = sum(1 for c in block.columns[i:] if c.groups[: level + 1] == column.groups[: level + 1])
                lines[level].append((group, 1, span, False))
        extra = width - len(block.columns) if i == len(block.columns) - 1 else 0
        lines[len(column.groups)].append((column.label, depth - len(column.groups), 1 + extra, False))
    return lines


def html_table(rows: list[list[tuple]], wrap_labels: bool = False) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="4" class="MsoTableGrid">']
    for line in rows:
        cells = []
        for text, rowspan, colspan, value in line:
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            body = html.escape(text) if text else "&nbsp;"
            if wrap_labels and not value and len(text) > 12:  # a long label broken by the editor
                body = html.escape(text[:10]) + "<br/>" + html.escape(text[10:])
            if value:
                body = f'<p align="center"><span style="font-size:12px">{body}</span></p>'
            cells.append(f"<td{attrs}>{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out + ["</table>"])


def expanded(rows: list[list[tuple]]) -> list[list[str]]:
    """The grid with spans resolved as a copy from a browser gives it: text in the first cell only."""
    placed: dict[tuple[int, int], str] = {}
    for r, line in enumerate(rows):
        c = 0
        for text, rowspan, colspan, _ in line:
            while (r, c) in placed:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
            c += colspan
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), "") for c in range(width)] for r in range(len(rows))]


# ---- documents ------------------------------------------------------------------------------

TABLE_SECTIONS = {"二": "active", "三": "applications", "四": "appeals"}


def sections(report: dict):
    """(heading, [paragraphs and sub-headings], table id or None) in printed order."""
    out = []
    for block in re.split(r"^## ", report["narrative"], flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        paras = [p.strip() for p in body.split("\n\n") if p.strip()]
        numeral = heading[0]
        out.append((heading.strip(), paras, TABLE_SECTIONS.get(numeral)))
    return out


def portal_page(report: dict, published: str, charset: str = "utf-8", declare: bool = True,
                units: bool = False) -> str:
    fmt, body = report["format"], []
    for heading, paras, table_id in sections(report):
        body.append(f"<p><strong>{html.escape(heading)}</strong></p>")
        if table_id:
            body.append(html_table(grid(fmt.table(table_id), report["tables"][table_id], units), wrap_labels=True))
        for p in paras:
            text = html.escape(p.lstrip("# "))
            body.append(f'<p style="text-indent:2em">{text}</p>')
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if declare else ""
    body_name = report["title"].split(str(report["year"]))[0].strip()
    return f"""<!DOCTYPE html>
<html><head>{meta}
<title>{html.escape(report['title'])}_{html.escape(body_name)}门户网站</title>
<link rel="stylesheet" href="/css/common.css"></head>
<body>
<div class="top"><div class="logo">{html.escape(body_name)}门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwgk/ndbg/">政府信息公开工作年度报告</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1 class="title">{html.escape(report['title'])}</h1>
<div class="info">发布日期：{published}&nbsp;&nbsp;来源：{html.escape(body_name)}&nbsp;&nbsp;\
浏览次数：<span id="hits">128</span>
&nbsp;&nbsp;字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="content" id="zoom">
{chr(10).join(body)}
<p style="text-align:right">{html.escape(body_name)}</p>
</div></div>
<div class="share">分享到：微信 微博</div>
<div class="footer"><p>主办：{html.escape(body_name)}办公室　网站标识码：2305230001　\
<a href="/zwgk/ndbg/">政府信息公开工作年度报告</a></p>
<p>版权所有 2024 {html.escape(body_name)}　备案号：黑ICP备00000000号</p></div>
</body></html>
"""


def split_row(rows: list[list[tuple]], label: str) -> tuple[list, list]:
    """The grid cut inside the row labelled `label`, as a word processor breaks a row across pages:
    its label (value cells empty) ends the first page, its values (label cells empty) begin the next."""
    at = next(i for i, line in enumerate(rows) if line[0][0] == label)
    line = rows[at]
    head = [line[0]] + [("", 1, c[2], True) for c in line[1:]]
    tail = [("", 1, line[0][2], False)] + list(line[1:])
    return rows[:at] + [head], [tail] + rows[at + 1:]


def print_page(report: dict, signed: str, padding: int = 4, ruled: bool = True, split: str | None = None) -> str:
    """The report as a document to print (what bodies attach as PDF): no portal furniture. `split`:
    the label of a row of table 三 to break across two pages."""
    fmt, body = report["format"], []
    for heading, paras, table_id in sections(report):
        body.append(f"<h2>{html.escape(heading)}</h2>")
        rows = grid(fmt.table(table_id), report["tables"][table_id]) if table_id else None
        if split and table_id == "applications":
            first, second = split_row(rows, split)
            body += [html_table(first), html_table(second).replace("<table ", '<table style="break-before:page" ', 1)]
        elif table_id:
            body.append(html_table(rows))
        body += [f"<p>{html.escape(p.lstrip('# '))}</p>" for p in paras]
    body_name = report["title"].split(str(report["year"]))[0].strip()
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(report['title'])}</title>
<style>body{{font-family:"Noto Serif CJK SC","Noto Sans CJK SC",serif;font-size:14px}}
h1{{text-align:center;font-size:20px}} h2{{font-size:16px}} table{{border-collapse:collapse;width:100%}}
td{{border:{'1px solid #000' if ruled else 'none'};padding:{padding}px 3px;font-size:12px;text-align:center}}\
</style></head><body>
<h1>{html.escape(report['title'])}</h1>
{chr(10).join(body)}
<p style="text-align:right">{html.escape(body_name)}<br>{signed}</p>
</body></html>
"""


def tab_text(report: dict, published: str) -> str:
    """What an editor gets copying the page from a browser into a text file: one TAB-separated field
    per printed cell (a merged cell once, in its first row), a blank cell an empty field."""
    fmt, lines = report["format"], ["政务公开 > 政府信息公开年报", report["title"], f"发布日期：{published}"]
    for heading, paras, table_id in sections(report):
        lines.append(heading)
        if table_id:
            lines += ["\t".join(c[0] for c in row) for row in grid(fmt.table(table_id), report["tables"][table_id])]
        lines += [p.lstrip("# ") for p in paras]
    return "\n".join(lines) + "\n"


def pdf_text(report: dict) -> str:
    """A PDF text extraction: single spaces, long labels wrapped, 三、本年度办理结果 one character a line."""
    fmt, lines = report["format"], ["— 1 —", report["title"]]
    vertical = list("三、本年度办理结果")
    for heading, paras, table_id in sections(report):
        lines.append(heading)
        if table_id:
            table = fmt.table(table_id)
            for block in table.blocks:
                if block.label:
                    lines.append(block.label)
                if len(block.columns) == 7:  # the applicant header, wrapped in narrow cells
                    lines += ["申请人情况", "自然人 法人或其他组织 总计", "商业 科研 社会公 法律服",
                              "企业 机构 益组织 务机构 其他"]
                elif len(block.columns) > 7:
                    lines += ["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉"]
                else:
                    lines.append(" ".join([block.stub or "", *(c.label for c in block.columns)]).strip())
                for row in block.rows:
                    if row.id not in report["tables"][table_id]:
                        continue
                    values = " ".join("" if v is None else str(v) for v in report["tables"][table_id][row.id])
                    label = row.label if block.stub or len(block.rows) > 1 else ""
                    if row.groups and row.groups[0] == "三、本年度办理结果" and vertical:
                        lines.append(vertical.pop(0))
                    if len(label) > 14:
                        lines += [f"{label[:14]} {values}", label[14:]]
                    else:
                        lines.append(f"{label} {values}".strip())
                lines += vertical[:] if table_id == "applications" else []
        lines += [p.lstrip("# ") for p in paras]
    body_name = report["title"].split(str(report["year"]))[0].strip()
    return "\n".join(lines + [body_name, "2024年1月25日", "— 3 —"]) + "\n"


def docx_file(report: dict, path: Path, published: str) -> None:
    import docx
    document = docx.Document()
    document.add_paragraph(report["title"], style="Title")
    document.add_paragraph(f"（{published}）")
    fmt = report["format"]
    for heading, paras, table_id in sections(report):
        document.add_heading(heading, level=2)
        if table_id:
            rows = grid(fmt.table(table_id), report["tables"][table_id])
            cells = expanded(rows)
            table = document.add_table(rows=len(cells), cols=len(cells[0]))
            table.style = "Table Grid"
            _merge(table, rows)
            for r, line in enumerate(cells):
                for c, text in enumerate(line):
                    if text:
                        table.cell(r, c).text = text
        for p in paras:
            document.add_paragraph(p.lstrip("# "))
    document.add_paragraph(published.replace("-", "年", 1).replace("-", "月", 1) + "日")
    document.save(path)


def _merge(table, rows) -> None:
    placed = set()
    for r, line in enumerate(rows):
        c = 0
        for _, rowspan, colspan, _ in line:
            while (r, c) in placed:
                c += 1
            placed |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            if rowspan > 1 or colspan > 1:
                table.cell(r, c).merge(table.cell(r + rowspan - 1, c + colspan - 1))
            c += colspan


def pdf(html_text: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html_text, encoding="utf-8")
        subprocess.run([*CHROMIUM, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)


def expected(report: dict, path: Path, **meta) -> None:
    tables = {t: {r: [None if v is None else str(v) for v in vs] for r, vs in rows.items()}
              for t, rows in report["tables"].items()}
    data = {"title": report["title"], "year": report["year"], "format": report["format"].id, **meta, "tables": tables}
    path.with_name(path.name + ".expected.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                                             encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    hongqi = real_report(ROOT / "content/henan/xinxiang/hongqi/xiaodian/2023.md")
    # printed blanks: 总计 of 一 (its six columns printed), 自然人 of （一）予以公开, and 四's last cell
    blanked = blank(hongqi, [("applications", "new", 6), ("applications", "disclosed", 0), ("appeals", "cases", 14),
                             ("applications", "withheld_query", 3)])
    docs = {
        "portal-2023.html": (portal_page(blanked, "2024-01-25").encode("utf-8"), blanked),
        "portal-2023-gbk.html": (portal_page(blanked, "2024-01-25", "gbk").encode("gbk"), blanked),
        "portal-2023-gb18030-undeclared.html": (portal_page(blanked, "2024-01-25", declare=False).encode("gb18030"),
                                                blanked),
        "tab-2023.txt": (tab_text(blanked, "2024-01-25").encode("utf-8"), blanked),
        "pdftext-2023.txt": (pdf_text(hongqi).encode("utf-8"), hongqi),
    }
    synthetic = synthetic_2019()
    docs["portal-2019-units.html"] = (portal_page(synthetic, "2020-01-31", units=True).encode("utf-8"), synthetic)
    for name, (data, report) in docs.items():
        (OUT / name).write_bytes(data)
        expected(report, OUT / name, published="2020-01-31" if "2019" in name else "2024-01-25")
    docx_file(blanked, OUT / "word-2023.docx", "2024-01-25")
    expected(blanked, OUT / "word-2023.docx", published="2024-01-25")
    pdf(print_page(hongqi, "2024年1月25日"), OUT / "print-2023.pdf")
    expected(hongqi, OUT / "print-2023.pdf", published="2024-01-25")
    pdf(print_page(synthetic, "2020年1月31日", padding=14), OUT / "long-2019.pdf")  # 三 breaks across pages
    expected(synthetic, OUT / "long-2019.pdf", published="2020-01-31")
    pdf(print_page(hongqi, "2024年1月25日", split="二、上年结转政府信息公开申请数量"), OUT / "split-row-2023.pdf")
    expected(hongqi, OUT / "split-row-2023.pdf", published="2024-01-25")
    pdf(print_page(hongqi, "2024年1月25日", ruled=False), OUT / "unruled-2023.pdf")  # text positions only
    expected(hongqi, OUT / "unruled-2023.pdf", published="2024-01-25")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
