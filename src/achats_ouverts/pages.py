"""The foundation pages: home, data downloads, accessibility and legal notices.

Each producer builds a plain-value page context from the loaded data (a `<Thing>Page` dataclass)
and renders it with a template; only this layer touches DataFrames.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from achats_ouverts import aggregates, contracts
from achats_ouverts.config import Publisher
from achats_ouverts.datafolder import csv_text, json_text
from achats_ouverts.output import BuildContext
from achats_ouverts.rendering import render

DOWNLOADS_DIR = "donnees"


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
    )


def produce_home(ctx: BuildContext) -> None:
    page = home_page(ctx)
    ctx.page("index.md", page.site.nom, render("home.html.j2", page=page), hide=("toc",))


@dataclass(frozen=True)
class DownloadView:
    name: str
    titre: str
    description: str
    chemin: str
    schema: str
    schema_octets: int
    lignes: int
    octets: int
    sha256: str


@dataclass(frozen=True)
class DataPage:
    site: SiteInfo
    jeux: tuple[DownloadView, ...]


def write_csv_downloads(ctx: BuildContext) -> tuple[DownloadView, ...]:
    """Every validated dataset as canonical CSV (UTF-8, comma) with its Table Schema."""
    views = []
    for ds in contracts.DATASETS:
        frame = ctx.data.text[ds.name]
        text = csv_text(ds.field_names, frame.itertuples(index=False, name=None))
        data = text.encode("utf-8")
        path = f"{DOWNLOADS_DIR}/{ds.path}"
        ctx.file(path, data)
        schema_path = f"{DOWNLOADS_DIR}/{ds.schema_path}"
        schema = json_text(contracts.table_schema(ds)).encode("utf-8")
        ctx.file(schema_path, schema)
        views.append(
            DownloadView(
                ds.name,
                ds.title,
                ds.description,
                ds.path,
                ds.schema_path,
                len(schema),
                len(frame),
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
        )
    return tuple(views)


def produce_data_page(ctx: BuildContext) -> None:
    page = DataPage(SiteInfo.of(ctx.data.publisher), write_csv_downloads(ctx))
    ctx.page(f"{DOWNLOADS_DIR}/index.md", "Données", render("data.html.j2", page=page))


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
