"""Command line: `nianbao check|build|schema|new|import|serve`."""
from __future__ import annotations

import argparse
import datetime
import errno
import os
import sys
from pathlib import Path

from . import diagnostics as dg
from .formats import FORMATS
from .model.fields import NO_FORMAT
from . import urls


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告档案库")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("check", "检查所有报告（不写任何文件）"), ("build", "检查并生成网站")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--strict", action="store_true", help="警告也视为错误")
        cmd.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式")
        cmd.add_argument("--jobs", type=int, default=0, help="并行进程数（默认每个 CPU 核心一个）")
        cmd.add_argument("--cache", type=Path, default=Path(os.environ.get("NIANBAO_CACHE", ".cache")),
                         help="缓存目录（默认 .cache 或环境变量 NIANBAO_CACHE，可随时删除；未改动的报告不再重新处理）")
        cmd.add_argument("--no-cache", action="store_true", help="不读也不写缓存，全部重新处理")
    sub.choices["build"].add_argument("--out", type=Path, default=Path("site"), help="输出目录（默认 site）")
    sub.choices["check"].add_argument("--deduce", action="store_true", help="列出原文空白、但勾稽关系只允许一个值的格")
    sub.choices["check"].add_argument("--write", action="store_true",
                                      help="与 --deduce 同用：把这些值写入报告文件并记入 deduced")
    sub.choices["build"].add_argument("--no-search", action="store_true",
                                      help="不更新搜索索引，沿用上次的索引（更快，供预览）")
    sub.choices["build"].add_argument("--force", action="store_true",
                                      help="输出目录中有不是 nianbao 生成的文件时也照常生成"
                                           "（这些文件保留原样，从不删除）")
    new = sub.add_parser("new", help="按格式新建一份空白报告（各格为 null，附中文标签注释）")
    new.add_argument("body", type=Path, help="机关目录，如 content/heilongjiang/shuangyashan/baoqing/xiaochengzi")
    new.add_argument("year", type=_year, help="报告年度")
    new.add_argument("--format", choices=sorted(FORMATS), help="表格格式（默认按年度：2019–2020 用 2019，其后用 2021）")
    new.add_argument("--name", help="机关名称，如 虎林市宝东镇：据行政区划代码建议目录和代码（默认用目录中已有的名称）")
    imp = sub.add_parser("import", help="把已发布的报告（网页、PDF、Word 或纯文本）导入为报告文件")
    imp.add_argument("files", type=Path, nargs="*",
                     help="报告文件（.html、.pdf、.docx、.txt，按内容识别），或含多个文件的目录")
    imp.add_argument("--body", type=Path, help="机关目录")
    imp.add_argument("--map", type=Path, help="对照表（YAML）：每行“文件: 机关目录”，一次导入多个机关的报告")
    imp.add_argument("--source", help="原文网址，写入报告的 source")
    imp.add_argument("--year", type=_year, help="报告年度（默认从标题读出）")
    imp.add_argument("--format", choices=[*sorted(FORMATS), NO_FORMAT], help="表格格式（默认按表格标签判定）")
    imp.add_argument("--name", help="机关名称，如 虎林市宝东镇：据行政区划代码建议目录和代码（默认从标题读出）")
    serve = sub.add_parser("serve", help="本地预览：生成网站并在文件修改后自动重新生成")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    for cmd in sub.choices.values():
        cmd.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content）")
    sub.choices["build"].add_argument("--base-url", default=urls.DEFAULT_BASE_URL,
                                      help="网站地址，用于订阅、sitemap 和 robots.txt 中的绝对链接"
                                           f"（默认 {urls.DEFAULT_BASE_URL}）")
    schema = sub.add_parser("schema", help="输出各表格格式的报告 JSON Schema")
    schema.add_argument("--format", choices=[*FORMATS, NO_FORMAT], help="只输出这一格式（默认全部）")
    schema.add_argument("--out", type=Path, help="写入此目录（每个格式一个 <格式>.json），不指定则输出到屏幕")
    return parser


FIRST_YEAR = 2000  # a report year before this is a typing slip (the disclosure regulations date from 2008)


def _year(text: str) -> int:
    """A plausible report year: four digits, FIRST_YEAR to next year."""
    last = datetime.date.today().year + 1
    if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= last):
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的报告年度，"
                                         f"应为 {FIRST_YEAR}–{last} 之间的四位数年份，如 2024")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        return _schema(args)
    if args.command == "build" and not urls.valid_base_url(args.base_url):
        print(f"nianbao: --base-url“{args.base_url}”无效，应为 http(s)://域名[:端口]，不含路径", file=sys.stderr)
        return 2
    if args.command in ("new", "import"):
        from .editor import import_command, new_command
        return (new_command if args.command == "new" else import_command)(args)
    if not args.content.is_dir():
        print(f"nianbao: 找不到内容目录 {args.content}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from .serve import serve
        return serve(args.content, args.port)
    if args.command == "check" and args.write and not args.deduce:
        print("nianbao: --write 只能与 --deduce 同用", file=sys.stderr)
        return 2
    if args.command == "check" and args.deduce:
        from .editor import deduce_command
        return deduce_command(args)
    from .cache import CacheError, CacheFolderError
    from .write.output import OutputError
    try:
        return _check(args) if args.command == "check" else _build(args)
    except (CacheError, CacheFolderError) as exc:
        print(f"nianbao: 错误[build/cache] {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"nianbao: 错误[build/output] {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only or full disk: site/ stays as it was (see write/output.py)
        where = exc.filename or (args.out if args.command == "build" else args.cache)
        if args.command == "build" and f"/.{Path(args.out).name}-new-" in str(where):
            where = args.out  # a file of the staging folder beside it: name the folder the editor knows
        after = ("更新已中断，下次生成时会先完成这次更新" if getattr(exc, "publishing", False) else
                 "网站目录未改动" if args.command == "build" else "未写入任何文件")
        print(f"nianbao: 错误[build/write] 无法写入 {where}：{_reason(exc)}（{after}）", file=sys.stderr)
        return 1


REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EROFS: "只读文件系统", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
           errno.EDQUOT: "超出磁盘配额", errno.EIO: "输入输出错误"}


def _reason(exc: OSError) -> str:
    """The OS's reason, in Chinese where it is a usual one."""
    return REASONS.get(exc.errno) or exc.strerror or str(exc)


def _build(args) -> int:
    from .build import build  # rendering is only imported when a site is built
    from .search.index import SearchIndexError
    from .write.writer import WriteError
    try:
        return _report(args, build(args.content, args.out, strict=args.strict, base_url=args.base_url,
                                   cache_dir=_cache(args), jobs=args.jobs, search=not args.no_search,
                                   force=args.force))
    except WriteError as exc:  # two pages on one path: nothing was written
        print(f"nianbao: 错误[build/output-path] {exc}（未写入任何文件）", file=sys.stderr)
        return 1
    except SearchIndexError as exc:
        print(f"nianbao: 错误[build/search-index] 建立搜索索引失败（未写入任何文件）：{exc}", file=sys.stderr)
        return 1


def _schema(args) -> int:
    from .export.jsonout import dumps
    from .export.schema import all_schemas
    schemas = {k: v for k, v in all_schemas().items() if args.format in (None, k)}
    if args.out is None:
        print(dumps(schemas[args.format] if args.format else schemas), end="")
        return 0
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for format_id, schema in schemas.items():
            (args.out / f"{format_id}.json").write_text(dumps(schema), encoding="utf-8")
    except OSError as exc:
        print(f"nianbao: 无法写入 {args.out}：{exc.strerror}", file=sys.stderr)
        return 1
    print(f"已写入 {len(schemas)} 个 JSON Schema 到 {args.out}", file=sys.stderr)
    return 0


def _cache(args) -> Path | None:
    return None if args.no_cache else args.cache


def _check(args) -> int:
    from .checking import check  # neither templates nor the search index are loaded to check
    archive = check(args.content, cache_dir=_cache(args), jobs=args.jobs)
    return _report(args, archive if not args.strict else _strict(archive))


def _strict(archive):
    archive.diagnostics = dg.strict(archive.diagnostics)
    return archive


def _report(args, archive) -> int:
    shown = [d for d in archive.diagnostics if d.severity != "acknowledged"]
    if args.format == "json":
        print(dg.format_json(archive.diagnostics))
    else:
        for d in shown:
            print(dg.format_text(d) if args.format == "text" else dg.format_github(d))
    errors = dg.count(archive.diagnostics, "error")
    summary = (f"检查了 {len(archive.reports)} 份报告：{errors} 个错误，"
               f"{dg.count(archive.diagnostics, 'warning')} 个警告，"
               f"{dg.count(archive.diagnostics, 'acknowledged')} 处已说明的原文问题")
    print(summary, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
