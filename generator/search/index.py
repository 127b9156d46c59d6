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
The lists are stored in `g/<bucket>.gz`, grams hashed into buckets of a few tens of KB, so a query
fetches a few buckets per shard. `docs.gz` holds what a result shows and its filter values (with
what all a body's reports share in the archive's `folders.gz`, merged from each shard's folders.json);
`text/<n>.gz` one report's parts (JSON), fetched for the excerpt of a result when it is shown.
Buckets, texts, docs.gz, folders.gz and normalize.gz are gzip-compressed (a third of their size or
less; the page inflates them with the browser's DecompressionStream, or takes them as they come if
the host already did).

Bucket file: unsigned LEB128 varints (seven bits a byte, low first; a set high bit says another
byte follows). [grams, then per gram: its length in code points, its code points, its block's length
in bytes, its block]. A block of a one- or two-character gram: [reports, then the reports as gaps
(the first as itself)]; of a three-character gram: [reports, then per report: its gap from the
previous report, count, positions as gaps from the previous one]. Most numbers take one byte.
The postings of a shard are made in bulk with numpy (bucket_files): a shard of 2,000 reports in
about two seconds of CPU, so that an edit re-indexes its shard quickly.

Shards are indexed again only when their documents changed (`nianbao-documents.sha256` records the
hash of the documents a shard's files were made from).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from .. import urls
from .normalize import table, table_json

if TYPE_CHECKING:  # the build hands over its staging folder: search never imports the writer
    from ..write.writer import Staging

BUNDLE = urls.SEARCH_INDEX
SHARDS = f"{BUNDLE}/shards.json"
TABLE = f"{BUNDLE}/normalize.gz"
FOLDERS = f"{BUNDLE}/folders.gz"
KEY_FILE = "nianbao-documents.sha256"
FORMAT = "ngram-4"  # changes when the files' layout does (part of each shard's key)
SHARD_PAGES = 2000  # about 200 MB of postings in memory while a shard is indexed
BUCKET_BYTES = 12 * 1024  # aim per bucket file (before gzip): a query fetches a few per shard
PART_CHARS = 1 << 19  # characters of text per group of buckets made at once (memory: about 200 bytes each)


class SearchIndexError(Exception):
    """The index could not be written; the message says why."""


def shards(paths: list[str], depth: int = 0) -> dict[str, list[str]]:
    """Shard name -> document paths: by year; a year too big for one shard is cut into runs of
    neighbouring regions of up to SHARD_PAGES pages (a region too big alone is cut by sub-region …)."""
    groups: dict[tuple, list[str]] = {}
    for path in paths:
        *folders, year, _ = path.split("/")  # a document sits at <folders…>/<year>/index.html
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
    previous: dict[str, dict[str, str]] = {}  # shard -> the previous site's files of it
    for path, key in staging.previous.items():
        if path.startswith(f"{BUNDLE}/"):
            previous.setdefault(path.split("/", 2)[1], {})[path] = key
    info = {name: _reuse(staging, name, key, previous.get(name, {})) for name, key in keys.items()}
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
    staging.add(FOLDERS, packed(folders_file(parts)), "search index")
    staging.add(SHARDS, json.dumps(listing, ensure_ascii=False).encode("utf-8"), "search index")
    staging.add(TABLE, packed(table_json()), "search index")


def _published(staging: Staging, path: str) -> Path:
    """Where a file of this build is: the previous site's if kept, else the staging folder's."""
    return (staging.out if path in staging.kept else staging.dir) / path


def keep_bundles(staging: Staging) -> None:
    """Publish the previous build's index unchanged (a build without indexing, for previews)."""
    files = {p: k for p, k in staging.previous.items() if p.startswith(f"{BUNDLE}/")}
    if files and staging.reusable(files):
        staging.adopt(files, "search index", kept=files)


def _reuse(staging: Staging, name: str, key: str, files: dict[str, str]) -> dict | None:
    """Keep the previous site's files of this shard (`files`) if made from the same documents: its
    summary, or None."""
    old = staging.out / BUNDLE / name
    if not ((old / KEY_FILE).is_file() and (old / KEY_FILE).read_text(encoding="ascii").startswith(key)):
        return None
    summary = json.loads((old / KEY_FILE).read_text(encoding="ascii").split("\n", 1)[1])
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

    def write_packed(path: str, data: bytes) -> None:
        """Keyed by the bytes before gzip: a file the previous site has is not compressed again
        (after one edit, all the shard's texts but one, and the buckets its grams did not reach)."""
        key = hashlib.sha256(GZIP_KEY + data).hexdigest()
        if _staging.reusable({prefix + path: key}):
            kept.append(prefix + path)
        else:
            _staging.write(prefix + path, packed(data), "search index")
        files[prefix + path] = key
    records = [json.loads(d) for d in documents]
    buckets = bucket_files(records)
    for number, data in enumerate(buckets):
        write_packed(bucket_path(number), data)
    for number, r in enumerate(records):
        write_packed(f"text/{number}.gz", _dumps(r["parts"]))
    write_packed("docs.gz", _dumps(_docs(records)))
    write("folders.json", _dumps(_folders(records)))  # merged into the archive's folders.json
    summary = {"docs": len(records), "buckets": len(buckets)}
    write(KEY_FILE, f"{key}\n{json.dumps(summary)}".encode("ascii"))
    return files, kept, summary


def bucket_path(number: int) -> str:
    return f"g/{number}.gz"


GZIP_LEVEL = 6
GZIP_KEY = f"gzip-{GZIP_LEVEL}\0".encode()


def packed(data: bytes) -> bytes:
    """gzip, the same bytes from build to build (no time in the header)."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


FOLDER_FILTERS = ("省份", "市县", "层级")  # the same for every report of a body


def _filter_values(r: dict, of_folder: bool) -> list[list[str]]:
    return [[k, v] for k, vs in r["filters"].items() if k != "年度" and (k in FOLDER_FILTERS) == of_folder for v in vs]


def _docs(records: list[dict]) -> dict:
    """What results show and filter by, per report [folder (its URL prefix), year, title, filter set],
    with repeats told once: title patterns (the body's name and the year stand in as \u0001 and \u0002)
    and the report's own filter value sets. What is the same for all a body's reports is in folders.gz."""
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
    """The archive's folders.gz (before gzip), merged from each shard's folders: {"regions", "filters", "folders":
    {URL prefix: [body, region, filter set]}}; a body reports in many shards but is told once here."""
    regions: dict[str, int] = {}
    sets: dict[tuple, int] = {}
    folders = {}
    for part in parts:
        for prefix, (body, region, values) in part.items():
            key = tuple(map(tuple, values))
            folders[prefix] = [body, regions.setdefault(region, len(regions)), sets.setdefault(key, len(sets))]
    return _dumps({"regions": list(regions), "filters": [list(map(list, k)) for k in sets],
                   "folders": dict(sorted(folders.items()))})


@lru_cache(maxsize=1)
def _space() -> np.ndarray:
    """The code points of whitespace (what a regular expression's \\s matches): no gram spans one.
    (The last of them is U+3000, the ideographic space.)"""
    return np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint64)


_CODE_BITS = 21  # a code point fits in 21 bits: a gram of up to three is one 63-bit key
_LOW = np.uint64((1 << 2 * _CODE_BITS) - 1)  # a short gram's code points, without its length


def bucket_files(records: list[dict]) -> list[bytes]:
    """The shard's bucket files (see the module's docstring), made with numpy in a few passes over
    all the shard's text at once. The number of buckets follows from the text's length (about two
    bytes of postings a character); the buckets are made a group at a time (a gram's bucket is its
    hash modulo their number), so that memory stays at a fraction of what all of them at once take."""
    codes, starts = _text(records)
    ok = ~np.isin(codes, _space())
    n = len(codes)
    count = 1
    while count * BUCKET_BYTES < 2 * n:
        count *= 2
    groups = 1  # a power of two, as count is: a group is the buckets ≡ g (mod groups)
    while groups < count and groups * PART_CHARS < n:
        groups *= 2
    files = [b""] * count
    ends = [(3, n - 2), (2, n - 1), (1, n)]
    valid = {size: np.ones(max(end, 0), bool) for size, end in ends}
    hashes = {}
    h = np.full(n, 0x811C9DC5, dtype=np.uint32)
    for size, end in ends[::-1]:  # FNV-1a over the code points, as gram_hash (uint32 wraps as it should)
        h = (h[:max(end, 0)] ^ codes[size - 1:size - 1 + max(end, 0)]) * np.uint32(0x01000193)
        for k in range(size):
            valid[size] &= ok[k:k + max(end, 0)]
        hashes[size] = (h % np.uint32(groups)).astype(np.uint16) if groups > 1 else None
    for group in range(groups):
        parts = []
        for size in (3, 1, 2):
            at = np.flatnonzero(valid[size] & (hashes[size] == group) if groups > 1 else valid[size])
            doc = np.searchsorted(starts, at, side="right") - 1
            keys = _key(codes, at, size)
            parts.append((keys, doc, at - starts[doc]) if size == 3 else (keys, doc, None))
        short = (np.concatenate([parts[1][0], parts[2][0]]), np.concatenate([parts[1][1], parts[2][1]]), None)
        grams3, values3 = _blocks(*parts[0])
        del parts
        grams12, values12 = _blocks(*short)
        lengths = [np.full(len(grams3), 3, np.int64), (grams12 >> np.uint64(2 * _CODE_BITS)).astype(np.int64)]
        made = _assemble([(grams3, lengths[0], values3), (grams12 & _LOW, lengths[1], values12)], count)
        for number, data in made.items():
            files[number] = data
    return [data or b"\x00" for data in files]  # an empty bucket: no grams


def _text(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of every report's normalised text, each followed by a newline; where each
    report's text starts). The newline keeps grams within a report."""
    texts = ["\n".join(part for _, part in r["parts"]) + "\n" for r in records]
    codes = _spelling()[np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype="<u4")]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    return codes, np.cumsum(lengths) - lengths


@lru_cache(maxsize=1)
def _spelling() -> np.ndarray:
    """Code point -> the code point it is searched as: normalize() as one lookup per character."""
    out = np.arange(0x110000, dtype=np.uint32)
    for source, target in table().items():
        out[ord(source)] = ord(target)
    return out


def _key(codes: np.ndarray, at: np.ndarray, size: int) -> np.ndarray:
    """The grams of `size` characters starting at `at`, as keys: their code points, 21 bits each;
    a short gram's length above them (2**42, 2**43), so that a character and a pair never share a key."""
    key = np.zeros(len(at), dtype=np.uint64)
    for k in range(size):
        key = (key << np.uint64(_CODE_BITS)) | codes[at + k].astype(np.uint64)
    return key if size == 3 else key | np.uint64(size << 2 * _CODE_BITS)


def _blocks(keys: np.ndarray, doc: np.ndarray, pos: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct grams, sorted; the numbers of their blocks, one run per gram in that order).
    Occurrences come in text order (by report, then position); a stable sort by gram keeps that
    order within a gram. Without positions, a report is listed once per gram."""
    if not len(keys):
        return keys, (np.zeros(0, np.int64), np.zeros(0, np.int64))
    order = np.argsort(keys, kind="stable")
    k, d = keys[order], doc[order]
    if pos is None:
        keep = np.r_[True, (k[1:] != k[:-1]) | (d[1:] != d[:-1])]
        k, d = k[keep], d[keep]
    new_gram = np.r_[True, k[1:] != k[:-1]]
    new_run = new_gram | np.r_[True, d[1:] != d[:-1]]  # a report's first occurrence of the gram
    gram_at = np.flatnonzero(new_gram)
    run_at = np.flatnonzero(new_run)
    doc_gap = d[run_at] - np.r_[0, d[run_at[:-1]]]
    doc_gap[new_gram[run_at]] = d[run_at][new_gram[run_at]]  # a gram's first report: its number
    runs_per_gram = np.diff(np.r_[np.searchsorted(run_at, gram_at), len(run_at)])
    if pos is None:  # [reports, report gaps…]
        emit = 1 + new_gram.astype(np.int64)
        offsets = np.cumsum(emit) - emit
        values = np.empty(int(emit.sum()), dtype=np.int64)
        values[offsets + emit - 1] = doc_gap
    else:  # [reports, then per report: report gap, count, position gaps…]
        p = pos[order]
        gaps = p - np.r_[0, p[:-1]]
        gaps[new_run] = p[new_run]
        emit = 1 + 2 * new_run.astype(np.int64) + new_gram
        offsets = np.cumsum(emit) - emit
        values = np.empty(int(emit.sum()), dtype=np.int64)
        values[offsets + emit - 1] = gaps
        first = offsets[run_at] + new_gram[run_at]
        values[first] = doc_gap
        values[first + 1] = np.diff(np.r_[run_at, len(k)])
    values[offsets[gram_at]] = runs_per_gram
    starts = offsets[gram_at]
    return k[gram_at], (values, starts)


def _varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the values as unsigned LEB128 bytes, each value's byte count): a pass per byte, over the values
    that still need one."""
    size = np.ones(len(values), dtype=np.int64)
    for bits in range(7, 64, 7):
        big = values >= (1 << bits)
        if not big.any():
            break
        size += big
    out = np.empty(int(size.sum()), dtype=np.uint8)
    at, rest = np.cumsum(size) - size, values
    while len(rest):
        more = rest >= 0x80
        out[at] = (rest & 0x7F) | (more.astype(np.int64) << 7)
        at, rest = at[more] + 1, rest[more] >> 7
    return out, size


def _gram_codes(keys: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Each gram's code points in three columns, -1 past its length."""
    mask = np.uint64((1 << _CODE_BITS) - 1)
    columns = np.full((len(keys), 3), -1, dtype=np.int64)
    for k in range(3):
        shift = np.maximum(length - 1 - k, 0).astype(np.uint64) * np.uint64(_CODE_BITS)
        columns[:, k] = np.where(k < length, ((keys >> shift) & mask).astype(np.int64), -1)
    return columns


def _assemble(parts: list[tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]],
              count: int) -> dict[int, bytes]:
    """{bucket: its file} of the buckets these grams fall in, from each kind's (grams' code points,
    their lengths, (block numbers, where each gram's block starts))."""
    keys, lengths, blobs, block_at, block_len = [], [], [], [], []
    base = 0
    for grams, length, (values, starts) in parts:
        data, size = _varints(values)
        byte_at = np.cumsum(size) - size
        begin = byte_at[starts] if len(starts) else np.zeros(0, np.int64)
        end = np.r_[begin[1:], len(data)] if len(starts) else begin
        keys.append(grams)
        lengths.append(length)
        blobs.append(data)
        block_at.append(begin + base)
        block_len.append(end - begin)
        base += len(data)
    keys, block_at, block_len = np.concatenate(keys), np.concatenate(block_at), np.concatenate(block_len)
    length = np.concatenate(lengths)
    columns = _gram_codes(keys, length)
    hashes = np.full(len(keys), 0x811C9DC5, dtype=np.uint64)
    for k in range(3):  # FNV-1a over the code points, as gram_hash
        step = ((hashes ^ columns[:, k].astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
        hashes = np.where(k < length, step, hashes)
    bucket = (hashes % np.uint64(count)).astype(np.int64)
    order = np.lexsort((columns[:, 2], columns[:, 1], columns[:, 0], bucket))  # by bucket, then as strings sort
    # each gram's header: [length, code points…, block byte length]
    emit = length[order] + 2
    offsets = np.cumsum(emit) - emit
    header = np.empty(int(emit.sum()), dtype=np.int64)
    header[offsets] = length[order]
    for k in range(3):
        has = length[order] > k
        header[offsets[has] + 1 + k] = columns[order[has], k]
    header[offsets + emit - 1] = block_len[order]
    head, head_size = _varints(header)
    head_at = np.cumsum(head_size) - head_size
    head_begin = head_at[offsets]
    head_len = np.add.reduceat(head_size, offsets) if len(offsets) else np.zeros(0, np.int64)
    source = np.concatenate([head, *blobs])
    piece_at = np.stack([head_begin, block_at[order] + len(head)], axis=1).ravel()
    piece_len = np.stack([head_len, block_len[order]], axis=1).ravel()
    out_at = np.cumsum(piece_len) - piece_len
    gather = np.repeat(piece_at - out_at, piece_len) + np.arange(int(piece_len.sum()))
    stream = source[gather].tobytes()
    per_bucket = np.bincount(bucket, minlength=count)
    ends = np.cumsum(np.bincount(bucket[order], weights=head_len + block_len[order], minlength=count)).astype(np.int64)
    files, begin = {}, 0
    for number in np.flatnonzero(per_bucket):
        prefix, _ = _varints(np.array([per_bucket[number]], dtype=np.int64))
        files[int(number)] = prefix.tobytes() + stream[int(ends[number - 1]) if number else 0:int(ends[number])]
    return files


def _documents_key(digests: dict[str, str]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(table_json())
    for path, value in sorted(digests.items()):
        digest.update(f"\0{path}\0{value}".encode("utf-8"))
    return digest.hexdigest()
