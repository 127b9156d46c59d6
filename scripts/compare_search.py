"""Measure search recall of indexing choices on the search test archive (prints a table).

    .venv/bin/python scripts/compare_search.py [--pagefind-16 PATH/TO/pagefind_extended]

Builds the archive of tests/search_corpus.py once per choice, runs every term of
tests/test_search.py in headless Chromium through Pagefind's own search (no query processing),
plain and quoted, and prints recall (pages found / pages containing the term) per choice.
Pagefind 1.6.0's binary comes from npm: `npm pack @pagefind/linux-x64@1.6.0`, then package/bin/.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import generator.search.index as index  # noqa: E402
import generator.search.records as records  # noqa: E402
from browser import Site  # noqa: E402
from generator.build import build  # noqa: E402
from generator import urls  # noqa: E402
from search_corpus import make_archive  # noqa: E402
from test_search import LABELS, PROSE, REAL_NAMES, search, searchable_text, synthetic_names  # noqa: E402

ICU_WORDS, PLAIN = records.segment, (lambda text: text)


def measure(work: Path, content: Path, segment, binary: Path | None) -> tuple[list, dict]:
    records.segment, records.ZWSP = segment, ("\u200b" if segment is ICU_WORDS else "")
    if binary:
        index.get_executable = lambda: binary
    out = work / "site"
    archive = build(content, out)
    site = Site(out)
    try:
        terms = REAL_NAMES + synthetic_names(archive) + LABELS + PROSE
        texts = {urls.report_url(r): searchable_text(archive, r, out) for r in archive.reports}
        queries = terms + [f'"{t}"' for t in terms]
        found = search((archive, out, site, work), queries, raw=True)
    finally:
        site.stop()
    recall = {}
    for q in queries:
        expected = {u for u, t in texts.items() if q.strip('"') in t}
        recall[q] = len(found[q] & expected) / len(expected)
    return terms, recall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pagefind-16", type=Path, help="Pagefind 1.6.0's pagefind_extended binary")
    args = parser.parse_args()
    default_binary = index.get_executable
    choices = [("1.5.2 extended (PyPI), text cut by ICU + U+200B", ICU_WORDS, None),
               ("1.5.2 extended (PyPI), text as published", PLAIN, None)]
    if args.pagefind_16:
        choices.append(("1.6.0 extended (npm), text as published", PLAIN, args.pagefind_16.resolve()))
    print("| indexing | terms | min recall | mean recall | terms < 99% | quoted: min | quoted: mean | quoted < 99% |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        content = make_archive(Path(tmp))
        for i, (name, segment, binary) in enumerate(choices):
            index.get_executable = default_binary
            work = Path(tmp) / f"choice-{i}"
            work.mkdir()
            terms, recall = measure(work, content, segment, binary)
            plain = [recall[t] for t in terms]
            quoted = [recall[f'"{t}"'] for t in terms]
            print(f"| {name} | {len(terms)} | {min(plain):.0%} | {sum(plain) / len(plain):.1%} | "
                  f"{sum(r < .99 for r in plain)} | {min(quoted):.0%} | {sum(quoted) / len(quoted):.1%} | "
                  f"{sum(r < .99 for r in quoted)} |", flush=True)


if __name__ == "__main__":
    main()
