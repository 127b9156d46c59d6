"""The build, top to bottom: read, check and make each body (in parallel, cached), stop on errors
(or when nothing changed), then the archive-wide pages, open data and search index, and move the
new and changed files into the site.

Everything is written into a staging folder beside `out` (see write/writer.py): on any error the
previous site stays as it was, and a file unchanged since the last build is left as it is.
"""
from __future__ import annotations

from pathlib import Path

from . import bodywork
from . import diagnostics as dg
from . import urls
from .archive import Archive, combine
from .bodies import bodies
from .bodypages import Maker
from .cache import Cache, Kind, code_version, fingerprint
from .checking import check, read_tree_cached
from .outputs import Inputs, make_all
from .write.writer import Staging

__all__ = ["build", "check"]


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL,
          cache_dir: Path | None = None, jobs: int = 0, search: bool = True) -> Archive:
    """`cache_dir`: keep results for the next build there (None: this build only); `jobs`: worker
    processes (0: one per core); `search`: update the search index (else the previous one is kept)."""
    cache = Cache(cache_dir)
    tree = read_tree_cached(content, cache)
    manifest_key = str(Path(out).absolute())
    staging = Staging(out, cache.get(Kind.MANIFEST, manifest_key))
    try:
        results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), search, Maker())
        archive = combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)
        if strict:
            archive.diagnostics = dg.strict(archive.diagnostics)
        if archive.errors:
            staging.abort()  # nothing is written: the previous site stays as it was
            return archive
        inputs = fingerprint(code_version(), [r.key for r in results], tree.folders, base_url, search)
        if staging.untouched() and cache.get(Kind.INPUTS, manifest_key) == inputs:
            staging.abort()  # site/ is what these very inputs made last time: nothing to do
            return archive
        make_all(Inputs(staging, archive, results, cache, base_url, search))
        cache.put(Kind.MANIFEST, manifest_key, staging.commit())
        cache.put(Kind.INPUTS, manifest_key, inputs)
    except BaseException:
        staging.abort()
        raise
    finally:
        cache.close(prune=cache_dir is not None)
    return archive

