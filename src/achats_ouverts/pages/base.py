"""The foundation pages: home, accessibility and legal notices.

Each producer builds a plain-value page context from the loaded data (a `<Thing>Page` dataclass)
and renders it with a template; only this layer touches DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from achats_ouverts.datafolder import Publisher
from achats_ouverts.exports import organization_jsonld
from achats_ouverts.model import aggregates
from achats_ouverts.output import (
    CALENDAR,
    FEEDS_PAGE,
    MAIN_FEEDS,
    BuildContext,
    relative_url,
    render,
)


@dataclass(frozen=True)
class SiteInfo:
    """What every page may show about the publisher."""

    nom: str
    demo: bool
    email: str
    url_site: str

    @staticmethod
    def of(publisher: Publisher) -> SiteInfo:
        return SiteInfo(publisher.nom, publisher.demo, publisher.email, publisher.url_site)


@dataclass(frozen=True)
class FeedLink:
    titre: str
    href: str


@dataclass(frozen=True)
class SubscribeView:
    """The « S'abonner » block (`_abonnement.html.j2`): the main feeds, the calendar and the page
    listing every feed, linked relatively from the page that shows it."""

    flux: tuple[FeedLink, ...]
    calendrier: FeedLink
    page: str


def subscribe_view(from_page: str) -> SubscribeView:
    return SubscribeView(
        tuple(FeedLink(feed.titre, relative_url(from_page, feed.chemin)) for feed in MAIN_FEEDS),
        FeedLink(CALENDAR.titre, relative_url(from_page, CALENDAR.chemin)),
        relative_url(from_page, FEEDS_PAGE),
    )


@dataclass(frozen=True)
class YearRow:
    annee: int
    marches: int
    montant: float


@dataclass(frozen=True)
class HomePage:
    site: SiteInfo
    annee: int | None
    annee_partielle: bool
    date_reference: date
    marches: int
    montant: float
    part_environnement: float | None
    titulaires: int
    achats_a_venir: int
    annees: tuple[YearRow, ...]
    abonnement: SubscribeView
    jsonld: dict[str, Any]


def home_page(ctx: BuildContext) -> HomePage:
    data = ctx.data
    contracts_frame = data.contracts
    year = aggregates.latest_year(contracts_frame)
    latest = (
        contracts_frame[contracts_frame["annee"] == year] if year else contracts_frame.iloc[0:0]
    )
    totals = aggregates.yearly_totals(contracts_frame)
    return HomePage(
        site=SiteInfo.of(data.publisher),
        annee=year,
        annee_partielle=year == data.reference_date.year,
        date_reference=data.reference_date,
        marches=len(latest),
        montant=float(latest["montant"].sum()),
        part_environnement=aggregates.share(aggregates.has_environmental_consideration(latest)),
        titulaires=aggregates.distinct_suppliers(data.contract_suppliers, latest["uid"]),
        achats_a_venir=len(aggregates.open_upcoming(data.upcoming)),
        annees=tuple(
            YearRow(int(year), int(count), float(amount))
            for year, count, amount in zip(
                totals["annee"], totals["marches"], totals["montant"], strict=True
            )
        ),
        abonnement=subscribe_view(""),
        jsonld={"@context": "https://schema.org", **organization_jsonld(data.publisher)},
    )


def produce_home(ctx: BuildContext) -> None:
    page = home_page(ctx)
    ctx.page(
        "index.md",
        page.site.nom,
        render("home.html.j2", page=page),
        hide=("toc",),
        feeds=MAIN_FEEDS,
    )


@dataclass(frozen=True)
class LegalPage:
    site: SiteInfo
    publisher: Publisher
    date_reference: date


def produce_legal_pages(ctx: BuildContext) -> None:
    page = LegalPage(SiteInfo.of(ctx.data.publisher), ctx.data.publisher, ctx.data.reference_date)
    ctx.page(
        "accessibilite/index.md",
        "Déclaration d'accessibilité",
        render("accessibility.html.j2", page=page),
    )
    ctx.page("mentions-legales/index.md", "Mentions légales", render("legal.html.j2", page=page))
