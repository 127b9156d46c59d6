"""The jinja2 environment: templates from templates/, autoescape always on.

The templates are package data: `generator/templates` is a link to the repository's templates/, and
an installed package holds a copy of them there, so the program finds them wherever it is installed."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import urls
from ..formats.terms import BY_LABEL

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(report_url=urls.report_url, folder_url=urls.folder_url, year_url=urls.year_url,
                       report_json_url=urls.report_json_url, year_csv_url=urls.year_csv_url,
                       data_url=urls.DATA_URL, feed_url=urls.FEED_URL,
                       quality_url=urls.QUALITY_URL, stats_url=urls.STATS, compare_url=urls.compare_url)
    env.globals.update(glossary_url=urls.GLOSSARY, term_url=urls.term_url, term_for=BY_LABEL.get)
    return env


@lru_cache(maxsize=1)
def shared() -> Environment:
    """The process's one environment: its templates are compiled once, and a build compiles those
    of the report pages before its workers fork, so that they inherit them compiled."""
    return environment()
