"""The real reports: content/ passes the check, and in a frozen copy of them (tests/fixtures/seeds/content)
every report is as transcribed and no single changed number goes unnoticed.

The live content/ grows as editors add reports, so the only thing a test asks of it is that it passes."""
import re
import shutil

import pytest

from conftest import ROOT, SEED_CONTENT
from generator.archive import load_archive


@pytest.fixture(scope="module")
def archive():
    return load_archive(SEED_CONTENT)


def test_the_live_archive_passes_the_check(cli):
    code, _, err = cli("check", "--content", "content", cwd=ROOT)
    assert code == 0, err


def test_the_seeds_have_no_errors_or_warnings(archive):
    assert len(archive.reports) == 5
    assert [d for d in archive.diagnostics if d.severity in ("error", "warning")] == []


def test_seed_formats_come_from_the_labels_not_the_year(archive):
    formats = {(r.folder[-1], r.year): r.format.id for r in archive.reports}
    assert formats == {("xiaochengzi", 2020): "2019", ("xiaochengzi", 2025): "2021", ("dazhai", 2025): "2021",
                       ("xiaodian", 2023): "2021", ("baodong", 2024): "2021"}


def _numbers(archive):
    for report in archive.reports:
        for table_id in ("applications", "appeals"):
            table = report.format.table(table_id)
            for row_id, cells in report.tables[table_id].items():
                for cell in cells:
                    if cell.value is not None:
                        yield report, table.row(row_id), cell


def test_changing_any_number_of_table_3_or_4_in_any_seed_fails_the_check(tmp_path, monkeypatch):
    work = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, work)
    monkeypatch.chdir(tmp_path)
    tried = 0
    for report, row, cell in _numbers(load_archive(work)):  # paths as shown from tmp_path: content/…
        path = tmp_path / report.path
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        line, col = lines[cell.pos.line - 1], cell.pos.col - 1
        number = re.match(r"\d+", line[col:]).group(0)
        lines[cell.pos.line - 1] = line[:col] + str(int(number) + 1) + line[col + len(number):]
        path.write_text("".join(lines), encoding="utf-8")
        errors = [d for d in load_archive(work).errors if d.path == report.path]
        path.write_text(original, encoding="utf-8")
        names_row = [d for d in errors if row.full_label in d.message or f"{row.short}(" in d.message]
        assert names_row, f"{report.path}:{cell.pos.line} {row.id} +1 went unnoticed: {errors}"
        tried += 1
    assert tried > 500
