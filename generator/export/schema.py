"""The JSON Schema of a report's JSON, one per format, generated from the format spec.

Strict on purpose: exact table, row and column ids, labels as constants, values of the column's
kind (count: integer ≥ 0, change: integer, money: number ≥ 0) or null. report_json.py writes the
shape described here; the tests validate every exported file against it.
"""
from __future__ import annotations

from typing import Iterator

from ..formats import FORMATS, Column, Format, Table
from ..model.fields import NO_FORMAT
from .. import urls
from ..quality import LABELS
from ..source.tree import LEVELS
from .jsonout import JSONObject, dumps
from .report_json import columns_data

DIALECT = "https://json-schema.org/draft/2020-12/schema"
STRING = {"type": "string"}
OPTIONAL_STRING = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
KIND_TYPES = {"count": {"type": ["integer", "null"], "minimum": 0},
              "change": {"type": ["integer", "null"]},
              "money": {"type": ["number", "null"], "minimum": 0}}


def files() -> Iterator[tuple[str, bytes, str]]:
    for format_id, schema in all_schemas().items():
        yield urls.output_path(urls.schema_url(format_id)), dumps(schema).encode(), f"schema {format_id}"


def all_schemas() -> dict[str, dict]:
    return {**{f.id: report_schema(f) for f in FORMATS.values()}, NO_FORMAT: report_schema(None)}


def report_schema(fmt: Format | None) -> JSONObject:
    title = (f"年报数据：{fmt.name}（{fmt.id} 年格式，{fmt.document}）" if fmt
             else "年报数据：无统一表格的报告（仅正文）")
    return {"$schema": DIALECT, "title": title, **_object({
        "id": STRING, "title": STRING, "year": {"type": "integer"},
        "published": {"type": ["string", "null"], "format": "date"},
        "url": STRING, "schema": {"const": urls.schema_url(fmt.id if fmt else NO_FORMAT)},
        "file": STRING, "source": OPTIONAL_STRING, "provenance": OPTIONAL_STRING,
        "body": _folder(), "regions": {"type": "array", "items": _folder()},
        "format": _object({"id": {"const": fmt.id}, "name": {"const": fmt.name},
                           "document": {"const": fmt.document}}) if fmt else {"type": "null"},
        "quality": _object({"status": {"enum": list(LABELS)}, "label": STRING, "warnings": COUNT,
                            "acknowledged": COUNT}),
        "diagnostics": {"type": "array", "items": _diagnostic()},
        "known_issues": {"type": "array", "items": _object({"rule": STRING, "cell": STRING, "note": STRING})},
        # cells blank in the original whose value the sum rules force (据勾稽关系推得), and the rule
        "deduced": {"type": "array", "items": _object({"cell": STRING, "rule": STRING})},
        "tables": _object({t.id: _table(t) for t in fmt.tables} if fmt else {}),
    })}


def _object(properties: JSONObject, required: list[str] | None = None) -> JSONObject:
    """A closed object: no key beyond `properties`; all required unless told otherwise."""
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(properties) if required is None else required}


def _folder() -> JSONObject:
    return _object({"id": STRING, "name": STRING, "level": {"enum": list(LEVELS)}, "code": OPTIONAL_STRING})


def _diagnostic() -> JSONObject:
    return _object({"rule": STRING, "severity": {"enum": ["warning", "acknowledged"]}, "title": STRING,
                    "message": STRING, "cell": OPTIONAL_STRING, "note": OPTIONAL_STRING,
                    "line": COUNT, "col": COUNT})


def _table(table: Table) -> JSONObject:
    rows = {row.id: _row(row, block.columns) for block in table.blocks for row in block.rows}
    required = [row.id for row in table.rows if not row.optional]
    return {"title": f"表{table.number} {table.title}", **_object({
        "number": {"const": table.number}, "title": {"const": table.title},
        "columns": {"const": columns_data(table)},
        "rows": _object(rows, required),
    })}


def _row(row, columns: tuple[Column, ...]) -> JSONObject:
    return {"title": row.full_label, **_object({
        "label": {"const": row.full_label},
        "cells": _object({c.id: _cell(c) for c in columns}),
    })}


def _cell(column: Column) -> JSONObject:
    unit = f"（{column.unit}）" if column.unit else ""
    return {"title": f"{column.full_label}{unit}", **KIND_TYPES[column.kind]}
