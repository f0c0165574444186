"""The indicators: computed once, published as data (`donnees/indicateurs.json` and `.csv`, and
the rows counted behind each computed indicator), shown on the dashboard (`dashboard.html.j2`) and
on one page per indicator (`indicator.html.j2`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from achats_ouverts.datafolder import csv_text, json_text
from achats_ouverts.french import number, plural
from achats_ouverts.model import IndicatorResult, indicators
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.indicator_views import (
    IndicatorCard,
    IndicatorLine,
    RowsFile,
    display,
    indicator_card,
    indicator_chart,
    indicator_line,
    summary_sentence,
    tables_of,
    write_frame,
    year_label,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo

STATISTICS = {
    "part": "une part : la somme des numérateurs divisée par la somme des dénominateurs",
    "moyenne": "une moyenne : la somme des valeurs divisée par le nombre de marchés comptés",
    "mediane": "une médiane : la moitié des marchés comptés sont au-dessous, l'autre au-dessus",
}


# --- Indicator pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorYearRow:
    """A year of an indicator as its page lists it: value, target and what was counted."""

    annee: str
    valeur: str
    cible: str
    situation: str
    marches: str
    exclus: str
    source: str
    note: str


@dataclass(frozen=True)
class ServiceRow:
    nom: str
    valeur: str
    marches: str
    exclus: str


@dataclass(frozen=True)
class LinkView:
    titre: str
    lien: str


@dataclass(frozen=True)
class IndicatorPage:
    site: SiteInfo
    id: str
    titre: str
    unite: str
    calcule: bool
    valeur: str
    annee: str
    cible: str
    situation: str
    code: str
    phrase: str
    graphique: Markup
    annees: tuple[IndicatorYearRow, ...]
    services_annee: str
    services: tuple[ServiceRow, ...]
    formule: str
    description: str
    lectures: str
    statistique: str
    exclusions: str
    limites: str
    lignes: RowsFile | None
    actions: tuple[LinkView, ...]
    tableau_de_bord: str
    donnees_json: str
    octets_json: int


def year_rows(result: IndicatorResult) -> tuple[IndicatorYearRow, ...]:
    rows = []
    for y in result.annees:
        met = indicators.year_verdict(result, y)
        if met is not None:
            words = "atteinte" if met else "non atteinte"
        elif y.partielle and y.valeur is not None and y.cible is not None:
            words = "année en cours"
        else:
            words = "—"
        if y.a_venir:
            note = "année à venir"
        elif result.computed and not y.marches and not y.exclus:
            note = "aucun marché notifié ou dans le champ cette année"
        elif y.valeur is None and result.computed:
            note = "aucun marché avec l'information nécessaire"
        elif y.valeur is None:
            note = "aucune valeur déclarée"
        else:
            note = y.commentaire
        rows.append(
            IndicatorYearRow(
                annee=year_label(y),
                valeur=display(y.valeur, result.unite),
                cible=display(y.cible, result.unite),
                situation=words,
                marches="" if y.marches is None or y.a_venir else number(y.marches),
                exclus="" if y.exclus is None or y.a_venir else number(y.exclus),
                source=y.source,
                note=note,
            )
        )
    return tuple(rows)


def service_rows(result: IndicatorResult) -> tuple[str, tuple[ServiceRow, ...]]:
    st = result.status
    if not result.services or st.valeur is None:
        return "", ()
    year = st.valeur.annee
    rows = []
    for series in result.services:
        y = next((item for item in series.annees if item.annee == year), None)
        if y is None or (not y.marches and not y.exclus):
            continue
        rows.append(
            ServiceRow(
                series.service_nom,
                display(y.valeur, result.unite),
                number(y.marches or 0),
                number(y.exclus or 0),
            )
        )
    return year_label(st.valeur), tuple(rows)


# --- The producer -------------------------------------------------------------------------------


def produce_indicators(ctx: BuildContext) -> None:
    """Every indicator computed once, its files under `donnees/`, the dashboard and one page per
    indicator; the results and files are published for the policy and the downloads."""
    data = ctx.data
    tables = tables_of(data)
    computed = indicators.compute(
        data.policy, tables, data.declared, data.services, data.reference_date
    )
    rows_files: dict[str, RowsFile] = {}
    for result in computed:
        if result.computed:
            rows = indicators.counted_rows(result.calcul, tables, data.text["marches"])
            rows_files[result.id] = write_frame(ctx, urls.indicator_rows(result.id), rows)
    document = indicators.document(
        data.policy,
        computed,
        data.reference_date,
        {key: relative_url(urls.DATA, urls.indicator_rows(key)) for key in rows_files},
    )
    json_bytes = json_text(document).encode("utf-8")
    csv_bytes = csv_text(indicators.CSV_COLUMNS, indicators.csv_rows(computed)).encode("utf-8")
    written = [ctx.file(urls.INDICATORS_JSON, json_bytes), ctx.file(urls.INDICATORS_CSV, csv_bytes)]
    written += [ctx.published[f.lien] for f in rows_files.values()]
    ctx.put(artifacts.INDICATORS, computed)
    ctx.put(artifacts.INDICATOR_FILES, tuple(written))
    sizes = (len(json_bytes), len(csv_bytes))
    site = SiteInfo.of(data.publisher)
    write_dashboard(ctx, site, computed, sizes)
    for result in computed:
        write_indicator_page(ctx, site, result, rows_files.get(result.id), sizes[0])


@dataclass(frozen=True)
class DashboardAxis:
    id: str
    numero: int
    titre: str
    cartes: tuple[IndicatorCard, ...]
    indicateurs: tuple[IndicatorLine, ...]
    actions: tuple[tuple[str, str], ...]
    """For each indicator, the number of its action and the link to the action's page."""


@dataclass(frozen=True)
class DashboardPage:
    site: SiteInfo
    date_reference: date
    axes: tuple[DashboardAxis, ...]
    hors_axes: tuple[IndicatorCard, ...]
    atteintes: int
    avec_cible: int
    en_cours: int
    annee_en_cours: int
    donnees_json: str
    donnees_csv: str
    octets_json: int
    octets_csv: int
    politique: str
    qualite: str


def write_dashboard(
    ctx: BuildContext,
    site: SiteInfo,
    computed: tuple[IndicatorResult, ...],
    sizes: tuple[int, int],
) -> None:
    """One card per indicator, axis by axis, and the full table one click away. `sizes`: bytes
    of indicateurs.json and indicateurs.csv, shown in their download links."""
    data = ctx.data
    path = urls.INDICATORS
    results = {r.id: r for r in computed}
    axes: list[DashboardAxis] = []
    placed: set[str] = set()
    count = 0
    for axis in data.policy.axes:
        cards: list[IndicatorCard] = []
        lines: list[IndicatorLine] = []
        owners: list[tuple[str, str]] = []
        for action in axis.actions:
            for ref in action.indicateurs:
                placed.add(ref)
                count += 1
                owner = (action.numero, relative_url(path, urls.action(action.id)))
                cards.append(indicator_card(results[ref], path, f"t{count}", owner))
                lines.append(indicator_line(results[ref], path))
                owners.append(owner)
        axes.append(
            DashboardAxis(
                axis.id, axis.numero, axis.titre, tuple(cards), tuple(lines), tuple(owners)
            )
        )
    judged = [r.status.bilan if r.status.en_cours else r.status for r in computed]
    page = DashboardPage(
        site=site,
        date_reference=data.reference_date,
        axes=tuple(axes),
        hors_axes=tuple(
            indicator_card(r, path, f"t-autre-{r.id}") for r in computed if r.id not in placed
        ),
        atteintes=sum(1 for s in judged if s is not None and s.atteinte),
        avec_cible=sum(1 for s in judged if s is not None and s.atteinte is not None),
        en_cours=sum(1 for r in computed if r.status.en_cours),
        annee_en_cours=data.reference_date.year,
        donnees_json=relative_url(path, urls.INDICATORS_JSON),
        donnees_csv=relative_url(path, urls.INDICATORS_CSV),
        octets_json=sizes[0],
        octets_csv=sizes[1],
        politique=relative_url(path, urls.POLICY),
        qualite=relative_url(path, urls.QUALITY),
    )
    ctx.page(
        path,
        "Indicateurs",
        render("dashboard.html.j2", page=page),
        hide=WIDE,
        description=(
            f"Les {plural(len(computed), 'indicateur')} de la politique d'achat de "
            f"{site.nom} : dernière valeur, cible et évolution par année. Sur leur dernière "
            f"année complète, {number(page.atteintes)} sur {number(page.avec_cible)} "
            "atteignent leur cible."
        ),
    )


def write_indicator_page(
    ctx: BuildContext,
    site: SiteInfo,
    result: IndicatorResult,
    rows: RowsFile | None,
    json_size: int,
) -> None:
    path = urls.indicator(result.id)
    line = indicator_line(result, path)
    services_year, services = service_rows(result)
    actions = {action.id: action for _, action in ctx.data.policy.actions()}
    calculation = indicators.REGISTRY.get(result.calcul)
    page = IndicatorPage(
        site=site,
        id=result.id,
        titre=result.titre,
        unite=result.unite,
        calcule=result.computed,
        valeur=line.valeur,
        annee=line.annee,
        cible=line.cible,
        situation=line.situation,
        code=line.code,
        phrase=summary_sentence(result),
        graphique=indicator_chart(result),
        annees=year_rows(result),
        services_annee=services_year,
        services=services,
        formule=ctx.data.policy.indicator(result.id).methode,
        description=result.description,
        lectures=(
            calculation.reads
            if calculation
            else "la valeur déclarée chaque année dans indicateurs-declares.csv, avec sa source"
        ),
        statistique=STATISTICS.get(result.statistique, ""),
        exclusions=ctx.data.policy.indicator(result.id).exclusions,
        limites=ctx.data.policy.indicator(result.id).limites,
        lignes=(
            RowsFile(relative_url(path, rows.lien), rows.lignes, rows.octets) if rows else None
        ),
        actions=tuple(
            LinkView(
                f"Action {actions[a].numero} : {actions[a].titre}",
                relative_url(path, urls.action(a)),
            )
            for a in result.actions
        ),
        tableau_de_bord=relative_url(path, urls.INDICATORS),
        donnees_json=relative_url(path, urls.INDICATORS_JSON),
        octets_json=json_size,
    )
    ctx.page(
        path,
        result.titre,
        render("indicator.html.j2", page=page),
        description=page.phrase,
    )
