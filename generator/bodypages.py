"""A body's own files, made in the worker that checked it: each report's page and JSON, and its
search index document. Loaded only to build (see bodywork.Maker): a check needs none of it."""
from __future__ import annotations

from . import urls
from .archive import Archive
from .bodywork import Made, Pages
from .export import csvfile, records, report_json
from .pages.site import report_page
from .render.env import environment
from .search.records import index_documents
from .summaries import Summary
from .write.writer import Staging, digest


class Maker:
    def __init__(self):
        self._env = None

    @property
    def env(self):
        """The jinja2 environment, made on first use (in each worker, after the fork)."""
        self._env = self._env or environment()
        return self._env

    def pages(self, archive: Archive, summaries: list[Summary], staging: Staging) -> Pages:
        """Write the body's report pages and JSON into the staging folder, but those the previous site
        has byte for byte."""
        files, values, kept = {}, [], set()
        for report, summary in zip(archive.reports, summaries):
            page = report_page(archive, report, summary)
            html = self.env.get_template(page.template).render(page.context, page_url=page.url)
            values.append((csvfile.place(archive, report), records.values(report)))
            for path, data in ((urls.output_path(page.url), html.encode()),
                               report_json.report_file(archive, report, summary, values[-1][1])):
                files[path], unchanged = staging.write(path, data, report.path)
                if unchanged:
                    kept.add(path)
        # the digest of a report's cells: its values and which of them are deduced (the CSV's deduced column)
        rows = [(r.year, digest(repr((v, sorted(r.deduced))).encode())) for r, v in zip(archive.reports, values)]
        return Pages(Made(files, rows), values, kept)

    def documents(self, archive: Archive, summaries: list[Summary]) -> dict[str, str]:
        """{site path: JSON} of the body's search index documents."""
        return index_documents(archive, summaries)
