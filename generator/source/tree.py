"""Walk content/: folders (regions and bodies, each with _index.yaml) and report files.

Folder names become URLs, so they must be ASCII slugs; links are refused so no content path can
point outside content/. Nothing here raises on bad content: problems become diagnostics.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, diag
from . import slips
from .frontmatter import Document, split
from .positioned import Pos, YamlError, load, slip_error

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPORT_NAME = re.compile(r"^([0-9]{4})\.md$")  # [0-9], not \d: \d also matches full-width ２０２４
LEVELS = ("国家", "省", "市", "县", "乡镇", "部门")
INDEX = "_index.yaml"
INDEX_KEYS = {"name": "中文名称", "level": "层级", "code": "行政区划代码",
              "moved_from": "迁来之前的目录（旧网址跳转到这里）"}
START = Pos(1, 1)
Stamp = tuple[int, int, int, str]  # a file as last seen: (size, mtime_ns, inode, sha-256 of its bytes)
# a link could lead out of content/ (to /etc/passwd, or another archive): every one is refused
LINK_REFUSED = "不允许使用符号链接或特殊文件：content/ 中的文件和目录须是普通文件和目录"


@dataclass
class Folder:
    slugs: tuple[str, ...]
    path: str  # as shown in diagnostics, e.g. content/heilongjiang
    name: str = ""
    level: str = ""
    code: str | None = None
    # the folder's earlier paths under content/ (a region placed under its province later): its old URLs
    # and those of everything beneath it become redirect pages (pages/redirects.py), so citations keep working
    moved_from: tuple[tuple[str, ...], ...] = ()


@dataclass
class RawFile:
    """A report file as found: where it is and the hash of its bytes. The bytes are read again where
    the file is parsed (per body, in parallel), so the main process never holds them all."""
    path: str  # as diagnostics show it
    folder: tuple[str, ...]
    location: str  # on disk
    digest: str  # sha256 of its bytes when the tree was read

    def read(self) -> tuple[bytes, bool]:
        """Its bytes, and whether they are still the ones hashed (not if it was saved again since)."""
        data = Path(self.location).read_bytes()
        return data, hashlib.sha256(data).hexdigest() == self.digest


@dataclass
class SourceFile:
    path: str
    folder: tuple[str, ...]
    doc: Document


@dataclass
class Tree:
    root: Path
    folders: dict[tuple[str, ...], Folder] = field(default_factory=dict)
    files: list[RawFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    hashes: dict[str, Stamp] = field(default_factory=dict)  # location -> what was seen of it


# A file whose size, modification time and inode are those it had when hashed is not read again
# (as git does), unless it was modified so recently that a second edit might not change its time.
RECENT_NS = 2_000_000_000


def display(path: Path) -> str:
    """The path as diagnostics show it: relative to the working folder where it lies beneath it."""
    text, cwd = str(path), os.getcwd()
    return text[len(cwd) + 1:] if text.startswith(cwd + os.sep) else text


def read_tree(root: Path, hashes: dict[str, Stamp] | None = None) -> Tree:
    """`hashes`: the hashes of an earlier read (its tree.hashes), to skip files unchanged since."""
    root = Path(root).absolute()
    tree = Tree(root)
    known, now = hashes or {}, time.time_ns()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        slugs = here.relative_to(root).parts
        dirnames[:] = [d for d in dirnames if _keep_folder(tree, here / d)]
        if slugs:
            tree.folders[slugs] = _read_folder(tree, here, slugs, INDEX in filenames)
        for name in sorted(filenames):
            if name != INDEX and not name.startswith("."):
                _read_file(tree, here / name, slugs, known, now)
    return tree


def _keep_folder(tree: Tree, path: Path) -> bool:
    if path.name.startswith("."):
        return False
    if path.is_symlink():
        tree.diagnostics.append(diag("file/name", display(path), START, problem=LINK_REFUSED))
        return False
    if not SLUG.match(path.name):
        tree.diagnostics.append(diag("file/name", display(path), START, problem=(
            f"目录名“{path.name}”须为小写拼音或英文字母、数字和连字符（例如 baoqing），它将成为网址")))
        return False
    return True


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """The text of a content file, or None and why it cannot be read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [diag("file/encoding", path, Pos(line, 1), offset=exc.start + 1)]
    if not text.strip():
        return None, [diag("file/empty", path, START)]
    return text, []


def read_source(raw: RawFile, data: bytes) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Decode a report file (its bytes: `data`) and split it into front matter and narrative."""
    text, problems = decode(raw.path, data)
    if text is None:
        return None, problems
    try:
        return SourceFile(raw.path, raw.folder, split(text)), []
    except YamlError as exc:
        return None, [diag(exc.rule, raw.path, exc.pos, problem=exc.message)]


def _read_folder(tree: Tree, path: Path, slugs: tuple[str, ...], has_index: bool) -> Folder:
    folder = Folder(slugs, display(path))
    if not has_index:
        tree.diagnostics.append(diag("index/missing", folder.path, START, folder=folder.path))
        return folder
    index_path = display(path / INDEX)
    if (path / INDEX).is_symlink() or not (path / INDEX).is_file():
        tree.diagnostics.append(diag("file/name", index_path, START, problem=LINK_REFUSED))
        return folder
    text, problems = decode(index_path, (path / INDEX).read_bytes())
    tree.diagnostics += problems
    if text is None:
        return folder
    try:
        doc = load(text)
        if not isinstance(doc.data, dict):
            slip_error(text, 0)  # `name：宝清县` makes the whole file one text
            raise YamlError("_index.yaml 须为“键: 值”的映射（name、level，可选 code）", START, "yaml/type")
    except YamlError as exc:
        tree.diagnostics.append(diag(exc.rule, index_path, exc.pos, problem=exc.message))
        return folder
    data = doc.data
    problems = _index_problems(data)
    for key, problem in problems:
        pos = doc.keys.get((key,), doc.pos(()))
        tree.diagnostics.append(diag("index/invalid", index_path, pos, problem=problem))
    folder.name, folder.level = str(data.get("name", "")), str(data.get("level", ""))
    folder.code = str(data["code"]) if data.get("code") is not None else None
    if not any(key == "moved_from" for key, _ in problems):
        folder.moved_from = tuple(tuple(p.split("/")) for p in _moved_from(data))
    return folder


def _moved_from(data: dict) -> list[str]:
    """`moved_from: hulin` or a list of such paths, relative to content/."""
    value = data.get("moved_from") or []
    return [value] if isinstance(value, str) else value


def _index_problems(data: dict) -> list[tuple[str | None, str]]:
    problems = [(None, f"缺少“{k}”（{INDEX_KEYS[k]}）") for k in ("name", "level") if k not in data]
    problems += [(k, f"未知的键“{k}”，可用的键：{'、'.join(INDEX_KEYS)}") for k in data if k not in INDEX_KEYS]
    if "name" in data and (not isinstance(data["name"], str) or not data["name"].strip()):
        problems.append(("name", "name 须为非空的中文名称"))
    if "level" in data and data["level"] not in LEVELS:
        problems.append(("level", f"level“{data['level']}”无效，可用：{'、'.join(LEVELS)}"))
    if data.get("code") is not None and not re.fullmatch(r"[0-9]{6}([0-9]{3}|[0-9]{6})?", str(data["code"])):
        slip = slips.find(str(data["code"]))
        problems.append(("code", f"code“{data['code']}”" + (slips.message(slip, slips.fixed(str(data["code"])))
                                                             if slip else "不是 6、9 或 12 位数字的行政区划代码")))
    moved = _moved_from(data)
    if not isinstance(moved, list) or not all(isinstance(p, str) and all(SLUG.match(s) for s in p.split("/"))
                                              for p in moved):
        problems.append(("moved_from", "moved_from 须为旧目录的路径（相对于 content/，如 hulin 或 "
                                       "hulin/baodong），或这样的路径的列表"))
    return problems


def _read_file(tree: Tree, path: Path, slugs: tuple[str, ...], known: dict[str, Stamp], now: int) -> None:
    shown = display(path)
    if path.is_symlink() or not path.is_file():
        tree.diagnostics.append(diag("file/name", shown, START, problem=LINK_REFUSED))
        return
    if not REPORT_NAME.match(path.name) or not slugs:
        where = "机关目录中" if slugs else "content/ 下的机关目录中（不能直接放在 content/ 下）"
        tree.diagnostics.append(diag("file/name", shown, START, problem=(
            f"“{path.name}”不是报告文件：报告文件应命名为“年份.md”（如 2024.md），放在{where}")))
        return
    stat = path.stat()
    location, stamp = str(path), (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    entry = known.get(location)
    digest = entry[3] if entry and entry[:3] == stamp else hashlib.sha256(path.read_bytes()).hexdigest()
    if now - stat.st_mtime_ns > RECENT_NS:
        tree.hashes[location] = (*stamp, digest)
    tree.files.append(RawFile(shown, slugs, location, digest))
