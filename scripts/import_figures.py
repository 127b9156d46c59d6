"""Print how many of each document's printed numbers land in their cells (issue 13's figures).

Usage: python scripts/import_figures.py [DOCUMENT…]  (default: tests/fixtures/import/documents/*)
Each document has `<name>.expected.json` (tests/make_import_fixtures.py): every cell as printed,
null where the original prints a blank. A number "lands" when the imported cell holds exactly it;
a blank "is deduced" when the importer filled it with the value the rules force.
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


def imported_tables(path: Path) -> dict:
    if hasattr(importers, "import_file"):
        return importers.import_file(path).report.tables
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}  # refused: "须为 UTF-8 纯文本"
    return importers.import_text(text, path.name).report.tables


def figures(path: Path) -> tuple[int, int, int, int]:
    want = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))["tables"]
    try:
        got = imported_tables(path)
    except Exception:  # noqa: BLE001 - an old importer failing on a document counts as nothing read
        got = {}
    printed = landed = blanks = wrong = 0
    for table, rows in want.items():
        for row, values in rows.items():
            cells = got.get(table, {}).get(row) or [None] * len(values)
            for value, cell in zip(values, cells):
                if value is None:
                    blanks += 1
                    continue
                printed += 1
                if cell is not None and Decimal(str(cell)) == Decimal(value):
                    landed += 1
                elif cell is not None:
                    wrong += 1
    return printed, landed, wrong, blanks


def main(argv: list[str]) -> None:
    docs = [Path(a) for a in argv] or sorted(p for p in (ROOT / "tests/fixtures/import/documents").iterdir()
                                            if not p.name.endswith(".json"))
    print(f"{'document':40} printed  landed  wrong  printed-blank")
    for doc in docs:
        printed, landed, wrong, blanks = figures(doc)
        print(f"{doc.name:40} {printed:7} {landed:7} {wrong:6} {blanks:6}")


if __name__ == "__main__":
    main(sys.argv[1:])
