"""The sitemap: every page of the site, detail pages included (`sitemap.xml`, split past 50 000
addresses, and `sitemap.xml.gz`)."""

from __future__ import annotations

import gzip

from achats_ouverts.exports import LOC, sitemap_files
from achats_ouverts.output import SHELL_DIR, BuildContext


def produce_sitemap(ctx: BuildContext) -> None:
    """Replace MkDocs' sitemap by one that also lists every detail page. Runs last."""
    base = ctx.data.publisher.url_site
    existing = ctx.site_dir / "sitemap.xml"
    pages = set()
    if existing.is_file():
        for url in LOC.findall(existing.read_text(encoding="utf-8")):
            if url.startswith(base) and f"/{SHELL_DIR}/" not in url:
                pages.add(url)
    pages.update(base + path for path in ctx.direct_pages)
    urls = sorted(pages, key=lambda u: (u != base, u))
    for name, content in sitemap_files(urls, base, ctx.data.reference_date.isoformat()).items():
        target = ctx.site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    gz = ctx.site_dir / "sitemap.xml.gz"
    gz.write_bytes(gzip.compress((ctx.site_dir / "sitemap.xml").read_bytes(), mtime=0))
