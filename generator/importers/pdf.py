"""A PDF → the importer's text, from the page geometry (pdfplumber).

Ruled tables are found from their lines and read cell by cell (merged cells are blank after their
first position, a label printed one character per line is one label); other text is read line by
line, runs of words far apart becoming TAB-separated cells. Tables and text are put back in reading
order, page after page, so a table that breaks across pages continues; a row cut by the page break
(label on one page, numbers on the next) is joined into one row. A PDF with no text layer (a scan)
or one that cannot be opened (encrypted) is refused with a message saying so: no OCR here.
"""
from __future__ import annotations

import logging
import re
from io import BytesIO

from .errors import DocumentError

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of no concern to an editor
_GAP = 2.5  # words further apart than this many character widths are in different cells
# "— 3 —", "- 3 -", "第 3 页", "第3页 共5页", "3 / 5", "3/5", "Page 3": a page number in a header or footer
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
                          r"|(?:page|Page)\s*\d+(?:\s*of\s*\d+)?|\d+)\s*$")
_NUMBER = re.compile(r"^[+\-−]?\d[\d,]*(\.\d+)?(万元|元)?$")


def pdf_text(data: bytes) -> str:
    import pdfplumber
    encrypted = b"/Encrypt" in data
    try:
        pdf = pdfplumber.open(BytesIO(data))
        pages = list(pdf.pages)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on bad or locked files
        if encrypted or "password" in type(exc).__name__.lower():
            raise DocumentError("是加密的 PDF，无法读取；请取得未加密的版本（或从网页另存）后再导入") from None
        raise DocumentError(f"无法打开 PDF（文件已损坏或不完整）：{type(exc).__name__}") from None
    lines: list[list[str]] = []
    try:
        with pdf:
            chars = 0
            for page in pages:
                chars += len(page.chars)
                _page(page, lines)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise DocumentError(f"无法读取 PDF 的内容（文件已损坏或不完整）：{type(exc).__name__}") from None
    if chars == 0:
        raise DocumentError("是扫描件（PDF 没有文字层），无法读取；本命令不做文字识别，请取得有文字的版本或手工录入")
    return "\n".join("\t".join(cells) for cells in lines)


def _page(page, out: list[list[str]]) -> None:
    tables = page.find_tables(_settings(page))
    items = []  # (top, kind, rows)
    for table in tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        items.append((table.bbox[1], "table", [r for r in rows if any(r)]))
    inside = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in inside)

    rest = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    for line in _text_lines(rest):
        if not _PAGE_NUMBER.match(" ".join(line[1])):  # page furniture, never a row of numbers
            items.append((line[0], "text", [line[1]]))
    first_table = True
    for _, kind, rows in sorted(items, key=lambda item: item[0]):
        for row in rows:
            if kind == "table" and first_table and out and _continues(out[-1], row):
                out[-1] = _joined(out[-1], row)  # a row cut by the page break
            else:
                out.append(row)
            first_table = False if kind == "table" else first_table


def _settings(page) -> dict:
    """The ruled-table finder's settings, with the ends of the vertical rules drawn across: a row cut
    by a page break has no border on the cut side, and would be left out of its table."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]}


def _cell(text: str | None) -> str:
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    return " ".join(parts).replace("\t", " ")


def _text_lines(page) -> list[tuple[float, list[str]]]:
    """Lines of text outside tables; words far apart split into cells."""
    out = []
    # a space the document prints stays inside a word ("2025 年"); a gap without one (cell padding) splits
    words = page.extract_words(keep_blank_chars=True, x_tolerance=1, use_text_flow=False, extra_attrs=["size"])
    for line in _group(words):
        cells, last = [], None
        for word in line:
            width = word["size"] or 10
            if last is not None and word["x0"] - last["x1"] < _GAP * width and not _alone(word) and not _alone(last):
                sep = "" if word["x0"] - last["x1"] < width * 0.3 else " "
                cells[-1] += sep + word["text"]
            else:
                cells.append(word["text"])
            last = word
        out.append((line[0]["top"], cells))
    return out


def _alone(word) -> bool:
    """A number or a dash is a cell of its own, however close it stands to its neighbours."""
    return bool(_NUMBER.match(word["text"])) or word["text"] in ("—", "——", "-", "－", "/")


def _group(words) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _continues(previous: list[str], row: list[str]) -> bool:
    """Whether a page's first table row is the rest of the last row before the break: the earlier
    part with a label and no number, the later one with numbers and no label; of the same width, the
    earlier part is also empty wherever the later has a number (a header row above a row of numbers
    has its labels there). The two pages' tables may be cut into different columns."""
    if len(row) < 2 or not any(previous) or any(_NUMBER.match(c) for c in previous if c):
        return False
    numbers = [i for i, c in enumerate(row) if _NUMBER.match(c)]
    if not numbers or any(c and not _NUMBER.match(c) for c in row):
        return False
    return len(previous) != len(row) or all(not previous[i] for i in numbers)


def _joined(previous: list[str], row: list[str]) -> list[str]:
    if len(previous) == len(row):
        return [a + b for a, b in zip(previous, row)]
    return [" ".join(c for c in previous if c), *row]  # the label, then the later part's cells in place
