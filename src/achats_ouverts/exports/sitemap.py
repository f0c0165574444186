"""Sitemaps: the list of every page for search engines, split behind a sitemap index past the
protocol's 50 000 addresses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape as xml_escape

SITEMAP_MAX_URLS = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LOC = re.compile(r"<loc>([^<]*)</loc>")


def listed_urls(sitemap: str) -> list[str]:
    """The addresses a sitemap lists, in its order."""
    return LOC.findall(sitemap)


def one_page_sitemap(url: str) -> bytes:
    """A sitemap listing one page, without date."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}">\n'
        f"<url><loc>{xml_escape(url)}</loc></url>\n</urlset>\n"
    ).encode()


def sitemap_urlset(urls: Sequence[str], lastmod: str) -> bytes:
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">']
    lines.extend(
        f"<url><loc>{xml_escape(url)}</loc><lastmod>{lastmod}</lastmod></url>" for url in urls
    )
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def sitemap_files(
    urls: Sequence[str], base: str, lastmod: str, main: str, part: Callable[[int], str]
) -> dict[str, bytes]:
    """The sitemap at `main`, split behind a sitemap index past 50 000 addresses (the protocol
    limit) into files at `part(1)`, `part(2)`…"""
    if len(urls) <= SITEMAP_MAX_URLS:
        return {main: sitemap_urlset(urls, lastmod)}
    files: dict[str, bytes] = {}
    entries = []
    for n, start in enumerate(range(0, len(urls), SITEMAP_MAX_URLS), start=1):
        name = part(n)
        files[name] = sitemap_urlset(urls[start : start + SITEMAP_MAX_URLS], lastmod)
        entries.append(
            f"<sitemap><loc>{xml_escape(base + name)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        )
    files[main] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    ).encode("utf-8")
    return files
