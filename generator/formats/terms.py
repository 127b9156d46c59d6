"""The 术语 entries of terms.yaml, checked against the format files' labels when loaded."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .spec import FORMATS, Format, Node

TERMS_FILE = Path(__file__).parent / "terms.yaml"
_ID = re.compile(r"[a-z][a-z0-9-]*")


class TermsError(ValueError):
    """terms.yaml is malformed or names a label no format prints: reported at import."""


@dataclass(frozen=True)
class Term:
    id: str  # the anchor on the 术语 page
    term: str
    text: str
    labels: tuple[str, ...]


def printed_labels(fmt: Format) -> set[str]:
    """Every label printed on the format's tables: rows, row groups, columns and column groups."""
    out: set[str] = set()

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            out.add(node["label"])
            walk(node.get("columns", []) + node.get("rows", []))
    for table in fmt.tables:
        for block in table.blocks:
            walk(block.column_tree)
            walk(block.row_tree)
    return out


def _fail(message: str) -> None:
    raise TermsError(f"{TERMS_FILE.name}: {message}")


def load_terms(path: Path = TERMS_FILE, formats: dict[str, Format] = FORMATS) -> tuple[Term, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or set(raw) != {"terms"} or not isinstance(raw["terms"], list):
        _fail("须有且只有 terms 一项（列表）")
    known = set().union(*(printed_labels(f) for f in formats.values()))
    terms, ids, owner = [], set(), {}
    for entry in raw["terms"]:
        if not isinstance(entry, dict) or set(entry) != {"id", "term", "text", "labels"}:
            _fail(f"{entry!r}: 须有 id、term、text、labels 四项")
        term = Term(entry["id"], entry["term"], entry["text"], tuple(entry["labels"] or ()))
        if not isinstance(term.id, str) or not _ID.fullmatch(term.id) or term.id in ids:
            _fail(f"{term.id!r}: id 须为小写字母、数字和连字符，且不重复")
        if not all(isinstance(t, str) and t.strip() for t in (term.term, term.text)):
            _fail(f"{term.id}: term 和 text 须为非空文字")
        for label in term.labels:
            if label not in known:
                _fail(f"{term.id}: 没有哪种格式印有标签“{label}”")
            if label in owner:
                _fail(f"{term.id}: 标签“{label}”已属于 {owner[label]}")
            owner[label] = term.id
        ids.add(term.id)
        terms.append(term)
    return tuple(terms)


TERMS: tuple[Term, ...] = load_terms()
BY_LABEL: dict[str, Term] = {label: t for t in TERMS for label in t.labels}
BY_ID: dict[str, Term] = {t.id: t for t in TERMS}
