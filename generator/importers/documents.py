"""Any published document → the importer's text: what kind it is (from its bytes), its encoding.

The rest of the importer reads one form: lines of text, a table row being one line of its grid's
cells joined by TAB, an empty field for a blank cell at its position (merged cells hold their text
in their first cell). HTML, Word and PDF are turned into that form by their own module; a text
file already is it.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from .errors import DocumentError

KINDS = {"html": "网页", "pdf": "PDF", "docx": "Word", "text": "纯文本"}
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|div|p)\b", re.I)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


@dataclass
class Document:
    kind: str  # html | pdf | docx | text
    text: str
    encoding: str | None = None


def kind_of(data: bytes) -> str:
    """The document's kind from its content, whatever its name says."""
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            if "word/document.xml" in zipfile.ZipFile(BytesIO(data)).namelist():
                return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        raise DocumentError("是 ZIP 压缩文件，但不是 Word（.docx）文档")
    if _HTML.search(data[:4096]):
        return "html"
    return "text"


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding): a BOM, then UTF-8, then the declared charset, then detection (GBK, GB18030…).
    UTF-8 comes before the declaration: GBK text is almost never valid UTF-8, while GB18030 decodes
    almost any bytes, so a page that declares gb2312 but was saved as UTF-8 still reads right."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    tries = [_SUPERSETS.get(declared.lower(), declared.lower())] if declared else []
    for encoding in ["utf-8", *tries]:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes  # only for the rare undeclared non-UTF-8 file
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None:
        raise DocumentError("无法识别文字编码（不是 UTF-8、GBK、GB18030 或 Big5），请另存为 UTF-8 后再导入")
    encoding = _SUPERSETS.get(best.encoding, best.encoding)
    return data.decode(encoding, errors="replace"), encoding


def read(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise DocumentError("是目录，不是文件") from None
    except OSError as exc:
        raise DocumentError(f"无法读取：{exc.strerror or exc}") from None
    if not data.strip():
        raise DocumentError("是空文件")
    kind = kind_of(data)
    if kind == "pdf":
        from .pdf import pdf_text
        return Document(kind, pdf_text(data))
    if kind == "docx":
        from .docx import docx_text
        return Document(kind, docx_text(data))
    declared = _DECLARED.search(data[:4096])
    text, encoding = decode(data, declared.group(1).decode("ascii") if declared else None)
    if kind == "html":
        from .html import html_text
        return Document(kind, html_text(text), encoding)
    return Document(kind, text, encoding)
