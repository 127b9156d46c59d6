"""Write the site only when the whole build has succeeded, and only what changed.

Every new file goes into a staging folder beside site/; a failed build leaves the previous site/
untouched. A file whose key (the hash of its bytes, or of everything it is made from) equals the
key it had in the previous build is not made again: it stays in site/ as it is. When the build
succeeds, the new and changed files move into site/, one rename each, after a journal of the moves
is written (see output.py: a killed publish is completed by the next build), and the build's files
no longer made are removed; a new site's staging folder takes the empty output folder's place in one
rename. No two files may claim one path, and no path may leave the site.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Callable, Collection

from . import output
from .output import JOURNAL, MANIFEST, STATE_DIR, State

# For the fault tests only: "point" or "point:n" makes the build kill itself (SIGKILL) at that point of
# the publish (the n-th time it is reached): publish, swap, journal, remove, move, manifest, published.
FAULT = os.environ.get("NIANBAO_FAULT", "")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class WriteError(Exception):
    pass


def safe_path(path: str, owner: str) -> str:
    """The path itself, if it names a file inside the site (plain string checks: it runs per file)."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts) or parts[0] == STATE_DIR:
        raise WriteError(f"{owner}: 输出路径 {path} 不在网站目录内")
    return path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Staging:
    """The next site/, built beside the current one. `state`: what the output folder holds (output.py)."""

    def __init__(self, out: Path, state: State | None = None, lock: output.Lock | None = None):
        self.out = Path(out).absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.state = state or State()
        self.lock = lock
        self.previous = {p: k for p, k in self.state.files.items() if k}  # keys trusted for reuse
        self.on_disk = self.state.on_disk  # the build's files found in site/: kept files are checked against it
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        os.chmod(self.dir, 0o777 & ~_UMASK)  # it may become site/: readable like any folder made here
        self.keys: dict[str, str] = {}
        self.owners: dict[str, str] = {}
        self.kept: set[str] = set()  # files of the previous site that stay as they are
        self.made = 0  # files written into the staging folder
        self._folders: set[str] = set()  # made in the staging folder
        self._faults: dict[str, int] = {}
        self.publishing = False  # a journal of this publish is in site/

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
        return (not self.made and bool(self.previous) and self.previous.keys() == self.on_disk
                and len(self.previous) == len(self.state.files) and not self.state.kept_changed)

    def size(self, path: str) -> int:
        return os.path.getsize(os.path.join(self.out if path in self.kept else self.dir, path))

    def commit(self, inputs: str) -> None:
        """Put the new site in place, with its manifest (see output.py)."""
        manifest = output.manifest_bytes(self.keys, inputs, self.state.kept - self.keys.keys())
        output.write_atomic(self.dir / MANIFEST, manifest)
        self._fault("publish")
        if self.state.empty and not self.kept and self._swap():
            return
        remove = sorted(self.on_disk - self.keys.keys())  # the build's own files no longer made
        move = sorted(self.keys.keys() - self.kept)
        journal = {"staging": self.dir.name, "manifest": digest(manifest), "remove": remove, "move": move}
        output.write_atomic(self.out / JOURNAL, output.json_bytes(journal))
        self.publishing = True
        self._fault("journal")
        try:
            output.apply(self.out, self.dir, remove, move, self._fault)
            self._fault("manifest")
            os.replace(self.dir / MANIFEST, self.out / MANIFEST)
        except OSError as exc:
            exc.publishing = True  # the staging folder stays for the next build, which completes the publish
            raise
        self._fault("published")
        os.unlink(self.out / JOURNAL)
        self.publishing = False
        self.abort()

    def _swap(self) -> bool:
        """A new site: the staging folder takes the place of the empty output folder in one rename."""
        if self.lock:
            self.lock.hold(self.dir)  # a build waiting for the lock must find the new folder locked too
        self._fault("swap")
        try:
            os.rename(self.dir, self.out)
        except OSError:  # not empty after all: move the files in one by one
            return False
        return True

    def _fault(self, point: str) -> None:
        if FAULT and FAULT.split(":")[0] == point:
            self._faults[point] = self._faults.get(point, 0) + 1
            if str(self._faults[point]) == (FAULT.split(":") + ["1"])[1]:
                os.kill(os.getpid(), signal.SIGKILL)

    def abort(self) -> None:
        if not self.publishing:  # else the journal names this folder: the next build completes the publish
            shutil.rmtree(self.dir, ignore_errors=True)
