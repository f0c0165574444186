"""The home page (`home.html.j2`): key figures of the latest year, contracts by year, the ways into
the site and the « S'abonner » block.

Each page module builds a plain-value page context from the loaded data (a `<Thing>Page`
dataclass) and renders it with its template; only pages touch DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from achats_ouverts.exports.schema_org import organization_jsonld
from achats_ouverts.model import aggregates
from achats_ouverts.output import BuildContext, render, urls
from achats_ouverts.output.site_info import SiteInfo, SubscribeView, subscribe_view


@dataclass(frozen=True)
class YearTotal:
    """Contracts notified in a year: how many, and their amounts at notification and now."""

    annee: int
    marches: int
    montant: float
    montant_actuel: float


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
    annees: tuple[YearTotal, ...]
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
            YearTotal(int(year), int(count), float(amount), float(current))
            for year, count, amount, current in zip(
                totals["annee"],
                totals["marches"],
                totals["montant"],
                totals["montant_actuel"],
                strict=True,
            )
        ),
        abonnement=subscribe_view(urls.HOME),
        jsonld={"@context": "https://schema.org", **organization_jsonld(data.publisher)},
    )


def produce_home(ctx: BuildContext) -> None:
    page = home_page(ctx)
    ctx.page(
        urls.HOME,
        page.site.nom,
        render("home.html.j2", page=page),
        hide=("toc",),
        feeds=urls.MAIN_FEEDS,
    )
