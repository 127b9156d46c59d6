"""`nianbao new`: a report file with every row of its format, cells null, labels as comments.

Also the one place that adds a report file to content/: it creates the body's folders with
placeholder `_index.yaml` files where they are missing, and never overwrites a report.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import divisions
from .formats import FORMATS, SECTIONS, Format
from .formats.spec import usual_format
from .reportfile import ReportFile, render
from .source.tree import INDEX, LEVELS, SLUG, display

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


def add_report(content: Path, body: Path, year: int, text: str,
               fill: dict[tuple[str, ...], divisions.Step] | None = None) -> tuple[Path, list[Path]]:
    """Write `<body>/<year>.md`, creating folders and their indexes; never overwrite. A folder created
    where `fill` (a suggested place, see `place`) names it gets its name, level and code, else a placeholder."""
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
            step = (fill or {}).get(folder.relative_to(Path(content).absolute()).parts)
            (folder / INDEX).write_text(_index_text(step) if step else INDEX_PLACEHOLDER, encoding="utf-8")
            created.append(folder / INDEX)
    with open(target, "x", encoding="utf-8") as out:
        out.write(text)
    return target, created


def _index_text(step: divisions.Step) -> str:
    code = f'code: "{step.code}"\n' if step.code else ""
    return f"name: {step.name}\nlevel: {step.level}\n{code}"


@dataclass
class Place:
    """Where the official divisions put a body: lines to print (zh-CN), and the folders to fill in
    when the body folder given is the one suggested."""
    lines: list[str]
    fill: dict[tuple[str, ...], divisions.Step] = field(default_factory=dict)


def place(content: Path, body: Path, name: str | None) -> Place:
    """The suggested folder path and codes for a body named `name` (else the names along `body`)."""
    content = Path(content).absolute()
    existing = _folders(content)
    try:
        parts = Path(body).absolute().relative_to(content).parts
    except ValueError:
        parts = ()
    name = name or "".join(existing.get(parts[:i], ("",))[0] for i in range(1, len(parts) + 1))
    if not name:
        return Place(["行政区划：不知道机关名称，无法建议目录和代码（可用 --name 写明，如 --name 虎林市宝东镇）"])
    try:
        found = divisions.suggest(name)
    except divisions.DivisionsMissing as exc:
        return Place([f"行政区划：{exc}"])
    where = f"（{divisions.SOURCE}，{found.year} 年的区划）"
    if not found.named:
        return Place([f"行政区划{where}：“{name}”开头不是县级以上地名，无法建议目录和代码。数据只到县级，"
                      "乡镇、街道不在其中：请写明所属的县（市、区），如 --name 某某县" + (found.rest or name)])
    if not found.candidates:
        return Place([f"行政区划{where}：“{found.named[-1]}”只见于以前的区划（已撤销或更名），未作猜测：",
                      *(f"  {d.full_name} {d.code}（{d.first}–{d.last} 年）" for d in found.former)])
    if not found.division:
        return Place([f"行政区划{where}：“{''.join(found.named)}”有 {len(found.candidates)} 处，未作猜测；"
                      "请在名称中写明上级（如“" + found.candidates[0].full_name + "”）：",
                      *(f"  {d.full_name} {d.code} → {_shown(content, _steps(d, found, existing))}"
                        for d in found.candidates)])
    steps = _steps(found.division, found, existing)
    lines = [f"行政区划{where}：建议目录 {_shown(content, steps)}"]
    width = max(len(s.slug) for s in steps)
    for s in steps:
        code = s.code or ("乡镇、街道不在数据中，无代码" if s.level == "乡镇" else "无代码")
        lines.append(f"  {s.slug:<{width}}  {s.name}  {s.level}  {code}{'（已有）' if s.exists else ''}")
    suggested = tuple(s.slug for s in steps)
    if parts == suggested:
        return Place(lines, {suggested[:i + 1]: s for i, s in enumerate(steps) if not s.exists})
    lines.append(f"  所给目录 {display(Path(body).absolute())} 与建议不同；目录名是拼音建议，多音字请核对")
    return Place(lines)


def _steps(division, found, existing) -> list[divisions.Step]:
    return divisions.folder_path(division, found.rest, found.rest_level, existing)


def _shown(content: Path, steps: list[divisions.Step]) -> str:
    return display(content.joinpath(*(s.slug for s in steps)))


def _folders(content: Path) -> dict[tuple[str, ...], tuple[str, str | None]]:
    """content's folders with their names and codes (a broken _index.yaml counts as nameless: the
    check names its fault)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if SLUG.match(d))
        slugs = Path(dirpath).relative_to(content).parts
        if not slugs:
            continue
        try:
            data = yaml.safe_load((Path(dirpath) / INDEX).read_text(encoding="utf-8")) if INDEX in filenames else {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            data = {}
        data = data if isinstance(data, dict) else {}
        found[slugs] = (str(data.get("name") or ""), str(data["code"]) if data.get("code") else None)
    return found
