"""Every per-report check has one signature and is listed in checks/run.py: a new one plugs in there."""
from conftest import FIXTURES
from generator.archive import load_archive
from generator.checks import run
from generator.diagnostics import diag
from generator.source.positioned import Pos


def test_a_check_added_to_the_list_runs_on_every_report_with_its_context(monkeypatch):
    seen = []

    def extra(report, context):
        seen.append((report.path, context.last_year.year if context.last_year else None, context.level))
        yield diag("narrative/raw-html", report.path, Pos(1, 1), tag="<extra>")

    monkeypatch.setattr(run, "CHECKS", run.CHECKS + (extra,))
    archive = load_archive(FIXTURES / "valid" / "content")
    assert len(seen) == len(archive.reports) >= 5
    assert ("tests/fixtures/valid/content/sample-province/sample-city/2021.md", 2020, "市") in seen
    assert sum(d.message.endswith("<extra>") or "<extra>" in d.message for d in archive.diagnostics) == len(seen)
