"""One JSON file per report beside its page, and the index of all reports (/data/reports.json).

The shape is described exactly by schema.py; tests validate every file against it.
"""
from __future__ import annotations

from ..archive import Archive
from ..diagnostics import Diagnostic
from ..model import Report
from .. import urls
from ..quality import Quality
from ..source.tree import Folder
from ..summaries import Summary
from . import records
from .jsonout import JSONObject, Raw, dumps, encode

TABLES_DEPTH = 1  # report_data()["tables"] is one level below the top


def report_file(archive: Archive, report: Report, summary: Summary,
                values: records.Values | None = None) -> tuple[str, bytes]:
    """`values`: records.values(report), if already at hand."""
    return urls.output_path(urls.report_json_url(report)), dumps(report_data(archive, report, summary, values)).encode()


def report_data(archive: Archive, report: Report, summary: Summary,
                values: records.Values | None = None) -> JSONObject:
    found = archive.diagnostics_for(report)
    return {
        **_summary(archive, report),
        "file": f"{'/'.join(report.folder)}/{report.year}.md",
        "source": report.meta.get("source"),
        "provenance": report.meta.get("provenance"),
        "body": folder_data(archive.folders[report.folder]),
        "regions": [folder_data(f) for f in records.regions(archive, report)],
        "format": _format_data(report),
        "quality": _quality_data(summary.quality),
        "diagnostics": [diagnostic_data(d) for d in found],
        "known_issues": [{"rule": k.rule, "cell": k.cell, "note": k.note} for k in report.known_issues],
        "deduced": [{"cell": cell, "rule": rule} for cell, (rule, _) in sorted(report.deduced.items())],
        "tables": _tables_json(report, records.values(report) if values is None else values),
    }


def index_data(archive: Archive, summaries: list[Summary]) -> JSONObject:
    """`summaries`: of the archive's reports, in its order."""
    entries = [_summary(archive, s.report) | {
        "body_id": records.body_id(archive.folders[s.report.folder]),
        "body": archive.folders[s.report.folder].name,
        "region_path": records.region_path(archive, s.report),
        "format": records.format_id(s.report),
        "status": s.quality.status,
        "json": urls.report_json_url(s.report),
    } for s in summaries]
    return {"count": len(entries), "reports": entries}


def _summary(archive: Archive, report: Report) -> JSONObject:
    published = report.meta.get("published")
    return {
        "id": records.report_id(report),
        "title": report.title,
        "year": report.year,
        "published": published.isoformat() if published else None,
        "url": urls.report_url(report),
        "schema": urls.schema_url(records.format_id(report)),
    }


def folder_data(folder: Folder) -> JSONObject:
    return {"id": records.body_id(folder), "name": folder.name, "level": folder.level, "code": folder.code}


def _format_data(report: Report) -> JSONObject | None:
    fmt = report.format
    return {"id": fmt.id, "name": fmt.name, "document": fmt.document} if fmt else None


def _quality_data(q: Quality) -> JSONObject:
    return {"status": q.status, "label": q.label, "warnings": q.warnings, "acknowledged": q.acknowledged}


def diagnostic_data(d: Diagnostic) -> JSONObject:
    """A check result; line and col are in `file`. Acknowledged faults carry the editor's note."""
    return {"rule": d.rule, "severity": d.severity, "title": d.title, "message": d.message,
            "cell": d.cell, "note": d.note, "line": d.line, "col": d.col}


def tables_data(fmt, values: records.Values) -> JSONObject:
    """Every cell keyed table → row → column id, with the labels of the format; null where blank.
    `values`: records.values() of a report."""
    out: JSONObject = {}
    for table in fmt.tables if fmt else ():
        out[table.id] = {"number": table.number, "title": table.title,
                         "columns": columns_data(table), "rows": {}}
    for (table, row, columns), row_values in zip(records.rows(fmt) if fmt else (), values):
        if row_values is not None:
            out[table.id]["rows"][row.id] = {"label": row.full_label,
                                             "cells": {c.id: v for c, v in zip(columns, row_values)}}
    return out


_SLOT = "\0"  # never in a label
_skeletons: dict[tuple, list[str]] = {}


def _tables_json(report: Report, values: records.Values) -> Raw:
    """tables_data as JSON: encoded once per format and set of printed rows, then only the values
    (records.values) are filled in, as jsonout would write them."""
    key = (records.format_id(report), tuple(row is None for row in values))
    if key not in _skeletons:
        slots = tuple(None if row is None else (_SLOT,) * len(row) for row in values)
        _skeletons[key] = encode(tables_data(report.format, slots), TABLES_DEPTH).split(encode(_SLOT, 0))
    pieces = _skeletons[key]
    out = [pieces[0]]
    for value, piece in zip((v for row in values if row is not None for v in row), pieces[1:]):
        out += ("null" if value is None else records.number_text(value), piece)
    return Raw("".join(out))


def columns_data(table) -> JSONObject:
    return {c.id: {"label": c.full_label, "kind": c.kind, "unit": c.unit}
            for c in records.table_columns(table).values()}
