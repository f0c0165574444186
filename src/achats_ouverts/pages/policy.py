"""The purchasing policy, its indicators and the transparency self-audit.

One producer computes every indicator once (`indicators.compute`) and writes, from that single
structure, `donnees/indicateurs.json` and `.csv`, the rows counted behind each computed indicator,
the policy page, one page per action, the dashboard and one page per indicator. A second producer
writes the `/qualite/` page. Page contexts are frozen dataclasses of plain values; only this layer
touches DataFrames.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from markupsafe import Markup

from achats_ouverts.datafolder import csv_text, json_text
from achats_ouverts.french import euros, number, percent, plural
from achats_ouverts.model import Data, IndicatorResult, YearValue, indicators, quality
from achats_ouverts.output import BuildContext, charts, relative_url, render
from achats_ouverts.pages.base import SiteInfo
from achats_ouverts.report import Severity

POLICY_DIR = "politique-achat"
INDICATORS_DIR = "indicateurs"
QUALITY_DIR = "qualite"
DATA_DIR = "donnees"
JSON_PATH = f"{DATA_DIR}/indicateurs.json"
CSV_PATH = f"{DATA_DIR}/indicateurs.csv"
ROWS_DIR = f"{DATA_DIR}/indicateurs"
STATISTICS = {
    "part": "une part : la somme des numérateurs divisée par la somme des dénominateurs",
    "moyenne": "une moyenne : la somme des valeurs divisée par le nombre de marchés comptés",
    "mediane": "une médiane : la moitié des marchés comptés sont au-dessous, l'autre au-dessus",
}
EXAMPLES = 20


# --- Formatting ---------------------------------------------------------------------------------


def display(value: float | None, unit: str) -> str:
    """A value in its unit, the French way: `12,5 %`, `1 234 567 €`, `34,5 jours`."""
    if value is None:
        return "—"
    if unit == "%":
        return percent(value, indicators.DIGITS["%"])
    if unit == "€":
        return euros(value)
    shown = number(value, indicators.DIGITS.get(unit, 1))
    return shown if unit == "nombre" else f"{shown}\u00a0{unit}"


def difference(delta: float, unit: str) -> str:
    """`2,1 points`, `3 jours`, `120 000 €`: the size of a change, without sign."""
    size = abs(delta)
    if unit == "%":
        return f"{number(size, 1)}\u00a0point{'s' if round(size, 1) >= 2 else ''}"
    return display(size, unit)


def year_label(year: YearValue) -> str:
    return f"{year.annee} (en cours)" if year.partielle else str(year.annee)


# --- Views shared by the lists ------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator in a list: its latest value against its target."""

    id: str
    titre: str
    lien: str
    declare: bool
    valeur: str
    annee: str
    cible: str
    situation: str
    code: str
    """`atteinte`, `non-atteinte` or `neutre`: a CSS class next to the words, never alone."""


def situation(result: IndicatorResult) -> tuple[str, str]:
    """The status in words and its code."""
    st = result.status
    if st.valeur is None:
        return "Pas encore de valeur mesurée", "neutre"
    if st.cible is None or st.atteinte is None:
        return "Pas de cible fixée", "neutre"
    later = st.cible_annee != st.valeur.annee
    if st.atteinte:
        return (f"Cible {st.cible_annee} déjà atteinte" if later else "Cible atteinte"), "atteinte"
    return (
        f"Cible {st.cible_annee} pas encore atteinte" if later else "Cible non atteinte"
    ), "non-atteinte"


def indicator_line(result: IndicatorResult, from_page: str) -> IndicatorLine:
    st = result.status
    words, code = situation(result)
    return IndicatorLine(
        id=result.id,
        titre=result.titre,
        lien=relative_url(from_page, f"{INDICATORS_DIR}/{result.id}/"),
        declare=not result.computed,
        valeur=display(st.valeur.valeur if st.valeur else None, result.unite),
        annee=year_label(st.valeur) if st.valeur else "—",
        cible=(
            f"{display(st.cible, result.unite)} en {st.cible_annee}"
            if st.cible is not None
            else "aucune"
        ),
        situation=words,
        code=code,
    )


def summary_sentence(result: IndicatorResult) -> str:
    """One French sentence stating the latest value, its base, the change and the target."""
    st = result.status
    unit = result.unite
    if st.valeur is None or st.valeur.valeur is None:
        text = f"L'indicateur « {result.titre} » n'a pas encore de valeur mesurée"
        if st.cible is not None:
            text += f" ; sa cible pour {st.cible_annee} est de {display(st.cible, unit)}"
        return text + "."
    latest = st.valeur
    value = latest.valeur
    assert value is not None
    when = f"En {latest.annee}" + (" (année en cours)" if latest.partielle else "")
    text = f"{when}, l'indicateur « {result.titre} » vaut {display(value, unit)}"
    if result.computed and latest.marches is not None:
        text += f", mesuré sur {plural(latest.marches, 'marché')}"
        if latest.exclus:
            text += f" ({plural(latest.exclus, 'autre')} exclus faute d'information)"
    elif latest.source:
        text += f", selon {latest.source}"
    previous = [
        y
        for y in result.annees
        if y.valeur is not None and y.annee < latest.annee and not y.a_venir
    ]
    if previous:
        before = previous[-1]
        assert before.valeur is not None
        delta = value - before.valeur
        digits = indicators.DIGITS.get(unit, 1)
        if round(delta, digits) == 0:
            text += f", stable par rapport à {before.annee}"
        else:
            trend = "en hausse" if delta > 0 else "en baisse"
            text += (
                f", {trend} de {difference(delta, unit)} par rapport à {before.annee} "
                f"({display(before.valeur, unit)})"
            )
    if st.cible is None:
        text += " ; aucune cible n'est fixée pour cette année ni pour les suivantes"
    elif st.cible_annee == latest.annee:
        verdict = "elle est atteinte" if st.atteinte else "elle n'est pas atteinte"
        text += f" ; la cible de {st.cible_annee} est de {display(st.cible, unit)} : {verdict}"
    else:
        verdict = "elle est déjà atteinte" if st.atteinte else "elle n'est pas encore atteinte"
        text += (
            f" ; la prochaine cible, pour {st.cible_annee}, est de "
            f"{display(st.cible, unit)} : {verdict}"
        )
    return text + "."


# --- Policy and action pages --------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    id: str
    numero: str
    titre: str
    resume: str
    lien: str
    indicateurs: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class AxisView:
    id: str
    numero: int
    titre: str
    resume: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class PolicyPage:
    site: SiteInfo
    titre: str
    periode: str
    adoption: str
    introduction: str
    axes: tuple[AxisView, ...]
    tableau_de_bord: str

    @property
    def actions(self) -> int:
        return sum(len(axis.actions) for axis in self.axes)


def axes_views(
    data: Data, results: dict[str, IndicatorResult], from_page: str
) -> tuple[AxisView, ...]:
    return tuple(
        AxisView(
            axis.id,
            axis.numero,
            axis.titre,
            axis.resume,
            tuple(
                ActionView(
                    action.id,
                    action.numero,
                    action.titre,
                    action.resume,
                    relative_url(from_page, f"{POLICY_DIR}/{action.id}/"),
                    tuple(indicator_line(results[i], from_page) for i in action.indicateurs),
                )
                for action in axis.actions
            ),
        )
        for axis in data.policy.axes
    )


@dataclass(frozen=True)
class ActionIndicator:
    line: IndicatorLine
    phrase: str


@dataclass(frozen=True)
class ActionPage:
    site: SiteInfo
    axe_numero: int
    axe_titre: str
    axe_lien: str
    numero: str
    titre: str
    resume: str
    indicateurs: tuple[ActionIndicator, ...]
    politique: str


# --- Indicator pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
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
class RowsFile:
    lien: str
    lignes: int
    octets: int


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
    annees: tuple[YearRow, ...]
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


def year_rows(result: IndicatorResult) -> tuple[YearRow, ...]:
    rows = []
    for y in result.annees:
        if y.valeur is not None and y.cible is not None:
            met = indicators.meets(y.valeur, y.cible, result.unite, result.sens)
            words = "atteinte" if met else "non atteinte"
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
            YearRow(
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


def chart_description(result: IndicatorResult) -> str:
    parts = []
    for y in result.annees:
        if y.a_venir and y.cible is None:
            continue
        text = f"{year_label(y)} : {display(y.valeur, result.unite)}"
        if y.valeur is None:
            text = f"{year_label(y)} : pas de valeur"
        if y.cible is not None:
            text += f" (cible {display(y.cible, result.unite)})"
        parts.append(text)
    return "Valeur par année. " + " ; ".join(parts) + "."


def indicator_chart(result: IndicatorResult) -> Markup:
    points = tuple(
        charts.Point(y.annee, y.valeur, y.cible, y.partielle)
        for y in result.annees
        if not (y.a_venir and y.cible is None)
    )
    return charts.trend_chart(
        f"graphique-{result.id}",
        f"Évolution par année : {result.titre}",
        chart_description(result),
        points,
        result.unite,
        lambda value: display(value, result.unite),
    )


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


def tables_of(data: Data) -> indicators.Tables:
    return indicators.Tables(
        contracts=data.contracts,
        contract_suppliers=data.contract_suppliers,
        suppliers=data.suppliers,
        departements=data.publisher.departements,
        region_code=data.publisher.region_code,
    )


def write_frame(ctx: BuildContext, path: str, frame: pd.DataFrame) -> RowsFile:
    """A DataFrame as canonical CSV (UTF-8, comma, LF), written in chunks."""
    with ctx.open_file(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        frame.to_csv(text, index=False, lineterminator="\n", chunksize=100_000)
        text.flush()
        text.detach()
    return RowsFile(path, len(frame), ctx.file_path(path).stat().st_size)


def produce_policy_and_indicators(ctx: BuildContext) -> None:
    data = ctx.data
    tables = tables_of(data)
    computed = indicators.compute(
        data.policy, tables, data.declared, data.services, data.reference_date
    )
    results = {r.id: r for r in computed}
    rows_files: dict[str, RowsFile] = {}
    for result in computed:
        if result.computed:
            rows = indicators.counted_rows(result.calcul, tables, data.text["marches"])
            rows_files[result.id] = write_frame(ctx, f"{ROWS_DIR}/{result.id}.csv", rows)
    document = indicators.document(
        data.policy,
        computed,
        data.reference_date,
        {key: f"indicateurs/{key}.csv" for key in rows_files},
    )
    json_bytes = json_text(document).encode("utf-8")
    csv_bytes = csv_text(indicators.CSV_COLUMNS, indicators.csv_rows(computed)).encode("utf-8")
    ctx.file(JSON_PATH, json_bytes)
    ctx.file(CSV_PATH, csv_bytes)
    sizes = (len(json_bytes), len(csv_bytes))
    site = SiteInfo.of(data.publisher)
    write_policy_pages(ctx, site, results)
    write_dashboard(ctx, site, computed, sizes)
    for result in computed:
        write_indicator_page(ctx, site, result, rows_files.get(result.id), sizes[0])


def write_policy_pages(
    ctx: BuildContext, site: SiteInfo, results: dict[str, IndicatorResult]
) -> None:
    data = ctx.data
    policy = data.policy
    page_path = f"{POLICY_DIR}/"
    page = PolicyPage(
        site=site,
        titre=policy.titre,
        periode=f"{policy.periode_debut}-{policy.periode_fin}",
        adoption=policy.adoption,
        introduction=policy.introduction,
        axes=axes_views(data, results, page_path),
        tableau_de_bord=relative_url(page_path, f"{INDICATORS_DIR}/"),
    )
    ctx.page(f"{POLICY_DIR}/index.md", "Politique d'achat", render("policy.html.j2", page=page))
    for axis, action in policy.actions():
        path = f"{POLICY_DIR}/{action.id}/"
        action_page = ActionPage(
            site=site,
            axe_numero=axis.numero,
            axe_titre=axis.titre,
            axe_lien=relative_url(path, f"{POLICY_DIR}/") + f"#{axis.id}",
            numero=action.numero,
            titre=action.titre,
            resume=action.resume,
            indicateurs=tuple(
                ActionIndicator(indicator_line(results[i], path), summary_sentence(results[i]))
                for i in action.indicateurs
            ),
            politique=relative_url(path, f"{POLICY_DIR}/"),
        )
        ctx.page(
            f"{POLICY_DIR}/{action.id}/index.md",
            f"Action {action.numero} : {action.titre}",
            render("policy_action.html.j2", page=action_page),
        )


@dataclass(frozen=True)
class DashboardAxis:
    id: str
    numero: int
    titre: str
    indicateurs: tuple[IndicatorLine, ...]
    actions: tuple[tuple[str, str], ...]
    """For each indicator, the number of its action and the link to the action's page."""


@dataclass(frozen=True)
class DashboardPage:
    site: SiteInfo
    date_reference: date
    axes: tuple[DashboardAxis, ...]
    hors_axes: tuple[IndicatorLine, ...]
    atteintes: int
    avec_cible: int
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
    """`sizes`: bytes of indicateurs.json and indicateurs.csv, shown in their download links."""
    data = ctx.data
    path = f"{INDICATORS_DIR}/"
    results = {r.id: r for r in computed}
    axes = []
    placed: set[str] = set()
    for axis in data.policy.axes:
        lines = []
        owners = []
        for action in axis.actions:
            for ref in action.indicateurs:
                placed.add(ref)
                lines.append(indicator_line(results[ref], path))
                owners.append((action.numero, relative_url(path, f"{POLICY_DIR}/{action.id}/")))
        axes.append(DashboardAxis(axis.id, axis.numero, axis.titre, tuple(lines), tuple(owners)))
    statuses = [r.status for r in computed]
    page = DashboardPage(
        site=site,
        date_reference=data.reference_date,
        axes=tuple(axes),
        hors_axes=tuple(indicator_line(r, path) for r in computed if r.id not in placed),
        atteintes=sum(1 for s in statuses if s.atteinte),
        avec_cible=sum(1 for s in statuses if s.atteinte is not None),
        donnees_json=relative_url(path, JSON_PATH),
        donnees_csv=relative_url(path, CSV_PATH),
        octets_json=sizes[0],
        octets_csv=sizes[1],
        politique=relative_url(path, f"{POLICY_DIR}/"),
        qualite=relative_url(path, f"{QUALITY_DIR}/"),
    )
    ctx.page(f"{INDICATORS_DIR}/index.md", "Indicateurs", render("dashboard.html.j2", page=page))


def write_indicator_page(
    ctx: BuildContext,
    site: SiteInfo,
    result: IndicatorResult,
    rows: RowsFile | None,
    json_size: int,
) -> None:
    path = f"{INDICATORS_DIR}/{result.id}/"
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
                relative_url(path, f"{POLICY_DIR}/{a}/"),
            )
            for a in result.actions
        ),
        tableau_de_bord=relative_url(path, f"{INDICATORS_DIR}/"),
        donnees_json=relative_url(path, JSON_PATH),
        octets_json=json_size,
    )
    ctx.page(
        f"{INDICATORS_DIR}/{result.id}/index.md",
        result.titre,
        render("indicator.html.j2", page=page),
    )


# --- Quality page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    libelle: str
    note: str
    marches: str
    au_dessus_seuil: str
    sous_seuil: str
    incomplets: str
    delai_moyen: str
    criteres: tuple[bool, ...]


@dataclass(frozen=True)
class FailRow:
    uid: str
    annee: str
    service: str
    objet: str
    detail: str


@dataclass(frozen=True)
class CriterionView:
    id: str
    titre: str
    explication: str
    atteint: bool
    constat: str
    exemples: tuple[FailRow, ...]
    exemples_titre: str
    fichier: RowsFile | None


@dataclass(frozen=True)
class ReportCode:
    gravite: str
    code: str
    nombre: int
    exemples: tuple[str, ...]


@dataclass(frozen=True)
class QualityPage:
    site: SiteInfo
    annee: int | None
    annee_partielle: bool
    note: str
    criteres: tuple[CriterionView, ...]
    annees: tuple[GradeRow, ...]
    services: tuple[GradeRow, ...]
    erreurs: int
    avertissements: int
    informations: int
    lignes_validees: int
    fichiers_valides: int
    codes: tuple[ReportCode, ...]
    rapport: RowsFile
    completude: str

    @property
    def note_sens(self) -> str:
        return GRADE_MEANINGS[self.note]


GRADE_MEANINGS = {
    "A": "tous les critères sont remplis",
    "B": "il manque un délai moyen de publication de deux mois au plus",
    "C": "des marchés publiés n'ont pas leurs 10 champs clés",
    "D": "les marchés publiés ne couvrent pas les deux tailles (40 000 € HT et plus, moins)",
    "E": "aucun marché n'est publié",
}
CRITERIA_EXPLAINED = {
    "critere_publication": (
        "Le premier pas de la transparence : publier ses marchés en données ouvertes. Sans "
        "marché publié, la note est E."
    ),
    "critere_tailles": (
        "La loi impose de publier les marchés de 40 000 € HT ou plus ; publier aussi les plus "
        "petits montre l'ensemble des achats. Il faut des marchés des deux tailles pour dépasser "
        "la note D."
    ),
    "critere_champs": (
        "Chaque marché doit dire ce qui est acheté et à qui : code CPV, montant, date de "
        "notification, lieu d'exécution (code et type de code), forme du prix, objet, nature, "
        "durée, procédure et titulaire. Un seul marché incomplet suffit à rester à la note C : "
        "la liste des marchés concernés est ci-dessous."
    ),
    "critere_delai": (
        "Les données d'un marché doivent être publiées dans les deux mois qui suivent sa "
        "notification. Le critère porte sur le délai moyen (61 jours au plus) ; les marchés "
        "publiés plus de deux mois après leur notification, ou sans date de publication, sont "
        "listés ci-dessous."
    ),
}


def grade_row(label: str, row: dict[Any, Any]) -> GradeRow:
    mean = row["delai_moyen"]
    return GradeRow(
        libelle=label,
        note=str(row["note"]),
        marches=number(int(row["marches"])),
        au_dessus_seuil=number(int(row["au_dessus_seuil"])),
        sous_seuil=number(int(row["sous_seuil"])),
        incomplets=number(int(row["incomplets"])),
        delai_moyen="—" if pd.isna(mean) else f"{number(float(mean), 1)}\u00a0jours",
        criteres=tuple(bool(row[name]) for name, _ in quality.CRITERIA),
    )


def fail_rows(
    failing: pd.DataFrame, text: pd.DataFrame, detail: pd.Series, names: dict[str, str]
) -> tuple[FailRow, ...]:
    head = failing.index[:EXAMPLES]
    return tuple(
        FailRow(
            uid=str(text.at[i, "uid"]),
            annee=str(failing.at[i, "annee"]),
            service=names.get(str(failing.at[i, "service_id"]), indicators.NO_SERVICE_LABEL),
            objet=str(text.at[i, "objet"]),
            detail=str(detail.at[i]),
        )
        for i in head
    )


def graded_year(years: list[Any], reference: date) -> int | None:
    """The latest complete year with contracts (a year still running is not graded), else the
    latest year with contracts."""
    known = sorted(int(y) for y in years)
    complete = [y for y in known if y < reference.year or reference == date(y, 12, 31)]
    return complete[-1] if complete else (known[-1] if known else None)


def produce_quality(ctx: BuildContext) -> None:
    data = ctx.data
    text = data.text["marches"]
    checks = quality.contract_checks(data.contracts, data.contract_suppliers)
    names = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    by_year = quality.grades(checks, ["annee"])
    year = graded_year(list(by_year.index), data.reference_date)
    records: dict[Any, dict[Any, Any]] = by_year.to_dict("index")
    current = (
        records[year]
        if year is not None and year in records
        else quality.empty_grade().to_dict("records")[0]
    )
    in_year = checks[checks["annee"] == year] if year is not None else checks.iloc[0:0]
    by_service = quality.grades(in_year, ["service_id"]) if len(in_year) else by_year.iloc[0:0]
    incomplete = checks[~checks["complet"]]
    late = checks[checks["en_retard"]]
    delay_text = late["delai_jours"].map(
        lambda d: "pas de date de publication" if pd.isna(d) else f"publié {int(d)} jours après"
    )
    files = {
        "critere_champs": write_frame(
            ctx,
            f"{QUALITY_DIR}/marches-incomplets.csv",
            pd.DataFrame(
                {
                    "uid": text.loc[incomplete.index, "uid"],
                    "annee": incomplete["annee"],
                    "acheteur_service_id": text.loc[incomplete.index, "acheteur_service_id"],
                    "champs_manquants": incomplete["champs_manquants"],
                }
            ),
        ),
        "critere_delai": write_frame(
            ctx,
            f"{QUALITY_DIR}/marches-publies-hors-delai.csv",
            pd.DataFrame(
                {
                    "uid": text.loc[late.index, "uid"],
                    "annee": late["annee"],
                    "acheteur_service_id": text.loc[late.index, "acheteur_service_id"],
                    "dateNotification": text.loc[late.index, "dateNotification"],
                    "datePublicationDonnees": text.loc[late.index, "datePublicationDonnees"],
                    "delai_jours": late["delai_jours"],
                }
            ),
        ),
    }
    incomplete_sorted = incomplete.sort_values("annee", ascending=False, kind="stable")
    late_sorted = late.sort_values("annee", ascending=False, kind="stable")
    page_path = f"{QUALITY_DIR}/"
    criteria = []
    for name, title in quality.CRITERIA:
        met = bool(current[name])
        if name == "critere_publication":
            count = int(current["marches"])
            found = f"{plural(count, 'marché')} publié{'s' if count > 1 else ''} en {year}."
            examples: tuple[FailRow, ...] = ()
        elif name == "critere_tailles":
            found = (
                f"En {year} : {plural(int(current['au_dessus_seuil']), 'marché')} de "
                f"40 000 € HT ou plus, {plural(int(current['sous_seuil']), 'marché')} "
                "de moins de 40 000 € HT."
            )
            examples = ()
        elif name == "critere_champs":
            found = (
                f"En {year} : {plural(int(current['incomplets']), 'marché')} incomplet"
                f"{'s' if int(current['incomplets']) > 1 else ''} sur "
                f"{number(int(current['marches']))} ; toutes années : "
                f"{number(len(incomplete))}."
            )
            examples = fail_rows(
                incomplete_sorted, text, incomplete_sorted["champs_manquants"], names
            )
        else:
            mean = current["delai_moyen"]
            shown: str = "non mesurable" if pd.isna(mean) else f"{number(float(mean), 1)} jours"
            found = (
                f"Délai moyen en {year} : {shown} ; marchés publiés hors délai ou sans date, "
                f"toutes années : {number(len(late))}."
            )
            examples = fail_rows(late_sorted, text, delay_text.loc[late_sorted.index], names)
        file = files.get(name)
        criteria.append(
            CriterionView(
                id=name.replace("_", "-"),
                titre=title,
                explication=CRITERIA_EXPLAINED[name],
                atteint=met,
                constat=found,
                exemples=examples,
                exemples_titre=(
                    "Le marché concerné"
                    if len(examples) == 1
                    else f"Les {len(examples)} marchés concernés les plus récents"
                ),
                fichier=(
                    RowsFile(relative_url(page_path, file.lien), file.lignes, file.octets)
                    if file
                    else None
                ),
            )
        )
    report = ctx.report
    report_path = f"{QUALITY_DIR}/rapport-validation.json"
    report_bytes = report.to_json().encode("utf-8")
    ctx.file(report_path, report_bytes)
    by_code: dict[tuple[str, str], list[str]] = {}
    for problem in report.sorted():
        examples_list = by_code.setdefault((problem.severity.label, problem.code), [])
        if len(examples_list) < 3:
            examples_list.append(problem.line())
    codes = tuple(
        ReportCode(severity, code, count, tuple(by_code.get((severity, code), [])))
        for severity, code, count in report.counts_by_code()
    )
    completeness = indicators.summarise(
        indicators.evaluate("completude_champs", tables_of(data)),
        indicators.group_keys(data.contracts),
        ["annee"],
        "part",
    )
    completeness_by_year: dict[Any, float] = completeness["valeur"].dropna().to_dict()
    page = QualityPage(
        site=SiteInfo.of(data.publisher),
        annee=year,
        annee_partielle=year == data.reference_date.year
        and data.reference_date < date(data.reference_date.year, 12, 31),
        note=str(current["note"]),
        criteres=tuple(criteria),
        annees=tuple(grade_row(str(y), row) for y, row in records.items()),
        services=tuple(
            grade_row(names.get(str(s), indicators.NO_SERVICE_LABEL), row)
            for s, row in by_service.to_dict("index").items()
        ),
        erreurs=report.errors,
        avertissements=report.warnings,
        informations=report.count(Severity.NOTICE),
        lignes_validees=sum(report.rows.values()),
        fichiers_valides=len(report.rows),
        codes=codes,
        rapport=RowsFile(
            relative_url(page_path, report_path), len(report.problems), len(report_bytes)
        ),
        completude=percent(completeness_by_year.get(year)) if year is not None else "—",
    )
    ctx.page(f"{QUALITY_DIR}/index.md", "Qualité des données", render("quality.html.j2", page=page))
