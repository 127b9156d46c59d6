"""Split a report file into its YAML front matter and its markdown narrative."""
from __future__ import annotations

from dataclasses import dataclass

from .positioned import Pos, Positioned, YamlError, load, slip_error

FENCE = "---"


class FrontMatterError(YamlError):
    pass


@dataclass
class Document:
    front: Positioned
    body: str
    body_line: int  # file line on which the narrative starts


def split(text: str) -> Document:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").strip() != FENCE:
        raise FrontMatterError("文件须以单独一行 --- 开头，其后是 YAML 前言，再以 --- 结束",
                               Pos(1, 1), "file/front-matter")
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in (FENCE, "..."):
            front = load("".join(lines[1:i]), first_line=2)
            if not isinstance(front.data, dict):
                slip_error(front.text, 1)  # `title：…` makes the whole front matter one text
                raise FrontMatterError("YAML 前言必须是“键: 值”的映射", Pos(2, 1), "yaml/type")
            return Document(front, "".join(lines[i + 1:]), i + 2)
    raise FrontMatterError("YAML 前言没有结束：缺少单独一行的 ---", Pos(1, 1), "file/front-matter")
