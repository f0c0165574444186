"""The transparency self-audit (`quality.html.j2`): the grade of the latest complete year by the
criteria of `model.quality`, by year and by service, the contracts that miss a criterion (the
first on the page, all of them as CSV), and the validation report by problem code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts.datafolder import thresholds
from achats_ouverts.datafolder.obligations import ENVIRONMENTAL_CONSIDERATIONS
from achats_ouverts.datafolder.problem_codes.checks import (
    CONSIDERATION_ENVIRONNEMENTALE_A_VERIFIER,
)
from achats_ouverts.french import number, percent, plural
from achats_ouverts.model import indicators, quality
from achats_ouverts.model.analyses import environmental_clauses
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.indicator_views import RowsFile, tables_of, write_frame
from achats_ouverts.output.site_info import SiteInfo
from achats_ouverts.report import Severity

EXAMPLES = 20
"""Contracts shown on the page for a criterion they miss; the CSV lists them all."""


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
    href: str
    """The contract's page (or the explorer filtered on it, without contract pages)."""
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
class ObligationView:
    """A dated legal obligation the validation checks: the rule, its texts, what the data can
    tell, and how many contracts the warning flags."""

    titre: str
    regle: str
    sources: tuple[str, ...]
    approximation: str
    code: str
    constat: str
    analyse: str
    """The address of the analysis that lists the contracts concerned, from this page."""


@dataclass(frozen=True)
class QualityPage:
    site: SiteInfo
    seuils: str
    """The DECP publication thresholds and when each applies."""
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
    obligations: tuple[ObligationView, ...]

    @property
    def note_sens(self) -> str:
        return GRADE_MEANINGS[self.note]


GRADE_MEANINGS = {
    "A": "tous les critères sont remplis",
    "B": "il manque un délai moyen de publication de deux mois au plus",
    "C": "des marchés publiés n'ont pas leurs 10 champs clés",
    "D": (
        "les marchés publiés ne couvrent pas les deux tailles (au seuil de publication des DECP "
        "et au-dessus, sous ce seuil)"
    ),
    "E": "aucun marché n'est publié",
}
CRITERIA_EXPLAINED = {
    "critere_publication": (
        "Le premier pas de la transparence : publier ses marchés en données ouvertes. Sans "
        "marché publié, la note est E."
    ),
    "critere_tailles": (
        "La loi impose de publier les données des marchés dont le montant à la notification "
        "atteint le seuil de publication des DECP en vigueur à leur date de notification ("
        + thresholds.summary(thresholds.DECP_PUBLICATION)
        + ") ; publier aussi les plus petits montre l'ensemble des achats. Il faut des marchés "
        "des deux tailles pour dépasser la note D."
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


def contract_href(uid: str, contract_pages: bool) -> str:
    """The link from the quality page to a contract."""
    segment = urls.path_segment(uid)
    target = urls.contract(segment) if contract_pages else urls.contract_in_explorer(segment)
    return urls.to_root(urls.QUALITY) + target


def fail_rows(
    failing: pd.DataFrame,
    text: pd.DataFrame,
    detail: pd.Series,
    names: dict[str, str],
    contract_pages: bool = True,
) -> tuple[FailRow, ...]:
    head = failing.index[:EXAMPLES]
    return tuple(
        FailRow(
            uid=str(text.at[i, "uid"]),
            href=contract_href(str(text.at[i, "uid"]), contract_pages),
            annee=str(failing.at[i, "annee"]),
            service=names.get(str(failing.at[i, "service_id"]), indicators.NO_SERVICE_LABEL),
            objet=str(text.at[i, "objet"]),
            detail=str(detail.at[i]),
        )
        for i in head
    )


def year_threshold(year: int | None) -> thresholds.Threshold:
    """The DECP publication threshold of a year (it changes on a 1st of January)."""
    return thresholds.decp_publication(date(year, 12, 31) if year is not None else None)


def graded_year(years: list[Any], reference: date) -> int | None:
    """The latest complete year with contracts (a year still running is not graded), else the
    latest year with contracts."""
    known = sorted(int(y) for y in years)
    complete = [y for y in known if y < reference.year or reference == date(y, 12, 31)]
    return complete[-1] if complete else (known[-1] if known else None)


def environmental_finding(in_scope: int, known: int, flagged: int) -> str:
    """What the data say about environmental considerations since they became mandatory."""
    start = ENVIRONMENTAL_CONSIDERATIONS.since
    if not in_scope:
        return f"Aucun marché publié n'est notifié {start} : rien à vérifier pour l'instant."
    if not flagged:
        return (
            f"{plural(in_scope, 'marché')} notifié{'s' if in_scope > 1 else ''} {start}, dont "
            f"{number(known)} au champ renseigné : aucun ne déclare « Pas de considération "
            "environnementale »."
        )
    return (
        f"{plural(in_scope, 'marché')} notifié{'s' if in_scope > 1 else ''} {start}, dont "
        f"{number(known)} au champ renseigné : {plural(flagged, 'marché')} déclare"
        f"{'nt' if flagged > 1 else ''} « Pas de considération environnementale » "
        f"({percent(flagged / known * 100)}), à vérifier un par un (avertissement ci-dessous)."
    )


def produce_quality(ctx: BuildContext) -> None:
    """The transparency grade by year and by service, the contracts that miss a criterion, and
    the validation report (also published as JSON)."""
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
            urls.INCOMPLETE_CONTRACTS,
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
            urls.LATE_CONTRACTS,
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
    page_path = urls.QUALITY
    criteria = []
    for name, title in quality.CRITERIA:
        met = bool(current[name])
        if name == "critere_publication":
            count = int(current["marches"])
            found = f"{plural(count, 'marché')} publié{'s' if count > 1 else ''} en {year}."
            examples: tuple[FailRow, ...] = ()
        elif name == "critere_tailles":
            limit = year_threshold(year).label
            found = (
                f"En {year} : {plural(int(current['au_dessus_seuil']), 'marché')} de "
                f"{limit} ou plus, {plural(int(current['sous_seuil']), 'marché')} "
                f"de moins de {limit} (seuil en vigueur en {year})."
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
                incomplete_sorted,
                text,
                incomplete_sorted["champs_manquants"],
                names,
                ctx.contract_pages,
            )
        else:
            mean = current["delai_moyen"]
            shown: str = "non mesurable" if pd.isna(mean) else f"{number(float(mean), 1)} jours"
            found = (
                f"Délai moyen en {year} : {shown} ; marchés publiés hors délai ou sans date, "
                f"toutes années : {number(len(late))}."
            )
            examples = fail_rows(
                late_sorted,
                text,
                delay_text.loc[late_sorted.index],
                names,
                ctx.contract_pages,
            )
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
    report = ctx.get(artifacts.REPORT)
    report_path = urls.VALIDATION_REPORT
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
    in_scope, known, _ = environmental_clauses.counts(data.contracts)
    code = CONSIDERATION_ENVIRONNEMENTALE_A_VERIFIER.code
    flagged = sum(n for _, c, n in report.counts_by_code() if c == code)
    obligation = ObligationView(
        titre=f"Considérations environnementales obligatoires {ENVIRONMENTAL_CONSIDERATIONS.since}",
        regle=ENVIRONMENTAL_CONSIDERATIONS.rule,
        sources=ENVIRONMENTAL_CONSIDERATIONS.sources,
        approximation=ENVIRONMENTAL_CONSIDERATIONS.approximation,
        code=code,
        constat=environmental_finding(in_scope, known, flagged),
        analyse=relative_url(urls.QUALITY, urls.analysis(environmental_clauses.ID)),
    )
    page = QualityPage(
        site=SiteInfo.of(data.publisher),
        seuils=thresholds.summary(thresholds.DECP_PUBLICATION),
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
        obligations=(obligation,),
    )
    ctx.page(page_path, "Qualité des données", render("quality.html.j2", page=page))
