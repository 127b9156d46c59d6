"""Parse a report's front matter against its format spec: metadata, tables, cells.

Every structural problem (unknown or missing key, wrong type, wrong row length, a value that is
not a number of the column's kind, an unexplained blank) becomes a diagnostic at the exact line
and column. Whatever can be read is kept, so the arithmetic checks still run on the rest.
"""
from __future__ import annotations

import datetime
import difflib
import re
from decimal import Decimal
from pathlib import PurePath

from ..diagnostics import RULE_IDS, Diagnostic, diag
from ..formats import FORMATS, Column, Table, get_format
from ..source import slips
from ..source.positioned import Path as YamlPath, number_problem
from ..source.tree import SourceFile
from .fields import FIELDS, NO_FORMAT
from .report import Cell, KnownIssue, Report

CELL_PATTERN = re.compile(r"^[a-z0-9_*]+\.[a-z0-9_*]+\.[a-z0-9_*]+$")


class _Parser:
    def __init__(self, src: SourceFile):
        self.src, self.front = src, src.doc.front
        self.data: dict[str, object] = src.doc.front.data
        self.found: list[Diagnostic] = []

    def report(self, rule: str, path: YamlPath, cell: str | None = None, at_key=False, **fields):
        pos = self.front.keys.get(path) if at_key else None
        self.found.append(diag(rule, self.src.path, pos or self.front.pos(path), cell, **fields))

    def _slip(self, value, path: YamlPath, where: str, suggestion: str | None = None, cell: str | None = None) -> bool:
        """Report a full-width slip in a text that should have been a number, list or table; whether found."""
        slip = slips.find(value) if isinstance(value, str) else None
        if slip is None:
            return False
        problem = slips.message(slip, suggestion or slips.fixed(value))
        self.found.append(diag("yaml/full-width", self.src.path, self.front.char_pos(path, slip.char), cell,
                               problem=where + problem))
        return True

    def parse(self) -> Report | None:
        meta = self._metadata()
        fmt = get_format(meta.get("format", "")) if meta.get("format") != NO_FORMAT else None
        report = Report(self.src.path, self.src.folder, meta.get("year", 0), fmt, meta,
                        narrative=self.src.doc.body, narrative_line=self.src.doc.body_line,
                        key_pos=dict(self.front.keys))
        report.known_issues = self._known_issues()
        for key in self.data:
            if key in FIELDS:
                continue
            table = fmt.table(key) if fmt else None
            if table:
                report.tables[key] = self._table(table)
            else:
                self.report("meta/unknown-key", (key,), at_key=True, key=key, hint=self._key_hint(key, fmt))
        report.deduced = self._deduced(report)
        for table in fmt.tables if fmt else ():
            if table.id not in self.data:
                self.report("meta/missing-key", (), key=table.id, label=f"表{table.number} {table.title}")
        complete = all(k in meta for k in ("title", "year", "format"))
        return report if complete else None

    # -- metadata ------------------------------------------------------------------------------
    def _metadata(self) -> dict:
        meta = {}
        for key, field in FIELDS.items():
            if key not in self.data:
                if field.required:
                    self.report("meta/missing-key", (), key=key, label=field.label)
                continue
            value = self.data[key]
            if key in ("year", "published", "format") and self._slip(value, (key,), f"“{key}”："):
                continue
            problem = self._meta_problem(key, value, field)
            if problem:
                self.report("meta/type", (key,), key=key, problem=problem)
            else:
                meta[key] = str(value) if key == "format" else value
        year = meta.get("year")
        name = PurePath(self.src.path).name
        if year is not None and name != f"{year}.md":
            self.report("meta/year-mismatch", ("year",), year=year, name=name)
        return meta

    @staticmethod
    def _meta_problem(key: str, value, field) -> str | None:
        if isinstance(value, str) and key in ("year", "published"):
            if key == "published" and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
                return f"：“{value}”不是有效的日期（月份须为 1–12，日不能超过当月的天数）"
            if found := number_problem(value):
                return f"：“{_shown(value)}”{found[1]}，{field.hint}"
        if isinstance(value, datetime.datetime) and key == "published":
            return f"{field.hint}（只写日期，不写时刻）"
        if isinstance(value, bool) or not isinstance(value, field.types):
            return field.hint
        if key == "format" and str(value) not in (*FORMATS, NO_FORMAT):
            return field.hint
        if key == "year" and not 1990 <= value <= datetime.date.today().year + 1:
            return f"{value} 不是合理的报告年度"
        if key == "source" and not re.match(r"^https?://\S+$", value):
            return field.hint
        if key == "title" and not value.strip():
            return "不能为空"
        return None

    def _key_hint(self, key: str, fmt) -> str:
        if fmt is None and any(t.id == key for f in FORMATS.values() for t in f.tables):
            return "：format 为 none 的报告只有正文，不能有表格"
        known = list(FIELDS) + [t.id for t in fmt.tables] if fmt else list(FIELDS)
        close = difflib.get_close_matches(str(key), known, n=1)
        return f"，是否应为“{close[0]}”？" if close else f"，可用的键：{'、'.join(known)}"

    def _known_issues(self) -> list[KnownIssue]:
        issues, raw = [], self.data.get("known_issues")
        if not isinstance(raw, list):  # not a list: meta/type says so
            return issues
        for i, item in enumerate(raw):
            path = ("known_issues", i)
            if not isinstance(item, dict) or set(item) != {"rule", "cell", "note"}:
                self.report("known-issues/invalid", path, problem="每项须恰好包含 rule、cell、note 三个键")
            elif not isinstance(item["rule"], str):
                self.report("known-issues/invalid", path + ("rule",),
                            problem="rule 应为一条规则的 id（文字），如 arith/row-total")
            elif item["rule"] not in RULE_IDS:
                self.report("known-issues/invalid", path + ("rule",), problem=f"未知的规则“{item['rule']}”")
            elif self._slip(item["cell"], path + ("cell",), "cell ", slips.fixed(str(item["cell"])).replace(" ", "")):
                continue
            elif not isinstance(item["cell"], str) or not CELL_PATTERN.match(item["cell"]):
                self.report("known-issues/invalid", path + ("cell",),
                            problem="cell 应写作 表.行.列，如 applications.new.total（可用 * 通配）")
            elif not isinstance(item["note"], str) or not item["note"].strip():
                self.report("known-issues/invalid", path + ("note",), problem="note 须说明原文的情况")
            else:
                issues.append(KnownIssue(item["rule"], item["cell"], item["note"].strip(), self.front.pos(path)))
        return issues

    def _deduced(self, report: Report) -> dict:
        """{cell: (rule, pos)} of the cells marked as forced by the rules; each must name one cell
        with a number (the check deduced/not-forced then proves the rules force that number)."""
        out = {}
        for i, item in enumerate(self.data.get("deduced") or []):
            path = ("deduced", i)
            cell = item.get("cell") if isinstance(item, dict) else None
            parts = cell.split(".") if isinstance(cell, str) else []
            if not isinstance(item, dict) or set(item) != {"cell", "rule"}:
                self.report("deduced/invalid", path, problem="每项须恰好包含 cell、rule 两个键")
            elif item["rule"] not in RULE_IDS:
                self.report("deduced/invalid", path + ("rule",), problem=f"未知的规则“{item['rule']}”")
            elif len(parts) != 3 or report.format is None or report.cell(*parts) is None:
                self.report("deduced/invalid", path + ("cell",), problem=f"“{cell}”不是本报告的一格（应写作 表.行.列）")
            elif report.cell(*parts).value is None:
                self.report("deduced/invalid", path + ("cell",), problem=f"{cell} 为空（null），推得的格应写上推得的值")
            else:
                out[cell] = (item["rule"], self.front.pos(path))
        return out

    # -- tables --------------------------------------------------------------------------------
    def _table(self, table: Table) -> dict[str, list[Cell]]:
        raw, path = self.data[table.id], (table.id,)
        if not isinstance(raw, dict):
            if self._slip(raw, path, f"表{table.number}（{table.id}）："):
                return {}
            self.report("table/type", path, problem=f"表{table.number}（{table.id}）应为“行键: [数字, …]”的映射")
            return {}
        rows = {}
        for key in raw:
            row = table.row(key)
            if row is None:
                close = difflib.get_close_matches(str(key), [r.id for r in table.rows], n=1)
                hint = f"，是否应为“{close[0]}”？" if close else ""
                self.report("table/unknown-row", path + (key,), at_key=True, table=table.number, key=key, hint=hint)
            else:
                cells = self._row(table, row, raw[key], path + (key,))
                if cells is not None:
                    rows[key] = cells
        for row in table.rows:
            if row.id not in raw and not row.optional:
                self.report("table/missing-row", path, at_key=True, table=table.number, row=row.full_label, key=row.id)
        return rows

    def _row(self, table: Table, row, raw, path: YamlPath) -> list[Cell] | None:
        columns = table.block_of(row.id).columns
        where = f"表{table.number}“{row.full_label}”行："
        if not isinstance(raw, list):
            if self._slip(raw, path, where):
                return None
            self.report("table/type", path, problem=(
                f"表{table.number}“{row.label}”行应为方括号中的数字列表，如 [{', '.join('0' * len(columns))}]"))
            return None
        if len(raw) != len(columns):
            if any(self._slip(v, path + (i,), where, _row_text(raw)) for i, v in enumerate(raw)):
                return None  # `[0，0，0]` is one cell of text: the slip, not the length, is the problem
            self.report("table/row-length", path, table=table.number, row=row.full_label, expected=len(columns),
                        actual=len(raw), columns="、".join(c.label for c in columns))
            return None
        if all(type(v) is int and v >= 0 for v in raw):  # nearly every row: no cell to report
            position = self.front.values
            return [Cell(v, position[path + (i,)]) for i, v in enumerate(raw)]
        return [self._cell(table, row, column, value, path + (i,))
                for i, (column, value) in enumerate(zip(columns, raw))]

    def _cell(self, table: Table, row, column: Column, value, path: YamlPath) -> Cell:
        if type(value) is int and (value >= 0 or column.kind == "change"):
            return Cell(value, self.front.pos(path))
        fields = dict(table=table.number, row=row.full_label, column=column.label, value=value)
        cell_id = f"{table.id}.{row.id}.{column.id}"
        number, rule = _number(value, column.kind)
        if rule == "cell/type" and isinstance(value, str):
            where = f"表{table.number}“{row.full_label}”行“{column.label}”列："
            if self._slip(value, path, where, cell=cell_id):
                return Cell(None, self.front.pos(path))
            if found := number_problem(value):
                rule, fields["problem"], fields["value"] = found[0], found[1], _shown(value)
        if rule == "cell/null":
            self.report("cell/null", path, cell_id, table=table.number, row=row.full_label, column=column.label)
        elif rule:
            self.report(rule, path, cell_id, **fields)
        return Cell(number, self.front.pos(path))


def _number(value, kind: str):
    """(number, None) for a valid cell, else (None, the rule it breaks)."""
    if value is None:
        return None, "cell/null"
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
        return None, "cell/type"
    if kind != "money" and value != int(value):
        return None, "cell/integer"
    if kind != "change" and value < 0:
        return None, "cell/negative"
    return (value if kind == "money" else int(value)), None


def _shown(text: str) -> str:
    """A value as a message quotes it: a number of 5,000 digits is cut short."""
    return text if len(text) <= 24 else f"{text[:12]}…（共 {len(text)} 个字符）"


def _row_text(raw: list[object]) -> str:
    """The row as it was meant, slips fixed: [0, 0, 0]."""
    items = ("null" if v is None else slips.fixed(str(v)) for v in raw)
    return "[" + ", ".join(items) + "]"


def parse(src: SourceFile) -> tuple[Report | None, list[Diagnostic]]:
    parser = _Parser(src)
    report = parser.parse()
    return report, parser.found
