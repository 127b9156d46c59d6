"""Build the Pagefind index from the index documents, as files to publish under pagefind/.

The archive is split into shards by year (a year with more than SHARD_PAGES reports is split again
by region), and each shard is indexed on its own by the extended Pagefind binary from PyPI, into
its own bundle `pagefind/<shard>/`. Indexing memory grows with the pages of one index, so shards
keep a national archive within memory, and an edit re-indexes only its own shard. The search page
merges the shards in the browser (Pagefind's mergeIndex), listed with their years in
`pagefind/shards.json`, so one search box covers the whole archive. Shards are by year because
Pagefind orders merged results by score alone: the search page sorts by year by weighting each
year's shards (see templates/static/search.js).

Each shard's documents are written to a scratch folder laid out like the site (Pagefind derives
each result's URL from its path); the bundle goes into the build's staging folder, so a failed
index leaves site/ untouched like any other failed build step. Pagefind does not write
byte-identical bundles for identical input (its filter and metadata files vary between runs), so
a bundle records the hash of the documents it was built from, and a shard whose documents are
unchanged links its previous bundle instead of being re-indexed.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from pagefind_bin_extended import get_executable

if TYPE_CHECKING:  # the build hands over its staging folder: search never imports the writer
    from ..write.writer import Staging

BUNDLE = "pagefind"
SHARDS = f"{BUNDLE}/shards.json"
KEY_FILE = "nianbao-documents.sha256"
OPTIONS = ["--force-language", "zh-cn", "--quiet"]
SHARD_PAGES = 4000  # Pagefind needs about 450 KB per page while indexing: about 1.8 GB per shard


class SearchIndexError(Exception):
    """Pagefind failed; the message holds what it printed."""


def shards(paths: list[str], depth: int = 0) -> dict[str, list[str]]:
    """Shard name -> document paths: by year; a year too big for one shard is cut into runs of
    neighbouring regions of up to SHARD_PAGES pages (a region too big alone is cut by sub-region …)."""
    groups: dict[tuple, list[str]] = {}
    for path in paths:
        *folders, year, _ = PurePosixPath(path).parts  # a document sits at <folders…>/<year>/index.html
        groups.setdefault((year, *folders[:depth]), []).append(path)
    out: dict[str, list[str]] = {}
    run: list[tuple] = []  # neighbouring groups packed into one shard

    def close_run():
        if run:
            name = ".".join(run[0]) + ("~" + run[-1][-1] if len(run) > 1 else "")  # "." and "~" never occur in a slug
            out[name] = sorted(p for key in run for p in groups[key])
            run.clear()
    for key, members in sorted(groups.items()):
        if len(members) > SHARD_PAGES and len(key) == depth + 1:  # folders beneath to split by
            close_run()
            out.update(shards(members, depth + 1))
            continue
        if run and (depth == 0 or run[0][:-1] != key[:-1] or sum(len(groups[k]) for k in run) + len(members) > SHARD_PAGES):
            close_run()
        run.append(key)
    close_run()
    return out


def _year(shard: str) -> int:
    return int(shard.split(".", 1)[0])


def write_bundles(staging: Staging, digests: dict[str, str], documents: Callable[[set[str]], dict[str, str]]) -> None:
    """Index every shard into the staging folder, and list them in shards.json. `digests`: site path ->
    hash of each index document; `documents(paths)` gives the HTML of those documents."""
    split = shards(list(digests))
    keys = {name: _documents_key({p: digests[p] for p in members}) for name, members in split.items()}
    stale = [name for name, key in keys.items() if not _reuse(staging, name, key)]
    workers = os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each shard is its own Pagefind process
        for start in range(0, len(stale), workers):  # a batch's documents in memory at a time, not all
            batch = stale[start:start + workers]
            html = documents({p for name in batch for p in split[name]})
            indexed = pool.map(lambda n: _index(staging, n, {p: html[p] for p in split[n]}, keys[n]), batch)
            for name, files in zip(batch, indexed):
                staging.adopt(files, f"search index {name}")
    listing = [{"bundle": f"/{BUNDLE}/{name}/", "year": _year(name)} for name in split]
    staging.add(SHARDS, json.dumps(listing, ensure_ascii=False).encode("utf-8"), "search index")


def keep_bundles(staging: Staging) -> None:
    """Publish the previous build's index unchanged (a build without indexing, for previews)."""
    files = {p: k for p, k in staging.previous.items() if p.startswith(f"{BUNDLE}/")}
    if files and staging.reusable(files):
        staging.adopt(files, "search index", kept=files)


def _reuse(staging: Staging, name: str, key: str) -> bool:
    """Link the previous site's bundle of this shard if it was built from the same documents."""
    old = staging.out / BUNDLE / name
    if not ((old / KEY_FILE).is_file() and (old / KEY_FILE).read_text(encoding="ascii") == key):
        return False
    prefix = f"{BUNDLE}/{name}/"
    files = {p: key for p, k in staging.previous.items() if p.startswith(prefix) and k == key}
    if not staging.reusable(files) or not files:  # no record of the last build: list the folder
        files = {f"{prefix}{p.relative_to(old).as_posix()}": key for p in sorted(old.rglob("*")) if p.is_file()}
    staging.adopt(files, f"search index {name}", kept=files)
    return True


def _index(staging: Staging, name: str, documents: dict[str, str], key: str) -> dict[str, str]:
    """Run Pagefind on one shard's documents, with its bundle written into the staging folder."""
    out = staging.dir / BUNDLE / name
    with tempfile.TemporaryDirectory(prefix="nianbao-index-") as scratch:
        root = Path(scratch)
        for path, html in documents.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        run = subprocess.run([str(get_executable()), "--site", str(root), "--output-path", str(out), *OPTIONS],
                             capture_output=True, text=True)
    if run.returncode != 0:
        raise SearchIndexError(f"{name}: {(run.stdout + run.stderr).strip()}")
    (out / KEY_FILE).write_text(key, encoding="ascii")
    return {f"{BUNDLE}/{name}/{p.relative_to(out).as_posix()}": key for p in sorted(out.rglob("*")) if p.is_file()}


def _documents_key(digests: dict[str, str]) -> str:
    digest = hashlib.sha256(" ".join([get_executable().name, *OPTIONS]).encode())
    for path, value in sorted(digests.items()):
        digest.update(f"\0{path}\0{value}".encode("utf-8"))
    return digest.hexdigest()
