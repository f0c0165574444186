"""Pages: one module per section of the site, each a producer that builds plain-value page
contexts from the model and renders them (or publishes files).

Modules:
- `producers`: the list of producers run at each build, in order;
- `base`: the home page, the legal pages and what every page shares (publisher, « S'abonner »);
- `policy`: the purchasing policy, the indicators and the quality self-assessment;
- `explorers`: the explorers of awarded contracts and upcoming purchases, and the CPV helper;
- `details`: one page per contract and per supplier, written into shells after MkDocs;
- `entities`: pages per buying service, CPV division and département;
- `downloads`: the `/donnees/` section, every published file and the data dictionaries;
- `feeds`: Atom feeds and the iCalendar file;
- `changelog`: what changed since the previous publication;
- `sitemap`: the sitemap of every page.
"""

from achats_ouverts.pages import producers

__all__ = ["producers"]
