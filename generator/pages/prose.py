"""What the report page says about the narrative's checks: the sentences whose figures disagree with
the tables are highlighted (<mark id="claim-N">) and the quality panel links to them."""
from __future__ import annotations

import re

from ..checks.claims import sentences
from ..diagnostics import Diagnostic
from ..model import Report
from ..render.marks import Mark
from ..render.markdown import render_markdown

CLAIM_RULE = "narrative/claim"


def narrative(report: Report, found: list[Diagnostic]) -> tuple[str, dict[Diagnostic, str]]:
    """The narrative's HTML, and the id of the highlighted sentence of each claim diagnostic."""
    claims = [d for d in found if d.rule == CLAIM_RULE]
    if not claims:
        return render_markdown(report.narrative), {}
    at = {(s.line, s.col): s for s in sentences(report)}
    marks: dict[tuple, Mark] = {}
    ids: dict[Diagnostic, str] = {}
    for d in claims:
        sentence = at.get((d.line, d.col))
        if sentence is None:
            continue
        mark = marks.get((d.line, d.col))
        if mark is None:
            css = "claim" + (" claim-acknowledged" if d.severity == "acknowledged" else "")
            mark = marks[(d.line, d.col)] = Mark(sentence.text, f"claim-{len(marks) + 1}", css, "")
        mark.title = "；".join(filter(None, [mark.title, d.message]))
        ids[d] = mark.id
    html = render_markdown(report.narrative, marks=list(marks.values()))
    missing = [m for m in marks.values() if f'id="{m.id}"' not in html]
    if missing:  # a sentence that crosses markup (**bold**): mark its longest run of plain words instead
        for mark in missing:
            mark.text = max(re.split(r"[*_`\[\]<>!\\&]+", mark.text), key=len).strip()
        html = render_markdown(report.narrative, marks=[m for m in marks.values() if m.text])
    found_ids = {m.id for m in marks.values() if f'id="{m.id}"' in html}
    return html, {d: i for d, i in ids.items() if i in found_ids}

