"""Diagnostics as data: what is wrong, where, under which stable rule id.

Every message is made here from the catalogue (checks/rules.yaml), so the wording of a rule lives
in one place. Checks yield diagnostics and never raise on bad content.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # a Pos is only read here: diagnostics sit beneath the readers that make them
    from .source.positioned import Pos

CATALOGUE: dict[str, dict] = yaml.load((Path(__file__).parent / "checks" / "rules.yaml").read_text(encoding="utf-8"),
                                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

RULE_IDS = frozenset(CATALOGUE)

SEVERITY_WORD = {"error": "错误", "warning": "警告", "acknowledged": "原文问题"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: str
    cell: str | None = None  # "table.row.column" when the problem is one cell
    note: str | None = None  # the editor's note, once acknowledged in known_issues

    @property
    def title(self) -> str:
        return CATALOGUE[self.rule]["title"]

    def acknowledge(self, note: str) -> "Diagnostic":
        return replace(self, severity="acknowledged", note=note)


def diag(rule: str, path, pos: Pos, cell: str | None = None, **fields) -> Diagnostic:
    entry = CATALOGUE[rule]
    return Diagnostic(str(path), pos.line, pos.col, rule, entry["message"].format(**fields),
                      entry["severity"], cell)


def strict(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [replace(d, severity="error") if d.severity == "warning" else d for d in diagnostics]


def count(diagnostics, severity: str) -> int:
    return sum(d.severity == severity for d in diagnostics)


def format_text(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.col}: {SEVERITY_WORD[d.severity]}[{d.rule}] {d.message}"


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command: an annotation on the offending line."""
    level = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
    msg = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={d.path},line={d.line},col={d.col},title={d.rule}::{msg}"


def format_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) | {"title": d.title} for d in diagnostics], ensure_ascii=False, indent=1)
