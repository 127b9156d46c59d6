"""Open data: every number of the archive as files beside the pages.

`files` makes the report JSON, the CSV, the schemas, the SQLite file and the Atom feed;
`crawler_files` makes sitemap.xml and robots.txt from the finished list of pages. Both only
return (path, bytes, owner): the build adds them to the site before anything is written.
"""
from __future__ import annotations

from typing import Iterator

from ..archive import Archive
from . import csvfile, feeds, report_json, schema, sqlite

File = tuple[str, bytes, str]


def files(archive: Archive, base_url: str) -> Iterator[File]:
    yield from report_json.files(archive)
    yield from csvfile.files(archive)
    yield from schema.files()
    yield sqlite.file(archive)
    yield feeds.atom_file(archive, base_url)


def crawler_files(site_paths, base_url: str) -> Iterator[File]:
    yield feeds.sitemap_file(site_paths, base_url)
    yield feeds.robots_file(base_url)
