"""Building: from a validated folder to a published site, never half-built.

Modules:
- `build`: validate, load, run the producers and MkDocs into a staging folder, check, publish by
  an atomic swap;
- `postchecks`: the checks on the built site (links, outside resources, row counts, the safety
  scan for scripts that came from the data);
- `hosting`: the HTTP headers for static hosts (`_headers`, `.htaccess`, `_nginx.conf`);
- `guard`: what a build may replace (the output folder rules and the published site's manifest),
  one build at a time per output folder, no publication after Ctrl-C or SIGTERM.
"""

from achats_ouverts.building.build import BuildResult, Stopwatch, build

__all__ = ["BuildResult", "Stopwatch", "build"]
