"""The biennial SPASER report (`spaser_report.html.j2`), one page per two-year period
(`output.reports`): the rates of socially and ecologically responsible purchases, in number of
contracts and in value, per year, against the policy's targets, then the policy's other targets,
with the method, the sources, the date of the data and the buyer's identity. A printable page:
the print stylesheet (`site_src/assets/site.css`, `.ao-rapport`) gives a clean A4 document.

Every figure comes from the indicator engine: the policy's indicators as computed once by the
dashboard (`artifacts.INDICATORS`, the figures of `indicateurs.json`); a theme whose count or
value the policy does not follow is measured by the engine's own calculation of it, without a
target (`complement`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from achats_ouverts.datafolder import Indicator
from achats_ouverts.french import euros, french_date, number, plural
from achats_ouverts.model import Data, IndicatorResult, YearValue, calculations, indicators
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.indicator_views import display, tables_of
from achats_ouverts.output.reports import Period, report_periods
from achats_ouverts.output.site_info import WIDE, SiteInfo

Measure = Callable[[calculations.Tables], pd.DataFrame]


@dataclass(frozen=True)
class Theme:
    id: str
    titre: str
    field: str
    """The DECP field that makes an indicator belong to the theme."""
    count: tuple[str, str, Measure]
    """The calculation of the theme in number of contracts: its name, title and function."""
    value: tuple[str, str, Measure]


def _social_amount(t: calculations.Tables) -> pd.DataFrame:
    flags = calculations.social_flags(t.contracts)
    return calculations.flag_amount_share(flags, t.contracts["montant"])


THEMES = (
    Theme(
        "achats-ecologiquement-responsables",
        "Achats écologiquement responsables",
        "considerationsEnvironnementales",
        (
            "part_environnement_nombre",
            "Part des marchés comportant une considération environnementale",
            calculations.environment_count,
        ),
        (
            "part_environnement_montant",
            "Part du montant des marchés comportant une considération environnementale",
            calculations.environment_amount,
        ),
    ),
    Theme(
        "achats-socialement-responsables",
        "Achats socialement responsables",
        "considerationsSociales",
        (
            "part_sociale_nombre",
            "Part des marchés comportant une considération sociale",
            calculations.social_count,
        ),
        (
            "part_sociale_montant",
            "Part du montant des marchés comportant une considération sociale",
            _social_amount,
        ),
    ),
)
"""The two rates article L2111-3 asks for, each in number of contracts and in value."""


# --- Views --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    annee: str
    valeur: str
    base: str
    """What the value is made of: `45 marchés sur 60`, `1 234 567 € sur 3 456 789 €`."""
    cible: str
    situation: str
    code: str
    """`atteinte`, `non-atteinte`, `en-cours` or `neutre` (a CSS class next to the words)."""


@dataclass(frozen=True)
class IndicatorTable:
    id: str
    titre: str
    mesure: str
    """`en nombre de marchés`, `en valeur`, `déclaré par l'acheteur`…"""
    lien: str
    """The indicator's page; empty for a complement, which has none."""
    methode: str
    lignes: tuple[YearRow, ...]
    complement: bool


@dataclass(frozen=True)
class ThemeView:
    id: str
    titre: str
    tableaux: tuple[IndicatorTable, ...]


@dataclass(frozen=True)
class OtherReport:
    libelle: str
    lien: str
    courant: bool


@dataclass(frozen=True)
class ReportPage:
    site: SiteInfo
    periode: str
    debut: int
    fin: int
    en_cours: bool
    date_donnees: str
    date_donnees_iso: str
    acheteur: str
    siret: str
    adresse: str
    directeur: str
    politique_titre: str
    politique_periode: str
    politique_adoption: str
    politique: str
    tableau_de_bord: str
    donnees: str
    themes: tuple[ThemeView, ...]
    autres: tuple[IndicatorTable, ...]
    rapports: tuple[OtherReport, ...]


# --- Figures ------------------------------------------------------------------------------------


def measure_of(result: IndicatorResult) -> str:
    if not result.computed:
        return "déclaré par l'acheteur"
    if result.statistique == "moyenne":
        return "moyenne par marché"
    if result.statistique == "mediane":
        return "médiane par marché"
    if "montant" in result.calcul:
        return "en valeur, au montant de la notification"
    return "en nombre de marchés"


def _count(value: float) -> str:
    return number(value, 1).removesuffix(",0")


def base_of(result: IndicatorResult, year: YearValue) -> str:
    """What a year's value is made of, in words."""
    if not result.computed:
        return year.source or "—"
    if year.valeur is None:
        return "aucun marché compté"
    if result.statistique != "part" or year.numerateur is None or year.denominateur is None:
        return plural(year.marches or 0, "marché compté", "marchés comptés")
    if "montant" in result.calcul:
        return f"{euros(year.numerateur)} sur {euros(year.denominateur)}"
    counted = f"{_count(year.numerateur)}\u00a0marché{'s' if year.numerateur >= 2 else ''}"
    return f"{counted} sur {_count(year.denominateur)}"


def situation_of(result: IndicatorResult, year: YearValue) -> tuple[str, str]:
    """A year's value against that year's target: a running year is never judged."""
    if year.a_venir:
        return "Année à venir", "neutre"
    if year.partielle:
        return "Non jugée : année en cours", "en-cours"
    if year.valeur is None:
        return "Pas de valeur mesurée", "neutre"
    met = indicators.year_verdict(result, year)
    if met is None:
        return "Pas de cible pour cette année", "neutre"
    return ("Cible atteinte", "atteinte") if met else ("Cible non atteinte", "non-atteinte")


def indicator_table(
    result: IndicatorResult, period: Period, from_page: str, complement: bool = False
) -> IndicatorTable:
    by_year = {y.annee: y for y in result.annees}
    rows = []
    for annee in period.years:
        year = by_year.get(annee) or YearValue(annee, None, None, a_venir=True)
        words, code = situation_of(result, year)
        rows.append(
            YearRow(
                annee=f"{annee} (en cours)" if year.partielle else str(annee),
                valeur=display(year.valeur, result.unite),
                base=base_of(result, year),
                cible=display(year.cible, result.unite) if year.cible is not None else "aucune",
                situation=words,
                code=code,
            )
        )
    return IndicatorTable(
        id=result.id,
        titre=result.titre,
        mesure=measure_of(result),
        lien="" if complement else relative_url(from_page, urls.indicator(result.id)),
        methode=result.methode,
        lignes=tuple(rows),
        complement=complement,
    )


def complement(data: Data, name: str, title: str, measure: Measure) -> IndicatorResult:
    """A theme's count or value the policy does not follow, measured by the engine (the same
    per-contract rows and sums as a policy indicator), without a target."""
    tables = tables_of(data)
    summary = indicators.summarise(
        measure(tables), indicators.group_keys(data.contracts), ["annee"], "part"
    )
    indicator = Indicator(
        id=name.replace("_", "-"),
        titre=title,
        unite="%",
        sens="hausse",
        type="calculé",
        calcul=name,
        cibles=(),
        methode="",
    )
    years = indicators.indicator_years(data.contracts, data.policy)
    return IndicatorResult(
        id=indicator.id,
        titre=title,
        unite="%",
        sens="hausse",
        type="calculé",
        calcul=name,
        statistique="part",
        methode=(
            "Mesure complémentaire de ce rapport, sans cible dans la politique d'achat : "
            "calculée par le même moteur que les indicateurs de la politique, sur les mêmes "
            "marchés (un champ non renseigné exclut le marché, il n'est pas lu comme « non »)."
        ),
        description="",
        axes=(),
        actions=(),
        cibles=(),
        annees=indicators.computed_series(summary, years, indicator, data.reference_date),
        services=(),
        champs=(),
        date_reference=data.reference_date,
    )


def theme_views(
    data: Data, results: tuple[IndicatorResult, ...], period: Period, from_page: str
) -> tuple[tuple[ThemeView, ...], tuple[IndicatorTable, ...]]:
    """The two themes (the policy's indicators that read their field, and the engine's measure
    of the count or value the policy lacks), then the policy's other indicators."""
    placed: set[str] = set()
    views = []
    for theme in THEMES:
        own = [
            r
            for r in results
            if r.computed
            and theme.field in calculations.REGISTRY[r.calcul].fields
            and r.id not in placed
        ]
        placed.update(r.id for r in own)
        tables = [indicator_table(r, period, from_page) for r in own]
        followed = {r.calcul for r in own}
        for position, (name, title, measure) in enumerate((theme.count, theme.value)):
            if name not in followed:
                extra = complement(data, name, title, measure)
                tables.insert(position, indicator_table(extra, period, from_page, True))
        views.append(ThemeView(theme.id, theme.titre, tuple(tables)))
    others = tuple(indicator_table(r, period, from_page) for r in results if r.id not in placed)
    return tuple(views), others


def produce_spaser_reports(ctx: BuildContext) -> None:
    """One report page per two-year period the data cover."""
    data = ctx.data
    policy, publisher = data.policy, data.publisher
    results = ctx.get(artifacts.INDICATORS)
    all_periods = report_periods(policy.periode_debut, results, data.reference_date)
    for period in all_periods:
        path = urls.spaser_report(period.debut, period.fin)
        themes, others = theme_views(data, results, period, path)
        page = ReportPage(
            site=SiteInfo.of(publisher),
            periode=period.label,
            debut=period.debut,
            fin=period.fin,
            en_cours=period.en_cours,
            date_donnees=french_date(data.reference_date),
            date_donnees_iso=data.reference_date.isoformat(),
            acheteur=publisher.nom,
            siret=publisher.siret,
            adresse=publisher.adresse,
            directeur=publisher.directeur_publication,
            politique_titre=policy.titre,
            politique_periode=f"{policy.periode_debut}-{policy.periode_fin}",
            politique_adoption=policy.adoption,
            politique=relative_url(path, urls.POLICY),
            tableau_de_bord=relative_url(path, urls.INDICATORS),
            donnees=relative_url(path, urls.DATA),
            themes=themes,
            autres=others,
            rapports=tuple(
                OtherReport(
                    p.label + (" (en cours)" if p.en_cours else ""),
                    relative_url(path, urls.spaser_report(p.debut, p.fin)),
                    p == period,
                )
                for p in all_periods
            ),
        )
        ctx.page(
            path,
            f"Rapport SPASER {period.label}",
            render("spaser_report.html.j2", page=page),
            hide=WIDE,
            description=(
                f"{publisher.nom} : achats socialement et écologiquement responsables "
                f"{period.label}, en nombre de marchés et en valeur, face aux cibles de la "
                "politique d'achat (code de la commande publique, article L2111-3)."
            ),
        )
