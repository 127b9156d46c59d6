"""The build, top to bottom: load and check everything, stop on errors, render, write atomically."""
from __future__ import annotations

from pathlib import Path

from . import diagnostics as dg
from .archive import Archive, load_archive
from .pages import urls
from .pages.site import all_pages, summarise
from .render.env import TEMPLATES, environment
from .search.index import pagefind_bundle
from .search.records import record
from .write.writer import SiteFiles, write_site

STATIC = TEMPLATES / "static"


def build(content: Path, out: Path, strict: bool = False) -> Archive:
    archive = load_archive(content)
    if strict:
        archive.diagnostics = dg.strict(archive.diagnostics)
    if archive.errors:
        return archive  # nothing is written: the previous site stays as it was
    site = SiteFiles()
    env = environment()
    summaries = summarise(archive)
    for page in all_pages(archive, summaries):
        html = env.get_template(page.template).render(page.context, page_url=page.url)
        site.add(urls.output_path(page.url), html, page.owner)
    documents = {urls.output_path(r["url"]): env.get_template("search/record.html").render(r)
                 for r in (record(archive, s) for s in summaries)}
    for path, data in pagefind_bundle(documents, previous_site=out).items():
        site.add(path, data, "search index")
    for asset in sorted(STATIC.rglob("*")):
        if asset.is_file():
            site.add(f"assets/{asset.relative_to(STATIC).as_posix()}", asset.read_bytes(), "static")
    write_site(site, out)
    return archive
