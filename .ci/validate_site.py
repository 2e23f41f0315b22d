"""Checks built sites with parsers Lanmu does not share code with: feedparser for the feeds, html5lib for pages.

Usage: validate_site.py SITE_DIR... (the last one is the escaping fixture built by .ci/validate)
"""
import os
import sys
import xml.etree.ElementTree as ElementTree

import feedparser
import html5lib

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def parse_html(path):
    with open(path, "rb") as handle:
        return html5lib.parse(handle.read(), namespaceHTMLElements=False)


def text(element):
    return "".join(element.itertext()) if element is not None else None


def article_titles(root):
    """Title of every article page (those with an article-title heading), by URL path."""
    titles = {}
    for directory, _, files in os.walk(root):
        if "index.html" not in files:
            continue
        document = parse_html(os.path.join(directory, "index.html"))
        heading = document.find(".//h1[@class='article-title']")
        if heading is not None:
            titles["/" + os.path.relpath(directory, root).replace(os.sep, "/") + "/"] = text(heading)
    return titles


def sitemap_locations(root):
    """Every URL of the site map; through the sitemap index when it is cut into parts, each within the limits."""
    sitemap = ElementTree.parse(os.path.join(root, "sitemap.xml")).getroot()
    if sitemap.tag != SITEMAP + "sitemapindex":
        return [element.text for element in sitemap.iter(SITEMAP + "loc")]
    locations = []
    for part in sitemap.iter(SITEMAP + "loc"):
        path = os.path.join(root, part.text.split("://", 1)[-1].split("/", 1)[-1])
        urls = [element.text for element in ElementTree.parse(path).getroot().iter(SITEMAP + "loc")]
        if len(urls) > 50000 or os.path.getsize(path) > 10 * 1024 * 1024:
            fail("%s: %d URLs, %d bytes: over the limits" % (path, len(urls), os.path.getsize(path)))
        locations += urls
    if len(set(locations)) != len(locations):
        fail("%s: a URL is in two parts of the site map" % root)
    return locations


def check_site(root):
    titles = article_titles(root)
    for directory, _, files in os.walk(root):
        for name in files:
            if name != "index.xml":
                continue
            feed = feedparser.parse(os.path.join(directory, name))
            if feed.bozo:
                fail("%s: feedparser: %s" % (os.path.join(directory, name), feed.bozo_exception))
            for entry in feed.entries:
                path = "/" + entry.link.split("://", 1)[-1].split("/", 1)[-1]
                if path in titles and entry.title != titles[path]:
                    fail("%s: feed title %r differs from page title %r" % (path, entry.title, titles[path]))
                if not entry.get("published", "").endswith("+0800"):
                    fail("%s: pubDate %r is not in +08:00" % (path, entry.get("published")))
    locations = sitemap_locations(root)
    if not locations:
        fail("%s: empty site map" % root)
    for location in locations:
        if not location.startswith("https://"):
            fail("%s: site map URL %r is not absolute" % (root, location))
    print("checked %s: %d article pages, %d site map URLs" % (root, len(titles), len(locations)))


def check_escaping(root):
    title = "<script>alert(1)</script> 标题 & \"引号\" 'x' </title>"
    source = "来源 <b>粗</b> & \"引\""
    # A summary's markup (Markdown and HTML tags) is stripped on purpose; its text stays.
    # A quote followed by a combining mark is still a quote to a browser: it must not end the attribute.
    summary = "摘要 斜 &  \"\u0301 onmouseover=alert(1) x=\""
    site_name = "转义 & <测试> \"站\""
    document = parse_html(os.path.join(root, "lanmu", "ce", "a", "index.html"))
    checks = {
        "<title>": (text(document.find(".//title")), title + " - " + site_name),
        "<h1>": (text(document.find(".//h1")), title),
        "meta description": (document.find(".//meta[@name='description']").get("content"), summary),
        "site name": (text(document.find(".//a[@class='site-name']")), site_name),
    }
    for place, (found, wanted) in checks.items():
        if found != wanted:
            fail("escaping in %s: %r != %r" % (place, found, wanted))
    injected = [e.tag for e in document.iter() if isinstance(e.tag, str) and e.get("onmouseover") is not None]
    if injected:
        fail("a summary injected an attribute into %r" % injected)
    meta = text(document.find(".//div[@class='article-meta']"))
    if "信息来源:" + source not in meta:
        fail("escaping of the source: %r" % meta)
    scripts = document.findall(".//script")
    if len(scripts) != 1 or scripts[0].get("src") != "/assets/js/lanmu.js":
        fail("a title injected a script: %r" % [s.attrib for s in scripts])
    neighbour = parse_html(os.path.join(root, "lanmu", "ce", "b", "index.html"))
    links = [text(a) for a in neighbour.findall(".//nav[@class='article-nav']//a")]
    if title not in links:
        fail("escaping in the 上一篇/下一篇 link: %r" % links)
    feed = feedparser.parse(os.path.join(root, "lanmu", "ce", "index.xml"))
    entry = next(e for e in feed.entries if e.link.endswith("/a/"))
    if entry.title != title or entry.summary != summary:
        fail("escaping in the feed: %r / %r" % (entry.title, entry.summary))
    print("checked escaping in %s" % root)


for site in sys.argv[1:]:
    check_site(site)
check_escaping(sys.argv[-1])
if failures:
    sys.exit("%d checks failed" % len(failures))
