"""The build, top to bottom: claim the output folder, read, check and make each body (in parallel,
cached), stop on errors (or when nothing changed), then the archive-wide outputs (outputs.py), and
move the new and changed files into the site.

Everything is written into a staging folder beside `out` (see write/writer.py): on any error the
previous site stays as it was, and a file unchanged since the last build is left as it is. The
output folder belongs to the build (write/output.py): a lock, a manifest of what it wrote, and a
journal of the publish that the next build completes if this one is killed.
"""
from __future__ import annotations

from pathlib import Path

from . import bodywork
from . import urls
from .archive import Archive
from .bodies import bodies
from .bodypages import Maker
from .cache import Cache, Kind, code_version, fingerprint
from .checking import check, check_tree, closing, combined, healing, note, read_tree_cached
from .outputs import Inputs, make_all
from .write import output
from .write.spool import Spool
from .write.writer import Staging

__all__ = ["build", "check"]


def build(content: Path, out: Path, strict: bool = False, base_url: str = urls.DEFAULT_BASE_URL,
          cache_dir: Path | None = None, jobs: int = 0, search: bool = True, force: bool = False) -> Archive:
    """`cache_dir`: keep results for the next build there (None: this build only); `jobs`: worker
    processes (0: one per core); `search`: update the search index (else the previous one is kept);
    `force`: write into a folder holding files the build did not make (they are kept as they are).
    Raises OutputError when `out` may not be written (see write/output.py)."""
    target = output.check_target(out, content)
    lock = output.Lock(target, str(out))
    try:
        if output.recover(target):
            note(f"上次生成在更新 {out} 时中断，已先完成那次更新")
        return healing(cache_dir, lambda: _build(content, target, str(out), lock, strict, base_url, cache_dir,
                                                 jobs, search, force))
    finally:
        lock.release()


def _build(content: Path, out: Path, label: str, lock: output.Lock, strict: bool, base_url: str,
           cache_dir: Path | None, jobs: int, search: bool, force: bool) -> Archive:
    cache = Cache(cache_dir)
    with closing(cache, prune=cache_dir is not None):
        tree = read_tree_cached(content, cache)
        state = output.read_state(out, lambda: cache.get(Kind.MANIFEST, str(Path(label).absolute())), force)
        if state.unknown:  # refused: but the content's own errors are told first
            archive = check_tree(tree, cache, jobs, strict)
            if archive.errors:
                return archive
            raise output.OutputError(output.refusal(label, state))
        staging = Staging(out, state, lock)
        spool = Spool.beside(out)  # what the workers hand over: values and search documents
        try:
            results = bodywork.run(bodies(tree), cache, staging, jobs or bodywork.default_jobs(), search, Maker(),
                                   spool)
            archive = combined(tree, results, strict)
            if archive.errors:
                staging.abort()  # nothing is written: the previous site stays as it was
                return archive
            inputs = fingerprint(code_version(), [r.key for r in results], tree.folders, base_url, search)
            if staging.untouched() and state.inputs == inputs:
                staging.abort()  # site/ is what these very inputs made last time: nothing to do
                return archive
            make_all(Inputs(staging, archive, results, cache, base_url, search, spool))
            staging.commit(inputs)
        except BaseException:
            staging.abort()
            raise
        finally:
            spool.close()
    return archive
