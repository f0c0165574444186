"""Every address the site publishes, spelled here and nowhere else.

Addresses are paths from the site root, without a leading slash: a page is a folder ending in `/`
(`marches/`, the home page is ``), a file is its path (`donnees/marches.csv`). Producers write
through these names, exports receive them as arguments, templates read them through the jinja
global `urls` (this module), and `mkdocs.yml`'s `nav` and `not_in_nav` are checked against
`NAV` and `NOT_IN_NAV` by a test. Moving a section or a download means changing it here.

- sections: the pages of the navigation and those outside it;
- per-entity pages: a contract, a supplier, an upcoming purchase, a buying service, a CPV
  division, a département, an action of the policy, an indicator, a data dictionary;
- data files under `donnees/` (the Data Package's relative paths: `marches.csv`,
  `schemas/marches.json`…), the standard formats, the indicators and the changelog;
- feeds (each with its companion page, readable in a browser), the calendar and the sitemaps;
- what the build uses around pages: the shells of detail pages (`_gabarit`) and the explorers'
  data shards (`_donnees`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

# --- Sections -----------------------------------------------------------------------------------

HOME = ""
UPCOMING = "achats-a-venir/"
CONTRACTS = "marches/"
POLICY = "politique-achat/"
INDICATORS = "indicateurs/"
DATA = "donnees/"
QUALITY = "qualite/"
CHANGELOG = "nouveautes/"
FEEDS = "flux/"
ABOUT = "a-propos/"
"""Hand-written (`site_src/a-propos/`)."""
ACCESSIBILITY = "accessibilite/"
LEGAL = "mentions-legales/"
SUPPLIERS = "titulaires/"
SERVICES = "services/"
CPV = "cpv/"
DEPARTEMENTS = "departements/"
RANKINGS = "classements/"
SEARCH = "recherche/"
ANALYSES = "analyses/"

SECTIONS = (
    HOME,
    UPCOMING,
    CONTRACTS,
    POLICY,
    INDICATORS,
    DATA,
    QUALITY,
    CHANGELOG,
    FEEDS,
    ABOUT,
    ACCESSIBILITY,
    LEGAL,
    SUPPLIERS,
    SERVICES,
    CPV,
    DEPARTEMENTS,
    RANKINGS,
    SEARCH,
    ANALYSES,
)
"""Every section of the site: the home page and the folders of pages at its root."""
NAV = (
    HOME,
    UPCOMING,
    CONTRACTS,
    RANKINGS,
    ANALYSES,
    POLICY,
    INDICATORS,
    DATA,
    QUALITY,
    CHANGELOG,
    FEEDS,
    ABOUT,
)
"""The pages of the navigation, in its order (`mkdocs.yml`'s `nav`)."""
SHELL_DIR = "_gabarit"
"""Where, in a section of detail pages, MkDocs builds the shell those pages are written into."""
SHELL_SECTIONS = (CONTRACTS, SUPPLIERS, UPCOMING, FEEDS)
"""Sections whose detail pages are written into a shell after MkDocs."""
NOT_IN_NAV = (
    f"/*/{SHELL_DIR}/",
    f"/{POLICY}*/",
    f"/{INDICATORS}*/",
    f"/{CPV}",
    f"/{SERVICES}",
    f"/{DEPARTEMENTS}",
    f"/{SUPPLIERS}",
    f"/{ACCESSIBILITY}",
    f"/{LEGAL}",
    f"/{DATA}*/",
    f"/{RANKINGS}*/",
    f"/{SEARCH}",
    f"/{ANALYSES}*/",
)
"""Pages outside the navigation (`mkdocs.yml`'s `not_in_nav`, gitignore-style patterns)."""


def index_page(address: str) -> str:
    """The Markdown file MkDocs turns into the page at `address`: `marches/index.md`."""
    return f"{address}index.md"


def to_root(address: str) -> str:
    """The relative path from the page at `address` to the site root: `../../` from `marches/x/`."""
    return "../" * address.count("/")


def explorer(section: str, **filters: str) -> str:
    """An explorer filtered by its URL parameters: `marches/?service=lycees`."""
    return f"{section}?{urlencode(filters)}"


# --- Per-entity pages ---------------------------------------------------------------------------

SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,150}$")
"""A page segment as `path_segment` makes them (and as a detail page's address must have)."""


def path_segment(value: str) -> str:
    """A URL- and file-system-safe segment for an identifier, stable and collision-free.

    Identifiers made only of letters, digits, '_' and '-' are kept as they are; any other gets
    its unsafe characters replaced and a short hash of the original appended.
    """
    clean = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-_")[:100]
    if clean == value and clean:
        return clean
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]
    return f"{clean}-{digest}" if clean else digest


def supplier_segment(kind: str, identifier: str) -> str:
    """The page segment of a supplier: its SIRET, or `TYPE-identifiant` for other identifiers."""
    return path_segment(identifier if kind == "SIRET" else f"{kind}-{identifier}")


def contract(segment: str) -> str:
    """The page of a contract, from its segment (`path_segment(uid)`)."""
    return f"{CONTRACTS}{segment}/"


def contract_in_explorer(segment: str) -> str:
    """Where a contract is shown when contracts have no page of their own."""
    return explorer(CONTRACTS, recherche=segment)


def supplier(segment: str) -> str:
    return f"{SUPPLIERS}{segment}/"


def purchase(segment: str) -> str:
    """The page of an upcoming purchase, from its segment (`path_segment(id)`)."""
    return f"{UPCOMING}{segment}/"


def service(service_id: str) -> str:
    return f"{SERVICES}{service_id}/"


def cpv_division(code: str) -> str:
    return f"{CPV}{code}/"


def departement(code: str) -> str:
    return f"{DEPARTEMENTS}{code}/"


def entity(section: str, code: str) -> str:
    """The page of a buying service, CPV division or département in its section."""
    return f"{section}{code}/"


def action(action_id: str) -> str:
    """The page of an action of the purchasing policy."""
    return f"{POLICY}{action_id}/"


def spaser_report(start: int, end: int) -> str:
    """The biennial SPASER report of the years `start` to `end` (article L2111-3)."""
    return f"{POLICY}rapport-{start}-{end}/"


def indicator(indicator_id: str) -> str:
    return f"{INDICATORS}{indicator_id}/"


def analysis(analysis_id: str) -> str:
    """The page of one analysis of the `/analyses/` section."""
    return f"{ANALYSES}{analysis_id}/"


def dictionary(dataset: str) -> str:
    """The data dictionary of a dataset."""
    return f"{DATA}{dataset}/"


def ranking(year: int | None) -> str:
    """The rankings of one year of notification, or of all years (`None`)."""
    return RANKINGS if year is None else f"{RANKINGS}{year}/"


def search(query: str = "") -> str:
    """The search page, with a query already typed."""
    return f"{SEARCH}?{urlencode({'q': query})}" if query else SEARCH


SEARCH_INDEX = f"{SEARCH}_index/"
"""The files of the site's search index (see `pages.search`), loaded when someone types."""
SEARCH_WORDS = "mots-{cle}.json"
SEARCH_DOCUMENTS = "{type}-{n}.json"
"""Names of the index's files in its folder, as the manifest gives them to the script."""
MKDOCS_SEARCH_INDEX = "search/search_index.json"
"""The index MkDocs' search plugin writes of its pages (read for the pages' titles)."""


def search_manifest() -> str:
    return f"{SEARCH_INDEX}manifeste.json"


def search_words(key: str) -> str:
    """The words of the index starting with `key`."""
    return SEARCH_INDEX + SEARCH_WORDS.format(cle=key)


def search_documents(kind: str, number: int) -> str:
    """A file of documents of one kind of result."""
    return SEARCH_INDEX + SEARCH_DOCUMENTS.format(type=kind, n=number)


def shell(section: str) -> str:
    return f"{section}{SHELL_DIR}/"


# --- Files under /donnees/ ----------------------------------------------------------------------


def table_file(dataset: str, extension: str, year: int | None = None) -> str:
    """A dataset in one format (`donnees/marches.csv`), or its rows of one year
    (`donnees/marches-2024.csv`)."""
    stem = dataset if year is None else f"{dataset}-{year}"
    return f"{DATA}{stem}.{extension}"


def schema_file(dataset: str) -> str:
    """A dataset's Table Schema: `donnees/schemas/marches.json`."""
    return f"{DATA}schemas/{dataset}.json"


WORKBOOK = f"{DATA}achats-publics.xlsx"
ARCHIVE = f"{DATA}achats-publics.zip"
DECP = f"{DATA}decp.json"
OCDS = f"{DATA}ocds.json"
DATA_PACKAGE = f"{DATA}datapackage.json"
CATALOG = f"{DATA}catalog"
"""The identifier of the DCAT catalogue, published as Turtle and JSON-LD."""
CATALOG_TURTLE = f"{CATALOG}.ttl"
CATALOG_JSONLD = f"{CATALOG}.jsonld"
CHANGELOG_JSON = f"{DATA}nouveautes.json"
INDICATORS_JSON = f"{DATA}indicateurs.json"
INDICATORS_CSV = f"{DATA}indicateurs.csv"


INDICATOR_ROWS = f"{DATA}indicateurs/"
ANALYSES_JSON = f"{DATA}analyses.json"
"""Every analysis of the `/analyses/` section, its figures per year and per group."""
ANALYSIS_ROWS = f"{DATA}analyses/"
VERSIONS = f"{DATA}versions/"
"""The dated, immutable versions of the datasets (`exports.versions`)."""
VERSIONS_INDEX = f"{VERSIONS}versions.json"
"""Every version kept, with the size and SHA-256 of each of its files."""
CITATION = f"{DATA}citation.json"
"""How to cite the data, as CSL-JSON (reference managers read it)."""


def version(name: str, path: str = "") -> str:
    """A dated version of the datasets (`donnees/versions/2026-11-30/`), or one of its files."""
    return f"{VERSIONS}{name}/{path}"


def analysis_rows(analysis_id: str) -> str:
    """The contracts behind an analysis (`donnees/analyses/offre-unique.csv`)."""
    return f"{ANALYSIS_ROWS}{analysis_id}.csv"


def analysis_dataset(analysis_id: str) -> str:
    """The name of an analysis' CSV as a dataset: its Data Package resource, Table Schema
    (`schema_file`) and data dictionary (`dictionary`)."""
    return f"analyse-{analysis_id}"


def indicator_rows(indicator_id: str) -> str:
    """The contracts counted by a computed indicator."""
    return f"{INDICATOR_ROWS}{indicator_id}.csv"


# --- Files of the quality page ------------------------------------------------------------------

INCOMPLETE_CONTRACTS = f"{QUALITY}marches-incomplets.csv"
LATE_CONTRACTS = f"{QUALITY}marches-publies-hors-delai.csv"
VALIDATION_REPORT = f"{QUALITY}rapport-validation.json"


# --- Feeds, calendar, sitemaps ------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """An Atom feed (or the calendar) announced in a page's head (`<link rel="alternate">`)."""

    titre: str
    chemin: str


UPCOMING_FEED = Feed("Achats à venir", f"{FEEDS}achats-a-venir.xml")
AWARDED_FEED = Feed("Marchés attribués récemment", f"{FEEDS}marches-attribues.xml")
CHANGES_FEED = Feed("Nouveautés des données", f"{FEEDS}nouveautes.xml")
CALENDAR = Feed("Calendrier des achats à venir", f"{FEEDS}achats-a-venir.ics")
MAIN_FEEDS = (UPCOMING_FEED, AWARDED_FEED, CHANGES_FEED)
"""The site-wide feeds, at stable addresses; pages announce them and link to them."""
FEEDS_SITEMAP = f"{FEEDS}sitemap.xml"


def division_feed(code: str) -> str:
    """The upcoming purchases of one CPV division."""
    return f"{FEEDS}achats-a-venir-cpv-{code}.xml"


def departement_feed(code: str) -> str:
    """The upcoming purchases executed in one département."""
    return f"{FEEDS}achats-a-venir-departement-{code}.xml"


def category_feed(slug: str) -> str:
    """The upcoming purchases of one category (`travaux`, `fournitures`, `services`)."""
    return f"{FEEDS}achats-a-venir-{slug}.xml"


def division_departement_feed(code: str, departement_code: str) -> str:
    """The upcoming purchases of one CPV division executed in one département."""
    return f"{FEEDS}achats-a-venir-cpv-{code}-departement-{departement_code}.xml"


def category_departement_feed(slug: str, departement_code: str) -> str:
    """The upcoming purchases of one category executed in one département."""
    return f"{FEEDS}achats-a-venir-{slug}-departement-{departement_code}.xml"


def feed_page(path: str) -> str:
    """The companion page of a feed, readable in a browser: `flux/achats-a-venir/` for
    `flux/achats-a-venir.xml`."""
    return f"{path.removesuffix('.xml')}/"


# --- Files at the root for hosts and for the tool itself ----------------------------------------

HEADERS_FILE = "_headers"
"""HTTP headers for Netlify, Cloudflare Pages and the hosts that read this format."""
APACHE_FILE = ".htaccess"
NGINX_FILE = "_nginx.conf"
HOST_FILES = (HEADERS_FILE, APACHE_FILE, NGINX_FILE)
MANIFEST = ".achats-ouverts.json"
"""The mark of a site this tool published: its top-level entries (see `building.guard`)."""


SITEMAP = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"
SITEMAP_PARTS = "sitemaps/"


def sitemap_part(number: int) -> str:
    """One file of a sitemap split behind a sitemap index."""
    return f"{SITEMAP_PARTS}sitemap-{number}.xml"


# --- The buyer's identity and the link previews ------------------------------------------------

THEME_CSS = "assets/identite.css"
"""The theme's colours, written at each build from `editeur.yaml` (`identite`)."""
DEFAULT_LOGO = "assets/logo.svg"
"""The tool's own logo (hand-written, `site_src/assets/`), when `editeur.yaml` names none."""


def publisher_logo(extension: str) -> str:
    """The buyer's logo, copied from the data folder: `assets/logo-editeur.svg`."""
    return f"assets/logo-editeur{extension}"


PREVIEWS = "apercus/"
"""The images of link previews (Open Graph, Twitter cards), drawn at each build."""
PREVIEWED_SECTIONS = (
    HOME,
    UPCOMING,
    CONTRACTS,
    POLICY,
    INDICATORS,
    DATA,
    QUALITY,
    CHANGELOG,
    FEEDS,
)
"""The generated sections that have a preview image of their own (with every indicator's page);
other pages show the home page's."""


def preview(page: str) -> str:
    """The preview image of a page: `apercus/accueil.png`, `apercus/indicateurs/part-pme.png`."""
    return f"{PREVIEWS}{page.rstrip('/') or 'accueil'}.png"


def has_preview(page: str) -> bool:
    """Whether the page at `page` has a preview image of its own."""
    parts = page.split("/")
    indicator_page = len(parts) == 3 and f"{parts[0]}/" == INDICATORS and parts[2] == ""
    return page in PREVIEWED_SECTIONS or indicator_page


# --- The explorers' data and script -------------------------------------------------------------

EXPLORER_DATA = "_donnees/"
"""The folder of an explorer's data shards, in its section (listed relative to its page)."""
EXPLORER_SCRIPT = "assets/explorateur.js"
"""The explorers' script (hand-written, `site_src/assets/`)."""


def contract_shard(label: str, number: int) -> str:
    """A shard of the contracts explorer, relative to its page: rows of one year (`label`)."""
    return f"{EXPLORER_DATA}marches-{label}-{number}.json"


def export_shard(shard: str) -> str:
    """The rows of an explorer's shard as they are downloaded (every column), beside it."""
    return shard.replace(EXPLORER_DATA, f"{EXPLORER_DATA}export-", 1)


def upcoming_shard(number: int) -> str:
    """A shard of the upcoming purchases explorer, relative to its page."""
    return f"{EXPLORER_DATA}achats-{number}.json"
