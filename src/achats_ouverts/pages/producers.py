"""What the site is made of: every producer, what it reads, what it publishes and where it writes.

The build runs them in the order `plan.order` computes from these declarations (`PLAN`): the
order they are written in below only breaks ties. A producer made of several page modules runs
them in turn (`plan.in_turn`); the detail pages are shared between two processes
(`plan.in_two_processes`). Adding a part of the site means declaring its producer here.
"""

from __future__ import annotations

from achats_ouverts.output import BuildContext, artifacts, urls
from achats_ouverts.output.listing import build_list_index
from achats_ouverts.output.plan import Plan, Producer, Stage, in_turn, in_two_processes, order
from achats_ouverts.pages import (
    analyses,
    changelog,
    contract,
    dashboard,
    downloads,
    entity,
    explorer_contracts,
    explorer_upcoming,
    feeds,
    home,
    legal,
    policy,
    previews,
    purchase,
    quality,
    rankings,
    search,
    sitemap,
    spaser_report,
    supplier,
)


def publish_list_index(ctx: BuildContext) -> None:
    """The shared list index, computed once for every list of contracts."""
    ctx.put(artifacts.LIST_INDEX, build_list_index(ctx.data, ctx.contract_pages))


DOCS, SITE = Stage.DOCS, Stage.SITE
DATA = artifacts.DATA
LIST_INDEX = artifacts.LIST_INDEX

PRODUCERS: tuple[Producer, ...] = (
    Producer(
        "pages.produce_home",
        DOCS,
        home.produce_home,
        reads=(DATA,),
        addresses=(urls.HOME,),
    ),
    Producer(
        "explorers.produce_explorers",
        DOCS,
        in_turn(
            explorer_upcoming.produce_upcoming_explorer,
            explorer_contracts.produce_contracts_explorer,
        ),
        reads=(DATA, LIST_INDEX),
        publishes=(artifacts.UPCOMING_EXPLORER, artifacts.CONTRACTS_EXPLORER),
        addresses=(urls.UPCOMING, urls.CONTRACTS),
    ),
    Producer(
        "rankings.produce_rankings",
        DOCS,
        rankings.produce_rankings,
        reads=(DATA, LIST_INDEX),
        addresses=(urls.RANKINGS,),
    ),
    Producer(
        "analyses.produce_analyses",
        DOCS,
        analyses.produce_analyses,
        reads=(DATA,),
        publishes=(artifacts.ANALYSES, artifacts.ANALYSIS_FILES),
        addresses=(urls.ANALYSES, urls.ANALYSES_JSON, urls.ANALYSIS_ROWS),
    ),
    Producer(
        "search.produce_search_page",
        DOCS,
        search.produce_search_page,
        reads=(DATA,),
        addresses=(urls.SEARCH,),
    ),
    Producer(
        "indicator_pages.produce_policy_and_indicators",
        DOCS,
        in_turn(dashboard.produce_indicators, policy.produce_policy),
        reads=(DATA,),
        publishes=(artifacts.INDICATORS, artifacts.INDICATOR_FILES),
        addresses=(
            urls.POLICY,
            urls.INDICATORS,
            urls.INDICATORS_JSON,
            urls.INDICATORS_CSV,
            urls.INDICATOR_ROWS,
        ),
    ),
    Producer(
        "spaser_report.produce_spaser_reports",
        DOCS,
        spaser_report.produce_spaser_reports,
        reads=(DATA, artifacts.INDICATORS),
        addresses=(urls.POLICY,),
    ),
    Producer(
        "previews.produce_previews",
        DOCS,
        previews.produce_previews,
        reads=(DATA, artifacts.INDICATORS),
        addresses=(urls.PREVIEWS,),
    ),
    Producer(
        "downloads.produce_data_page",
        DOCS,
        downloads.produce_data_page,
        reads=(
            DATA,
            artifacts.INDICATOR_FILES,
            artifacts.ANALYSES,
            artifacts.ANALYSIS_FILES,
            artifacts.CHANGELOG_FILE,
            artifacts.CURRENT_VERSION,
        ),
        addresses=(urls.DATA,),
        for_reusers=True,
    ),
    Producer(
        "indicator_pages.produce_quality",
        DOCS,
        quality.produce_quality,
        reads=(DATA, artifacts.REPORT),
        addresses=(urls.QUALITY,),
    ),
    Producer(
        "changelog.produce_changelog",
        DOCS,
        changelog.produce_changelog,
        reads=(DATA, artifacts.PREVIOUS_SITE),
        publishes=(artifacts.CHANGELOG_FILE, artifacts.CURRENT_VERSION),
        addresses=(urls.CHANGELOG, urls.CHANGELOG_JSON, urls.CHANGES_FEED.chemin, urls.VERSIONS),
        for_reusers=True,
    ),
    Producer(
        "feeds.produce_feeds",
        DOCS,
        feeds.produce_feeds,
        reads=(DATA, LIST_INDEX, artifacts.CONTRACTS_EXPLORER),
        addresses=(urls.FEEDS,),
        for_reusers=True,
    ),
    Producer(
        "entities.produce_entity_pages",
        DOCS,
        in_turn(entity.produce_entity_pages, supplier.produce_supplier_index),
        reads=(DATA, LIST_INDEX),
        addresses=(urls.SERVICES, urls.CPV, urls.DEPARTEMENTS, urls.SUPPLIERS),
    ),
    Producer(
        "pages.produce_legal_pages",
        DOCS,
        legal.produce_legal_pages,
        reads=(DATA,),
        addresses=(urls.ACCESSIBILITY, urls.LEGAL),
    ),
    Producer(
        "listing.build_list_index",
        DOCS,
        publish_list_index,
        reads=(DATA,),
        publishes=(LIST_INDEX,),
    ),
    Producer(
        "details.produce_detail_pages",
        SITE,
        in_two_processes(contract.write_contract_pages, supplier.write_supplier_pages),
        reads=(DATA, LIST_INDEX, artifacts.SHELLS),
        publishes=(artifacts.DETAIL_PAGES,),
        addresses=(urls.CONTRACTS, urls.SUPPLIERS),
    ),
    Producer(
        "details.produce_purchase_pages",
        SITE,
        purchase.write_purchase_pages,
        reads=(DATA, LIST_INDEX, artifacts.SHELLS),
        publishes=(artifacts.PURCHASE_PAGES,),
        addresses=(urls.UPCOMING,),
    ),
    Producer(
        "feeds.produce_feed_pages",
        SITE,
        feeds.write_feed_pages,
        reads=(DATA, LIST_INDEX, artifacts.SHELLS, artifacts.CONTRACTS_EXPLORER),
        publishes=(artifacts.FEED_PAGES,),
        addresses=(urls.FEEDS,),
    ),
    Producer(
        "search.produce_search_index",
        SITE,
        search.produce_search_index,
        reads=(DATA, LIST_INDEX, artifacts.MKDOCS_PAGES),
        addresses=(urls.SEARCH_INDEX,),
    ),
    Producer(
        "standards.produce_sitemap",
        SITE,
        sitemap.produce_sitemap,
        reads=(
            DATA,
            artifacts.MKDOCS_PAGES,
            artifacts.DETAIL_PAGES,
            artifacts.PURCHASE_PAGES,
            artifacts.FEED_PAGES,
        ),
        addresses=(urls.SITEMAP, urls.SITEMAP_GZ, urls.SITEMAP_PARTS),
        for_reusers=True,
    ),
)
"""In the order of the site's navigation; the build order follows from what each reads."""

PLAN: Plan = order(PRODUCERS)
"""The producers of each stage, in the order they run."""


def by_label(label: str) -> Producer | None:
    """The producer whose timings are recorded under `label`."""
    return next((p for p in PRODUCERS if p.label == label), None)
