"""The report page's summary (要点), the rates beside the spec, the 术语 page and the reading order.

Every report's summary is checked against its own JSON, figure by figure and rate by rate, with the
sums worked out here from the JSON's rows and columns (the definitions are read from rates.yaml and
the format files, the arithmetic and the handling of blanks are this test's own).
"""
import json
import random
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, ROOT
from factory import consistent_tables
from generator.build import build
from generator.formats import FORMATS, SECTIONS
from generator.formats.rates import RATES_FILE, RatesError, load_rates
from generator.formats.terms import BY_LABEL, TERMS, TERMS_FILE, TermsError, load_terms
from generator.model import Report
from generator.model.report import Cell
from generator import urls
from generator.points import summary

RATES_RAW = yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["content", "valid"])
def site(request, tmp_path_factory):
    content = ROOT / "content" if request.param == "content" else FIXTURES / "valid" / "content"
    out = tmp_path_factory.mktemp("summary") / "site"
    archive = build(content, out, search=False)
    assert not archive.errors
    return archive, out


def figure_cells(format_id: str) -> dict[str, list[tuple[str, str, str]]]:
    """Each figure's cells, read from the definitions: the format's key figures and rates.yaml's."""
    raw = yaml.safe_load((ROOT / "generator" / "formats" / f"f{format_id}.yaml").read_text(encoding="utf-8"))
    out = {k["id"]: [tuple(p.split(".")) for p in k["sum"]] for k in raw["key_figures"]}
    for figure_id, f in RATES_RAW["figures"].items():
        out[figure_id] = [(f["table"], r, c) for r in f["rows"] for c in f["columns"]]
    return out


def expected(data: dict) -> tuple[dict, dict]:
    """(figure id -> value or None, rate id -> (value or None, blank cells)) from a report's JSON."""
    cells = figure_cells(data["format"]["id"])

    def value(path):
        table, row, column = path
        return data["tables"][table]["rows"].get(row, {"cells": {}})["cells"].get(column)

    figures = {}
    for figure_id, paths in cells.items():
        values = [value(p) for p in paths]
        figures[figure_id] = None if None in values else sum(values)
    rates = {}
    for rate in RATES_RAW["rates"]:
        top = [p for i in rate["numerator"] for p in cells[i]]
        bottom = [p for i in rate["denominator"] for p in cells[i]]
        blank = {p for p in top + bottom if value(p) is None}
        if blank:
            rates[rate["id"]] = (None, len(blank))
        else:
            n, d = sum(value(p) for p in top), sum(value(p) for p in bottom)
            rates[rate["id"]] = (None if d == 0 else Decimal(n) / Decimal(d), 0)
    return figures, rates


class DataValues(HTMLParser):
    """The <data> elements of the summary: figure and rate values, and the text of each."""

    def __init__(self):
        super().__init__()
        self.figures, self.rates, self.texts, self._open = {}, {}, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "data":
            key = ("figure", a["data-figure"]) if "data-figure" in a else ("rate", a["data-rate"])
            (self.figures if key[0] == "figure" else self.rates)[key[1]] = a["value"]
            self._open, self.texts[key] = key, ""

    def handle_endtag(self, tag):
        if tag == "data":
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open] += data


def summary_html(page: str) -> str:
    return re.search(r'<section class="summary".*?</section>', page, re.S).group(0)


def test_every_reports_summary_agrees_with_its_json(site):
    archive, out = site
    checked = 0
    for report in archive.reports:
        page = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
        data = json.loads((out / urls.output_path(urls.report_json_url(report))).read_text(encoding="utf-8"),
                          parse_float=Decimal)
        if report.format is None:
            assert 'class="summary"' not in page
            continue
        figures, rates = expected(data)
        found = DataValues()
        found.feed(summary_html(page))
        for figure_id, text in found.figures.items():
            want = figures[figure_id]
            assert text == ("" if want is None else str(want)), (report.path, figure_id)
        for rate_id, (want, blanks) in rates.items():
            got = found.rates[rate_id]
            if want is None:
                assert got == "", (report.path, rate_id)
                reason = found.texts[("rate", rate_id)]
                assert (f"原文缺失 {blanks} 格" in reason) if blanks else ("为 0" in reason), (report.path, reason)
            else:
                assert abs(Decimal(got) - want) < Decimal("0.000001"), (report.path, rate_id)
        checked += 1
    assert checked >= 2


def test_the_summary_names_the_outcomes_and_shows_each_rates_formula(site):
    archive, out = site
    report = next(r for r in archive.reports if r.format is not None)
    html = summary_html((out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8"))
    for word in ("新收", "自然人", "法人或其他组织", "办结", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
                 "其他处理", "结转", "行政复议", "行政诉讼", "纠正"):
        assert word in html, word
    for rate in RATES_RAW["rates"]:
        assert rate["label"] in html
        assert re.search(rf'<tr id="rate-{rate["id"]}">.*?<details><summary>[^<]*÷', html, re.S), rate["id"]


def _draw_report(format_id: str, seed: int, blanks: list[int]) -> tuple[Report, dict]:
    fmt = FORMATS[format_id]
    tables = consistent_tables(format_id, random.Random(seed))
    flat = [(t, r, i) for t, rows in tables.items() for r, vs in rows.items() for i in range(len(vs))]
    for pick in blanks:
        t, r, i = flat[pick % len(flat)]
        tables[t][r][i] = None
    cells = {t: {r: [Cell(v, None) for v in vs] for r, vs in rows.items()} for t, rows in tables.items()}
    report = Report("x/2024.md", ("x",), 2024, fmt, {"title": "x"}, cells)
    as_json = {"format": {"id": format_id}, "tables": {
        t: {"rows": {r: {"cells": {fmt.table(t).block_of(r).columns[i].id: v for i, v in enumerate(vs)}}
                     for r, vs in rows.items()}} for t, rows in tables.items()}}
    return report, as_json


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.integers(0, 10_000), st.lists(st.integers(0, 10_000), max_size=6))
def test_summary_of_any_report_equals_the_sums_of_its_cells(format_id, seed, blanks):
    """Property: for consistent tables with any cells blanked, every figure and rate equals the
    independent computation, and a rate with blanks says how many distinct cells are missing."""
    report, as_json = _draw_report(format_id, seed, blanks)
    figures, rates = expected(as_json)
    s = summary(report)
    for figure_id, want in figures.items():
        assert s[figure_id].value == want, figure_id
    for r in s.rates:
        want, missing = rates[r.rate.id]
        if want is None:
            assert r.value is None and r.reason
            assert (f"原文缺失 {missing} 格" in r.reason) if missing else ("为 0" in r.reason)
        else:
            assert r.reason is None and abs(Decimal(str(r.value)) - want) < Decimal("0.000001")


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["figures"]["handled"].update(rows=["no_such_row"]), "no_such_row"),
    (lambda raw: raw["figures"]["handled"].update(columns=["no_such_column"]), "no_such_column"),
    (lambda raw: raw["figures"]["handled"].update(rows=["withheld"]), "withheld"),  # optional subtotal
    (lambda raw: raw["rates"][0].update(numerator=["no_such_figure"]), "no_such_figure"),
    (lambda raw: raw["rates"].append(dict(raw["rates"][0])), "重复"),
    (lambda raw: raw["rates"][0].pop("meaning"), "meaning"),
    (lambda raw: raw["figures"].update(new={"label": "x", "table": "applications", "rows": ["new"],
                                            "columns": ["total"]}), "key_figures"),
])
def test_a_broken_rates_file_is_refused_when_loaded(tmp_path, change, message):
    raw = yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "rates.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RatesError, match=message) as error:
        load_rates(path)
    assert str(error.value).startswith("rates.yaml: ")


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["terms"][0]["labels"].append("没有这个标签"), "没有这个标签"),
    (lambda raw: raw["terms"][1]["labels"].append(raw["terms"][0]["labels"][0]), "已属于"),
    (lambda raw: raw["terms"].append(dict(raw["terms"][0], labels=[])), "不重复"),
    (lambda raw: raw["terms"][0].update(id="Bad Id"), "不重复"),
    (lambda raw: raw["terms"][0].update(text=""), "非空"),
])
def test_a_broken_terms_file_is_refused_when_loaded(tmp_path, change, message):
    raw = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "terms.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TermsError, match=message):
        load_terms(path)


def test_the_glossary_explains_the_terms_the_issue_names_and_every_rate(site):
    _, out = site
    page = (out / urls.output_path(urls.GLOSSARY)).read_text(encoding="utf-8")
    for word in ("不予公开", "无法提供", "不予处理", "结转", "上年结转", "行政复议", "行政诉讼", "纠正", "自然人", "法人",
                 "—", "据勾稽关系推得"):
        assert word in page, word
    for term in TERMS:
        assert f'<dt id="{term.id}">' in page
    for rate in RATES_RAW["rates"]:
        assert f'id="rate-{rate["id"]}"' in page and rate["meaning"] in page


def test_every_explained_label_in_a_table_links_to_its_term(site):
    archive, out = site
    glossary = (out / urls.output_path(urls.GLOSSARY)).read_text(encoding="utf-8")
    report = next(r for r in archive.reports if r.format is not None)
    page = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
    headers = re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
    linked = 0
    for inner in headers:
        text = re.sub(r"<a class=\"cite\".*?</a>", "", inner)
        plain = re.sub(r"<[^>]+>", "", text).strip()
        if plain in BY_LABEL:
            term = BY_LABEL[plain]
            assert f'<a class="term" href="{urls.term_url(term.id)}" title="' in text, plain
            assert f'<dt id="{term.id}">' in glossary
            linked += 1
    assert linked >= 15


class Outline(HTMLParser):
    """The order of the report page's parts: headings, the summary, and each table's section."""

    def __init__(self):
        super().__init__()
        self.parts, self._heading = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("class") in ("summary", "report-table"):
            self.parts.append(("section", a["id"]))
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag, ""]

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.parts.append(tuple(self._heading))
            self._heading = None


def test_each_table_sits_under_its_own_section_heading_and_the_summary_comes_first(site):
    archive, out = site
    table_numerals = [s.numeral for s in SECTIONS if s.table]
    for report in archive.reports:
        if report.format is None:
            continue
        outline = Outline()
        outline.feed((out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8"))
        parts = outline.parts
        sections = [p for p in parts if p[0] == "section"]
        assert sections[0] == ("section", "summary"), report.path
        headings = [p[1].strip() for p in parts if p[0] == "h2"]
        for numeral in table_numerals:
            table = next(t for t in report.format.tables if t.number == numeral)
            at = parts.index(("section", f"t-{table.id}"))
            heading = parts[at - 1]
            if any(h.startswith(numeral + "、") for h in headings):
                # right after the narrative's own heading of that section (or its prose's subheadings)
                before = [p for p in parts[:at] if p[0] == "h2"][-1]
                assert before[1].strip().startswith(numeral + "、"), (report.path, numeral, heading)
            # the section heading is printed once, not again as an empty heading
            assert sum(h.startswith(numeral + "、") for h in headings) == 1, (report.path, headings)
