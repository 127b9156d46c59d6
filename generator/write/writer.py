"""Write the site atomically, and only what changed.

Every new file goes into a staging folder beside site/, which replaces site/ in one rename when the
whole build has succeeded; a failed build leaves the previous site/ untouched. A file whose key
(the hash of its bytes, or of everything it is made from) equals the key it had in the previous
build is not made again: at the swap it is hard-linked from the previous site, and when nothing at
all changed, site/ is left as it is. No two files may claim one path, and no path may leave the site.
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
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        self.keys: dict[str, str] = {}
        self.owners: dict[str, str] = {}
        self.kept: set[str] = set()  # files of the previous site to link in at the swap
        self.made = 0  # files written into the staging folder

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
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def reusable(self, files: dict[str, str]) -> bool:
        """Does the previous site hold all these files with these keys?"""
        return all(self.previous.get(p) == k and os.path.isfile(os.path.join(self.out, p)) for p, k in files.items())

    def adopt(self, files: dict[str, str], owner: str, kept: Collection[str] = ()) -> None:
        """Files a worker wrote into the staging folder; those in `kept` are the previous site's, linked at the swap."""
        for path, key in files.items():
            self.keys[self.claim(path, owner)] = key
        self.kept.update(kept)
        self.made += len(files) - len(kept)

    def size(self, path: str) -> int:
        return os.path.getsize(os.path.join(self.out if path in self.kept else self.dir, path))

    def commit(self) -> dict[str, str]:
        """Swap the staging folder in as site/; returns what the next build compares against."""
        if not self.made and self.keys.keys() == self.previous.keys() == _files(self.out):
            self.abort()  # nothing changed: site/ stays as it is, not even relinked
            return self.keys
        made_dirs: set[str] = set()
        for path in sorted(self.kept):
            parent = os.path.dirname(path)
            if parent not in made_dirs:
                os.makedirs(self.dir / parent, exist_ok=True)
                made_dirs.add(parent)
            os.link(os.path.join(self.out, path), os.path.join(self.dir, path))
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-old-", dir=self.out.parent))
            self.out.rename(old / "site")
            self.dir.rename(self.out)
            _remove_later(old)
        else:
            self.dir.rename(self.out)
        return self.keys

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _files(root: Path) -> set[str]:
    """Every file under root, as site paths."""
    out = set()
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root)
        out.update(name if rel == "." else f"{rel}/{name}" for name in names)
    return out


def _remove_later(folder: Path) -> None:
    """The previous site is tens of thousands of links: unlinking them is no reason to keep the
    editor waiting, so a detached process removes it (and the next build skips what remains)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
