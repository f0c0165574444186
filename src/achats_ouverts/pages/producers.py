"""What the site is made of: the producers run at each build, in order.

`DOCS_STAGE` producers run before MkDocs: they write Markdown pages (in or out of the navigation)
and files. `SITE_STAGE` producers run after MkDocs and write detail pages into the shells of
`SHELL_SECTIONS`. Adding a part of the site means adding its producer here.
"""

from __future__ import annotations

from collections.abc import Callable

from achats_ouverts.output import BuildContext
from achats_ouverts.pages import (
    base,
    changelog,
    details,
    downloads,
    entities,
    explorers,
    feeds,
    policy,
    sitemap,
)

Producer = Callable[[BuildContext], None]

DOCS_STAGE: tuple[Producer, ...] = (
    base.produce_home,
    policy.produce_policy_and_indicators,
    policy.produce_quality,
    changelog.produce_changelog,
    downloads.produce_data_page,
    base.produce_legal_pages,
    explorers.produce_explorers,
    entities.produce_entity_pages,
    feeds.produce_feeds,
)
"""The feeds come after the list pages they link to; the data page after the changelog it lists."""
SITE_STAGE: tuple[Producer, ...] = (details.produce_detail_pages, sitemap.produce_sitemap)
"""The sitemap comes last: it lists the detail pages the producers before it wrote."""
SHELL_SECTIONS: tuple[str, ...] = (details.CONTRACTS_SECTION, details.SUPPLIERS_SECTION)
