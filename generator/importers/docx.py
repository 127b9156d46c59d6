"""A Word (.docx) file → the importer's text: paragraphs and tables in document order.

Merged cells are resolved from the file's own markup: a horizontal merge (gridSpan) takes its
columns, a vertical merge (vMerge) continues the cell above; the text stands in the first cell only,
so every value keeps its column, like a web page's grid.
"""
from __future__ import annotations

from io import BytesIO

from .errors import DocumentError


def docx_text(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise DocumentError(f"无法打开 Word 文档（文件已损坏或不是 .docx）：{type(exc).__name__}") from None
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            lines += ["\t".join(row) for row in _grid(child, qn) if any(row)]
    return "\n".join(lines)


def _grid(tbl, qn) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(qn("w:tr")):
        cells, before = [], tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        cells += [""] * (int(before.get(qn("w:val"), 0)) if before is not None else 0)
        for tc in tr.iterchildren(qn("w:tc")):
            text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            text = " ".join(text.split()).replace("|", "｜")
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            if merge is not None and merge.get(qn("w:val")) != "restart":
                text = ""  # the continuation of a vertically merged cell
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            cells += [text] + [""] * (min(int(span.get(qn("w:val"), 1)), 100) - 1 if span is not None else 0)
        rows.append(cells)
    return rows
