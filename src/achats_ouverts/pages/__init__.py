"""Pages: one module per section of the site, named like its template, each building plain-value
page contexts from the model and rendering them (or publishing files). No page module imports
another: what they share is the output kit (`output`), what they pass to each other are named
artifacts (`output.artifacts`).

Modules:
- `producers`: every producer, what it reads, publishes and writes; the build order follows;
- `home`: the home page;
- `legal`: the accessibility statement and the legal notices;
- `policy`: the purchasing policy and one page per action;
- `dashboard`: the indicators computed once, their files, the dashboard and one page per
  indicator;
- `quality`: the transparency self-audit and the validation report;
- `explorer_contracts`, `explorer_upcoming`: the two explorers and their data shards;
- `contract`: one page per contract, written into a shell after MkDocs;
- `purchase`: one page per upcoming purchase, written into a shell after MkDocs;
- `supplier`: the suppliers' entry page, and one page per supplier after MkDocs;
- `entity`: pages per buying service, CPV division and département, their index pages and the
  CPV helper;
- `downloads`: the `/donnees/` section, every published file and the data dictionaries;
- `feeds`: the Atom feeds, the calendar, the page that lists them and a companion page per feed
  (after MkDocs);
- `changelog`: what changed since the previous publication;
- `sitemap`: the sitemap of every page.
"""

from achats_ouverts.pages import producers

__all__ = ["producers"]
