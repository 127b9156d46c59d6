"""Build the search index from the index documents: exact character n-gram postings per shard.

The archive is split into shards by year (a year with more than SHARD_PAGES reports is split again
by region); each shard is indexed on its own, in a worker process, into `search-index/<shard>/`,
and listed with its year in `search-index/shards.json`. The search page (templates/static/
search-core.js) reads only the files a query needs, so the index is static files and no server.

A shard holds, for its reports' normalised text (normalize.py; whitespace breaks runs):
- for every character and every pair of characters: the reports holding it;
- for every run of three characters: the reports holding it and the positions in each.
A query of one or two characters is answered by its list; a longer one by the three-character runs
that cover it (at offsets 0, 3, 6 … and its last three), whose positions must line up, so the
reports listed are exactly those whose text holds the query, with no second pass over the text.
The lists are stored in `g/<bucket>.bin`, grams hashed into buckets of a few tens of KB, so a query
fetches a few buckets per shard. `docs.json` holds what a result shows and its filter values (with
what all a body's reports share in the archive's `folders.json`, merged from each shard's own);
`text/<n>.json` one report's parts, fetched for the excerpt of a result when it is shown.

Bucket file: unsigned 16-bit little-endian numbers. [grams, then per gram: UTF-16 length, UTF-16
code units, block length (two numbers, high first), block]. A block of a one- or two-character gram:
[reports, report…]; of a three-character gram: [reports, then per report: report, count, positions
as gaps from the previous one]. A number ≥ 0xFFFF is written as 0xFFFF, high, low.

Shards are indexed again only when their documents changed (`nianbao-documents.sha256` records the
hash of the documents a shard's files were made from).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
from array import array
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from .. import urls
from .normalize import normalize, table_json

if TYPE_CHECKING:  # the build hands over its staging folder: search never imports the writer
    from ..write.writer import Staging

BUNDLE = urls.SEARCH_INDEX
SHARDS = f"{BUNDLE}/shards.json"
TABLE = f"{BUNDLE}/normalize.json"
FOLDERS = f"{BUNDLE}/folders.json"
KEY_FILE = "nianbao-documents.sha256"
FORMAT = "ngram-1"  # changes when the files' layout does (part of each shard's key)
SHARD_PAGES = 2000  # about 200 MB of postings in memory while a shard is indexed
BUCKET_BYTES = 12 * 1024  # aim per bucket file: a query fetches a few per shard
ESCAPE = 0xFFFF
_BREAK = re.compile(r"\s")  # no gram spans whitespace: a query term has none


class SearchIndexError(Exception):
    """The index could not be written; the message says why."""


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
        size = sum(len(groups[k]) for k in run) + len(members)
        if run and (depth == 0 or run[0][:-1] != key[:-1] or size > SHARD_PAGES):
            close_run()
        run.append(key)
    close_run()
    return out


def _year(shard: str) -> int:
    return int(shard.split(".", 1)[0])


def gram_hash(gram: str) -> int:
    """FNV-1a over the code points (search-core.js computes the same)."""
    h = 0x811C9DC5
    for ch in gram:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


_staging: Staging | None = None  # the build's staging folder, inherited by the forked workers


def write_bundles(staging: Staging, digests: dict[str, str], documents: Callable[[set[str]], dict[str, str]]) -> None:
    """Index every shard into the staging folder, and list them in shards.json. `digests`: site path ->
    hash of each index document; `documents(paths)` gives those documents (JSON)."""
    global _staging
    split = shards(list(digests))
    keys = {name: _documents_key({p: digests[p] for p in members}) for name, members in split.items()}
    info = {name: _reuse(staging, name, key) for name, key in keys.items()}
    stale = [name for name, kept in info.items() if kept is None]
    workers = min(os.cpu_count() or 1, len(stale)) or 1
    _staging = staging
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for start in range(0, len(stale), workers):  # a batch's documents in memory at a time, not all
            batch = stale[start:start + workers]
            found = documents({p for name in batch for p in split[name]})
            jobs = [(name, [found[p] for p in split[name]], keys[name]) for name in batch]
            for name, (files, kept, summary) in zip(batch, pool.map(_index, jobs)):
                staging.adopt(files, f"search index {name}", kept=kept)
                info[name] = summary
    listing = [{"dir": f"/{BUNDLE}/{name}/", "year": _year(name), **info[name]} for name in split]
    parts = [json.loads(_published(staging, f"{BUNDLE}/{name}/folders.json").read_bytes()) for name in split]
    staging.add(FOLDERS, folders_file(parts), "search index")
    staging.add(SHARDS, json.dumps(listing, ensure_ascii=False).encode("utf-8"), "search index")
    staging.add(TABLE, table_json(), "search index")


def _published(staging: Staging, path: str) -> Path:
    """Where a file of this build is: the previous site's if kept, else the staging folder's."""
    return (staging.out if path in staging.kept else staging.dir) / path


def keep_bundles(staging: Staging) -> None:
    """Publish the previous build's index unchanged (a build without indexing, for previews)."""
    files = {p: k for p, k in staging.previous.items() if p.startswith(f"{BUNDLE}/")}
    if files and staging.reusable(files):
        staging.adopt(files, "search index", kept=files)


def _reuse(staging: Staging, name: str, key: str) -> dict | None:
    """Keep the previous site's files of this shard if made from the same documents: its summary, or None."""
    old = staging.out / BUNDLE / name
    if not ((old / KEY_FILE).is_file() and (old / KEY_FILE).read_text(encoding="ascii").startswith(key)):
        return None
    summary = json.loads((old / KEY_FILE).read_text(encoding="ascii").split("\n", 1)[1])
    prefix = f"{BUNDLE}/{name}/"
    files = {p: k for p, k in staging.previous.items() if p.startswith(prefix)}
    if not files or not staging.reusable(files):
        return None
    staging.adopt(files, f"search index {name}", kept=files)
    return summary


def _index(job: tuple[str, list[str], str]) -> tuple[dict[str, str], list[str], dict]:
    """In a worker: one shard's files written into the staging folder -> ({path: key}, kept, summary)."""
    name, documents, key = job
    prefix = f"{BUNDLE}/{name}/"
    files: dict[str, str] = {}
    kept: list[str] = []

    def write(path: str, data: bytes) -> None:
        files[prefix + path], same = _staging.write(prefix + path, data, "search index")
        if same:
            kept.append(prefix + path)
    records = [json.loads(d) for d in documents]
    buckets = _buckets(*_postings(records))
    for number, data in enumerate(buckets):
        write(f"g/{number}.bin", data)
    for number, r in enumerate(records):
        write(f"text/{number}.json", _dumps(r["parts"]))
    write("docs.json", _dumps(_docs(records)))
    write("folders.json", _dumps(_folders(records)))  # merged into the archive's folders.json
    summary = {"docs": len(records), "buckets": len(buckets)}
    write(KEY_FILE, f"{key}\n{json.dumps(summary)}".encode("ascii"))
    return files, kept, summary


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


FOLDER_FILTERS = ("省份", "市县", "层级")  # the same for every report of a body


def _filter_values(r: dict, of_folder: bool) -> list[list[str]]:
    return [[k, v] for k, vs in r["filters"].items() if k != "年度" and (k in FOLDER_FILTERS) == of_folder for v in vs]


def _docs(records: list[dict]) -> dict:
    """What results show and filter by, per report [folder (its URL prefix), year, title, filter set],
    with repeats told once: title patterns (the body's name and the year stand in as \u0001 and \u0002)
    and the report's own filter value sets. What is the same for all a body's reports is in folders.json."""
    titles: dict[str, int] = {}
    sets: dict[str, int] = {}
    docs = []
    for r in records:
        title = r["title"].replace(r["body"], "\u0001").replace(str(r["year"]), "\u0002")
        values = json.dumps(_filter_values(r, False), ensure_ascii=False)
        docs.append([_prefix(r), r["year"], titles.setdefault(title, len(titles)), sets.setdefault(values, len(sets))])
    return {"titles": list(titles), "filters": [json.loads(v) for v in sets], "docs": docs}


def _prefix(r: dict) -> str:
    return r["url"].removesuffix(f"{r['year']}/")


def _folders(records: list[dict]) -> dict[str, list]:
    """URL prefix -> [body, region, folder filter values] of the shard's bodies."""
    return {_prefix(r): [r["body"], r["region"], _filter_values(r, True)] for r in records}


def folders_file(parts: list[dict[str, list]]) -> bytes:
    """The archive's folders.json, merged from each shard's folders: {"regions", "filters", "folders":
    {URL prefix: [body, region, filter set]}}; a body reports in many shards but is told once here."""
    regions: dict[str, int] = {}
    sets: dict[str, int] = {}
    folders = {}
    for part in parts:
        for prefix, (body, region, values) in part.items():
            key = json.dumps(values, ensure_ascii=False)
            folders[prefix] = [body, regions.setdefault(region, len(regions)), sets.setdefault(key, len(sets))]
    return _dumps({"regions": list(regions), "filters": [json.loads(k) for k in sets],
                   "folders": dict(sorted(folders.items()))})


def _postings(records: list[dict]) -> tuple[dict[str, array], dict[str, int]]:
    """(gram -> its block of numbers (see the module's docstring), gram -> how many reports hold it).
    Report numbers are below SHARD_PAGES, so they need no escape."""
    out: dict[str, array] = {}
    counts: dict[str, int] = {}
    for number, r in enumerate(records):
        text = normalize("\n".join(part for _, part in r["parts"]))
        trigrams = [text[i:i + 3] for i in range(len(text) - 2)]
        places: dict[str, list[int]] = {}
        get = places.get
        for i, gram in enumerate(trigrams):  # the hot loop: kept to a lookup and an append
            at = get(gram)
            if at is None:
                places[gram] = [i]
            else:
                at.append(i)
        short = set(text)
        short.update(text[i:i + 2] for i in range(len(text) - 1))
        grams = [g for g in short if not _BREAK.search(g)] + [g for g in places if not _BREAK.search(g)]
        for gram in grams:
            counts[gram] = counts.get(gram, 0) + 1
            block = out.get(gram)
            if block is None:
                block = out[gram] = array("H")
            block.append(number)
            if len(gram) == 3:
                positions = places[gram]
                gaps = [b - a for a, b in zip([0, *positions], positions)]
                if positions[-1] < ESCAPE and len(positions) < ESCAPE:
                    block.append(len(positions))
                    block.extend(gaps)
                else:
                    for value in (len(positions), *gaps):
                        _put(block, value)
    return out, counts


def _put(block: array, value: int) -> None:
    if value < ESCAPE:
        block.append(value)
    else:
        block.extend((ESCAPE, value >> 16, value & 0xFFFF))


def _buckets(grams: dict[str, array], counts: dict[str, int]) -> list[bytes]:
    """The bucket files: each gram, with its count of reports in front of its block, in bucket hash % n."""
    size = sum(len(b) * 2 + 8 for b in grams.values())
    count = 1
    while count * BUCKET_BYTES < size:
        count *= 2
    contents: list[list[str]] = [[] for _ in range(count)]
    for gram in grams:
        contents[gram_hash(gram) % count].append(gram)
    out = []
    for members in contents:
        data = array("H", [len(members)])
        for gram in sorted(members):
            units = array("H", gram.encode("utf-16-le"))
            block = array("H")
            _put(block, counts[gram])
            block.extend(grams[gram])
            data.append(len(units))
            data.extend(units)
            data.extend((len(block) >> 16, len(block) & 0xFFFF))
            data.extend(block)
        if data.itemsize != 2:
            raise SearchIndexError("array('H') is not 16 bits here")
        out.append(data.tobytes() if sys.byteorder == "little" else _swapped(data))
    return out


def _swapped(data: array) -> bytes:
    data = array("H", data)
    data.byteswap()
    return data.tobytes()


def _documents_key(digests: dict[str, str]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(table_json())
    for path, value in sorted(digests.items()):
        digest.update(f"\0{path}\0{value}".encode("utf-8"))
    return digest.hexdigest()
