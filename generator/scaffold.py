"""`nianbao new`: a report file with every row of its format, cells null, labels as comments.

Also the one place that adds a report file to content/: it creates the body's folders with
placeholder `_index.yaml` files where they are missing, and never overwrites a report.
"""
from __future__ import annotations

from pathlib import Path

from .formats import FORMATS, SECTIONS, Format
from .formats.spec import usual_format
from .reportfile import ReportFile, render
from .source.tree import INDEX, LEVELS, SLUG

INDEX_PLACEHOLDER = f"""name: ""   # 请填写中文名称，如 宝清县
level: ""  # 请填写层级：{"、".join(LEVELS)}（区、县级市填“县”，街道填“乡镇”）
# code: "230523"  # 行政区划代码，只在确知时填写
"""


class ScaffoldError(Exception):
    """A report cannot be added there; the message (zh-CN) says why."""


def default_format(year: int) -> Format:
    """The format usual for the year (the newest before any national format: `new` writes tables);
    the editor confirms it from the report's own labels."""
    return usual_format(year) or max(FORMATS.values(), key=lambda f: f.id)


def scaffold(year: int, fmt: Format) -> str:
    tables = {t.id: {r.id: [None] * len(t.block_of(r.id).columns) for r in t.rows if not r.optional}
              for t in fmt.tables}
    narrative = "\n" + "\n\n".join(f"## {s.heading}" for s in SECTIONS) + "\n"
    return render(ReportFile("", year, fmt, narrative, tables=tables))


def body_folder(content: Path, body: Path) -> Path:
    """Check that `body` lies inside `content` and that every folder name is a slug."""
    content, body = Path(content).absolute(), Path(body).absolute()
    try:
        parts = body.relative_to(content).parts
    except ValueError:
        raise ScaffoldError(f"机关目录 {body} 不在内容目录 {content} 之内（可用 --content 指定内容目录）") from None
    if not parts:
        raise ScaffoldError("报告须放在机关目录中，不能直接放在内容目录下")
    bad = [p for p in parts if not SLUG.match(p)]
    if bad:
        raise ScaffoldError(f"目录名“{bad[0]}”须为小写拼音或英文字母、数字和连字符（例如 baoqing），它将成为网址")
    return body


def add_report(content: Path, body: Path, year: int, text: str) -> tuple[Path, list[Path]]:
    """Write `<body>/<year>.md`, creating folders and placeholder indexes; never overwrite."""
    body = body_folder(content, body)
    target = body / f"{year}.md"
    if target.exists():
        raise ScaffoldError(f"{target} 已存在，不会覆盖")
    created = []
    folder = Path(content).absolute()
    for part in body.relative_to(folder).parts:
        folder = folder / part
        folder.mkdir(exist_ok=True)
        if not (folder / INDEX).exists():
            (folder / INDEX).write_text(INDEX_PLACEHOLDER, encoding="utf-8")
            created.append(folder / INDEX)
    with open(target, "x", encoding="utf-8") as out:
        out.write(text)
    return target, created
