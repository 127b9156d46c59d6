"""`nianbao serve`: a real server on 127.0.0.1, a real file change, real HTTP requests."""
import json
import shutil
import time
import urllib.error
import urllib.request

import pytest

from conftest import SEED_CONTENT
from generator.serve import VERSION_PATH, Server

REPORT = "content/dazhai/2025.md"
WAIT = 30  # seconds: an upper bound for a rebuild to be seen, never a sleep that asserts


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def state(server) -> dict:
    return json.loads(get(server.url.rstrip("/") + VERSION_PATH)[1])


def wait_for_version(server, after: int) -> dict:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        now = state(server)
        if now["version"] > after:
            return now
        time.sleep(0.1)
    pytest.fail(f"no rebuild within {WAIT} s")


@pytest.fixture
def server(tmp_path):
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    server = Server(tmp_path / "content", port=0, log=lambda line: None)
    server.start()
    yield server
    server.stop()


def test_serves_the_site_with_a_reload_script_only_in_served_pages(server, tmp_path):
    code, page = get(server.url + "dazhai/2025/")
    assert code == 200 and "大寨镇 2025 年政府信息公开工作年度报告" in page
    assert VERSION_PATH in page and 'id="nianbao-errors"' not in page
    built = (server.site.out / "dazhai/2025/index.html").read_text(encoding="utf-8")
    assert VERSION_PATH not in built  # the files themselves, like `make site`, carry no script
    assert get(server.url + "assets/" + next(p.name for p in (server.site.out / "assets").iterdir()))[0] == 200
    assert get(server.url + "no/such/page/")[0] == 404


def test_rebuilds_after_an_edit_and_shows_errors_over_the_last_good_site(server, tmp_path):
    path = tmp_path / REPORT
    text = path.read_text(encoding="utf-8")
    before = state(server)["version"]
    path.write_text(text.replace("title: 大寨镇 2025 年", "title: 大寨镇（已修改）2025 年"), encoding="utf-8")
    after = wait_for_version(server, before)
    assert after["errors"] == []
    assert "大寨镇（已修改）2025 年" in get(server.url + "dazhai/2025/")[1]

    path.write_text(text.replace("new:                        [0, 0, 0, 0, 0, 0, null]",
                                 "new:                        [0, 0, 0, x, 0, 0, null]"), encoding="utf-8")
    broken = wait_for_version(server, after["version"])
    assert broken["errors"] and all(REPORT in e for e in broken["errors"])
    assert "错误[cell/type]" in broken["errors"][0]
    code, page = get(server.url + "dazhai/2025/")
    assert code == 200 and 'id="nianbao-errors"' in page and "错误[cell/type]" in page
    assert "大寨镇（已修改）2025 年" in page  # the last good site is still served

    path.write_text(text, encoding="utf-8")
    fixed = wait_for_version(server, broken["version"])
    assert fixed["errors"] == [] and 'id="nianbao-errors"' not in get(server.url)[1]


def test_a_content_folder_that_never_built_shows_its_errors(tmp_path):
    body = tmp_path / "content/body"
    body.mkdir(parents=True)
    (body / "_index.yaml").write_text("name: [\n", encoding="utf-8")
    server = Server(tmp_path / "content", port=0, log=lambda line: None)
    server.start()
    try:
        code, page = get(server.url)
        assert code == 503 and "错误[yaml/syntax]" in page and VERSION_PATH in page
    finally:
        server.stop()
