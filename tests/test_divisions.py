"""Regions from the official division codes: the suggestions of `new` and `import`, the content placed by
them, and the old URLs of moved folders redirecting to the new ones."""
import re
import shutil
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import FIXTURES, ROOT, SEED_CONTENT
from generator import divisions
from generator.archive import load_archive


def test_an_unambiguous_county_gives_its_path_and_codes():
    found = divisions.suggest("虎林市宝东镇人民政府")
    assert found.division.code == "230381" and found.rest == "宝东镇" and found.rest_level == "乡镇"
    steps = divisions.folder_path(found.division, found.rest, found.rest_level, {})
    assert [(s.slug, s.name, s.level, s.code) for s in steps] == [
        ("heilongjiang", "黑龙江省", "省", "230000"), ("jixi", "鸡西市", "市", "230300"),
        ("hulin", "虎林市", "县", "230381"), ("baodong", "宝东镇", "乡镇", None)]


def test_a_name_several_places_carry_lists_them_all_and_picks_none():
    found = divisions.suggest("鼓楼区")
    assert found.division is None
    assert {(d.full_name, d.code) for d in found.candidates} >= {
        ("江苏省南京市鼓楼区", "320106"), ("福建省福州市鼓楼区", "350102"), ("河南省开封市鼓楼区", "410204")}
    assert divisions.suggest("福建省鼓楼区").division.code == "350102"  # the province decides


def test_a_township_is_not_in_the_data():
    found = divisions.suggest("大寨镇")
    assert found.named == () and found.candidates == () and found.rest == "大寨镇"


def test_a_folder_already_in_content_keeps_its_slug():
    found = divisions.suggest("宝清县小城子镇")
    existing = {("hlj",): ("黑龙江省", "230000"), ("hlj", "sys"): ("双鸭山市", "230500")}
    steps = divisions.folder_path(found.division, found.rest, found.rest_level, existing)
    assert [s.slug for s in steps] == ["hlj", "sys", "baoqing", "xiaochengzi"]
    assert [s.exists for s in steps] == [True, True, False, False]


def _index(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_new_prints_the_suggested_path_and_fills_the_folders_it_creates_there(cli, tmp_path):
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    code, out, _ = cli("new", "content/heilongjiang/jixi/hulin/dongfanghong", 2024, "--name", "虎林市东方红镇",
                       cwd=tmp_path)
    assert code == 0
    assert "建议目录 content/heilongjiang/jixi/hulin/dongfanghong" in out
    assert re.search(r"heilongjiang +黑龙江省 +省 +230000（已有）", out)
    assert re.search(r"hulin +虎林市 +县 +230381\n", out) and "乡镇、街道不在数据中，无代码" in out
    content = tmp_path / "content"
    assert _index(content / "heilongjiang/jixi/_index.yaml") == {"name": "鸡西市", "level": "市", "code": "230300"}
    assert _index(content / "heilongjiang/jixi/hulin/_index.yaml") == {"name": "虎林市", "level": "县",
                                                                       "code": "230381"}
    assert _index(content / "heilongjiang/jixi/hulin/dongfanghong/_index.yaml") == {"name": "东方红镇",
                                                                                    "level": "乡镇"}
    assert "已按行政区划代码填写" in out


def test_new_lists_the_candidates_of_an_ambiguous_name_and_fills_nothing(cli, tmp_path):
    (tmp_path / "content").mkdir()
    code, out, _ = cli("new", "content/gulou/xijie", 2024, "--name", "鼓楼区西街街道", cwd=tmp_path)
    assert code == 0 and "“鼓楼区”有 4 处，未作猜测" in out
    assert "江苏省南京市鼓楼区 320106 → content/jiangsu/nanjing/gulou/xijie" in out
    assert "福建省福州市鼓楼区 350102 → content/fujian/fuzhou/gulou/xijie" in out
    assert "建议目录 " not in out
    assert _index(tmp_path / "content/gulou/_index.yaml") == {"name": "", "level": ""}  # the placeholder


def test_new_says_a_township_alone_is_not_in_the_data(cli, tmp_path):
    (tmp_path / "content").mkdir()
    code, out, _ = cli("new", "content/dazhai", 2025, "--name", "大寨镇", cwd=tmp_path)
    assert code == 0 and "“大寨镇”开头不是县级以上地名" in out and "乡镇、街道不在其中" in out
    assert "建议目录 " not in out


def test_new_uses_the_names_already_in_the_folders(cli, tmp_path):
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    code, out, _ = cli("new", "content/hulin/baodong", 2023, cwd=tmp_path)  # the seeds' old place
    assert "建议目录 content/heilongjiang/jixi/hulin/baodong" in out
    assert "所给目录 content/hulin/baodong 与建议不同" in out


def test_import_suggests_from_the_title(cli, tmp_path):
    (tmp_path / "content").mkdir()
    document = FIXTURES / "import/documents/portal-2023.html"
    code, out, _ = cli("import", document, "--body", "content/henan/xinxiang/hongqi/xiaodian", cwd=tmp_path)
    assert code == 0, out
    assert "建议目录 content/henan/xinxiang/hongqi/xiaodian" in out
    assert _index(tmp_path / "content/henan/xinxiang/hongqi/_index.yaml")["code"] == "410702"


def test_every_code_in_content_is_the_datas_and_sits_under_its_parent():
    """The live content: each folder with a code has the data's name for it, and its parent folder
    the code of the data's parent (so 虎林市 sits under 鸡西市, 黑龙江省)."""
    archive = load_archive(ROOT / "content")
    by_code = {d.code: d for ds in divisions.load().by_name.values() for d in ds if d.last == divisions.load().year}
    coded = {s: f for s, f in archive.folders.items() if f.code}
    assert coded
    for slugs, folder in coded.items():
        division = by_code[folder.code]
        assert folder.name == division.name
        parents = [archive.folders[slugs[:i]].code for i in range(1, len(slugs))]
        assert parents == [p.code for p in division.parents], slugs


def test_the_live_content_passes_the_check_after_the_move(cli):
    code, out, err = cli("check", "--content", ROOT / "content", "--no-cache", cwd=ROOT)
    assert code == 0 and "0 个错误" in err, out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical = self.refresh = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        if tag == "meta" and attrs.get("http-equiv") == "refresh":
            self.refresh = attrs["content"]


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory):
    return build_moved(tmp_path_factory.mktemp("moved"))


def build_moved(work):
    """The seeds with 虎林市 moved under 黑龙江省/鸡西市, as content/ has it, built into a site."""
    from generator.cli import main
    content = work / "content"
    shutil.copytree(SEED_CONTENT, content)
    (content / "heilongjiang/jixi").mkdir()
    (content / "heilongjiang/jixi/_index.yaml").write_text('name: 鸡西市\nlevel: 市\ncode: "230300"\n',
                                                         encoding="utf-8")
    shutil.move(content / "hulin", content / "heilongjiang/jixi/hulin")
    (content / "heilongjiang/jixi/hulin/_index.yaml").write_text(
        'name: 虎林市\nlevel: 县\ncode: "230381"\nmoved_from: hulin\n', encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(work / "site"), "--no-cache", "--jobs", "1"]) == 0
    return work / "site"


@pytest.mark.parametrize("old, new", [
    ("hulin/", "/heilongjiang/jixi/hulin/"),
    ("hulin/baodong/", "/heilongjiang/jixi/hulin/baodong/"),
    ("hulin/baodong/2024/", "/heilongjiang/jixi/hulin/baodong/2024/"),
])
def test_old_urls_redirect_to_the_new_ones(moved_site, old, new):
    links = _Links()
    links.feed((moved_site / old / "index.html").read_text(encoding="utf-8"))
    assert links.canonical == new and links.refresh == f"0; url={new}"
    assert (moved_site / new.strip("/") / "index.html").is_file()  # where it points is a real page
    assert "此页已迁移" not in (moved_site / new.strip("/") / "index.html").read_text(encoding="utf-8")


def test_a_region_page_shows_its_code(moved_site):
    page = (moved_site / "heilongjiang/jixi/hulin/index.html").read_text(encoding="utf-8")
    assert "行政区划代码 230381" in page


def test_pages_that_never_moved_get_no_redirect(moved_site):
    made = {p.parent.relative_to(moved_site).as_posix() for p in moved_site.rglob("index.html")
            if "此页已迁移" in p.read_text(encoding="utf-8")}
    assert made == {"hulin", "hulin/baodong", "hulin/baodong/2024"}



def test_the_sitemap_lists_the_new_urls_not_the_redirects(moved_site):
    sitemap = (moved_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = {urlsplit(url).path for url in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    assert {"/heilongjiang/jixi/hulin/", "/heilongjiang/jixi/hulin/baodong/2024/"} <= listed
    assert not any(url.startswith("/hulin/") for url in listed)
