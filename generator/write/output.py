"""The output folder belongs to the build: which folders may be one, its lock, the record of what
the build wrote there, and the recovery of a publish that a killed build left half done.

- A folder that is, lies inside or contains the content folder, or the home folder, or a file, is
  never an output folder.
- One build at a time per output folder: the folder itself is locked (flock), so no file is added
  beside it.
- `site/.nianbao/manifest.json` records every file the build wrote (with the key the writer compares
  against, see writer.py), the inputs of that build (the no-op test) and the files an editor chose to
  keep there (`--force`). A build deletes only files of the manifest; a folder holding other files
  is refused unless `--force`, and then those files are kept as they are.
- A publish moves files one by one (writer.py), after writing `site/.nianbao/journal.json`: the next
  build first completes it from the staging folder the journal names, so site/ is the old site or the
  new one by the time anything reads it again, and the manifest always describes what is on disk.
  Staging folders a killed build left beside the site are removed.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

STATE_DIR = ".nianbao"  # inside the output folder: never a path of the site (see writer.safe_path)
MANIFEST = f"{STATE_DIR}/manifest.json"
JOURNAL = f"{STATE_DIR}/journal.json"
VERSION = 1
SHOWN = 3  # unknown files named in a refusal


class OutputError(Exception):
    """The output folder may not be written (a one-line message in Chinese)."""


def check_target(out: Path, content: Path) -> Path:
    """The real path of `out`, if the build may own it; else OutputError."""
    real, source = Path(os.path.realpath(out)), Path(os.path.realpath(content))
    home = Path(os.path.realpath(Path.home()))
    if real.exists() and not real.is_dir():
        raise OutputError(f"输出目录 {out} 是一个已有的文件，不是目录；请换一个输出目录")
    if real == source or source in real.parents:
        raise OutputError(f"输出目录 {out} 是内容目录 {content} 或在其中；"
                          "生成网站会覆盖报告，请换一个输出目录（如 site）")
    if real in source.parents:
        raise OutputError(f"输出目录 {out} 包含内容目录 {content}；"
                          "生成网站会覆盖其中的文件，请换一个输出目录（如 site）")
    if real == home or real in home.parents:
        raise OutputError(f"输出目录 {out} 是主目录或其上级目录；请换一个输出目录（如 site）")
    return real


class Lock:
    """An exclusive lock on the output folder (made, empty, if missing) for the whole build."""

    def __init__(self, out: Path, label: str):
        self.out, self.fds, self.created = out, [], False
        while True:
            try:
                out.mkdir(parents=True)
                self.created = True
            except FileExistsError:
                pass
            fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputError(f"另一个 nianbao 进程正在生成 {label}"
                                  "（同一输出目录同时只能有一个），请等它结束后再试") from None
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(out))
            except FileNotFoundError:
                same = False
            if same:
                self.fds.append(fd)
                return
            os.close(fd)  # a build that just finished put a new folder in its place: lock that one

    def hold(self, folder: Path) -> None:
        """Lock the staging folder too before it takes the output folder's place."""
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.fds.append(fd)

    def release(self) -> None:
        if self.created:
            try:
                self.out.rmdir()  # made empty by this build, which then wrote nothing: leave no trace
            except OSError:
                pass
        for fd in self.fds:
            os.close(fd)
        self.fds = []


@dataclass
class State:
    """What the output folder holds, as its manifest records it."""
    files: dict[str, str] = field(default_factory=dict)  # site path -> key; key "" is not trusted
    inputs: str | None = None  # fingerprint of the inputs of the build that wrote it
    kept: set[str] = field(default_factory=set)  # the editor's own files, kept as they are
    on_disk: set[str] = field(default_factory=set)  # the build's files found on disk
    unknown: list[str] = field(default_factory=list)  # files on disk neither the build's nor kept
    empty: bool = True  # nothing at all in the folder: a new site can take its place in one rename
    kept_changed: bool = False  # the manifest's list of kept files is to be written again


def read_state(out: Path, legacy: Callable[[], dict | None], force: bool) -> State:
    """The output folder's state. `legacy()`: the record a build before manifests kept in the cache
    (path -> key), asked for only when there is no manifest: its files are the build's, but their
    keys are not trusted."""
    listing = _files(out)
    manifest = _read_json(out / MANIFEST)
    if manifest is not None:
        state = State(manifest["files"], manifest.get("inputs"), set(manifest.get("kept", ())))
    elif listing and (old := legacy()):
        state = State({p: "" for p in old})
    else:
        state = State()
    state.empty = not listing and not (out / STATE_DIR).exists()
    state.on_disk = listing & state.files.keys()
    recorded = set(state.kept)
    state.kept &= listing
    state.unknown = sorted(listing - state.files.keys() - state.kept)
    if force:
        state.kept.update(state.unknown)
        state.unknown = []
    state.kept_changed = state.kept != recorded
    return state


def refusal(label: str, state: State) -> str:
    names = "、".join(state.unknown[:SHOWN]) + ("等" if len(state.unknown) > SHOWN else "")
    return (f"输出目录 {label} 中有 {len(state.unknown)} 个文件不是 nianbao 生成的（{names}），为免覆盖或删除，"
            f"未写入任何文件；请换一个输出目录，或加 --force 照常生成（这些文件保留原样）")


def manifest_bytes(files: dict[str, str], inputs: str | None, kept: set[str]) -> bytes:
    """Deterministic: two builds of the same content write the same manifest."""
    return json_bytes({"version": VERSION, "inputs": inputs, "kept": sorted(kept),
                       "files": dict(sorted(files.items()))})


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_bytes(data)
    os.replace(scratch, path)


def recover(out: Path) -> bool:
    """Complete a publish a killed build left half done, and remove what killed builds left beside
    the output folder. True if a publish was completed."""
    journal = _read_json(out / JOURNAL)
    if journal is not None:
        _replay(out, journal)
    _remove_leftovers(out)
    return journal is not None


def _replay(out: Path, journal: dict[str, Any]) -> None:
    staging = out.parent / journal["staging"]
    new_manifest = staging / MANIFEST
    if new_manifest.is_file():  # the publish stopped part way: finish it (every step can be done again)
        apply(out, staging, journal["remove"], journal["move"])
        os.replace(new_manifest, out / MANIFEST)
    elif _sha256(out / MANIFEST) != journal["manifest"]:
        # the staging folder is gone: which files are new and which old is unknown, so no key is trusted
        # (the next build writes every file again), but the files stay the build's own
        old = _read_json(out / MANIFEST) or {"files": {}, "kept": []}
        files = dict.fromkeys([*old["files"], *journal["move"]], "")
        write_atomic(out / MANIFEST, manifest_bytes(files, None, set(old.get("kept", ()))))
    os.unlink(out / JOURNAL)


def apply(out: Path, staging: Path, remove: list[str], move: list[str], fault=lambda point: None) -> None:
    """Remove the files no longer made, then move the new and changed ones in (a rename each). Safe to
    run again after it was cut short: what is done already is skipped."""
    for path in remove:
        try:
            os.unlink(out / path)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        _remove_empty_parents(out, path)
        fault("remove")
    for path in move:
        try:
            os.replace(staging / path, out / path)
        except FileNotFoundError:
            if not (staging / path).exists():
                continue  # moved before the cut
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, out / path)
        fault("move")


def _remove_leftovers(out: Path) -> None:
    """Staging folders of killed builds (`.site-new-*`), their spools (`.site-spool-*`, see spool.py), and
    old sites still being removed (`.site-old-*`)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}-(new|old|spool)-[A-Za-z0-9_]{{8}}")
    try:
        names = [n for n in os.listdir(out.parent) if pattern.fullmatch(n)]
    except OSError:
        return
    for name in names:
        remove_later(out.parent / name)


def remove_later(folder: Path) -> None:
    """Remove a folder of the build's (a staging folder: up to hundreds of MB) in a detached process,
    so that the editor does not wait for it."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable: treated as absent (a manifest: the folder's files are then unknown)
    return data if isinstance(data, dict) and data.get("version", VERSION) == VERSION else None


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _files(root: Path) -> set[str]:
    """Every file under root (but the state folder), as site paths."""
    out, start = set(), len(str(root)) + 1
    for folder, dirs, names in os.walk(root):
        rel = folder[start:]
        if not rel:
            dirs[:] = [d for d in dirs if d != STATE_DIR]
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
