"""Write the site atomically: render everything into a temporary folder beside site/, then swap.

A failed build leaves the previous site/ untouched. No two pages may claim the same path, and
no path may leave the output folder.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    pass


class SiteFiles:
    """The files of a site, collected in memory before anything touches the disk."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.owners: dict[str, str] = {}

    def add(self, path: str, content: bytes | str, owner: str) -> None:
        rel = PurePosixPath(path)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise WriteError(f"{owner}: 输出路径 {path} 不在网站目录内")
        key = rel.as_posix()
        if key in self.files:
            raise WriteError(f"{owner} 与 {self.owners[key]} 都要写入 {key}")
        self.files[key] = content.encode("utf-8") if isinstance(content, str) else content
        self.owners[key] = owner


def write_site(site: SiteFiles, out: Path) -> None:
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for rel, data in sorted(site.files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old = out.parent / f".{out.name}-old"
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
