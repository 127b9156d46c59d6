"""Fuzzing the way in: random bytes and random YAML-like text (brackets, anchors, tags, colons, full-width
punctuation, deep nesting) as a report and as an _index.yaml. `nianbao check` must exit 0 or 1 with
diagnostics naming the file, never a traceback, and finish within a bound of time (and, through the real
command line, of memory).

The in-process examples run the real `check` command (`--jobs 1` works in this process); a few nasty
inputs also go through the installed command line in a subprocess with a memory limit. Raise the
example count with NIANBAO_FUZZ_EXAMPLES=2000 for a longer run.
"""
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, ROOT
from generator.cli import main

BASE = FIXTURES / "bad" / "cell" / "type" / "content"
REPORT = (BASE / "body" / "2023.md").read_text(encoding="utf-8").replace('["五"]', "[5]")
FRONT = REPORT.split("---\n")[1].splitlines()
NARRATIVE = REPORT.split("---\n", 2)[2]
INDEX = (BASE / "body" / "_index.yaml").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "60"))
SECONDS = 30  # far more than any example needs: a hang, not a slow machine, trips it
LINE = re.compile(r"^(content/\S+):(\d+):(\d+): (错误|警告|原文问题)\[[a-z-]+/[a-z-]+\] \S")

PIECES = st.sampled_from([
    "[", "]", "{", "}", ",", ", ", ": ", ":", "- ", "? ", "&a ", "*a", "&b", "*b ", "!foo ", "!!int ", "!!str ",
    "!!python/name:os.system ", "!!binary ", "<<: ", "|", ">", "#", "'", '"', "\\", "\t", " ", "  ", "\n", "\n  ",
    "\n    ", "\n- ", "0", "7", "-3", "010", "0x10", "0o7", "1:03", "1_000", "1e3", "1.5e+3", ".inf", ".nan",
    "1" + "0" * 30, "9" * 5000, "null", "~", "yes", "2015-13-45", "2016-02-30", "2024-01-20", "2024-01-20 10:00:00",
    "title", "year", "format", "published", "known_issues", "rule", "cell", "note", "applications", "appeals",
    "active", "new", "cases", "arith/row-total", "*.new.total", "，", "：", "［", "］", "【", "】", "、", "２", "　",
    "．", "－", "０", "某镇", "\x00", "\x1b", "\ufeff", "\u2028", "\x85", "%YAML 1.1\n", "---", "...",
])
NEST = st.integers(1, 3000).flatmap(lambda n: st.sampled_from([
    "[" * n + "]" * n, "{a: " * n + "}" * n, "".join(" " * i + "k:\n" for i in range(min(n, 300))),
    "- " * n + "x", "[" * n]))
JUNK = st.lists(st.one_of(PIECES, PIECES, PIECES, NEST, st.text(max_size=8)), max_size=30).map("".join)


SCALARS = st.sampled_from(["0", "7", "-3", "2.55", "010", "0x10", "1:03", "1_000", "1e3", ".nan", "1" + "0" * 30,
                           "null", "~", "yes", "''", '"5"', "２", "０．５", "五", "2016-02-30", "2024-01-20",
                           "arith/row-total", "applications.new.total", "*.x", "&a 1", "!!int x", "<<", "=cmd"])
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=17).flatmap(lambda items: st.sampled_from([", ", "，", ",", "、", " "]).map(
        lambda sep: "[" + sep.join(items) + "]")),
    st.lists(SCALARS, max_size=4).map(lambda items: "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"),
    st.sampled_from(["[[1]]", "[]", "{}", "［0, 0, 0］", "【1】", "[{rule: x, cell: y, note: z}]", "5",
                     "[{rule: [a], cell: a.b.c, note: x}]", "[{rule: arith/row-total, cell: 5, note: ''}]"]),
)


@st.composite
def mutated_values(draw) -> str:
    """The clean report's front matter, still YAML, with some values (or keys' colons) replaced."""
    lines = list(FRONT)
    keyed = [i for i, line in enumerate(lines) if ": " in line or line.endswith(":")]
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.sampled_from(keyed))
        key, _, _ = lines[i].partition(":")
        colon = draw(st.sampled_from([": ", ": ", ": ", "：", ":　"]))
        lines[i] = key + colon + draw(VALUES)
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(
            ["known_issues:", "published: ", "source: ", "deep:"])) + " " + draw(VALUES))
    return "---\n" + "\n".join(lines) + "\n---\n" + NARRATIVE


@st.composite
def mutated_front(draw) -> str:
    """The clean report's front matter with junk put in, over or between some of its lines."""
    lines = list(FRONT)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        how = draw(st.sampled_from(["insert", "replace", "append"]))
        junk = draw(JUNK)
        if how == "insert" or at == len(lines):
            lines.insert(at, junk)
        elif how == "replace":
            lines[at] = junk
        else:
            lines[at] += junk
    return "---\n" + "\n".join(lines) + "\n---\n" + NARRATIVE


REPORTS = st.one_of(
    mutated_values().map(str.encode),
    mutated_values().map(str.encode),
    mutated_front().map(lambda t: t.encode("utf-8", "surrogatepass")),
    JUNK.map(lambda t: ("---\n" + t + "\n---\n").encode("utf-8", "surrogatepass")),
    st.binary(max_size=600),
    st.binary(max_size=600).map(lambda b: b"---\n" + b + b"\n---\n"),
)
INDEXES = st.one_of(st.just(INDEX), JUNK, JUNK.map(lambda t: INDEX + t), st.just("name: '=cmd|calc'\nlevel: 县\n"))


@contextmanager
def time_limit(seconds: int):
    def stop(*_):
        raise TimeoutError(f"check took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def write_archive(root: Path, report: bytes, index: str) -> None:
    body = root / "content" / "body"
    body.mkdir(parents=True)
    (body / "2023.md").write_bytes(report)
    (body / "_index.yaml").write_bytes(index.encode("utf-8", "surrogatepass"))


def assert_clear(code: int, output: str) -> None:
    assert "Traceback" not in output, output[-2000:]
    assert code in (0, 1), (code, output[-2000:])
    lines = [line for line in output.splitlines() if line.startswith("content/")]
    assert all(LINE.match(line) for line in lines), lines
    assert all(LINE.match(line).group(1).startswith("content/body") for line in lines), lines
    if code == 1:
        assert any(": 错误[" in line for line in lines), output[-2000:]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])
@given(report=REPORTS, index=INDEXES)
def test_check_never_raises_whatever_the_input(report, index):
    with tempfile.TemporaryDirectory() as tmp:
        write_archive(Path(tmp), report, index)
        out, cwd = io.StringIO(), os.getcwd()
        os.chdir(tmp)
        try:
            with redirect_stdout(out), redirect_stderr(out), time_limit(SECONDS):
                code = main(["check", "--no-cache", "--jobs", "1"])
        finally:
            os.chdir(cwd)
        assert_clear(code, out.getvalue())


LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
NASTY = {
    "billion laughs": LAUGHS,
    "[[[ 100,000 deep": "deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "{ 100,000 deep, unclosed": "deep: " + "{a: " * 100_000 + "\n",
    "- 50,000 deep": "deep: " + "- " * 50_000 + "x\n",
    "&a [*a]": "loop: &a [*a]\n",
    "!!python/object/apply": "x: !!python/object/apply:os.system [echo pwned]\n",
    "year of 5,000 digits": "year: " + "9" * 5000 + "\n",
}


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB


@pytest.mark.parametrize("what", NASTY)
def test_nasty_input_through_the_real_command_line(what, tmp_path):
    report = REPORT.replace("format:", NASTY[what] + "format:", 1)
    write_archive(tmp_path, report.encode(), INDEX)
    nianbao = Path(sys.executable).with_name("nianbao")
    run = subprocess.run([str(nianbao), "check", "--jobs", "1"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, preexec_fn=_limits, env=dict(os.environ, NIANBAO_CACHE=str(tmp_path / "cache")))
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])  # not -11: no crash of the C parser
    assert_clear(run.returncode, run.stdout + run.stderr)
    assert re.search(r"^content/body/2023\.md:\d+:\d+: 错误\[yaml/", run.stdout + run.stderr, re.M)
