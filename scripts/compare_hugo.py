"""Side by side with Hugo: the same synthetic corpus built by nianbao and by Hugo, timed in one run.

    .venv/bin/python scripts/compare_hugo.py --reports 2000 --runs 3     # needs Debian's `hugo`

The corpus is the benchmark's own (scripts/bench.py, tests/synthetic.py). The Hugo side is a small
site of its own under .cache/bench/N/hugo/: the same report files (every table in the front matter,
the narrative in markdown), `_index.md` in place of `_index.yaml`, and a template that renders the
three tables from the front matter, row by row and column by column, in the order of the format
spec (written as Hugo data from generator/formats/). Hugo makes a page per report and per folder,
as nianbao does; it does not check sums, export data or cut words for search.

The steps are interleaved (nianbao, Hugo, nianbao, Hugo, …) so that both tools see the same state
of the machine, every build is cold (no cache, empty output folder), and the medians are compared.
"With search" is `nianbao build` against Hugo followed by the same Pagefind binary on Hugo's pages.
`--before DIR` measures another checkout of nianbao (say `git archive <commit> | tar -x -C DIR`) in the
same interleaved runs, for a before-and-after figure; `--no-search` skips the builds with search,
`--search-only` those without. Each build's CPU time (user and system, its whole process tree) is
printed beside its wall time: on a loaded machine it changes much less.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import NIANBAO, ROOT, archive, measure  # noqa: E402

from generator.formats import FORMATS, get_format  # noqa: E402

HUGO_CONFIG = """\
baseURL = "http://localhost:8000/"
languageCode = "zh-CN"
title = "年报档案（Hugo 对照）"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
"""

BASE = """\
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-pagefind-body>{{ block "main" . }}{{ end }}</main></body></html>
"""

SINGLE = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .Params.year }} 年 · 格式 {{ .Params.format }}</p>
{{ $page := . }}
{{ with index site.Data.formats (printf "f%s" .Params.format) }}
{{ range .tables }}
{{ $rows := index $page.Params .id }}
<section><h2>{{ .number }}、{{ .title }}</h2>
{{ range .blocks }}
<table><caption>{{ .label }}</caption>
<thead><tr><th scope="col">{{ .stub }}</th>{{ range .columns }}<th scope="col">{{ . }}</th>{{ end }}</tr></thead>
<tbody>
{{ range .rows }}<tr><th scope="row">{{ .label }}</th>
{{- with index $rows .id }}{{ range . }}<td>{{ if eq . nil }}—{{ else }}{{ . }}{{ end }}</td>{{ end }}{{ end }}</tr>
{{ end }}</tbody></table>
{{ end }}</section>
{{ end }}
{{ end }}
{{ .Content }}
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<table><thead><tr><th scope="col">报告</th><th scope="col">年度</th></tr></thead><tbody>
{{ range .RegularPages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.year }}</td></tr>
{{ end }}</tbody></table>
{{ end }}
"""


def format_data(format_id: str) -> dict:
    """The spec's tables as Hugo data: the template renders what nianbao's layout renders."""
    fmt = get_format(format_id)
    return {"tables": [{
        "id": t.id, "number": t.number, "title": t.title,
        "blocks": [{"label": b.label or "", "stub": b.stub or "",
                    "columns": [c.full_label for c in b.columns],
                    "rows": [{"id": r.id, "label": r.full_label} for r in b.rows if not r.optional]}
                   for b in t.blocks]} for t in fmt.tables]}


def hugo_site(work: Path) -> Path:
    """The Hugo side, made once from the corpus: the same files, `_index.md` for each folder."""
    site = work / "hugo"
    if (site / "content").is_dir():
        return site
    shutil.rmtree(site, ignore_errors=True)
    for name, text in (("hugo.toml", HUGO_CONFIG), ("layouts/_default/baseof.html", BASE),
                       ("layouts/_default/single.html", SINGLE), ("layouts/_default/list.html", LIST)):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "data" / "formats").mkdir(parents=True)
    for format_id in FORMATS:
        (site / "data" / "formats" / f"f{format_id}.json").write_text(
            json.dumps(format_data(format_id), ensure_ascii=False), encoding="utf-8")
    shutil.copytree(work / "content", site / "content.tmp")
    for index in (site / "content.tmp").rglob("_index.yaml"):
        text = index.read_text(encoding="utf-8")
        name = text.split("\n", 1)[0].removeprefix("name: ")
        index.with_suffix(".md").write_text(f"---\ntitle: {name}\n{text}---\n", encoding="utf-8")
        index.unlink()
    (site / "content.tmp").rename(site / "content")
    return site


def pagefind() -> str:
    """The Pagefind binary for the Hugo side (nianbao's own search needs none): from PyPI, into the venv."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        sys.exit("the Hugo side needs Pagefind: .venv/bin/pip install pagefind-bin-extended==1.5.2")
    return str(get_executable())


Step = tuple[list[str], Path, Path]  # a command, where it runs, the checkout whose generator it runs


def steps(work: Path, site: Path, before: Path | None = None) -> dict[str, list[Step]]:
    """Each measured variant: the commands it runs, one after the other, and where. `before`: another
    checkout of nianbao, measured beside this one (an earlier commit, for a before-and-after figure)."""
    nianbao = [*NIANBAO, "build", "--content", "content", "--out", "site", "--no-cache"]
    hugo = ["hugo", "--quiet", "--destination", "public"]
    variants = {
        "nianbao, without search": [(nianbao + ["--no-search"], work, ROOT)],
        "Hugo": [(hugo, site, ROOT)],
        "nianbao, with search": [(nianbao, work, ROOT)],
        "Hugo + Pagefind": [(hugo, site, ROOT), ([pagefind(), "--site", "public", "--silent"], site, ROOT)],
    }
    if before:
        variants[f"{BEFORE}, without search"] = [(nianbao + ["--no-search"], work, before)]
        variants[f"{BEFORE}, with search"] = [(nianbao, work, before)]
    return variants


BEFORE = "nianbao before"


def clean(work: Path, site: Path) -> None:
    for path in (work / "site", site / "public", site / "resources"):
        shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true", help="only the builds without search")
    parser.add_argument("--search-only", action="store_true", help="only the builds with search")
    parser.add_argument("--before", type=Path, help="another checkout of nianbao to measure beside this one")
    opts = parser.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo not found: apt-get install hugo")
    work = archive(opts.reports)
    site = hugo_site(work)
    variants = steps(work, site, opts.before and opts.before.resolve())
    if opts.no_search or opts.search_only:
        variants = {name: commands for name, commands in variants.items()
                    if opts.search_only == ("with search" in name or "Pagefind" in name)}
    times: dict[str, list[float]] = {name: [] for name in variants}
    peaks: dict[str, int] = {name: 0 for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(opts.runs):
        for name, commands in variants.items():
            clean(work, site)
            total = cpu_total = 0.0
            for command, cwd, root in commands:
                wall, rss, cpu = measure(command, cwd, root)
                total += wall
                cpu_total += cpu
                peaks[name] = max(peaks[name], rss)
            times[name].append(total)
            cpus[name].append(cpu_total)
            print(f"run {run + 1}: {name:<26} {total:7.2f} s {cpu_total:7.2f} s CPU  load {os.getloadavg()[0]:.1f}",
                  file=sys.stderr)
    clean(work, site)
    median = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    print(f"\n{opts.reports:,} reports, {opts.runs} runs interleaved, medians; hugo "
          f"{subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.split()[1]}\n")
    print("| build | median wall time | runs | peak memory (PSS) | ratio to Hugo | CPU time (median) | CPU ratio |\n"
          "|---|---:|---|---:|---:|---:|---:|")
    for name, other in ((f"{BEFORE}, without search", "Hugo"), ("nianbao, without search", "Hugo"), ("Hugo", "Hugo"),
                        (f"{BEFORE}, with search", "Hugo + Pagefind"), ("nianbao, with search", "Hugo + Pagefind"),
                        ("Hugo + Pagefind", "Hugo + Pagefind")):
        if name not in variants:
            continue
        runs = ", ".join(f"{t:.1f}" for t in times[name])
        print(f"| {name} | {median[name]:.2f} s | {runs} | {peaks[name] / 2**20:,.0f} MB "
              f"| {median[name] / median[other]:.2f}× | {cpu[name]:.2f} s | {cpu[name] / cpu[other]:.2f}× |")


if __name__ == "__main__":
    main()
