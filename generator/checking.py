"""`nianbao check`: read and check every report, writing nothing but the cache.

Only the layers up to the summaries are loaded: checking an archive needs no template, no ICU and
no Pagefind (tests/test_layers.py makes sure of it).
"""
from __future__ import annotations

from pathlib import Path

from . import bodywork
from .archive import Archive, combine
from .bodies import bodies
from .cache import Cache, Kind
from .source.tree import Tree, read_tree


def check(content: Path, cache_dir: Path | None = None, jobs: int = 0) -> Archive:
    """Read and check everything, writing nothing (but the cache)."""
    cache = Cache(cache_dir)
    try:
        tree = read_tree_cached(content, cache)
        results = bodywork.run(bodies(tree), cache, None, jobs or bodywork.default_jobs())
    finally:
        cache.close()
    return combine(tree.folders, [r.checked.archive for r in results], tree.diagnostics)


def read_tree_cached(content: Path, cache: Cache) -> Tree:
    """The content tree, not reading again the files unchanged since the last read (see tree.py)."""
    key = str(Path(content).absolute())
    tree = read_tree(content, cache.get(Kind.HASHES, key))
    cache.put(Kind.HASHES, key, tree.hashes)
    return tree
