"""The output kit: what every page producer shares to write the site.

Modules:
- `urls`: every published address (sections, per-entity pages, data files, feeds, sitemaps), the
  only place that spells them; templates read it as the jinja global `urls`;
- `context`: the build context (data, folders, files written, artifacts), page shells for detail
  pages, file digests and work in a second process;
- `artifacts`: the named results producers read and publish (the shared list index…);
- `plan`: the `Producer` declaration and the build order computed from the declarations;
- `rendering`: the jinja2 environment (autoescape, StrictUndefined) and the French formatting of
  numbers, amounts, dates and addresses;
- `charts`: static, accessible SVG charts drawn with matplotlib;
- `site_info`: what every page shows about the site (publisher, « S'abonner » block);
- `listing`: the shared list index, rows of lists of contracts, links to contracts and suppliers;
- `programme`: the upcoming purchases as pages, feeds and the calendar present them (status in
  words, the next date that matters, rows of lists, the feeds a company can subscribe to);
- `explorer_data`: the explorers' select options and JSON data shards;
- `indicator_views`: indicator results in words and figures, and the rows behind a figure.
"""

from achats_ouverts.output import charts, urls
from achats_ouverts.output.context import (
    DETAIL_START,
    Artifact,
    BuildContext,
    Published,
    in_other_process,
    read_shell,
    shell_markdown,
)
from achats_ouverts.output.rendering import relative_url, render, safe_url
from achats_ouverts.output.urls import path_segment

__all__ = [
    "DETAIL_START",
    "Artifact",
    "BuildContext",
    "Published",
    "charts",
    "in_other_process",
    "path_segment",
    "read_shell",
    "relative_url",
    "render",
    "safe_url",
    "shell_markdown",
    "urls",
]
