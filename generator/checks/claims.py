"""Prose against tables: the figures a narrative states, compared with the cells that hold them.

The phrasings are data (formats/claims.yaml, see there how a narrative is read). A claim whose
figure differs from its cells is the warning narrative/claim, at the sentence's line and column;
its cell is narrative.<claim id>.<n>, so an editor acknowledges it in known_issues like any rule.
A claim about a blank cell is not assessed, unless the known cells already exceed the figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from ..diagnostics import Diagnostic, diag
from ..formats import per_format
from ..formats.claims import CLAIMS, ClaimSpec
from ..model import Report
from ..model.report import Number
from .context import Context
from ..source.positioned import Pos
from .numerals import NUMBER, parse_number

SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]*")
CLAUSE = re.compile(r"[^，；：,;:]+")
_UNITS = sorted(CLAIMS.count_units + tuple(CLAIMS.money_units), key=len, reverse=True)
FIGURE = re.compile(rf"(?<![0-9０-９.．])(?P<number>{NUMBER})\s*(?P<unit>{'|'.join(map(re.escape, _UNITS))})")
UNIT_CHAR = re.compile(f"[{''.join(sorted({u[-1] for u in _UNITS}))}]")  # a cheap test before FIGURE's
YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
SHOWN = 36  # characters of a sentence quoted in a message
# every statement of nothing, and every lead, of any claim: most sentences and figures fail these at once
ANY_NONE = re.compile("|".join(p.pattern for s in CLAIMS.claims for p in s.none))
ANY_LEAD = re.compile("|".join(f"(?:{p.lead.pattern})" for s in CLAIMS.claims for p in s.phrases))


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int  # in the file
    col: int  # 1-based, in characters


@dataclass(frozen=True)
class Claim:
    spec: ClaimSpec
    sentence: Sentence
    stated: int | Decimal  # the figure (0 for a statement of nothing)
    unit: str
    text: str  # the words that make the claim, as written
    n: int = 0  # the spec's n-th claim in the narrative

    @property
    def cell(self) -> str:
        return f"narrative.{self.spec.id}.{self.n}"


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    values: list[Number | None]  # each cell's value (None: blank)
    status: str  # agrees | differs | blank

    @property
    def actual(self):
        return sum(v for v in self.values if v is not None)


def sentences(report: Report, line_filter=None) -> Iterator[Sentence]:
    """The narrative's sentences, with where each starts in the file; headings are skipped, and lines
    `line_filter` refuses."""
    for number, line in enumerate(report.narrative.splitlines(), start=report.narrative_line):
        if line.lstrip().startswith("#") or (line_filter and not line_filter(line)):
            continue
        for match in SENTENCE.finditer(line):
            text = match.group(0)
            if text.strip():
                lead = len(text) - len(text.lstrip())
                yield Sentence(text.strip(), number, match.start() + lead + 1)


def find(report: Report) -> list[Claim]:
    """Every claim of the narrative that the report's format can answer, in order."""
    if report.format is None:
        return []
    found, counts = [], {}
    specs = [s for s, rows in _specs(report.format) if all(report.row(*row) is not None for row in rows)]
    for sentence in sentences(report, _may_claim):
        about = [s for s in specs if not (s.sentence_has or s.sentence_lacks) or _about(s, sentence.text)]
        for claim in _in_sentence(report, about, sentence):
            counts[claim.spec.id] = counts.get(claim.spec.id, 0) + 1
            found.append(Claim(claim.spec, claim.sentence, claim.stated, claim.unit, claim.text,
                               counts[claim.spec.id]))
    return found


def _may_claim(text: str) -> bool:
    """Most lines and sentences hold no figure and no statement of nothing: they are passed over."""
    return bool((UNIT_CHAR.search(text) and FIGURE.search(text)) or ANY_NONE.search(text))


@per_format
def _specs(fmt) -> list[tuple[ClaimSpec, set]]:
    """The claims the format has every cell of, each with the optional rows (printed by some reports
    only) it needs."""
    out = []
    for spec in CLAIMS.claims:
        rows = [(t, r) for t, r, c in spec.cells]
        tables = [fmt.table(t) for t, _ in rows]
        if all(table and table.row(r) and table.block_of(r).column_indexes.get(c) is not None
               for table, (t, r, c) in zip(tables, spec.cells)):
            out.append((spec, {(t, r) for table, (t, r) in zip(tables, rows) if table.row(r).optional}))
    return out


def _about(spec: ClaimSpec, sentence: str) -> bool:
    return all(w in sentence for w in spec.sentence_has) and not any(w in sentence for w in spec.sentence_lacks)


def _in_sentence(report: Report, specs: list[ClaimSpec], sentence: Sentence) -> Iterator[Claim]:
    for clause in CLAUSE.finditer(sentence.text):
        text = clause.group(0)
        said_none = ANY_NONE.search(text) and next(
            (s for s in specs if s.none and any(p.search(text) for p in s.none)), None)
        if said_none:
            match = next(m for p in said_none.none if (m := p.search(text)))
            yield Claim(said_none, sentence, 0, "", match.group(0))
        start = 0
        for figure in FIGURE.finditer(text):
            lead, tail = text[start:figure.start()], sentence.text[clause.start() + figure.end():]
            words = text[max(start, figure.start() - 12):figure.end()]  # as written, to quote around
            start = figure.end()
            before = sentence.text[:clause.start() + figure.start()]  # 2018年，收到…: another year's figure
            if any(_year(y) != report.year for y in YEAR.findall(before)):
                continue
            claim = _figure(specs, sentence, figure, words, re.sub(r"\s+", "", lead), tail.lstrip())
            if claim:
                yield claim


def _figure(specs, sentence, figure, words: str, lead: str, tail: str) -> Claim | None:
    unit, value = figure.group("unit"), parse_number(figure.group("number"))
    if value is None or lead.endswith(CLAIMS.approximate) or tail.startswith(CLAIMS.approximate_after):
        return None
    if lead.endswith("第") or not ANY_LEAD.search(lead):
        return None  # an ordinal, or no phrase of any claim
    for spec in specs:
        if not spec.phrases or spec.money != (unit in CLAIMS.money_units):
            continue
        if spec.exclude and spec.exclude.search(lead):
            continue
        if any(_said(p, lead, tail) for p in spec.phrases):
            stated = value * CLAIMS.money_units[unit] if spec.money else value
            return Claim(spec, sentence, stated, unit, words)
    return None


def _said(phrase, lead: str, tail: str) -> bool:
    match = phrase.lead.search(lead)
    if not match or (phrase.after is not None and not phrase.after.match(tail)):
        return False
    return not lead[:match.start()].endswith(CLAIMS.approximate)  # 约予以公开250件


def _year(text: str) -> int:
    value = parse_number(text)
    return value if isinstance(value, int) else -1


def judge(report: Report, claim: Claim) -> Verdict:
    values = [report.cell(*cell).value for cell in claim.spec.cells]
    known = sum(v for v in values if v is not None)
    if claim.spec.money and None not in values:
        places = max(0, -claim.stated.as_tuple().exponent) if isinstance(claim.stated, Decimal) else 0
        agrees = round(Decimal(known), places) == Decimal(claim.stated)  # prose may round 9.63211 to 9.63
        return Verdict(claim, values, "agrees" if agrees else "differs")
    if None in values:
        return Verdict(claim, values, "differs" if known > claim.stated else "blank")
    return Verdict(claim, values, "agrees" if known == claim.stated else "differs")


def check(report: Report, context: Context) -> Iterator[Diagnostic]:
    for claim in find(report):
        verdict = judge(report, claim)
        if verdict.status == "differs":
            yield _diagnostic(report, verdict)


def _diagnostic(report: Report, verdict: Verdict) -> Diagnostic:
    claim = verdict.claim
    table = report.format.table(claim.spec.table)
    if not claim.spec.phrases:
        stated = f"称{claim.spec.label}"  # a statement that there was none
    else:
        stated = f"称{claim.spec.label} {_number(claim.stated)} {'万元' if claim.spec.money else claim.unit}"
    return diag("narrative/claim", report.path, Pos(claim.sentence.line, claim.sentence.col), claim.cell,
                sentence=shorten(claim.sentence.text, claim.text), stated=stated, table=table.number,
                cells=_cells(report, table, claim.spec, verdict.values))


def _cells(report, table, spec: ClaimSpec, values: list[Number | None]) -> str:
    """（一）予以公开(272)+（二）部分公开(3)=275; a long sum shows only its non-zero terms."""
    terms = [(_label(report, table, cell), v) for cell, v in zip(spec.cells, values)]
    shown = [t for t in terms if t[1] != 0] if len(terms) > 3 else terms
    parts = [f"{label}({'空' if v is None else _number(v)})" for label, v in shown]
    zeros = len(terms) - len(shown)
    if zeros:
        parts.append(f"其余{zeros}项(0)")
    known = sum(v for _, v in terms if v is not None)
    blank = any(v is None for _, v in terms)
    if len(terms) == 1 and not blank:
        return parts[0]
    return "+".join(parts) + (f"≥{_number(known)}" if blank else f"={_number(known)}")


def _label(report, table, cell) -> str:
    _, row_id, column_id = cell
    row, block = table.row(row_id), table.block_of(row_id)
    column = next(c for c in block.columns if c.id == column_id)
    if len(table.rows) == 1:
        return column.full_label  # 表四: 行政复议·总计
    if column.id == "total":
        return row.short if len(row.short) > 2 else row.label  # not a bare 一: 一、本年新收政府信息公开申请数量
    return f"{row.label}·{column.label}"


def _number(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def shorten(sentence: str, around: str) -> str:
    """The sentence, or SHOWN characters of it around the claim's words."""
    if len(sentence) <= SHOWN:
        return sentence
    at = max(0, sentence.find(around))
    start = max(0, min(at - (SHOWN - len(around)) // 2, len(sentence) - SHOWN))
    return ("…" if start else "") + sentence[start:start + SHOWN] + ("…" if start + SHOWN < len(sentence) else "")
