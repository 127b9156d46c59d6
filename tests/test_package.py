"""The installed package builds a site from a content folder anywhere: its templates, assets and
spec files are package data, not files it finds beside the repository.

The wheel is built from a copy of the sources (so nothing is written into the repository) and
installed into a fresh virtualenv; that venv sees this one's libraries (jinja2, OpenCC …) but
not this checkout, and runs `nianbao build` from a temporary folder outside the repository.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

SOURCES = ("generator", "templates", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(dist), str(src)], check=True)
    return next(dist.glob("nianbao-*.whl"))


def test_the_wheel_holds_every_template_asset_and_spec_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file()]
    assert templates and {"generator/templates/" + p.relative_to(ROOT / "templates").as_posix()
                          for p in templates} <= names
    specs = [p for p in (ROOT / "generator").rglob("*.yaml")]
    assert specs and {p.relative_to(ROOT).as_posix() for p in specs} <= names


def test_the_installed_package_builds_a_site_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", str(wheel)], check=True)
    # the libraries come from this venv (a path line, so its editable install of the checkout is not loaded)
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        capture_output=True, text=True, check=True).stdout.strip())
    (site_packages / "libraries.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    work = tmp_path / "elsewhere"
    shutil.copytree(FIXTURES / "valid" / "content", work / "content")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site_packages)), where
    run = subprocess.run([str(venv / "bin" / "nianbao"), "build", "--content", "content", "--out", "site",
                          "--no-cache"], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    site = work / "site"
    assert "sample-province" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "style.css").read_bytes() == (ROOT / "templates" / "static" / "style.css").read_bytes()
    report = site / "sample-province" / "sample-city" / "2021" / "index.html"
    assert '<table' in report.read_text(encoding="utf-8")  # the tables' own template (_tables.html) was found
    assert (site / "schema" / "2021.json").is_file() and (site / "search-index" / "shards.json").is_file()
