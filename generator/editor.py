"""The editor's commands `new` and `import`: write a report file, then say what is left to do.

`import` takes one document (a detailed summary) or many files and folders (one progress line each,
then a table); a failure is one line naming the file and the next file is imported all the same.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from . import diagnostics as dg
from .archive import load_archive
from .formats import get_format
from .importers import DocumentError, UnreadableText, import_file
from .reportfile import render
from .scaffold import ScaffoldError, add_report, default_format, place, scaffold
from .source.tree import display


def new_command(args) -> int:
    fmt = get_format(args.format) if args.format else default_format(args.year)
    done = f"已新建 {{path}}（{fmt.id} 格式，各格为 null，请按原文填写）"
    where = place(args.content, args.body, args.name)
    written = _write(args, args.year, scaffold(args.year, fmt), done, fill=where.fill)
    print("\n".join(where.lines))
    return 0 if written else 2


def import_command(args) -> int:
    if args.source and not re.match(r"^https?://\S+$", args.source):
        return _fail(f"--source“{args.source}”应为以 http:// 或 https:// 开头的网址")
    if not Path(args.content).is_dir():
        return _fail(f"找不到内容目录 {args.content}：请先新建（mkdir {args.content}），或用 --content 指定")
    jobs = _jobs(args)
    if jobs is None:
        return 2
    if len(jobs) == 1 and not any(Path(f).is_dir() for f in args.files):
        return _import_one(args, *jobs[0])
    return _import_many(args, jobs)


def _jobs(args) -> list[tuple[Path, Path]] | None:
    """(document, body folder) for every file named, folders walked; --map gives each its own body."""
    if args.map:
        try:
            mapping = yaml.safe_load(args.map.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            _fail(f"无法读取对照表 {args.map}：{exc}")
            return None
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            _fail(f"对照表 {args.map} 应为“文件: 机关目录”的 YAML 映射")
            return None
        return [(args.map.parent / str(f), Path(b)) for f, b in mapping.items()]
    if args.body is None:
        _fail("请用 --body 指定机关目录（或用 --map 给出“文件: 机关目录”对照表）")
        return None
    files = []
    for f in args.files or []:
        f = Path(f)
        files += sorted(p for p in f.rglob("*") if p.is_file() and not p.name.startswith(".")) if f.is_dir() else [f]
    if not files:
        _fail("没有要导入的文件")
        return None
    return [(f, args.body) for f in files]


def _import_one(args, document: Path, body: Path) -> int:
    try:
        imported = import_file(document, args.year, args.format, args.source)
    except (DocumentError, UnreadableText) as exc:
        return _fail(f"{document}：{exc}")
    report = imported.report
    where = place(args.content, body, args.name or imported.body_name)
    written = _write(args, report.year, render(report), f"已导入 {{path}}（{_format_line(imported, args.format)}）",
                     body, where.fill)
    print("\n".join(where.lines))
    if written is None:
        return 2
    _summary(imported, args.content, written)
    return 0


def _import_many(args, jobs: list[tuple[Path, Path]]) -> int:
    rows, written, failed = [], {}, 0
    for i, (document, body) in enumerate(jobs, 1):
        print(f"[{i}/{len(jobs)}] {document} …", flush=True)
        try:
            imported = import_file(document, args.year, args.format, args.source)
            where = place(args.content, body, imported.body_name)
            path, _ = add_report(args.content, body, imported.report.year, render(imported.report), where.fill)
        except (DocumentError, UnreadableText, ScaffoldError, OSError) as exc:
            failed += 1
            print(f"  失败：{document}：{exc}")
            rows.append((str(document), "—", "—", "—", "—", "—", "失败"))
            continue
        written[display(path)] = len(rows)
        report = imported.report
        rows.append((str(document), f"{display(body)} {report.year}", report.format.id if report.format else "none",
                     str(imported.read), str(imported.unread), str(len(report.deduced)), ""))
        print(f"  已导入 {display(path)}")
        print("\n".join(f"  {line}" for line in where.lines))
    _check_column(args.content, rows, written)
    _table(rows)
    print(f"共 {len(jobs)} 个文件：导入 {len(jobs) - failed} 个，失败 {failed} 个。")
    return 1 if failed else 0


def _check_column(content: Path, rows: list[tuple[str, ...]], written: dict[str, int]) -> None:
    if not written:
        return
    counts: dict[str, list[int]] = {p: [0, 0] for p in written}
    for d in load_archive(content).diagnostics:
        if d.path in counts and d.severity in ("error", "warning"):
            counts[d.path][d.severity == "warning"] += 1
    for path, i in written.items():
        errors, warnings = counts[path]
        rows[i] = rows[i][:-1] + ("通过" if not errors and not warnings else f"{errors} 错误 {warnings} 警告",)


def _table(rows: list[tuple]) -> None:
    head = ("文件", "机关与年度", "格式", "读出", "空白", "推得", "检查")
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip())


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)


def _write(args, year: int, text: str, done: str, body: Path | None = None, fill: dict | None = None
           ) -> list[Path] | None:
    """Add the report file; the paths written (report first), or None after printing why not."""
    try:
        path, indexes = add_report(args.content, body or args.body, year, text, fill)
    except (ScaffoldError, OSError) as exc:
        _fail(str(exc))
        return None
    print(done.format(path=display(path)))
    filled = {display(Path(args.content).absolute().joinpath(*slugs, "_index.yaml")) for slugs in fill or {}}
    for index in indexes:
        todo = "已按行政区划代码填写 name、level 和 code，请核对" if display(index) in filled else \
            "请填写中文名称 name 和层级 level"
        print(f"已新建 {display(index)}：{todo}")
    return [path, *indexes]


def _format_line(imported, forced: str | None) -> str:
    if forced:
        return f"格式按 --format 指定为 {forced}"
    d = imported.detection
    if d.format_id:
        return f"据表格标签判定为 {d.format_id} 格式"
    if d.conflict:
        return "表格标签同时出现两种格式，未能判定，按无表格（format: none）导入；请核对后用 --format 指定"
    return "未找到任何一种格式的表格标签，按无表格（format: none）导入"


def _summary(imported, content: Path, written: list[Path]) -> None:
    report = imported.report
    found = [f"标题：{report.title}", f"年度：{report.year}"]
    found += [f"机关：{imported.body_name}"] if imported.body_name else []
    found += [f"发布日期：{report.published}（据{imported.published_from}）"] if report.published else []
    found += [f"原文网址：{report.source}"] if report.source else []
    print("读出：" + "；".join(found))
    if imported.missing:
        print("未能读出：" + "、".join(imported.missing) + "（请对照原文补上）")
    if imported.traditional:
        print("原文为繁体字，已转换为简体字后读取。")
    if report.deduced:
        print(f"有 {len(report.deduced)} 格原文空白，但勾稽关系只允许一个值，已填入并记在 deduced 中：")
        print("\n".join(f"  {d['cell']} = {_value(report, d['cell'])}（{d['rule']}）" for d in report.deduced))
    if imported.unread:
        print(f"有 {imported.unread} 格无法从原文读出，已记为 null 并在 known_issues 中说明：")
        print("\n".join(f"  {i['cell']}：{i['note']}" for i in imported.report.known_issues))
    for remark in imported.remarks:
        print(f"注意：{remark}")
    shown = {display(p) for p in written}
    problems = [d for d in load_archive(content).diagnostics if d.path in shown and d.severity in ("error", "warning")]
    if problems:
        print(f"检查发现 {len(problems)} 个问题，请逐一处理"
              "（原文的数字不符合勾稽关系的，核对原文后在 known_issues 中说明）：")
        print("\n".join(dg.format_text(d) for d in problems))
    else:
        print("检查通过。")


def _value(report, cell: str):
    table, row, column = cell.split(".")
    index = report.format.table(table).block_of(row).column_indexes[column]
    return report.tables[table][row][index]


def _fail(message: str) -> int:
    print(f"nianbao: {message}", file=sys.stderr)
    return 2


def deduce_command(args) -> int:
    """`nianbao check --deduce [--write]`: list (or write into the files) the blank cells the rules force."""
    from .checks.deduce import cell_name, deduce
    archive = load_archive(args.content)
    total = 0
    for report in sorted(archive.reports, key=lambda r: r.path):
        if report.format is None:
            continue
        rows = {t: {r: [c.value for c in cells] for r, cells in table.items()} for t, table in report.tables.items()}
        forced = deduce(report.format, rows)
        if not forced:
            continue
        total += len(forced)
        for f in forced:
            cell = report.tables[f.cell[0]][f.cell[1]][f.cell[2]]
            print(f"{report.path}:{cell.pos.line}:{cell.pos.col}: {cell_name(report.format, f.cell)} = {f.value}"
                  f"（{f.rule}，原文空白，勾稽关系只允许此值）")
        if args.write:  # report.path: relative to the working folder, or absolute (source.tree.display)
            try:
                _write_forced(Path(report.path), report, forced, cell_name)
            except OSError as exc:
                return _fail(f"无法写入 {report.path}：{exc.strerror or exc}")
    verb = "已写入" if args.write else "可填入"
    print(f"共 {total} 格{verb}（--write 写入文件并记入 deduced）" if not args.write else
          f"共 {total} 格{verb}文件并记入 deduced；不再适用的 known_issues 条目请删去", file=sys.stderr)
    return 0


def _write_forced(path: Path, report, forced, cell_name) -> None:
    """Put each forced value where its null stands and list the cell under `deduced:`; every other
    character of the file stays as it was."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for f in sorted(forced, key=lambda f: report.tables[f.cell[0]][f.cell[1]][f.cell[2]].pos, reverse=True):
        pos = report.tables[f.cell[0]][f.cell[1]][f.cell[2]].pos
        line = lines[pos.line - 1]
        token = re.match(r"null|Null|NULL|~", line[pos.col - 1:])
        if token:
            lines[pos.line - 1] = line[:pos.col - 1] + str(f.value) + line[pos.col - 1 + token.end():]
    entries = [f"  - {{cell: {cell_name(report.format, f.cell)}, rule: {f.rule}}}" for f in forced]
    if ("deduced",) in report.key_pos:
        at = report.key_pos[("deduced",)].line  # insert under the existing key
        lines[at:at] = entries
    else:
        first_table = min(report.key_pos[(t.id,)].line for t in report.format.tables if (t.id,) in report.key_pos)
        at = first_table - 1
        while at > 0 and lines[at - 1].startswith("#"):  # keep a table's heading comment above it
            at -= 1
        lines[at:at] = ["deduced:  # 原文空白、据勾稽关系推得的格（唯一可能的值）", *entries]
    path.write_text("\n".join(lines), encoding="utf-8")
