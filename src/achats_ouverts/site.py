"""What the site is made of: the producers run at each build, in order.

`DOCS_STAGE` producers run before MkDocs: they write Markdown pages (in or out of the navigation)
and files. `SITE_STAGE` producers run after MkDocs and write detail pages into the shells of
`SHELL_SECTIONS`. Adding a part of the site means adding its producer here.
"""

from __future__ import annotations

from collections.abc import Callable

from achats_ouverts import indicator_pages, pages
from achats_ouverts.output import BuildContext

Producer = Callable[[BuildContext], None]

DOCS_STAGE: tuple[Producer, ...] = (
    pages.produce_home,
    indicator_pages.produce_policy_and_indicators,
    indicator_pages.produce_quality,
    pages.produce_data_page,
    pages.produce_legal_pages,
)
SITE_STAGE: tuple[Producer, ...] = ()
SHELL_SECTIONS: tuple[str, ...] = ()
