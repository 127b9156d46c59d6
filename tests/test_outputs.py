"""The archive-wide files are a declared list of outputs; the data page lists their downloads."""
import dataclasses
import re

import pytest

from conftest import FIXTURES
from generator.archive import load_archive
from generator.build import build
from generator.outputs import OUTPUTS, Inputs, Output, Phase, downloads
from generator import urls


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs") / "site"
    assert not build(FIXTURES / "valid" / "content", out, search=False).errors
    return load_archive(FIXTURES / "valid" / "content"), out


def test_every_output_names_what_it_needs_from_the_inputs():
    fields = {f.name for f in dataclasses.fields(Inputs)}
    for output in OUTPUTS:
        assert set(output.needs) <= fields, output.name
    assert [o.phase for o in OUTPUTS] == sorted(o.phase for o in OUTPUTS)  # listed in the order they run
    assert {o.phase for o in OUTPUTS} == set(Phase)


def test_the_data_page_lists_exactly_the_declared_downloads_and_each_exists(site):
    archive, out = site
    declared = downloads(archive)
    html = (out / "data" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="downloads"'):html.index("</table>", html.index('id="downloads"'))]
    listed = re.findall(r'<th scope="row">([^<]+)</th><td><a href="([^"]+)">', table)
    assert listed == declared and len(declared) >= 8
    for _, url in declared:
        assert (out / urls.output_path(url)).is_file(), url


def test_a_new_output_with_a_download_is_listed_on_the_data_page(site):
    archive, _ = site
    extra = Output("extra", Phase.ARCHIVE, (), "/data/extra.txt", lambda inputs: None,
                   lambda archive: [("额外文件", "/data/extra.txt")])
    assert downloads(archive, OUTPUTS + (extra,))[-1] == ("额外文件", "/data/extra.txt")
