"""The editor's commands `new` and `import`: write a report file, then say what is left to do."""
from __future__ import annotations

import sys
from pathlib import Path

from . import diagnostics as dg
from .archive import load_archive
from .formats import get_format
from .importers import UnreadableText, import_text
from .reportfile import render
from .scaffold import ScaffoldError, add_report, default_format, scaffold
from .source.tree import display


def new_command(args) -> int:
    fmt = get_format(args.format) if args.format else default_format(args.year)
    done = f"已新建 {{path}}（{fmt.id} 格式，各格为 null，请按原文填写）"
    return 0 if _write(args, args.year, scaffold(args.year, fmt), done) else 2


def import_command(args) -> int:
    try:
        text = args.text.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"无法读取 {args.text}：{exc}（须为 UTF-8 纯文本）")
    try:
        imported = import_text(text, args.text.name, args.year, args.format)
    except UnreadableText as exc:
        return _fail(str(exc))
    report = imported.report
    written = _write(args, report.year, render(report), f"已导入 {{path}}（{_format_line(imported, args.format)}）")
    if written is None:
        return 2
    _summary(imported, args.content, written)
    return 0


def _write(args, year: int, text: str, done: str) -> list[Path] | None:
    """Add the report file; the paths written (report first), or None after printing why not."""
    try:
        path, indexes = add_report(args.content, args.body, year, text)
    except (ScaffoldError, OSError) as exc:
        _fail(str(exc))
        return None
    print(done.format(path=display(path)))
    for index in indexes:
        print(f"已新建 {display(index)}：请填写中文名称 name 和层级 level")
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
    if imported.traditional:
        print("原文为繁体字，已转换为简体字后读取。")
    if imported.unread:
        print(f"有 {imported.unread} 格无法从原文读出，已记为 null 并在 known_issues 中说明：")
        print("\n".join(f"  {i['cell']}：{i['note']}" for i in imported.report.known_issues))
    for remark in imported.remarks:
        print(f"注意：{remark}")
    shown = {display(p) for p in written}
    problems = [d for d in load_archive(content).diagnostics if d.path in shown and d.severity in ("error", "warning")]
    if problems:
        print(f"检查发现 {len(problems)} 个问题，请逐一处理（原文的数字不符合勾稽关系的，核对原文后在 known_issues 中说明）：")
        print("\n".join(dg.format_text(d) for d in problems))
    else:
        print("检查通过。")


def _fail(message: str) -> int:
    print(f"nianbao: {message}", file=sys.stderr)
    return 2
