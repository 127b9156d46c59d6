"""`nianbao serve`: a real server on 127.0.0.1, a real file change, real HTTP requests."""
import json
import shutil
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, SEED_CONTENT
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


@pytest.mark.parametrize("path", ["/%00/etc/passwd", "/a%00b/", "/%ff%fe/", "/%c3%28", "/\x1b[31m/", "/a/%0a/"])
def test_a_malformed_request_path_gets_400_and_no_traceback(server, capfd, path):
    import socket
    with socket.create_connection(("127.0.0.1", server.httpd.server_address[1]), timeout=10) as raw:
        raw.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode("latin-1"))
        response = b""
        while chunk := raw.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.0 400 ") and "请求路径无效" in response.decode("utf-8")
    assert get(server.url + "dazhai/2025/")[0] == 200  # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_stopped_server_leaves_no_temporary_folder(tmp_path, sig):
    import os
    import signal
    import subprocess
    import sys
    temp = tmp_path / "tmp"
    temp.mkdir()
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "NIANBAO_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if "预览地址" in line:
                break
        assert list(temp.iterdir())  # the site copy and its cache
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err and "已停止" in err
    assert list(temp.iterdir()) == []


def test_a_signal_during_the_first_build_also_cleans_up(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    temp = tmp_path / "tmp"
    temp.mkdir()
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + WAIT
    while not any(p.name.startswith(".site-new-") for d in temp.glob("nianbao-serve-*") for p in d.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err
    assert list(temp.iterdir()) == []


def test_the_downloads_follow_an_edit_and_the_state_says_when(server, tmp_path):
    path = tmp_path / REPORT
    text = path.read_text(encoding="utf-8")
    before = state(server)["version"]
    path.write_text(text.replace("title: 大寨镇 2025 年", "title: 大寨镇（下载）2025 年"), encoding="utf-8")
    wait_for_version(server, before)
    assert "大寨镇（下载）2025 年" in get(server.url + "dazhai/2025/")[1]  # the page first
    deadline = time.monotonic() + WAIT
    while state(server)["downloads"] != "最新":
        assert time.monotonic() < deadline, "downloads never current again"
        time.sleep(0.1)
    assert "大寨镇（下载）2025 年" in get(server.url + "data/reports.json")[1]
    assert "大寨镇（下载）2025 年" in get(server.url + "feed.xml")[1]


def test_a_long_poll_answers_at_once_for_an_old_version_and_waits_for_the_current_one(server, tmp_path):
    now = state(server)["version"]
    assert json.loads(get(server.url.rstrip("/") + VERSION_PATH + f"?since={now - 1}")[1])["version"] == now
    path = tmp_path / REPORT
    text = path.read_text(encoding="utf-8")
    started = time.monotonic()
    path.write_text(text.replace("title: 大寨镇 2025 年", "title: 大寨镇（等待）2025 年"), encoding="utf-8")
    answer = json.loads(get(server.url.rstrip("/") + VERSION_PATH + f"?since={now}")[1])
    assert answer["version"] == now + 1 and time.monotonic() - started < WAIT  # it answered once rebuilt
    code, page = get(server.url + "dazhai/2025/")
    assert f"var v={now + 1};" in page and "大寨镇（等待）2025 年" in page  # the page carries its version
