"""The output kit: what every page producer shares to write the site.

Modules:
- `context`: the build context (data, folders, what was published), page shells for detail pages,
  feed addresses, file digests and work in a second process;
- `rendering`: the jinja2 environment (autoescape, StrictUndefined) and the French formatting of
  numbers, amounts, dates and addresses;
- `charts`: static, accessible SVG charts drawn with matplotlib.
"""

from achats_ouverts.output import charts
from achats_ouverts.output.context import (
    AWARDED_FEED,
    CALENDAR,
    CHANGES_FEED,
    DETAIL_START,
    FEEDS_PAGE,
    MAIN_FEEDS,
    SHELL_DIR,
    UPCOMING_FEED,
    BuildContext,
    Published,
    in_other_process,
    path_segment,
    read_shell,
    shell_markdown,
)
from achats_ouverts.output.rendering import relative_url, render, safe_url

__all__ = [
    "AWARDED_FEED",
    "CALENDAR",
    "CHANGES_FEED",
    "DETAIL_START",
    "FEEDS_PAGE",
    "MAIN_FEEDS",
    "SHELL_DIR",
    "UPCOMING_FEED",
    "BuildContext",
    "Published",
    "charts",
    "euros",
    "french_date",
    "in_other_process",
    "number",
    "path_segment",
    "percent",
    "read_shell",
    "relative_url",
    "render",
    "safe_url",
    "shell_markdown",
]
