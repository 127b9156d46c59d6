"""Open data: every number of the archive as files beside the pages.

Each report's JSON and its compact values (records.values) are made with its body (see
bodywork.py); the archive-wide files are declared in outputs.py: schemas, the Atom feed; csvfile and
sqlite turn the bodies' values into their rows, with the spec's labels; `crawler_files` makes
sitemap.xml and robots.txt from the finished list of pages.
"""
from __future__ import annotations

from typing import Iterator

from . import feeds

File = tuple[str, bytes, str]  # site path, bytes, owner (what made it)


def crawler_files(site_paths, base_url: str, hidden: frozenset[str] = frozenset()) -> Iterator[File]:
    """`hidden`: pages kept out of the sitemap (the redirects from moved folders' old URLs)."""
    yield feeds.sitemap_file((p for p in site_paths if p not in hidden), base_url)
    yield feeds.robots_file(base_url)
