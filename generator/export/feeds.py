"""For feed readers and crawlers: the Atom feed of the newest reports, sitemap.xml, robots.txt.

These are the only files with absolute URLs (base URL + the site's root-relative URLs). Dates come
from the content, never from the clock, so two builds of one archive are byte-identical.
"""
from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from ..archive import Archive
from ..model import ReportMeta
from .. import urls
from ..summaries import Summary
from . import records

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
TITLE = "年报档案：最新报告"
EPOCH = datetime.date(1970, 1, 1)  # the feed's date when the archive holds no report


def report_date(report: ReportMeta) -> datetime.date:
    """The report's publication date; where unknown, the last day of the year it reports on
    (it cannot have been published earlier)."""
    return report.meta.get("published") or datetime.date(report.year, 12, 31)


def _timestamp(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"  # reports are dated in China Standard Time


def atom_file(archive: Archive, summaries: list[Summary], base_url: str) -> tuple[str, bytes, str]:
    return urls.output_path(urls.FEED_URL), atom(archive, summaries, base_url), "feed.xml"


def atom(archive: Archive, summaries: list[Summary], base_url: str) -> bytes:
    newest = sorted(summaries, key=lambda s: (report_date(s.report), records.report_id(s.report)),
                    reverse=True)[:FEED_SIZE]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "zh-CN"})
    _text(feed, "title", TITLE)
    _text(feed, "id", urls.absolute(base_url, "/"))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=urls.absolute(base_url, urls.FEED_URL))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=urls.absolute(base_url, "/"))
    _text(feed, "updated", _timestamp(max((report_date(s.report) for s in newest), default=EPOCH)))
    _text(ET.SubElement(feed, "author"), "name", "年报档案")
    for summary in newest:
        _entry(feed, archive, summary, base_url)
    return _xml(feed)


def _entry(feed: ET.Element, archive: Archive, summary: Summary, base_url: str) -> None:
    report = summary.report
    entry = ET.SubElement(feed, "entry")
    page = urls.absolute(base_url, urls.report_url(report))
    _text(entry, "title", report.title)
    _text(entry, "id", page)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=page)
    ET.SubElement(entry, "link", rel="related", type="application/json",
                  href=urls.absolute(base_url, urls.report_json_url(report)))
    _text(entry, "updated", _timestamp(report_date(report)))
    if report.meta.get("published"):
        _text(entry, "published", _timestamp(report.meta["published"]))
    place = "/".join(filter(None, (records.region_path(archive, report), archive.folders[report.folder].name)))
    _text(entry, "summary", f"{place}，{report.year} 年度。数据核验：{summary.quality.label}。")


def sitemap_file(site_paths, base_url: str) -> tuple[str, bytes, str]:
    """Every page of the site: the files named index.html, whatever made them."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    for path in sorted(p for p in site_paths if p == "index.html" or p.endswith("/index.html")):
        _text(ET.SubElement(root, "url"), "loc", urls.absolute(base_url, "/" + path.removesuffix("index.html")))
    return urls.output_path(urls.SITEMAP_URL), _xml(root), "sitemap.xml"


def robots_file(base_url: str) -> tuple[str, bytes, str]:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base_url, urls.SITEMAP_URL)}\n"
    return urls.output_path(urls.ROBOTS_URL), text.encode(), "robots.txt"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
