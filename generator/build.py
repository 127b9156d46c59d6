"""The build, top to bottom: load and check everything, stop on errors, render, write atomically."""
from __future__ import annotations

from pathlib import Path

from . import diagnostics as dg
from .archive import Archive, load_archive
from .pages import urls
from .pages.site import all_pages
from .render.env import TEMPLATES, environment
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
    for page in all_pages(archive):
        html = env.get_template(page.template).render(page.context, page_url=page.url)
        site.add(urls.output_path(page.url), html, page.owner)
    for asset in sorted(STATIC.rglob("*")):
        if asset.is_file():
            site.add(f"assets/{asset.relative_to(STATIC).as_posix()}", asset.read_bytes(), "static")
    write_site(site, out)
    return archive
