"""Write the site only when the whole build has succeeded, and only what changed.

Every new file goes into a staging folder beside site/; a failed build leaves the previous site/
untouched. A file whose key (the hash of its bytes, or of everything it is made from) equals the
key it had in the previous build is not made again: it stays in site/ as it is. When the build
succeeds, the new and changed files move into site/, one rename each, and files no longer made are
removed; a first build's staging folder becomes site/ in one rename. No two files may claim one
path, and no path may leave the site.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Collection


class WriteError(Exception):
    pass


def safe_path(path: str, owner: str) -> str:
    """The path itself, if it names a file inside the site (plain string checks: it runs per file)."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise WriteError(f"{owner}: 输出路径 {path} 不在网站目录内")
    return path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Staging:
    """The next site/, built beside the current one. `previous`: path -> key of the current site/."""

    def __init__(self, out: Path, previous: dict[str, str] | None):
        self.out = Path(out).absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous if previous and self.out.is_dir() else {}
        self.on_disk = _files(self.out) if self.previous else set()  # listed once: kept files are checked against it
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        self.keys: dict[str, str] = {}
        self.owners: dict[str, str] = {}
        self.kept: set[str] = set()  # files of the previous site that stay as they are
        self.made = 0  # files written into the staging folder
        self._folders: set[str] = set()  # made in the staging folder

    def claim(self, path: str, owner: str) -> str:
        path = safe_path(path, owner)
        if path in self.owners:
            raise WriteError(f"{owner} 与 {self.owners[path]} 都要写入 {path}")
        self.owners[path] = owner
        return path

    def add(self, path: str, data: bytes | str, owner: str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        self.put(path, digest(data), owner, lambda: data)

    def put(self, path: str, key: str, owner: str, make: Callable[[], bytes | str]) -> None:
        """A file keyed by what it is made from: `make` runs only if the previous site lacks it."""
        target = self.fresh(path, key, owner)
        if target is not None:
            data = make()
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def fresh(self, path: str, key: str, owner: str) -> Path | None:
        """Where to write a file, or None when the previous site has it with this key (it is kept)."""
        path = self.claim(path, owner)
        self.keys[path] = key
        target = self._target(path, key)
        if target is None:
            self.kept.add(path)
        else:
            self.made += 1
        return target

    def write(self, path: str, data: bytes, owner: str) -> tuple[str, bool]:
        """For the worker processes: write a file unless the previous site has the same bytes.
        Returns its key and whether it was kept; the main process then adopts it."""
        key = digest(data)
        target = self._target(safe_path(path, owner), key)
        if target is not None:
            target.write_bytes(data)
        return key, target is None

    def _target(self, path: str, key: str) -> Path | None:
        if self.reusable({path: key}):
            return None
        target = self.dir / path
        parent = os.path.dirname(path)
        if parent not in self._folders:  # (per process: workers make folders too)
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        return target

    def reusable(self, files: dict[str, str]) -> bool:
        """Does the previous site hold all these files with these keys?"""
        return all(self.previous.get(p) == k and p in self.on_disk for p, k in files.items())

    def adopt(self, files: dict[str, str], owner: str, kept: Collection[str] = ()) -> None:
        """Files a worker wrote into the staging folder; those in `kept` are the previous site's, which stay."""
        for path, key in files.items():
            self.keys[self.claim(path, owner)] = key
        self.kept.update(kept)
        self.made += len(files) - len(kept)

    def untouched(self) -> bool:
        """Nothing written so far, and site/ holds exactly what the previous build made."""
        return not self.made and bool(self.previous) and self.previous.keys() == self.on_disk

    def size(self, path: str) -> int:
        return os.path.getsize(os.path.join(self.out if path in self.kept else self.dir, path))

    def commit(self) -> dict[str, str]:
        """Put the new site in place; returns what the next build compares against."""
        if not self.previous:  # site/ is new, or unknown to this cache: the staging folder replaces it whole
            for path in sorted(self.kept):  # (a search bundle found to match its documents)
                os.makedirs(self.dir / os.path.dirname(path), exist_ok=True)
                os.link(self.out / path, self.dir / path)
            if self.out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-old-", dir=self.out.parent))
                self.out.rename(old / "site")
                _remove_later(old)
            self.dir.rename(self.out)
            return self.keys
        # site/ is the previous build's: only new and changed files move in (a rename each), and files
        # no longer made are removed, first, in case a new file needs their place
        for path in sorted(self.on_disk - self.keys.keys()):
            os.unlink(self.out / path)
            _remove_empty_parents(self.out, path)
        for path in sorted(self.keys.keys() - self.kept):
            (self.out / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / path, self.out / path)
        self.abort()
        return self.keys

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _files(root: Path) -> set[str]:
    """Every file under root, as site paths."""
    out, start = set(), len(str(root)) + 1
    for folder, _, names in os.walk(root):
        rel = folder[start:]
        out.update(f"{rel}/{name}" if rel else name for name in names)
    return out


def _remove_empty_parents(root: Path, path: str) -> None:
    parent = os.path.dirname(path)
    while parent:
        try:
            os.rmdir(root / parent)
        except OSError:  # not empty
            return
        parent = os.path.dirname(parent)


def _remove_later(folder: Path) -> None:
    """The previous site is tens of thousands of links: unlinking them is no reason to keep the
    editor waiting, so a detached process removes it (and the next build skips what remains)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
