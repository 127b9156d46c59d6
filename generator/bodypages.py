"""A body's own files, made in the worker that checked it: each report's page and JSON, the page
comparing it with the body's previous report, and its search index document. Loaded only to build
(see bodywork.Maker): a check needs none of it."""
from __future__ import annotations

from . import urls
from .archive import Archive
from .bodywork import Made, Pages
from .export import csvfile, records, report_json
from .pages.compare import comparable
from .pages.page import Page
from .pages.site import compare_page, report_page
from .render.env import shared
from .search.records import index_documents
from .summaries import Summary
from .write.writer import Staging, digest


class Maker:
    PAGES = ("report.html", "compare.html")  # the templates it renders

    @property
    def env(self):
        """The process's jinja2 environment (loaded only to build: see bodywork.Maker)."""
        return shared()

    def warm(self) -> None:
        """Compile the templates before the workers fork: they inherit them instead of each compiling
        them again."""
        for name in self.PAGES:
            self.env.get_template(name)

    def render(self, page: Page) -> bytes:
        return self.env.get_template(page.template).render(page.context, page_url=page.url).encode()

    def pages(self, archive: Archive, summaries: list[Summary], staging: Staging) -> Pages:
        """Write the body's report pages and JSON into the staging folder, but those the previous site
        has byte for byte."""
        files, values, kept = {}, [], set()
        previous = None
        for report, summary in zip(archive.reports, summaries):  # a body's reports, by year
            page = report_page(archive, report, summary)
            values.append((csvfile.place(archive, report), records.values(report)))
            outputs = [(urls.output_path(page.url), self.render(page)),
                       report_json.report_file(archive, report, summary, values[-1][1])]
            if comparable(previous, report):  # year over year: this report beside the previous one
                compare = compare_page(archive, previous, report)
                outputs.append((urls.output_path(compare.url), self.render(compare)))
            previous = report
            for path, data in outputs:
                files[path], unchanged = staging.write(path, data, report.path)
                if unchanged:
                    kept.add(path)
        # the digest of a report's cells: its values and which of them are deduced (the CSV's deduced column)
        rows = [(r.year, digest(repr((v, sorted(r.deduced))).encode())) for r, v in zip(archive.reports, values)]
        return Pages(Made(files, rows), values, kept)

    def documents(self, archive: Archive, summaries: list[Summary]) -> dict[str, str]:
        """{site path: JSON} of the body's search index documents."""
        return index_documents(archive, summaries)
