"""What one build's processes hand each other: a folder of pickled results, for that build only.

A worker writes each body's values (for the CSV and SQLite downloads) and search index documents
here, one file per body and kind; the main process and its helper processes read them back. The
spool is the build's own channel: the cache (cache.py) only keeps results for a later build, and a
build without a cache passes its results the same way. Reading a body's results from the spool, or
from the cache when a previous build made them, is `Stored`'s job.
"""
from __future__ import annotations

import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

from ..cache import CacheError


class Spool:
    """kind + body key -> a picklable value, in a temporary folder removed by `close`. `folder`: an
    existing spool's (in a helper process); None: a new one in the temporary folder."""

    def __init__(self, folder: Path | None = None):
        self.dir = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="nianbao-spool-"))

    @classmethod
    def beside(cls, out: Path) -> Spool:
        """A new spool beside the output folder (`.site-spool-*`, like its staging folder): if the build is
        killed, the next build into that folder removes it (write/output.py)."""
        out = Path(out).absolute()
        out.parent.mkdir(parents=True, exist_ok=True)
        return cls(Path(tempfile.mkdtemp(prefix=f".{out.name}-spool-", dir=out.parent)))

    def _path(self, kind: str, key: str) -> Path:
        return self.dir / f"{key}.{kind}"

    def put(self, kind: str, key: str, value) -> None:
        """In a worker: one file each, so that workers never wait for each other."""
        self._path(kind, key).write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def data(self, kind: str, key: str) -> bytes | None:
        """The pickled value as written (the cache stores these very bytes), or None."""
        try:
            return self._path(kind, key).read_bytes()
        except FileNotFoundError:
            return None

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class Kept(Protocol):
    """What Stored falls back on: the cache (cache.Cache), or anything that reads pickled values."""

    def get(self, kind: str, key: str): ...


class Stored:
    """A body's values or documents for the outputs: this build's, from the spool, or a previous
    build's, from the cache (`kept`). In a helper process, `kept` is a callable opening the cache
    there (a connection made before a fork is not used after it)."""

    def __init__(self, spool: Spool | None, kept: Kept | None):
        self.spool = spool
        self.kept = kept

    def get(self, kind: str, key: str):
        data = self.spool.data(kind, key) if self.spool is not None else None
        if data is not None:
            return pickle.loads(data)
        value = self.kept.get(kind, key) if self.kept is not None else None
        if value is None:
            raise CacheError(f"缓存中缺少 {key} 的 {kind}")  # reused by this build, then gone: a cold build heals it
        return value
