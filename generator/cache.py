"""The build cache: per-body results keyed by a hash of everything they were made from.

One SQLite file in a folder that is safe to delete (by default .cache/ where nianbao runs): a
missing or unreadable cache only makes the next build a cold one. Keys include `code_version()`,
a hash of the program, its templates and format files and the libraries whose output we
publish, so a cached result is never reused by a program that would make it differently.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import shutil
import sqlite3
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROGRAM = (PACKAGE, PACKAGE.parent / "templates")
LIBRARIES = ("jinja2", "markdown-it-py", "pyyaml", "opencc-python-reimplemented")
FILE = "nianbao-cache.sqlite"


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
    """kind + key -> any picklable value. `folder=None`: for this build only (a temporary file)."""

    def __init__(self, folder: Path | None):
        self.used: set[tuple[str, str]] = set()
        # folder=None: a file all the same, which a helper process can read (see `commit`)
        self.scratch = Path(tempfile.mkdtemp(prefix="nianbao-cache-")) if folder is None else None
        self.folder = folder or self.scratch
        self.folder.mkdir(parents=True, exist_ok=True)
        target = str(self.folder / FILE)
        try:
            self.db = self._open(target)
        except sqlite3.DatabaseError:  # damaged: start again, it is only a cache
            Path(target).unlink(missing_ok=True)
            self.db = self._open(target)

    @staticmethod
    def _open(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
        return db

    def get(self, kind: str, key: str):
        row = self.db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if row is None:
            return None
        self.used.add((kind, key))
        return pickle.loads(row[0])

    def has(self, kind: str, key: str) -> bool:
        found = self.db.execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if found:
            self.used.add((kind, key))
        return found is not None

    def put(self, kind: str, key: str, value) -> None:
        self.used.add((kind, key))
        self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                        (kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def commit(self) -> None:
        """Make what was put so far visible to other connections (another process's Cache(folder))."""
        self.db.commit()

    def close(self, prune: bool = False) -> None:
        """Commit; with `prune`, drop every entry this build did not use (old versions of edited files)."""
        if prune:
            self.db.execute("CREATE TEMP TABLE used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))")
            self.db.executemany("INSERT INTO used VALUES (?, ?)", self.used)
            self.db.execute("DELETE FROM entries WHERE (kind, key) NOT IN (SELECT kind, key FROM used)")
        self.db.commit()
        self.db.close()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
