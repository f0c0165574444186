"""Building: from a validated folder to a published site, never half-built.

Modules:
- `build`: validate, load, run the producers (in the order of `pages.producers.PLAN`) and MkDocs
  into a staging folder, check, publish by an atomic swap;
- `postchecks`: the checks on the built site (links, outside resources, row counts) and the
  runner of every check;
- `safety`: the safety scan for scripts and URLs that came from the data;
- `built_site`: the built site as the checks read it (files in order, links, detail pages' frames);
- `hosting`: the HTTP headers for static hosts (`_headers`, `.htaccess`, `_nginx.conf`).
- `guard`: what a build may replace (the output folder rules and the published site's manifest),
  one build at a time per output folder, no publication after Ctrl-C or SIGTERM.
"""

from achats_ouverts.building.build import BuildResult, Stopwatch, build

__all__ = ["BuildResult", "Stopwatch", "build"]
