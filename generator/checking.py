"""`nianbao check`: read and check every report, writing nothing but the cache.

Only the layers up to the summaries are loaded: checking an archive needs no template and
no search index module (tests/test_layers.py makes sure of it). A cache that cannot be read heals: the check
(or build) runs once more from a fresh cache.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from . import bodywork
from . import diagnostics as dg
from .archive import Archive, combine
from .bodies import bodies
from .cache import CELLS_FILES, Cache, CacheError, Kind, heal
from .source.tree import Tree, read_tree


def check(content: Path, cache_dir: Path | None = None, jobs: int = 0) -> Archive:
    """Read and check everything, writing nothing (but the cache)."""
    def run() -> Archive:
        cache = Cache(cache_dir)
        with closing(cache, prune=False):
            return check_tree(read_tree_cached(content, cache), cache, jobs)
    return healing(cache_dir, run)


def check_tree(tree: Tree, cache: Cache, jobs: int, strict: bool = False) -> Archive:
    return combined(tree, bodywork.run(bodies(tree), cache, None, jobs or bodywork.default_jobs()), strict)


def combined(tree: Tree, results: list[bodywork.Result], strict: bool) -> Archive:
    archive = combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)
    if strict:
        archive.diagnostics = dg.strict(archive.diagnostics)
    return archive


def read_tree_cached(content: Path, cache: Cache) -> Tree:
    """The content tree, not reading again the files unchanged since the last read (see tree.py)."""
    key = str(Path(content).absolute())
    tree = read_tree(content, cache.get(Kind.HASHES, key))
    cache.put(Kind.HASHES, key, tree.hashes)
    return tree


@contextmanager
def closing(cache: Cache, prune: bool):
    """Close the cache; a failure while closing it is reported only if nothing else failed first."""
    try:
        yield
    except BaseException:
        try:
            cache.close()
        except (CacheError, OSError):
            pass
        raise
    cache.close(prune=prune)


def healing(cache_dir: Path | None, run):
    """Run a build or a check; if the cache cannot be read, once more from a fresh cache."""
    try:
        return run()
    except CacheError as exc:
        if cache_dir is None:
            raise
        note(f"缓存无法读取，已删除并重新生成（本次为完整生成）：{exc}")
        heal(Path(cache_dir), CELLS_FILES)
        return run()


def note(message: str) -> None:
    print(f"nianbao: 注意：{message}", file=sys.stderr, flush=True)
