"""A synthetic archive of any size, valid by construction, shaped like the real one.

Regions nest province → city → county; each county holds its government and five towns; each
body reports six years, 2019–2020 in the 2019 format and 2021–2024 in the 2021 format. Tables
come from factory.py (every sum rule holds, across years too); narratives are 3–6 KB of
paragraphs drawn from the real reports. Used by the benchmark (scripts/bench.py).
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

from factory import consistent_years, report_text

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = "安宝长春东丰福富光和河红华吉嘉江金锦康乐林龙茂明南宁平清庆仁瑞山盛顺泰桃新兴阳永裕岳云泽振"
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
YEARS = {"2019": [2019, 2020], "2021": [2021, 2022, 2023, 2024]}
BODIES_PER_COUNTY = 6  # the county government and five towns
COUNTIES_PER_CITY, CITIES_PER_PROVINCE = 4, 6
CHAINS = 12  # distinct tables per format, each scaled at random per body


def paragraphs(content: Path = ROOT / "tests" / "fixtures" / "seeds" / "content") -> list[str]:
    """Prose paragraphs of the real reports (headings and tables left out)."""
    out = []
    for path in sorted(content.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        out += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 40 and not p.lstrip().startswith(("#", "|"))]
    return out


def narrative(rng: random.Random, body: str, pool: list[str]) -> str:
    """Six sections of real paragraphs, 3–6 KB in all."""
    size = rng.randint(3000, 6000)
    sections = [[f"{body}认真贯彻落实《中华人民共和国政府信息公开条例》，现将本年度工作情况报告如下。"]]
    sections += [[] for _ in HEADINGS[1:]]
    while sum(len(p.encode()) for s in sections for p in s) < size:
        rng.choice(sections).append(rng.choice(pool))
    parts = [f"## {h}\n\n" + "\n\n".join(s) for h, s in zip(HEADINGS, sections)]
    return "\n\n" + "\n\n".join(parts) + "\n"


class _Names:
    def __init__(self, rng: random.Random):
        self.rng, self.taken = rng, set()

    def __call__(self, suffix: str) -> str:
        while True:  # two syllables give 2,500 names per suffix; a third comes in once they run short
            size = 2 if len(self.taken) < 1500 else 3
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(size)) + suffix
            if name not in self.taken:
                self.taken.add(name)
                return name


def _index(folder: Path, name: str, level: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.yaml").write_text(f"name: {name}\nlevel: {level}\n", encoding="utf-8")


def _chains(rng: random.Random, count: int) -> dict[str, list[list[dict]]]:
    """A few consistent year chains per format: drawing one per body would take hours at 100,000."""
    return {fmt: [consistent_years(fmt, rng, len(years), high=3) for _ in range(count)] for fmt, years in YEARS.items()}


def _scaled(chain: list[dict], factor: int) -> list[dict]:
    """Every sum rule is linear, so a whole chain times a whole number still satisfies them all."""
    return [{t: {r: [v * factor for v in vs] for r, vs in rows.items()} for t, rows in tables.items()}
            for tables in chain]


def _body_reports(rng: random.Random, folder: Path, name: str, pool: list[str], chains: dict, count: int) -> None:
    for fmt, years in YEARS.items():
        for year, tables in zip(years, _scaled(rng.choice(chains[fmt]), rng.randint(1, 12))):
            if count <= 0:
                return
            text = report_text(fmt, year, f"{name}{year}年政府信息公开工作年度报告", tables,
                               meta=f"published: {year + 1}-01-{rng.randint(10, 31)}",
                               narrative=narrative(rng, name, pool))
            (folder / f"{year}.md").write_text(text, encoding="utf-8")
            count -= 1


def make_archive(content: Path, reports: int, seed: int = 1, chains: int = CHAINS) -> Path:
    """Write `reports` reports into the folder `content` (which must not exist yet)."""
    rng, pool = random.Random(seed), paragraphs()
    chains = _chains(rng, chains)
    names = _Names(rng)
    per_body = sum(len(y) for y in YEARS.values())
    bodies = -(-reports // per_body)
    left = reports
    for b in range(bodies):
        county, body = divmod(b, BODIES_PER_COUNTY)
        city, k = divmod(county, COUNTIES_PER_CITY)
        province, c = divmod(city, CITIES_PER_PROVINCE)
        path = content / f"p{province}"
        if not path.exists():
            _index(path, names("省"), "省")
        path /= f"c{c}"
        if not path.exists():
            _index(path, names("市"), "市")
        path /= f"k{k}"
        if not path.exists():
            _index(path, names("县"), "县")
        if body:
            path /= f"t{body}"
            _index(path, names("镇"), "乡镇")
        _body_reports(rng, path, _name_of(path), pool, chains, min(per_body, left))
        left -= per_body
    return content


def with_seeds(content: Path, reports: int) -> Path:
    """A synthetic archive of `reports` reports beside a copy of the frozen real reports (blank cells,
    bodies at several levels, a report in no format): what the tests of many-report pages build."""
    make_archive(content, reports)
    seeds = ROOT / "tests" / "fixtures" / "seeds" / "content"
    for child in seeds.iterdir():
        shutil.copytree(child, content / child.name) if child.is_dir() else shutil.copy(child, content)
    return content


def province_beside_seeds(content: Path, reports: int, chains: int = CHAINS) -> Path:
    """A copy of the frozen real reports with a synthetic province (合成省, folder synthetic/) of `reports`
    reports beside them: what the tests that edit an archive and build it again work on."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "seeds" / "content", content)
    make_archive(content / "synthetic", reports, chains=chains)
    (content / "synthetic" / "_index.yaml").write_text("name: 合成省\nlevel: 省\n", encoding="utf-8")
    return content


def _name_of(folder: Path) -> str:
    return folder.joinpath("_index.yaml").read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("name: ")
