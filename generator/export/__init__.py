"""Open data: every number of the archive as files beside the pages.

Each report's JSON and its compact values (records.values) are made with its body (see
bodywork.py); the archive-wide files are assembled by the build: `archive_files` gives the schemas
and the Atom feed; csvfile and sqlite turn the bodies' values into their rows, with the spec's
labels; `crawler_files` makes sitemap.xml and robots.txt from the finished list of pages.
"""
from __future__ import annotations

from typing import Iterator

from ..archive import Archive
from ..summaries import Summary
from . import feeds, schema

File = tuple[str, bytes, str]


def archive_files(archive: Archive, summaries: list[Summary], base_url: str) -> Iterator[File]:
    yield from schema.files()
    yield feeds.atom_file(archive, summaries, base_url)


def crawler_files(site_paths, base_url: str) -> Iterator[File]:
    yield feeds.sitemap_file(site_paths, base_url)
    yield feeds.robots_file(base_url)
