"""Chinese search in real Chromium against a built archive: recall per term, filters, shared URLs."""
import html as html_lib
import json
import re

import pytest

from browser import Site, Tab
from conftest import ROOT, SEED_CONTENT
from generator.archive import load_archive
from generator.build import build
from generator import urls
from search_corpus import make_archive

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

LABELS = ["重复申请", "行政复议", "行政诉讼", "不予公开", "本机关不掌握相关政府信息", "予以公开", "部分公开", "不予处理",
          "自然人", "商业企业", "法律服务机构", "行政处罚", "行政许可", "行政强制", "行政事业性收费", "行政规范性文件",
          "信访举报投诉类申请", "属于国家秘密", "没有现成信息需要另行制作", "结果维持", "结果纠正"]
PROSE = ["举报", "医保", "乡村振兴", "财政预决算", "政府网站", "政务公开", "依申请公开", "主动公开", "政策解读",
         "安全生产", "便民服务", "培训", "监督", "考核", "公示栏", "民生", "新媒体"]
REAL_NAMES = ["小城子镇", "宝清县", "双鸭山市", "黑龙江省", "大寨镇", "小店镇"]

HARNESS = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<script src="/assets/search-core.js"></script><script type="module">
const out = {}, RAW = %s, ORDER = %s;
try {
  const shards = await (await fetch("/pagefind/shards.json")).json();
  const weights = window.nianbao.shardWeights(shards, ORDER);
  const pagefind = await import(shards[0].bundle + "pagefind.js");
  await pagefind.options({basePath: shards[0].bundle, indexWeight: weights[0]});
  for (const [i, shard] of shards.slice(1).entries()) await pagefind.mergeIndex(shard.bundle, {indexWeight: weights[i + 1]});
  for (const query of %s) {
    const term = RAW ? query : window.nianbao.searchTerm(query);
    const found = await pagefind.search(term, %s);
    out[query] = (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
  }
} catch (e) { out.error = String(e); }
fetch("/__result__", {method: "POST", body: JSON.stringify(out)});
</script>"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("search")
    content = make_archive(work)
    assert not build(content, work / "site").errors
    site = Site(work / "site")
    yield load_archive(content), work / "site", site, work  # with every cell: what a search should find
    site.stop()


def search(corpus, queries, options=None, name="harness", raw=False, order=None):
    """{query: result URLs}, each query passed through the search page's term processing unless raw;
    with an order ("desc" or "asc"), ordered by year the way the search page orders them, as lists."""
    _, out, site, work = corpus
    page = HARNESS % (json.dumps(raw), json.dumps(order or ""), json.dumps(queries), json.dumps(options or {}))
    (out / f"{name}.html").write_text(page, encoding="utf-8")
    found = site.run(f"/{name}.html", work / f"profile-{name}")
    assert "error" not in found, found
    return found if order else {q: set(urls_) for q, urls_ in found.items()}


def searchable_text(archive, report, out) -> str:
    """What a reader can find a report by: its page's title, places and narrative as rendered, and
    every label (row, column and their groups) of a cell holding a non-zero number."""
    page = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
    parts = re.findall(r"<h1>(.*?)</h1>|<nav class=\"crumbs\"[^>]*>(.*?)</nav>|<article class=\"narrative\">(.*?)</article>",
                       page, re.S)
    text = " ".join(" ".join(p) for p in parts)
    text = re.sub(r'<section class="report-table".*?</section>', " ", text, flags=re.S)  # tables sit in their sections
    for table in report.format.tables if report.format else ():
        for block in table.blocks:
            for row in block.rows:
                for column, cell in zip(block.columns, report.row(table.id, row.id) or []):
                    if cell.value:
                        text += " ".join((" ", row.label, *row.groups, column.label, *column.groups))
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


def synthetic_names(archive) -> list[str]:
    folders = [f for s, f in sorted(archive.folders.items()) if s[0].startswith("p")]
    return [next(f.name for f in folders if f.level == level) for level in ("省", "市", "县", "乡镇")] + \
           [f.name for f in folders if f.level == "乡镇"][-2:]


def test_every_term_finds_at_least_99_percent_of_the_pages_that_contain_it(corpus):
    archive, out, _, work = corpus
    assert len(archive.reports) >= 300
    terms = REAL_NAMES + synthetic_names(archive) + LABELS + PROSE
    assert len(terms) >= 40
    texts = {urls.report_url(r): searchable_text(archive, r, out) for r in archive.reports}
    queries = terms + [f'"{t}"' for t in terms]
    found = search(corpus, queries)
    exact = search(corpus, queries[len(terms):], name="exact", raw=True)  # Pagefind's own phrase mode
    rows, failures = [], []
    for query in queries:
        term = query.strip('"')
        expected = {url for url, text in texts.items() if term in text}
        assert expected, f"no page contains {term}: the term list needs fixing"
        hits = found[query] & expected
        recall, precision = len(hits) / len(expected), len(hits) / len(found[query]) if found[query] else 0
        raw = f"{len(exact[query] & expected) / len(expected):.0%}" if query in exact else ""
        rows.append(f"| {query} | {len(expected)} | {len(found[query])} | {recall:.1%} | {precision:.1%} | {raw} |")
        if recall < 0.99:
            failures.append(f"{query}: {len(hits)}/{len(expected)}, missing e.g. {sorted(expected - hits)[:3]}")
    table = ("| query | pages containing it | pages found | recall | precision | recall of Pagefind's own phrase mode |"
             "\n|---|---|---|---|---|---|\n")
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    (ROOT / "tests" / "artifacts" / "search-recall.md").write_text(table + "\n".join(rows) + "\n", encoding="utf-8")
    print("\n" + table + "\n".join(rows))
    assert not failures, "\n".join(failures)


def test_filters_narrow_to_a_year_and_to_a_region(corpus):
    archive, *_ = corpus
    province = next(f for s, f in sorted(archive.folders.items()) if f.level == "省" and s[0].startswith("p"))
    found = search(corpus, ["政务公开"], {"filters": {"年度": "2024"}}, "by-year")["政务公开"]
    assert found and all(u.endswith("/2024/") for u in found)
    found_all = search(corpus, ["政务公开"], None, "all")["政务公开"]
    assert len(found_all) > len(found)
    by_region = search(corpus, ["政务公开"], {"filters": {"省份": province.name}}, "by-region")["政务公开"]
    assert by_region and all(u.startswith(f"/{province.slugs[0]}/") for u in by_region)
    assert len(by_region) < len(found_all)


def test_results_from_every_shard_sort_by_year(corpus):
    _, out, *_ = corpus
    assert len({s["year"] for s in json.loads((out / "pagefind" / "shards.json").read_text())}) >= 5
    for order in ("desc", "asc"):
        found = search(corpus, ["政务公开"], None, f"sort-{order}", order=order)["政务公开"]
        years = [int(u.rstrip("/").rsplit("/", 1)[1]) for u in found]
        assert len(years) > 300 and years == sorted(years, reverse=order == "desc")


UI_HARNESS = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body><script>
const cases = %s, out = {};
let pending = cases.length;
for (const path of cases) {
  const frame = document.createElement("iframe");
  frame.style.width = "1280px"; frame.style.height = "900px";
  frame.src = path;
  frame.onload = () => {
    const started = Date.now();
    let last = "", same = 0;
    const poll = setInterval(() => {
      const doc = frame.contentDocument;
      const links = [...doc.querySelectorAll(".pagefind-ui__result-link")].map(a => new URL(a.href).pathname);
      const message = doc.querySelector(".pagefind-ui__message");
      // the UI fills in results one by one as their fragments load: wait until the list stops changing
      same = links.length && links.join() === last ? same + 1 : 0;
      last = links.join();
      if (same >= 10 || Date.now() - started > 20000) {
        clearInterval(poll);
        out[path] = {links, input: doc.querySelector(".pagefind-ui__search-input").value,
                     message: message ? message.textContent : null, url: frame.contentWindow.location.search};
        if (--pending === 0) fetch("/__result__", {method: "POST", body: JSON.stringify(out)});
      }
    }, 100);
  };
  document.body.appendChild(frame);
}
</script>"""


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    work = tmp_path_factory.mktemp("real")
    archive = build(SEED_CONTENT, work / "site")
    assert not archive.errors
    site = Site(work / "site")
    yield site, work
    site.stop()


def test_search_page_runs_the_query_in_its_url_on_the_real_content(real_site):
    site, work = real_site
    cases = ["/search/?q=小城子镇", "/search/?q=重复申请", "/search/?q=政务公开&年度=2025", "/search/?q=政务公开&sort=asc",
             "/search/?q=政务公开&sort=desc"]
    (work / "site" / "ui.html").write_text(UI_HARNESS % json.dumps(cases), encoding="utf-8")
    found = site.run("/ui.html", work / "profile-ui")
    xiaochengzi = "/heilongjiang/shuangyashan/baoqing/xiaochengzi/"
    assert {u for u in found[cases[0]]["links"] if u.startswith(xiaochengzi)} == {xiaochengzi + "2020/", xiaochengzi + "2025/"}
    assert found[cases[0]]["input"] == "小城子镇"
    assert "/hongqi/xiaodian/2023/" in found[cases[1]]["links"]
    year_2025 = found[cases[2]]["links"]
    assert year_2025 and all(u.endswith("/2025/") for u in year_2025)
    assert {r.year for r in load_archive(SEED_CONTENT).reports} - {2025}  # the filter had others to drop
    for case, descending in ((cases[3], False), (cases[4], True)):
        years = [int(u.rstrip("/").rsplit("/", 1)[1]) for u in found[case]["links"]]
        assert len(set(years)) >= 3 and years == sorted(years, reverse=descending), (case, years)


@pytest.mark.parametrize("width", [375, 1280])
def test_search_results_fit_the_screen_and_are_kept_as_screenshots(real_site, width):
    site, work = real_site
    tab = Tab(f"{site.url}/search/?q=行政复议", work / f"profile-shot-{width}", width, 1400)
    try:
        tab.wait_for("document.querySelectorAll('.pagefind-ui__result').length >= 5")
        assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
        tab.screenshot(ROOT / "tests" / "artifacts" / f"search-{width}.png")
    finally:
        tab.close()
