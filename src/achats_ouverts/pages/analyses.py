"""The analyses section (`analyses.html.j2` for `/analyses/`, `analysis.html.j2` for
`/analyses/<id>/`): every analysis of `model.analyses.REGISTRY`, computed once, published as
data (`donnees/analyses.json`, and per analysis the contracts behind it as
`donnees/analyses/<id>.csv` with its Table Schema) and shown as pages generated from the
registry, so that a new analysis needs no page code.

A page gives the question, a chart by year paired with the same figures as a table, a table per
breakdown (per buying service first), the method, the limits, the sources, the CSV with its size,
and says that a signal is not a proof. The running year is shown « année en cours » and never
read against the reference bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from achats_ouverts.datafolder import json_text
from achats_ouverts.exports import analyses as files
from achats_ouverts.french import euros, number, percent, plural
from achats_ouverts.model.analyses import (
    SIGNAL_NOT_PROOF,
    Analysis,
    Benchmark,
    Breakdown,
    YearFigure,
    compute_all,
    inputs_of,
)
from achats_ouverts.output import (
    BuildContext,
    Published,
    artifacts,
    charts,
    relative_url,
    render,
    urls,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo

TITLE = f"Analyses : {files.TITLE[0].lower()}{files.TITLE[1:]}"
"""The title of `/analyses/`, whose navigation label is « Analyses »."""
DETAILS: dict[str, tuple[str, str]] = {
    "part_montant": ("Part en montant", "%"),
    "montant_sans_concurrence": ("Montant sans mise en concurrence", "€"),
    "montant_total": ("Montant total", "€"),
    "part_premier_titulaire": ("Part du premier titulaire", "%"),
    "part_dix_premiers_titulaires": ("Part des dix premiers titulaires", "%"),
    "titulaires": ("Titulaires", "nombre"),
    "montant_plus_de_50_pourcent": ("Montant en hausse de plus de 50 %", "marchés"),
    "duree_au_dela_du_seuil": ("Durée allongée au-delà du seuil", "marchés"),
    "duree_plus_de_50_pourcent": ("Durée allongée de plus de 50 %", "marchés"),
    "un-euro-ou-moins": ("1 € ou moins", "marchés"),
    "cent-millions-ou-plus": ("100 M€ ou plus", "marchés"),
    "cent-fois-la-mediane": ("Plus de 100 fois la médiane", "marchés"),
}
"""The French column heading and the unit of a named detail (`YearFigure.details`); another
name is shown as it is, its value as a number."""
RUNNING = "année en cours"


# --- Formatting ----------------------------------------------------------------------------------


def value_text(value: float | None, unit: str) -> str:
    """A value in its unit, the French way; « — » when there is none."""
    if value is None:
        return "—"
    if unit == "%":
        return percent(value, 1)
    if unit == "€":
        return euros(value)
    if unit == "marchés":
        return plural(round(value), "marché", "marchés")
    return number(value, 0)


def detail_text(name: str, value: float | None) -> str:
    unit = DETAILS.get(name, (name, "nombre"))[1]
    if value is None:
        return "—"
    if unit == "%":
        return percent(value, 1)
    if unit == "€":
        return euros(value)
    return number(value, 0)


def year_text(y: YearFigure) -> str:
    return f"{y.annee} ({RUNNING})" if y.en_cours else str(y.annee)


def head_year_text(y: YearFigure | None) -> str:
    """What the head figure of an analysis page is: `dernière année complète (2025)`, or
    `année en cours (2026)` for a rule that only applies since the running year."""
    if y is None:
        return "aucune année"
    if y.en_cours:
        return f"{RUNNING} ({y.annee})"
    return f"dernière année complète ({y.annee})"


def band_text(benchmark: Benchmark | None, y: YearFigure, unit: str) -> str:
    """The band a year's value reads in, as it is shown (a share to a tenth of a point, an
    index to the unit); nothing for the running year (never judged)."""
    if benchmark is None or y.en_cours or y.valeur is None:
        return ""
    return benchmark.label(round(y.valeur, 1 if unit == "%" else 0)) or ""


def count_text(value: float | None) -> str:
    return "—" if value is None else number(value, 0 if float(value).is_integer() else 2)


def cell_text(y: YearFigure, unit: str) -> str:
    """A year of a group in a breakdown table: its value and what it was computed on."""
    if y.valeur is None:
        if y.note:
            return f"— ({y.note})"
        return "—"
    base = value_text(y.valeur, unit)
    if y.numerateur is not None and y.denominateur is not None and unit == "%":
        return f"{base} ({count_text(y.numerateur)} sur {count_text(y.denominateur)})"
    if y.denominateur is not None and unit != "%":
        return f"{base} (sur {plural(round(y.denominateur), 'marché', 'marchés')})"
    return base


def bands_text(benchmark: Benchmark, unit: str) -> str:
    """The reference bands in words: « jusqu'à 10 % : bon ; de 10 à 20 % : moyen… »."""
    parts = []
    low: float | None = None
    for band in benchmark.bands:
        if band.upto is None:
            parts.append(f"au-delà de {value_text(low, unit)} : {band.label}")
        elif low is None:
            parts.append(f"jusqu'à {value_text(band.upto, unit)} : {band.label}")
        else:
            parts.append(
                f"de {value_text(low, unit)} à {value_text(band.upto, unit)} : {band.label}"
            )
        low = band.upto
    return " ; ".join(parts)


def latest_complete(analysis: Analysis, reference: date) -> YearFigure | None:
    """The figure the index and the head of the page show: the latest year over at the
    reference date that has a value; else the latest year with a value (the running year of a
    rule that only applies since it began, marked « en cours »); else the latest year."""
    valued = [y for y in analysis.annees if y.valeur is not None and y.annee <= reference.year]
    done = [y for y in valued if not y.en_cours]
    if done:
        return done[-1]
    if valued:
        return valued[-1]
    return analysis.annees[-1] if analysis.annees else None


# --- Page contexts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    titre: str
    question: str
    href: str
    annee: str
    valeur: str
    bande: str


@dataclass(frozen=True)
class IndexPage:
    site: SiteInfo
    lignes: tuple[SummaryRow, ...]
    avertissement: str
    donnees_json: str
    octets_json: int


@dataclass(frozen=True)
class YearRow:
    annee: str
    valeur: str
    bande: str
    numerateur: str
    denominateur: str
    details: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class GroupRow:
    libelle: str
    valeurs: tuple[str, ...]


@dataclass(frozen=True)
class GroupTable:
    id: str
    titre: str
    annees: tuple[str, ...]
    lignes: tuple[GroupRow, ...]


@dataclass(frozen=True)
class FileLink:
    lien: str
    lignes: int
    octets: int


@dataclass(frozen=True)
class AnalysisPage:
    site: SiteInfo
    id: str
    titre: str
    question: str
    unite: str
    annee: str
    valeur: str
    bande: str
    graphique: Markup
    resume: str
    annees: tuple[YearRow, ...]
    numerateurs: bool
    """Whether the year table has a numerator column (not for an index)."""
    details: tuple[str, ...]
    ventilations: tuple[GroupTable, ...]
    methode: str
    limites: tuple[str, ...]
    reference: str
    reference_source: str
    sources: tuple[str, ...]
    avertissement: str
    fichier: FileLink
    dictionnaire: str
    donnees_json: str
    octets_json: int
    index: str


def year_rows(analysis: Analysis, names: tuple[str, ...]) -> tuple[YearRow, ...]:
    rows = []
    for y in analysis.annees:
        details = dict(y.details)
        if y.valeur is not None:
            note = ""
        elif y.note:
            note = y.note
        else:
            note = "aucun marché à compter cette année"
        rows.append(
            YearRow(
                annee=year_text(y),
                valeur=value_text(y.valeur, analysis.unite),
                bande=RUNNING if y.en_cours else band_text(analysis.benchmark, y, analysis.unite),
                numerateur=count_text(y.numerateur),
                denominateur=count_text(y.denominateur),
                details=tuple(detail_text(n, details.get(n)) for n in names),
                note=note,
            )
        )
    return tuple(rows)


def detail_names(analysis: Analysis) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for y in analysis.annees:
        for name, _ in y.details:
            names.setdefault(name)
    return tuple(names)


def group_table(breakdown: Breakdown, analysis: Analysis) -> GroupTable:
    return GroupTable(
        breakdown.id,
        breakdown.titre,
        tuple(year_text(y) for y in analysis.annees),
        tuple(
            GroupRow(row.label, tuple(cell_text(y, analysis.unite) for y in row.annees))
            for row in breakdown.rows
        ),
    )


def chart_summary(analysis: Analysis) -> str:
    """The chart's numbers in one sentence (its `desc`)."""
    parts = [f"{year_text(y)} : {value_text(y.valeur, analysis.unite)}" for y in analysis.annees]
    return f"{analysis.titre}, par année de notification : " + " ; ".join(parts) + "."


def chart(analysis: Analysis) -> Markup:
    """The values by year; nothing to draw when no year has a value."""
    if all(y.valeur is None for y in analysis.annees):
        return Markup("")
    return charts.trend_chart(
        f"graphique-{analysis.id}",
        f"Par année : {analysis.titre}",
        chart_summary(analysis),
        tuple(charts.Point(y.annee, y.valeur, None, y.en_cours) for y in analysis.annees),
        analysis.unite,
        lambda value: value_text(value, analysis.unite),
        zoom=True,
    )


def analysis_page(
    analysis: Analysis,
    site: SiteInfo,
    reference: date,
    rows_file: Published,
    json_file: Published,
) -> AnalysisPage:
    address = urls.analysis(analysis.id)
    latest = latest_complete(analysis, reference)
    names = detail_names(analysis)
    benchmark = analysis.benchmark
    return AnalysisPage(
        site=site,
        id=analysis.id,
        titre=analysis.titre,
        question=analysis.question,
        unite=analysis.unite,
        annee=head_year_text(latest),
        valeur="—" if latest is None else value_text(latest.valeur, analysis.unite),
        bande="" if latest is None else band_text(benchmark, latest, analysis.unite),
        graphique=chart(analysis),
        resume=chart_summary(analysis),
        annees=year_rows(analysis, names),
        numerateurs=any(y.numerateur is not None for y in analysis.annees),
        details=tuple(DETAILS.get(n, (n, ""))[0] for n in names),
        ventilations=tuple(group_table(b, analysis) for b in analysis.breakdowns),
        methode=analysis.methode,
        limites=analysis.limites,
        reference="" if benchmark is None else bands_text(benchmark, analysis.unite),
        reference_source="" if benchmark is None else benchmark.source,
        sources=analysis.sources,
        avertissement=SIGNAL_NOT_PROOF,
        fichier=FileLink(
            relative_url(address, rows_file.path), len(analysis.contracts), rows_file.octets
        ),
        dictionnaire=relative_url(address, urls.dictionary(urls.analysis_dataset(analysis.id))),
        donnees_json=relative_url(address, json_file.path),
        octets_json=json_file.octets,
        index=relative_url(address, urls.ANALYSES),
    )


def index_page(
    computed: tuple[Analysis, ...], site: SiteInfo, reference: date, json_file: Published
) -> IndexPage:
    rows = []
    for analysis in computed:
        latest = latest_complete(analysis, reference)
        rows.append(
            SummaryRow(
                titre=analysis.titre,
                question=analysis.question,
                href=relative_url(urls.ANALYSES, urls.analysis(analysis.id)),
                annee="—" if latest is None else year_text(latest),
                valeur="—" if latest is None else value_text(latest.valeur, analysis.unite),
                bande=""
                if latest is None
                else band_text(analysis.benchmark, latest, analysis.unite),
            )
        )
    return IndexPage(
        site,
        tuple(rows),
        SIGNAL_NOT_PROOF,
        relative_url(urls.ANALYSES, json_file.path),
        json_file.octets,
    )


# --- The producer --------------------------------------------------------------------------------


def write_files(ctx: BuildContext, computed: tuple[Analysis, ...]) -> dict[str, Published]:
    """Each analysis' CSV, then `analyses.json`, by path. The CSVs' Table Schemas are written
    with the other schemas by the downloads (`urls.schema_file`)."""
    written: dict[str, Published] = {}
    paths: dict[str, tuple[str, str]] = {}
    for analysis in computed:
        rows = ctx.file(urls.analysis_rows(analysis.id), files.csv_bytes(analysis))
        written[rows.path] = rows
        schema = urls.schema_file(urls.analysis_dataset(analysis.id))
        paths[analysis.id] = (
            relative_url(urls.DATA, rows.path),
            relative_url(urls.DATA, schema),
        )
    document = files.json_document(computed, ctx.data.publisher, ctx.data.reference_date, paths)
    json_file = ctx.file(urls.ANALYSES_JSON, json_text(document).encode("utf-8"))
    written[json_file.path] = json_file
    return written


def produce_analyses(ctx: BuildContext) -> None:
    """Every analysis computed once, its files under `donnees/`, the section's index and one
    page per analysis; the analyses and their files are published for the downloads."""
    computed = compute_all(inputs_of(ctx.data))
    written = write_files(ctx, computed)
    ctx.put(artifacts.ANALYSES, computed)
    ctx.put(artifacts.ANALYSIS_FILES, tuple(written.values()))
    site = SiteInfo.of(ctx.data.publisher)
    json_file = written[urls.ANALYSES_JSON]
    ctx.page(
        urls.ANALYSES,
        TITLE,
        render(
            "analyses.html.j2", page=index_page(computed, site, ctx.data.reference_date, json_file)
        ),
        description=(
            "Offre unique, marchés sans mise en concurrence, concentration des titulaires et "
            "autres signaux, par année, avec leur méthode et les marchés concernés."
        ),
    )
    for analysis in computed:
        rows_file = written[urls.analysis_rows(analysis.id)]
        page = analysis_page(analysis, site, ctx.data.reference_date, rows_file, json_file)
        ctx.page(
            urls.analysis(analysis.id),
            analysis.titre,
            render("analysis.html.j2", page=page),
            hide=WIDE,
            description=analysis.question,
        )
