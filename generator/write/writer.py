"""Write the site atomically, and only what changed.

Every file goes into a staging folder beside site/, which replaces site/ in one rename when the
whole build has succeeded; a failed build leaves the previous site/ untouched. A file whose key
(the hash of its bytes, or of what it is made from) equals the key it had in the previous build is
hard-linked from the previous site instead of written again, so a rebuild writes only what
changed and costs little disk. No two files may claim one path, and no path may leave the site.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    pass


def safe_path(path: str, owner: str) -> str:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise WriteError(f"{owner}: 输出路径 {path} 不在网站目录内")
    return rel.as_posix()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_file(root: Path, path: str, data: bytes, owner: str) -> str:
    """Write one file under `root` (used by the worker processes); returns its key."""
    target = root / safe_path(path, owner)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return digest(data)


class Staging:
    """The next site/, built beside the current one. `previous`: path -> key of the current site/."""

    def __init__(self, out: Path, previous: dict[str, str] | None):
        self.out = Path(out).absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous if previous and self.out.is_dir() else {}
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        self.keys: dict[str, str] = {}
        self.owners: dict[str, str] = {}

    def claim(self, path: str, owner: str) -> Path:
        key = safe_path(path, owner)
        if key in self.owners:
            raise WriteError(f"{owner} 与 {self.owners[key]} 都要写入 {key}")
        self.owners[key] = owner
        target = self.dir / key
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add(self, path: str, data: bytes | str, owner: str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        target = self.fresh(path, digest(data), owner)
        if target is not None:
            target.write_bytes(data)

    def fresh(self, path: str, key: str, owner: str) -> Path | None:
        """Where to write a file, or None when the previous site's copy (same key) was linked in."""
        target = self.claim(path, owner)
        self.keys[path] = key
        return None if self._link(path, key, target) else target

    def reusable(self, files: dict[str, str]) -> bool:
        """Does the previous site hold all these files with these keys?"""
        return all(self.previous.get(p) == k for p, k in files.items()) and all(
            (self.out / p).is_file() for p in files)

    def adopt(self, files: dict[str, str], owner: str, link: bool = False) -> None:
        """Files a worker wrote into the staging folder, or (`link`) reusable ones of the previous site."""
        for path, key in files.items():
            target = self.claim(path, owner)
            if link:
                os.link(self.out / path, target)
            self.keys[path] = key

    def size(self, path: str) -> int:
        return (self.dir / path).stat().st_size

    def commit(self) -> dict[str, str]:
        """Swap the staging folder in as site/; returns what the next build compares against."""
        old = self.out.parent / f".{self.out.name}-old"
        shutil.rmtree(old, ignore_errors=True)
        if self.out.exists():
            self.out.rename(old)
        self.dir.rename(self.out)
        shutil.rmtree(old, ignore_errors=True)
        return self.keys

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _link(self, path: str, key: str, target: Path) -> bool:
        if self.previous.get(path) != key:
            return False
        try:
            os.link(self.out / path, target)
            return True
        except OSError:  # gone, or a file system without hard links: write it
            return False
