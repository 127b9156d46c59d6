"""The build, top to bottom: load and check everything, stop on errors, render, write atomically."""
from __future__ import annotations

from pathlib import Path

from . import diagnostics as dg
from . import export
from .archive import Archive, load_archive
from .pages import urls
from .pages.data import data_page
from .pages.site import all_pages, summarise
from .render.env import TEMPLATES, environment
from .search.index import pagefind_bundle
from .search.records import index_documents
from .write.writer import SiteFiles, write_site

STATIC = TEMPLATES / "static"


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL) -> Archive:
    archive = load_archive(content)
    if strict:
        archive.diagnostics = dg.strict(archive.diagnostics)
    if archive.errors:
        return archive  # nothing is written: the previous site stays as it was
    site = SiteFiles()
    env = environment()
    summaries = summarise(archive)
    for page in all_pages(archive, summaries):
        _add_page(site, env, page)
    for path, data, owner in export.files(archive, base_url):  # JSON, CSV, schemas, SQLite, Atom
        site.add(path, data, owner)
    _add_page(site, env, data_page(archive, {p: len(b) for p, b in site.files.items()}))  # real sizes
    for path, data in pagefind_bundle(index_documents(archive, summaries, env), previous_site=out).items():
        site.add(path, data, "search index")
    for asset in sorted(STATIC.rglob("*")):
        if asset.is_file():
            site.add(f"assets/{asset.relative_to(STATIC).as_posix()}", asset.read_bytes(), "static")
    for path, data, owner in export.crawler_files(site.files, base_url):  # sitemap lists every page
        site.add(path, data, owner)
    write_site(site, out)
    return archive


def _add_page(site: SiteFiles, env, page) -> None:
    site.add(urls.output_path(page.url), env.get_template(page.template).render(page.context, page_url=page.url),
             page.owner)
