"""Feed the loader the bad inputs of issue 18 and print what `nianbao check` says about each.

    .venv/bin/python scripts/loader_cases.py [--markdown]

Each case is a small archive in a temporary folder (the bad fixture body of tests/fixtures, edited),
checked by the real command line in a subprocess with 20 s and 2 GB. A case is "ok" when the check
exits 0 or 1 with `path:line:col:` lines and no traceback.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests/fixtures/bad/cell/type/content/body"
NIANBAO = ROOT / ".venv/bin/nianbao"

LAUGHS = "lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))


def sub(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


def add(line: str):
    return lambda text: text.replace("format:", line + "\nformat:", 1)


CASES = [  # (name, edit of 2023.md or None, edit of the folder or None)
    ("billion laughs (400 bytes)", add(LAUGHS), None),
    ("[[[… 100,000 deep", add("deep: " + "[" * 100_000 + "]" * 100_000), None),
    ("nesting 5,000 deep", add("deep: " + "[" * 5000 + "]" * 5000), None),
    ("&a [*a]", add("loop: &a [*a]"), None),
    ("!!python/name:os.system", add("x: !!python/name:os.system ''"), None),
    ("unknown tag !foo", add("x: !foo bar"), None),
    ("year: !!int abc", sub("year: 2023", "year: !!int abc"), None),
    ("merge key <<", add("<<: {title: x}"), None),
    ("count 010", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 010]"), None),
    ("count 0x10", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 0x10]"), None),
    ("count 1:03", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 1:03]"), None),
    ("count 1_000", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 1_000]"), None),
    ("count 1.5e+3", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 1.5e+3]"), None),
    ("count 10^30", sub("[0, 0, 0, 0, 0, 0, 0]", "[0, 0, 0, 0, 0, 0, 1" + "0" * 30 + "]"), None),
    ("published: 2015-13-45", add("published: 2015-13-45"), None),
    ("published: 2016-02-30", add("published: 2016-02-30"), None),
    ("year of 5,000 digits", sub("year: 2023", "year: " + "9" * 5000), None),
    ("known_issues: 5", add("known_issues: 5"), None),
    ("known issue rule: a list", add("known_issues:\n  - rule: [a, b]\n    cell: a.b.c\n    note: x"), None),
    ("[0，0，0] full-width commas", sub("[0, 0, 0]", "[0，0，0]"), None),
    ("２ full-width digit", sub("[6]", "[２]"), None),
    ("title： full-width colon", sub("title:", "title："), None),
    ("［…］ full-width brackets", sub("[0, 0, 0]", "［0, 0, 0］"), None),
    ("_index.yaml symlink to /etc", None, "index-link"),
    ("top-level folder data/", None, "data"),
    ("top-level folder search-index/", None, "search-index"),
    ("outcome-total label", sub("withheld_third_party:       [0, 0, 5, 5, 0, 1, 11]",
                                "withheld_third_party:       [0, 0, 5, 5, 0, 1, 12]"), None),
]


def limits():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run(name, edit, folder) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        body = work / "content" / (folder if folder in ("data", "search-index") else "body")
        shutil.copytree(BASE, body)
        report = body / "2023.md"
        text = report.read_text(encoding="utf-8").replace('["五"]', "[5]")
        report.write_text(edit(text) if edit else text, encoding="utf-8")
        if folder == "index-link":
            (body / "_index.yaml").unlink()
            (work / "outside.yaml").write_text("name: 外面\nlevel: 乡镇\n", encoding="utf-8")
            (body / "_index.yaml").symlink_to(work / "outside.yaml")
        env = dict(os.environ, NIANBAO_CACHE=str(work / "cache"))
        try:
            p = subprocess.run([str(NIANBAO), "check", "--jobs", "1"], cwd=work, capture_output=True,
                               text=True, timeout=20, preexec_fn=limits, env=env)
        except subprocess.TimeoutExpired:
            return "timeout (20 s)", ""
        out = p.stdout + p.stderr
        if "Traceback" in out:
            last = [l for l in out.splitlines() if l.strip()][-1]
            return f"traceback (exit {p.returncode})", last[:140]
        if p.returncode < 0:
            return f"killed by signal {-p.returncode}", ""
        lines = [l for l in out.splitlines() if re.match(r"\S+:\d+:\d+: ", l)]
        if p.returncode not in (0, 1) or not lines:
            return f"exit {p.returncode}", out.strip()[:140]
        return f"exit {p.returncode}", " / ".join(l[:200] for l in lines[:2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    for name, edit, folder in CASES:
        if args.k not in name:
            continue
        outcome, text = run(name, edit, folder)
        text = text.replace("|", "\\|")
        print(f"| {name} | {outcome} | {text} |" if args.markdown else f"{name}: {outcome}\n    {text}", flush=True)


if __name__ == "__main__":
    main()
