"""Checks on the markdown narrative."""
from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Diagnostic, diag
from ..model import Report
from ..source.positioned import Pos
from .context import Context

# Raw HTML is never passed through to the page; warn so the editor knows it will show as text.
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    for number, line in enumerate(report.narrative.splitlines(), start=report.narrative_line):
        match = HTML_TAG.search(line)
        if match:
            yield diag("narrative/raw-html", report.path, Pos(number, match.start() + 1), tag=match.group(0)[:40])
