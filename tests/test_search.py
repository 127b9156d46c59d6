"""Chinese search in real Chromium against a built archive: recall per term, filters, shared URLs."""
import html as html_lib
import json
import re

import pytest
from opencc import OpenCC

from browser import Site, Tab
from conftest import ROOT, SEED_CONTENT
from generator.archive import load_archive
from generator.build import build
from generator import urls
from search_corpus import make_archive

pytestmark = pytest.mark.browser  # drives headless Chromium: `pytest -m "not browser"` skips it

LABELS = ["重复申请", "行政复议", "行政诉讼", "不予公开", "本机关不掌握相关政府信息", "予以公开", "部分公开",
          "不予处理", "自然人", "商业企业", "法律服务机构", "行政处罚", "行政许可", "行政强制", "行政事业性收费",
          "行政规范性文件",
          "信访举报投诉类申请", "属于国家秘密", "没有现成信息需要另行制作", "结果维持", "结果纠正"]
PROSE = ["举报", "医保", "乡村振兴", "财政预决算", "政府网站", "政务公开", "依申请公开", "主动公开", "政策解读",
         "安全生产", "便民服务", "培训", "监督", "考核", "公示栏", "民生", "新媒体"]
REAL_NAMES = ["小城子镇", "宝清县", "双鸭山市", "黑龙江省", "大寨镇", "小店镇"]

HARNESS = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<script src="/assets/search-core.js"></script><script type="module">
const out = {};
try {
  for (const query of %s) {
    const found = await window.nianbao.search(query, %s);
    out[query] = {urls: found.results.map(r => r.url), total: found.total};
  }
} catch (e) { out.error = String(e) + e.stack; }
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


def search(corpus, queries, options=None, name="harness", ordered=False):
    """{query: result URLs} as the search page lists them: sets, or lists in their order if `ordered`."""
    _, out, site, work = corpus
    page = HARNESS % (json.dumps(queries), json.dumps(options or {}))
    (out / f"{name}.html").write_text(page, encoding="utf-8")
    found = site.run(f"/{name}.html", work / f"profile-{name}")
    assert "error" not in found, found
    for query, answer in found.items():
        assert answer["total"] == len(answer["urls"]), query  # the count shown is the count listed
    return {q: a["urls"] if ordered else set(a["urls"]) for q, a in found.items()}


def searchable_text(archive, report, out) -> str:
    """What a reader can find a report by: its page's title, places and narrative as rendered, and
    every label (row, column and their groups) of a cell holding a non-zero number, with its table's title."""
    page = (out / urls.output_path(urls.report_url(report))).read_text(encoding="utf-8")
    parts = re.findall(r'<h1>(.*?)</h1>|<nav class="crumbs"[^>]*>(.*?)</nav>'
                       r'|<article class="narrative">(.*?)</article>', page, re.S)
    text = " ".join(" ".join(p) for p in parts)
    text = re.sub(r'<section class="report-table".*?</section>', " ", text, flags=re.S)  # tables sit in their sections
    for table in report.format.tables if report.format else ():
        labels = ""
        for block in table.blocks:
            for row in block.rows:
                for column, cell in zip(block.columns, report.row(table.id, row.id) or []):
                    if cell.value:
                        labels += " ".join((" ", row.label, *row.groups, column.label, *column.groups))
        if labels:
            text += f" {table.number}、{table.title} {labels}"
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


def synthetic_names(archive) -> list[str]:
    folders = [f for s, f in sorted(archive.folders.items()) if s[0].startswith("p")]
    return [next(f.name for f in folders if f.level == level) for level in ("省", "市", "县", "乡镇")] + \
           [f.name for f in folders if f.level == "乡镇"][-2:]


TRADITIONAL = OpenCC("s2t")  # OpenCC's own simplified -> traditional, a different table from the search's


def queries_for(terms: list[str]) -> dict[str, list[str]]:
    """Each query -> the terms a report must hold: every term plain, quoted, in traditional characters,
    half traditional (mixed), and pairs of terms separated by a space."""
    out = {}
    for term in terms:
        out[term] = out[f'"{term}"'] = out[f"“{term}”"] = [term]
        out[TRADITIONAL.convert(term)] = [term]
        half = len(term) // 2
        out[term[:half] + TRADITIONAL.convert(term[half:])] = [term]
    for a, b in zip(terms, terms[1:] + terms[:1]):
        out[f"{a} {b}"] = [a, b]
    return out


def check_exact(found: dict[str, set], texts: dict[str, str], queries: dict[str, list[str]], name: str) -> None:
    """Every query lists exactly the reports whose text holds all its terms; the table goes to tests/artifacts."""
    rows, failures = [], []
    for query, terms in queries.items():
        expected = {url for url, text in texts.items() if all(t in text for t in terms)}
        assert expected or len(terms) > 1, f"no page contains {terms}: the term list needs fixing"
        listed = found[query]
        rows.append(f"| {query} | {len(expected)} | {len(listed)} | {len(listed & expected)} |")
        if listed != expected:
            failures.append(f"{query}: {len(expected - listed)} missing (e.g. {sorted(expected - listed)[:2]}), "
                            f"{len(listed - expected)} listed without it (e.g. {sorted(listed - expected)[:2]})")
    table = "| query | reports holding it | listed | listed and holding it |\n|---|---:|---:|---:|\n"
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    artifact = ROOT / "tests" / "artifacts" / f"search-exact-{name}.md"
    artifact.write_text(table + "\n".join(rows) + "\n", encoding="utf-8")
    assert not failures, "\n".join(failures)


def test_every_query_lists_exactly_the_reports_that_hold_it(corpus):
    archive, out, _, _ = corpus
    assert len(archive.reports) >= 300
    terms = REAL_NAMES + synthetic_names(archive) + LABELS + PROSE
    assert len(terms) >= 40
    texts = {urls.report_url(r): searchable_text(archive, r, out) for r in archive.reports}
    queries = queries_for(terms)
    assert "重複申請" in queries and "寶東鎮" in queries_for(["宝东镇"])
    check_exact(search(corpus, list(queries)), texts, queries, "test-archive")


def test_a_name_lists_its_own_reports_first(corpus):
    archive, *_ = corpus
    places = [f for s, f in sorted(archive.folders.items()) if s[0].startswith("p")]
    chosen = [next(f for f in places if f.level == level) for level in ("县", "乡镇", "市")] + [places[-1]]
    found = search(corpus, [f.name for f in chosen], name="names", ordered=True)
    for folder in chosen:
        prefix = urls.folder_url(folder.slugs)
        own = [u for u in found[folder.name] if u.startswith(prefix)]
        beneath = {urls.report_url(r) for r in archive.reports if r.folder[:len(folder.slugs)] == folder.slugs}
        assert set(own) == beneath and found[folder.name][:len(own)] == own, (folder.name, found[folder.name][:20])
        # the body's own, before those beneath
        body = [u for u in own if u.rstrip("/").rsplit("/", 1)[0] + "/" == prefix]
        assert own[:len(body)] == body


def test_filters_narrow_to_a_year_and_to_a_region(corpus):
    archive, *_ = corpus
    province = next(f for s, f in sorted(archive.folders.items()) if f.level == "省" and s[0].startswith("p"))
    found = search(corpus, ["政务公开"], {"filters": {"年度": ["2024"]}}, "by-year")["政务公开"]
    assert found and all(u.endswith("/2024/") for u in found)
    found_all = search(corpus, ["政务公开"], None, "all")["政务公开"]
    assert len(found_all) > len(found)
    by_region = search(corpus, ["政务公开"], {"filters": {"省份": [province.name]}}, "by-region")["政务公开"]
    assert by_region and all(u.startswith(f"/{province.slugs[0]}/") for u in by_region)
    assert len(by_region) < len(found_all)


def test_results_from_every_shard_sort_by_year(corpus):
    _, out, *_ = corpus
    assert len({s["year"] for s in json.loads((out / "search-index" / "shards.json").read_text())}) >= 5
    for order in ("desc", "asc"):
        found = search(corpus, ["政务公开"], {"sort": order}, f"sort-{order}", ordered=True)["政务公开"]
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
      const links = [...doc.querySelectorAll(".search-result-link")].map(a => new URL(a.href).pathname);
      const count = doc.querySelector(".search-count");
      same = count && count.textContent && links.join() === last ? same + 1 : 0;
      last = links.join();
      if (same >= 5 || Date.now() - started > 20000) {
        clearInterval(poll);
        out[path] = {links, input: doc.querySelector(".search-input").value,
                     count: count ? count.textContent : null, url: frame.contentWindow.location.search};
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
    assert not build(SEED_CONTENT, work / "site").errors
    site = Site(work / "site")
    yield site, work, load_archive(SEED_CONTENT)  # with every cell: what a search should find
    site.stop()


def test_every_query_lists_exactly_the_reports_that_hold_it_on_the_real_content(real_site):
    site, work, archive = real_site
    out = work / "site"
    texts = {urls.report_url(r): searchable_text(archive, r, out) for r in archive.reports}
    terms = [t for t in REAL_NAMES + LABELS + PROSE + ["大象新闻", "宝东镇", "政府信息公开", "本机关", "2023"]
             if any(t in text for text in texts.values())]
    assert len(terms) >= 30
    queries = queries_for(list(dict.fromkeys(terms)))
    check_exact(search((archive, out, site, work), list(queries), name="real"), texts, queries, "real")


def test_search_page_runs_the_query_in_its_url_on_the_real_content(real_site):
    site, work, _ = real_site
    cases = ["/search/?q=小城子镇", "/search/?q=重复申请", "/search/?q=政务公开&年度=2025",
             "/search/?q=政务公开&sort=asc", "/search/?q=政务公开&sort=desc", "/search/?q=寶東鎮",
             "/search/?q=%22重複申请%22"]
    (work / "site" / "ui.html").write_text(UI_HARNESS % json.dumps(cases), encoding="utf-8")
    found = site.run("/ui.html", work / "profile-ui")
    xiaochengzi = "/heilongjiang/shuangyashan/baoqing/xiaochengzi/"
    assert found[cases[0]]["links"][:2] == [xiaochengzi + "2025/", xiaochengzi + "2020/"]  # its own, newest first
    assert found[cases[0]]["input"] == "小城子镇"
    assert found[cases[1]]["links"] == ["/hongqi/xiaodian/2023/"] and found[cases[1]]["count"] == "找到 1 份报告"
    assert found[cases[6]]["links"] == found[cases[1]]["links"]
    year_2025 = found[cases[2]]["links"]
    assert year_2025 and all(u.endswith("/2025/") for u in year_2025)
    assert {r.year for r in load_archive(SEED_CONTENT).reports} - {2025}  # the filter had others to drop
    for case, descending in ((cases[3], False), (cases[4], True)):
        years = [int(u.rstrip("/").rsplit("/", 1)[1]) for u in found[case]["links"]]
        assert len(set(years)) >= 3 and years == sorted(years, reverse=descending), (case, years)
        assert f"sort={'desc' if descending else 'asc'}" in found[case]["url"]
    assert found[cases[5]]["links"] and all("baodong" in u for u in found[cases[5]]["links"][:1])


@pytest.mark.parametrize("width", [375, 1280])
def test_search_results_fit_the_screen_and_are_kept_as_screenshots(real_site, width):
    site, work, _ = real_site
    tab = Tab(f"{site.url}/search/?q=行政复议", work / f"profile-shot-{width}", width, 1400)
    try:
        tab.wait_for("document.querySelectorAll('.search-result').length >= 5")
        assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
        tab.screenshot(ROOT / "tests" / "artifacts" / f"search-{width}.png")
    finally:
        tab.close()
