"""The build cache: per-body results keyed by a hash of everything they were made from.

One SQLite file in a folder that is safe to delete (by default .cache/ where nianbao runs): a
missing or unreadable cache only makes the next build a cold one. Any error reading it (a damaged
page, not a database, a folder in its place) raises CacheError; the build then starts again cold
with a fresh cache (see build.py, `heal`). Keys include `code_version()`,
a hash of the program, its templates and format files and the libraries whose output we
publish, so a cached result is never reused by a program that would make it differently.
"""
from __future__ import annotations

import errno
import hashlib
import io
import os
import pickle
import shutil
import sqlite3
import sys
from contextlib import contextmanager
from enum import StrEnum
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROGRAM = (PACKAGE, PACKAGE.parent / "templates")
LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "opencc-python-reimplemented")
FILE = "nianbao-cache.sqlite"
# cells.sqlite's cells part, kept beside the cache (see outputs.py): its key file and scratch copy with it
CELLS_PART = "cells-part.sqlite"
CELLS_SCRATCH = "cells-part.new"
CELLS_FILES = (CELLS_PART, f"{CELLS_PART}.key", CELLS_SCRATCH)


class CacheError(Exception):
    """The cache could not be read: the build starts again with a fresh one."""


class CacheFolderError(Exception):
    """The cache folder cannot be used at all (a file, no permission): a one-line message in Chinese."""


def heal(folder: Path, files: tuple[str, ...] = ()) -> None:
    """Remove the cache's own files from its folder (the SQLite file, its journals and `files`)."""
    for name in (FILE, f"{FILE}-wal", f"{FILE}-shm", f"{FILE}-journal", *files):
        remove(folder / name)


def remove(path: Path) -> None:
    """A file of the cache's, or a folder someone put in its place."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        digest.update(f"{name}={metadata.version(name)}".encode())
    for root in PROGRAM:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"\0{path.relative_to(root.parent).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(*parts) -> str:
    """A hash of plain data (what a page or file is made from). Pickled without its memo, so that
    which equal objects happen to be one object (it differs between a cached build and a clean
    one) does not count."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.sha256(out.getvalue()).hexdigest()


class Cache:
    """kind + key -> any picklable value. `folder=None`: no cache (--no-cache): it keeps nothing, and
    the build passes its results between processes all the same (write/spool.py)."""

    def __init__(self, folder: Path | None):
        self.used: set[tuple[str, str]] = set()
        self.folder = folder
        self.db = None
        if folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise CacheFolderError(f"缓存目录 {folder} 是一个已有的文件，不是目录；"
                                   "请用 --cache 换一个目录，或用 --no-cache") from None
        except OSError as exc:
            raise CacheFolderError(f"无法使用缓存目录 {folder}：{exc.strerror}；"
                                   "请用 --cache 换一个目录，或用 --no-cache") from None
        if not os.access(self.folder, os.W_OK | os.X_OK):
            raise CacheFolderError(f"无法使用缓存目录 {folder}：没有写入权限；请用 --cache 换一个目录，或用 --no-cache")
        try:
            self.db = self._open(str(self.folder / FILE))
        except sqlite3.Error as exc:
            raise CacheError(f"{self.folder / FILE}：{exc}") from None

    @property
    def keeps(self) -> bool:
        """Does it keep anything for a later build?"""
        return self.db is not None

    @staticmethod
    def _open(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
        return db

    def get(self, kind: Kind, key: str):
        if self.db is None:
            return None
        with self._reading():
            row = self.db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            if row is None:
                return None
            self.used.add((kind, key))
            return pickle.loads(row[0])

    def has(self, kind: Kind, key: str) -> bool:
        if self.db is None:
            return False
        with self._reading():
            found = self.db.execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if found:
            self.used.add((kind, key))
        return found is not None

    def put(self, kind: Kind, key: str, value) -> None:
        if self.db is not None:
            self.put_data(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_data(self, kind: Kind, key: str, data: bytes) -> None:
        """A value already pickled (as a worker spooled it: see write/spool.py)."""
        if self.db is None:
            return
        self.used.add((kind, key))
        with self._reading():
            self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, data))

    def commit(self) -> None:
        """Make what was put so far visible to other connections (another process's Cache(folder))."""
        if self.db is None:
            return
        with self._reading():
            self.db.commit()

    def close(self, prune: bool = False) -> None:
        """Commit; with `prune`, drop every entry this build did not use (old versions of edited files)."""
        if self.db is None:
            return
        try:
            with self._reading():
                if prune:
                    self.db.execute("CREATE TEMP TABLE used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))")
                    self.db.executemany("INSERT INTO used VALUES (?, ?)", self.used)
                    self.db.execute("DELETE FROM entries WHERE (kind, key) NOT IN (SELECT kind, key FROM used)")
                self.db.commit()
        finally:
            self.db.close()

    @contextmanager
    def _reading(self):
        """Any failure of the SQLite file (or of a value in it) is a CacheError. A full disk is not the
        cache's fault: it stays an OSError (see cli.py)."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):  # another build holds it: not damage
                raise CacheFolderError(f"缓存 {self.folder / FILE} 正被另一个 nianbao 进程使用，请等它结束，"
                                       f"或用 --cache 换一个目录") from None
            if "full" in str(exc):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.folder / FILE)) from None
            raise CacheError(f"{self.folder / FILE}：{exc}") from None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, TypeError, ValueError) as exc:
            raise CacheError(f"{self.folder / FILE}：{exc}") from None


class Kind(StrEnum):
    """What a cache entry holds (its key says of what: a body, a content folder, an output folder)."""
    BODY = "body"  # a body's results for the archive-wide steps: bodywork.Checked and Made
    VALUES = "values"  # a body's reports' CSV place and values (export/records.py), for the downloads
    DOCUMENTS = "documents"  # a body's search index documents: site path -> JSON
    HASHES = "hashes"  # a content folder's file hashes (source/tree.py)
    MANIFEST = "manifest"  # an output folder's files and their keys, as the last build left it
    INPUTS = "inputs"  # the fingerprint of the inputs of the last build into an output folder
