"""How many figures the prose-claim patterns (generator/formats/claims.yaml) find in an archive, and how
many agree with the tables, differ, or cannot be assessed (a blank cell).

    .venv/bin/python scripts/count_claims.py [content] [-v]
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.archive import load_archive  # noqa: E402
from generator.checks import claims  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    root = Path(next((a for a in argv if not a.startswith("-")), "content"))
    archive = load_archive(root)
    statuses, kinds = Counter(), Counter()
    for report in archive.reports:
        acknowledged = {d.cell for d in archive.diagnostics_for(report) if d.severity == "acknowledged"}
        for claim in claims.find(report):
            status = claims.judge(report, claim).status
            if status == "differs" and claim.cell in acknowledged:
                status = "differs (acknowledged)"
            statuses[status] += 1
            kinds[claim.spec.id] += 1
            if verbose:
                print(f"{report.path}:{claim.sentence.line}:{claim.sentence.col}: {claim.spec.id} "
                      f"{claim.stated} → {status}  «{claims.shorten(claim.sentence.text, claim.text)}»")
    print(f"{len(archive.reports)} reports, {sum(statuses.values())} claims: "
          + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("by pattern: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
