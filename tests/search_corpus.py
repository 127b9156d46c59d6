"""A test archive for search: the real content/ plus hundreds of synthetic reports.

Bodies sit in nested regions (province → city → county → town) with made-up Chinese names; their
tables are consistent by construction (factory.py) with small numbers, so a label is non-zero on
some reports and zero on others; their narratives are paragraphs drawn from the real reports.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import SEED_CONTENT
from factory import consistent_years, report_text

SYLLABLES = "安宝长春东丰福富光和河红华吉嘉江金锦康乐林龙茂明南宁平清庆仁瑞山盛顺泰桃新兴阳永裕岳云泽振"
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
YEARS = range(2021, 2026)  # five years of the 2021 format per body


def _paragraphs() -> list[str]:
    """Prose paragraphs of the real reports (headings and tables left out)."""
    out = []
    for path in sorted(SEED_CONTENT.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        out += [p.strip() for p in body.split("\n\n") if len(p.strip()) > 40 and not p.lstrip().startswith(("#", "|"))]
    return out


def _names(rng: random.Random, count: int, suffix: str, taken: set) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + suffix
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            names.append(name)
    return names


def _index(folder: Path, name: str, level: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.yaml").write_text(f"name: {name}\nlevel: {level}\n", encoding="utf-8")


def _narrative(rng: random.Random, body: str, paragraphs: list[str]) -> str:
    parts = []
    for heading in HEADINGS:
        parts.append(f"## {heading}")
        parts += rng.sample(paragraphs, 2)
    parts.insert(1, f"{body}认真贯彻落实《中华人民共和国政府信息公开条例》，现将本年度工作情况报告如下。")
    return "\n\n" + "\n\n".join(parts) + "\n"


def make_archive(dest: Path, seed: int = 7, provinces: int = 2, cities: int = 2, counties: int = 3,
                 towns: int = 5) -> Path:
    """Write content/ into dest (the real reports and the synthetic ones); returns the content folder."""
    rng, taken, paragraphs = random.Random(seed), set(), _paragraphs()
    content = dest / "content"
    shutil.copytree(SEED_CONTENT, content)
    for p, province in enumerate(_names(rng, provinces, "省", taken)):
        _index(content / f"p{p}", province, "省")
        for c, city in enumerate(_names(rng, cities, "市", taken)):
            _index(content / f"p{p}" / f"c{c}", city, "市")
            for k, county in enumerate(_names(rng, counties, "县", taken)):
                county_dir = content / f"p{p}" / f"c{c}" / f"k{k}"
                _index(county_dir, county, "县")
                bodies = [(county_dir, county)]
                for t, town in enumerate(_names(rng, towns, "镇", taken)):
                    _index(county_dir / f"t{t}", town, "乡镇")
                    bodies.append((county_dir / f"t{t}", town))
                for folder, name in bodies:
                    for year, tables in zip(YEARS, consistent_years("2021", rng, len(YEARS), high=1)):
                        text = report_text("2021", year, f"{name}{year}年政府信息公开工作年度报告", tables,
                                           narrative=_narrative(rng, name, paragraphs))
                        (folder / f"{year}.md").write_text(text, encoding="utf-8")
    return content
