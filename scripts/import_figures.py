"""Print how many of each document's printed numbers land in their cells (issue 13's figures).

Usage: python scripts/import_figures.py [DOCUMENT…]  (default: tests/fixtures/import/documents/*)
Each document has `<name>.expected.json` (tests/make_import_fixtures.py): every cell as printed,
null where the original prints a blank. A number "lands" when the imported cell holds exactly it;
"read" counts numbers taken from the document, "deduced" printed numbers the importer did not read
but filled as the only value the rules allow (marked `deduced`); a printed blank may be deduced too.
Run from another checkout to measure its importer (older ones read UTF-8 text only): before/after.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path.cwd()))  # the importer of the checkout run from (compare versions)

from generator import importers  # noqa: E402


def imported(path: Path) -> tuple[dict, set]:
    """(tables, names of deduced cells)."""
    if hasattr(importers, "import_file"):
        report = importers.import_file(path).report
        return report.tables, {d["cell"] for d in report.deduced}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}, set()  # refused: "须为 UTF-8 纯文本"
    return importers.import_text(text, path.name).report.tables, set()


def figures(path: Path) -> tuple[int, ...]:
    """printed, landed by reading, landed by deduction, wrong, printed blank, blanks deduced."""
    want = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    try:
        got, deduced = imported(path)
    except Exception:  # noqa: BLE001 - an old importer failing on a document counts as nothing read
        got, deduced = {}, set()
    from generator.formats import get_format
    fmt = get_format(want["format"])
    printed = read = by_rule = blanks = filled = wrong = 0
    for table, rows in want["tables"].items():
        for row, values in rows.items():
            cells = got.get(table, {}).get(row) or [None] * len(values)
            columns = fmt.table(table).block_of(row).columns
            for column, value, cell in zip(columns, values, cells):
                marked = f"{table}.{row}.{column.id}" in deduced
                if value is None:
                    blanks += 1
                    filled += cell is not None and marked
                    continue
                printed += 1
                if cell is not None and Decimal(str(cell)) == Decimal(value):
                    by_rule += marked
                    read += not marked
                elif cell is not None:
                    wrong += 1
    return printed, read, by_rule, wrong, blanks, filled


def main(argv: list[str]) -> None:
    docs = [Path(a) for a in argv] or sorted(p for p in (ROOT / "tests/fixtures/import/documents").iterdir()
                                            if not p.name.endswith(".json"))
    print(f"{'document':38} {'printed':>7} {'read':>6} {'deduced':>7} {'wrong':>5} {'blank':>5} {'blank-deduced':>13}")
    for doc in docs:
        printed, read, by_rule, wrong, blanks, filled = figures(doc)
        print(f"{doc.name:38} {printed:7} {read:6} {by_rule:7} {wrong:5} {blanks:5} {filled:13}")


if __name__ == "__main__":
    main(sys.argv[1:])
