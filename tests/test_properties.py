"""Property tests with strategies drawn from the format spec."""
import random
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from factory import consistent_tables, consistent_years, report_text
from generator.archive import load_archive
from generator.formats import FORMATS

CITY = "name: 某市\nlevel: 市\n"  # a city may make 规章, so random 规章 numbers are plausible


def check_files(files: dict[str, str]):
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in files.items():
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        archive = load_archive(Path(tmp) / "content")
        return [d for d in archive.diagnostics if d.severity != "acknowledged"]


def one_report(format_id, tables, year):
    return {"content/body/_index.yaml": CITY,
            f"content/body/{year}.md": report_text(format_id, year, "某市报告", tables)}


YEAR = {"2019": 2020, "2021": 2023}


@settings(max_examples=60, deadline=None)
@given(format_id=st.sampled_from(sorted(FORMATS)), seed=st.integers(0, 2**32), high=st.integers(1, 500))
def test_consistent_tables_give_no_diagnostics(format_id, seed, high):
    rng = random.Random(seed)
    last, this = consistent_years(format_id, rng, high=high)
    year = YEAR[format_id]
    files = one_report(format_id, last, year - 1) | one_report(format_id, this, year)
    assert check_files(files) == []


def _numeric_cells(fmt, tables):
    for table_id in ("applications", "appeals"):
        table = fmt.table(table_id)
        for row_id, values in tables[table_id].items():
            columns = table.block_of(row_id).columns
            for i, column in enumerate(columns):
                yield table, table.row(row_id), i, column


@settings(max_examples=150, deadline=None)
@given(format_id=st.sampled_from(sorted(FORMATS)), seed=st.integers(0, 2**32), data=st.data())
def test_changing_any_cell_of_table_3_or_4_names_its_row_and_column(format_id, seed, data):
    fmt = FORMATS[format_id]
    tables = consistent_tables(format_id, random.Random(seed))
    cells = list(_numeric_cells(fmt, tables))
    table, row, index, column = data.draw(st.sampled_from(cells))
    old = tables[table.id][row.id][index]
    new = data.draw(st.integers(0, 1000).filter(lambda v: v != old))
    tables[table.id][row.id][index] = new
    files = one_report(format_id, tables, YEAR[format_id])
    found = check_files(files)
    text = files[f"content/body/{YEAR[format_id]}.md"]
    row_line = 1 + next(i for i, l in enumerate(text.splitlines()) if l.lstrip().startswith(f"{row.id}:"))
    assert found, "a changed cell must break a rule"
    assert all(d.severity == "error" for d in found)
    assert any(d.line == row_line and column.label in d.message and row.full_label in d.message
               for d in found), [d.message for d in found]
