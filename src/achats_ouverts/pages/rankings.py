"""The rankings (`rankings.html.j2`, `/classements/` for all years, `/classements/<année>/` for
one year of notification): who received the most, companies by amount and by number of contracts,
buying services and CPV divisions by amount.

A company's amount is its equal share of its contracts (a contract with n co-contractors counts
for 1/n of its amount to each, since the DECP do not say how the amount is split); the whole
amount of its contracts is shown beside it. The flat file (`marches-a-plat.csv`) carries what is
needed to recompute every figure: `montant`, `titulaires_nombre` and the year of
`dateNotification`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.exports import flat
from achats_ouverts.french import french_date
from achats_ouverts.model import Data, aggregates
from achats_ouverts.model.indicators import running
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.listing import ListIndex
from achats_ouverts.output.site_info import WIDE, SiteInfo

TOP = 100
"""Companies listed in each ranking of a page."""
SUPPLIER_KEYS = ["titulaire_typeIdentifiant", "titulaire_id"]


@dataclass(frozen=True)
class RankedSupplier:
    rang: int
    nom: str
    identifiant: str
    href: str
    marches: int
    montant_part: float
    montant_total: float


@dataclass(frozen=True)
class RankedEntity:
    rang: int
    nom: str
    href: str
    marches: int
    montant: float


@dataclass(frozen=True)
class YearLink:
    libelle: str
    href: str
    courant: bool


@dataclass(frozen=True)
class RankingPage:
    site: SiteInfo
    annee: int | None
    annees: tuple[YearLink, ...]
    marches: int
    montant: float
    titulaires: int
    en_cours: str | None
    """For the year not over at the data's date: that date (the ranking is provisional)."""
    par_montant: tuple[RankedSupplier, ...]
    par_nombre: tuple[RankedSupplier, ...]
    services: tuple[RankedEntity, ...]
    divisions: tuple[RankedEntity, ...]
    explorateur: str
    fichier_plat: str
    services_index: str
    cpv_index: str


def supplier_rows(
    index: ListIndex, totals: pd.DataFrame, by: str, root: str
) -> tuple[RankedSupplier, ...]:
    """The first TOP companies of `totals` (one row per company) ranked by `by`."""
    keys = ["montant_part", *SUPPLIER_KEYS] if by == "marches" else SUPPLIER_KEYS
    top = aggregates.ranked(totals, by, keys).iloc[:TOP]
    rows = []
    for rank, (kind, ident, count, part, whole) in enumerate(
        zip(
            top["titulaire_typeIdentifiant"],
            top["titulaire_id"],
            top["marches"],
            top["montant_part"],
            top["montant_total"],
            strict=True,
        ),
        start=1,
    ):
        info = index.suppliers[(kind, ident)]
        rows.append(
            RankedSupplier(
                rank,
                info.nom,
                info.identifier,
                root + urls.supplier(info.slug),
                int(count),
                float(part),
                float(whole),
            )
        )
    return tuple(rows)


def entity_rows(
    contracts: pd.DataFrame, column: str, names: dict[str, str], section: str, root: str
) -> tuple[RankedEntity, ...]:
    """Every value of `column` (a buying service, a CPV division) ranked by amount."""
    known = contracts[contracts[column].fillna("") != ""]
    grouped = (
        known.groupby(column, sort=True)
        .agg(marches=("uid", "size"), montant=("montant", "sum"))
        .reset_index()
    )
    top = aggregates.ranked(grouped, "montant", [column])
    return tuple(
        RankedEntity(
            rank,
            names.get(code, code),
            root + urls.entity(section, code),
            int(count),
            float(amount),
        )
        for rank, (code, count, amount) in enumerate(
            zip(top[column], top["marches"], top["montant"], strict=True), start=1
        )
    )


def ranking_pages(data: Data, index: ListIndex) -> list[RankingPage]:
    """The page of all years, then one page per year of notification, latest first."""
    contracts = index.contracts
    yearly = aggregates.supplier_year_totals(contracts, data.contract_suppliers)
    years = sorted({int(y) for y in contracts["annee"].dropna()}, reverse=True)
    site = SiteInfo.of(data.publisher)
    divisions = {
        code: f"{code} – {cpv.DIVISIONS.get(code, 'division ' + code)}"
        for code in set(contracts["cpv_division"].dropna())
    }
    pages = []
    for year in (None, *years):
        address = urls.ranking(year)
        root = urls.to_root(address)
        chosen = contracts if year is None else contracts[contracts["annee"] == year]
        rows = yearly if year is None else yearly[yearly["annee"] == year]
        totals = rows.groupby(SUPPLIER_KEYS, sort=True)[
            ["marches", "montant_part", "montant_total"]
        ].sum()
        totals = totals.reset_index()
        links = tuple(
            YearLink(
                "Toutes les années" if y is None else str(y),
                relative_url(address, urls.ranking(y)),
                y == year,
            )
            for y in (None, *years)
        )
        filters = {} if year is None else {"annee": str(year)}
        pages.append(
            RankingPage(
                site=site,
                annee=year,
                annees=links,
                marches=len(chosen),
                montant=float(chosen["montant"].sum()),
                titulaires=len(totals),
                en_cours=french_date(data.reference_date)
                if year is not None and running(year, data.reference_date)
                else None,
                par_montant=supplier_rows(index, totals, "montant_part", root),
                par_nombre=supplier_rows(index, totals, "marches", root),
                services=entity_rows(
                    chosen, "acheteur_service_id", index.services, urls.SERVICES, root
                ),
                divisions=entity_rows(chosen, "cpv_division", divisions, urls.CPV, root),
                explorateur=root + urls.explorer(urls.CONTRACTS, tri="montant-desc", **filters),
                fichier_plat=root + urls.dictionary(flat.NAME),
                services_index=root + urls.SERVICES,
                cpv_index=root + urls.CPV,
            )
        )
    return pages


def produce_rankings(ctx: BuildContext) -> None:
    """`/classements/` (in the navigation) and one page per year (outside it)."""
    for page in ranking_pages(ctx.data, ctx.get(artifacts.LIST_INDEX)):
        title = "Classements" if page.annee is None else f"Classements {page.annee}"
        ctx.page(
            urls.ranking(page.annee),
            title,
            render("rankings.html.j2", page=page),
            hide=WIDE,
        )
