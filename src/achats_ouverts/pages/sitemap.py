"""The sitemap: every page of the site, detail pages included (`sitemap.xml`, split past 50 000
addresses, and `sitemap.xml.gz`), from the pages MkDocs built and the pages written after it
(contracts, suppliers, upcoming purchases, feeds' companion pages), all read as artifacts."""

from __future__ import annotations

import gzip

from achats_ouverts.exports.sitemap import sitemap_files
from achats_ouverts.output import BuildContext, artifacts, urls


def produce_sitemap(ctx: BuildContext) -> None:
    """Replace MkDocs' sitemap by one that also lists every detail page."""
    base = ctx.data.publisher.url_site
    pages = {base + path for path in ctx.get(artifacts.MKDOCS_PAGES)}
    for artifact in (artifacts.DETAIL_PAGES, artifacts.PURCHASE_PAGES, artifacts.FEED_PAGES):
        pages.update(base + path for path in ctx.get(artifact))
    listed = sorted(pages, key=lambda u: (u != base, u))
    files = sitemap_files(
        listed, base, ctx.data.reference_date.isoformat(), urls.SITEMAP, urls.sitemap_part
    )
    for name, content in files.items():
        ctx.file(name, content)
    ctx.file(urls.SITEMAP_GZ, gzip.compress(files[urls.SITEMAP], mtime=0))
