"""A saved web page → the importer's text: the report's own container, tables as grids.

Portal pages wrap the report in navigation, breadcrumbs, share buttons and a footer (which often
link to 政府信息公开工作年度报告 themselves). Like a reading mode, the report is the smallest element
holding its tables and its numbered section headings; the title and the line under it (发布日期…)
are taken from just before it. Tables are read by structure: rowspan and colspan resolved into a
grid, a blank cell (&nbsp;) kept as an empty field at its position, <br> inside a cell a space.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from . import metadata
from .errors import DocumentError

_DROP = "//script|//style|//noscript|//nav|//header|//footer|//form|//select|//iframe|//object|//template"
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "main", "blockquote", "center", "pre", "tr", "td", "th", "table", "caption", "hr", "address"}
_HEADING = re.compile(r"^\s*[一二三四五六][、.．]\s*\S")
_INFO = re.compile(r"(发布|日期|时间)[:：]?\s*\d{4}\s*[-年/.]")
_MAX_SPAN = 100  # a rowspan/colspan beyond any real report table: a broken page, clamped
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_LINE_SPACE = re.compile(r"[ \n\r\f\v\u00a0\u3000]+")  # not TAB: it separates a row's cells


def html_text(text: str) -> str:
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"无法解析网页：{exc}") from None
    for el in root.xpath(_DROP):
        el.drop_tree()
    page_title = root.findtext(".//title") or ""
    root = root.find("body") if root.find("body") is not None else root
    main = _main(root)
    everything = _lines(root)
    body = _lines(main)
    if metadata.title_index(everything, len(everything)) is None:
        everything.insert(0, page_title.strip())  # no title in the page itself: the window's title
    if main is root or not body:
        return "\n".join(everything)
    before = everything[:_find(everything, body[0])]
    head = []
    title = metadata.title_index(before, len(before))
    if title is not None and metadata.title_index(body, 5) is None:
        head = [before[title], *[line for line in before[title + 1:] if _INFO.search(line)]]
    return "\n".join(head + body)


def _find(lines: list[str], first: str) -> int:
    return next((i for i, line in enumerate(lines) if line == first), len(lines))


def _main(root):
    """The smallest element holding every data table and every numbered section heading."""
    marks = [t for t in root.iter("table") if not t.xpath(".//table") and re.search(r"\d", t.text_content())]
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "strong", "b", "span", "font"):
        text = el.text_content()
        if len(text) <= 40 and _HEADING.match(text) and not el.xpath("ancestor::a|ancestor::table"):
            marks.append(el)
    if not marks:
        return root
    paths = [list(el.iterancestors())[::-1] + [el] for el in marks]
    common = root
    for level in zip(*paths):
        if any(el is not level[0] for el in level):
            break
        common = level[0]
    return common


def _lines(el) -> list[str]:
    out = [""]
    _walk(el, out)
    lines = (_LINE_SPACE.sub(" ", line).strip(" ") for line in out)
    return [line for line in lines if line.strip()]


def _walk(el, out: list[str]) -> None:
    if not isinstance(el.tag, str):  # a comment or processing instruction
        out[-1] += el.tail or ""
        return
    tag = el.tag.lower()
    if tag == "table" and not el.xpath(".//table"):
        out += ["\t".join(row) for row in grid(el) if any(row)]
        out.append(el.tail or "")
        return
    if tag == "br":
        out.append(el.tail or "")
        return
    block = tag in _BLOCK
    if block:
        out.append("")
    out[-1] += el.text or ""
    for child in el:
        _walk(child, out)
    if block:
        out.append("")
    out[-1] += el.tail or ""


def grid(table) -> list[list[str]]:
    """The table's rows with merged cells resolved: text in a merged cell's first position."""
    placed: dict[tuple[int, int], str] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in placed:
                c += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    placed[(r + dr, c + dc)] = _cell_text(cell) if (dr, dc) == (0, 0) else ""
            c += colspan
    if not placed:
        return []
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(digits.group(1)), _MAX_SPAN)) if digits else 1


def _cell_text(cell) -> str:
    parts = [""]
    _walk(cell, parts)
    text = " ".join(_SPACE.sub(" ", p).strip() for p in parts)
    return _SPACE.sub(" ", text).strip().replace("|", "｜")
