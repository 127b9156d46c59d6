"""Build the Pagefind index from the index documents, as files to publish under pagefind/.

The documents are written to a scratch folder laid out like the site (so Pagefind derives each
result's URL from its path) and indexed there by the extended Pagefind binary from PyPI; the
bundle it writes is read back into memory and published with the rest of the site, so a failed
index leaves site/ untouched like any other failed build step.

Pagefind does not write byte-identical bundles for identical input (its filter and metadata files
vary between runs), so a bundle carries the hash of the documents it was built from, and a build
whose documents are unchanged publishes the previous bundle again instead of re-indexing.
"""
from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

from pagefind_bin_extended import get_executable

BUNDLE = "pagefind"
KEY_FILE = "nianbao-documents.sha256"
OPTIONS = ["--force-language", "zh-cn", "--quiet"]


class SearchIndexError(Exception):
    """Pagefind failed; the message holds what it printed."""


def documents_key(documents: dict[str, str]) -> str:
    digest = hashlib.sha256(" ".join([str(get_executable().name), *OPTIONS]).encode())
    for path, html in sorted(documents.items()):
        digest.update(f"\0{path}\0{html}".encode("utf-8"))
    return digest.hexdigest()


def pagefind_bundle(documents: dict[str, str], previous_site: Path | None = None) -> dict[str, bytes]:
    """{site path: HTML} of index documents -> {site path: bytes} of the search bundle."""
    key = documents_key(documents)
    old = previous_site / BUNDLE if previous_site else None
    if old and (old / KEY_FILE).is_file() and (old / KEY_FILE).read_text(encoding="ascii") == key:
        return _read(old)
    with tempfile.TemporaryDirectory(prefix="nianbao-index-") as scratch:
        root, out = Path(scratch) / "docs", Path(scratch) / BUNDLE
        for path, html in documents.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        root.mkdir(exist_ok=True)
        run = subprocess.run([str(get_executable()), "--site", str(root), "--output-path", str(out), *OPTIONS],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise SearchIndexError((run.stdout + run.stderr).strip())
        (out / KEY_FILE).write_text(key, encoding="ascii")
        return _read(out)


def _read(bundle: Path) -> dict[str, bytes]:
    return {f"{BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}
