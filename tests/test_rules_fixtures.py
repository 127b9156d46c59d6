"""One bad archive per rule (tests/fixtures/bad/<rule id>/): exactly that rule fires, where expected."""
import yaml
import pytest

from conftest import FIXTURES
from generator.archive import load_archive
from generator.diagnostics import CATALOGUE

BAD = FIXTURES / "bad"
CASES = sorted(str(p.parent.relative_to(BAD)) for p in BAD.rglob("expect.yaml"))


def test_every_rule_in_the_catalogue_has_a_bad_fixture():
    assert sorted(CATALOGUE) == CASES


@pytest.mark.parametrize("rule", CASES)
def test_exactly_the_named_rule_fires_at_the_expected_line(rule, monkeypatch):
    case = BAD / rule
    expect = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(case)
    found = [d for d in load_archive(case / "content").diagnostics if d.severity != "acknowledged"]
    mine = [d for d in found if d.rule == rule]
    assert mine, f"{rule} did not fire: {found}"
    assert {(d.path, d.line) for d in mine} == {(expect["path"], line) for line in expect["lines"]}
    assert {d.rule for d in found} - {rule} == set(expect.get("also", []))
    assert all(d.severity == CATALOGUE[rule]["severity"] for d in mine)


def test_valid_fixture_archive_is_clean(monkeypatch):
    root = FIXTURES / "valid"
    monkeypatch.chdir(root)
    archive = load_archive(root / "content")
    assert [d for d in archive.diagnostics if d.severity != "acknowledged"] == []
    assert {(r.folder, r.year) for r in archive.reports} == {
        (("sample-province", "sample-city"), 2020), (("sample-province", "sample-city"), 2021),
        (("sample-province", "sample-city", "jia-town"), 2022),
        (("sample-province", "sample-city", "jia-town"), 2023), (("old-body",), 2015)}
    acknowledged = [(d.rule, d.cell) for d in archive.diagnostics if d.severity == "acknowledged"]
    assert sorted(acknowledged) == [("arith/outcome-total", "applications.outcome_total.total"),
                                    ("arith/row-total", "applications.disclosed.total")]


def test_cross_year_rules_hold_in_the_valid_pair_and_fire_when_broken(monkeypatch, archive_copy):
    work = archive_copy(FIXTURES / "valid")
    monkeypatch.chdir(work)
    path = work / "content/sample-province/sample-city/jia-town/2022.md"
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.lstrip().startswith("carried_forward:"))
    values = line.split("[")[1].rstrip("]").split(", ")
    values[0], values[6] = str(int(values[0]) + 1), str(int(values[6]) + 1)
    # keep 2022 consistent in itself: one more carried forward, one more received
    new_line = next(l for l in text.splitlines() if l.lstrip().startswith("new:"))
    new_values = new_line.split("[")[1].rstrip("]").split(", ")
    new_values[0], new_values[6] = str(int(new_values[0]) + 1), str(int(new_values[6]) + 1)
    text = text.replace(line, line.split("[")[0] + "[" + ", ".join(values) + "]")
    text = text.replace(new_line, new_line.split("[")[0] + "[" + ", ".join(new_values) + "]")
    path.write_text(text, encoding="utf-8")
    found = [d for d in load_archive(work / "content").diagnostics if d.severity != "acknowledged"]
    assert {(d.rule, d.path.rsplit("/", 1)[1], d.cell) for d in found} == {
        ("cross/carry-over", "2023.md", "applications.carried_over.natural"),
        ("cross/carry-over", "2023.md", "applications.carried_over.total")}
    assert all(d.severity == "warning" for d in found)
