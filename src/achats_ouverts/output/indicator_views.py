"""Indicator results as pages show them, shared by the policy, the dashboard, the indicator pages
and the quality page: values in their unit the French way, the line of an indicator in a list,
its card (value, target, progress bar, sparkline and its table), its chart, the sentence that
sums it up, and the rows behind a figure written as CSV.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from achats_ouverts.french import euros, french_date, number, percent, plural
from achats_ouverts.model import Data, IndicatorResult, YearValue, indicators
from achats_ouverts.model.indicators import Status
from achats_ouverts.output import charts, urls
from achats_ouverts.output.context import BuildContext
from achats_ouverts.output.rendering import relative_url

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
    """`atteinte`, `non-atteinte`, `en-cours` or `neutre`: a CSS class and an icon next to the
    words, never alone."""
    bilan: str = ""
    """When the latest value is of the running year: the verdict of the latest complete year."""
    bilan_code: str = ""


def verdict_words(st: Status) -> tuple[str, str]:
    """The verdict of a complete year in words, and its code."""
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


def running_words(result: IndicatorResult) -> str:
    """« Année en cours : 73,3 % au 1er novembre 2026, cible 85,0 % »: the running year's value
    compared in words only, never judged."""
    st = result.status
    assert st.valeur is not None
    words = (
        f"Année en cours : {display(st.valeur.valeur, result.unite)} au "
        f"{french_date(result.date_reference)}"
    )
    if st.cible is not None:
        words += f", cible {display(st.cible, result.unite)}"
        if st.cible_annee != st.valeur.annee:
            words += f" en {st.cible_annee}"
    return words


def situation(result: IndicatorResult) -> tuple[str, str]:
    """The status in words and its code: a verdict for a complete year, a comparison in words
    for the running year (`model.indicators.verdict`)."""
    st = result.status
    if st.en_cours and st.valeur is not None:
        return running_words(result), "en-cours"
    return verdict_words(st)


def review_words(result: IndicatorResult) -> tuple[str, str]:
    """While the year runs: the verdict of the latest complete year (« 2025 : cible non atteinte
    (71,0 % pour 80,0 %) »), or nothing."""
    st = result.status
    bilan = st.bilan
    if not st.en_cours or bilan is None or bilan.valeur is None:
        return "", ""
    words, code = verdict_words(bilan)
    shown = display(bilan.valeur.valeur, result.unite)
    if bilan.cible is not None:
        shown += f" pour {display(bilan.cible, result.unite)}"
    return f"{bilan.valeur.annee} : {words[0].lower()}{words[1:]} ({shown})", code


def indicator_line(result: IndicatorResult, from_page: str) -> IndicatorLine:
    st = result.status
    words, code = situation(result)
    review, review_code = review_words(result)
    return IndicatorLine(
        id=result.id,
        titre=result.titre,
        lien=relative_url(from_page, urls.indicator(result.id)),
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
        bilan=review,
        bilan_code=review_code,
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
    if latest.partielle:
        text += f" au {french_date(result.date_reference)}"
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
    elif st.en_cours:
        text += (
            f" ; la cible{'' if st.cible_annee == latest.annee else ' suivante'}, pour "
            f"{st.cible_annee}, est de {display(st.cible, unit)} : l'année n'étant pas terminée, "
            "elle sera jugée sur l'année complète"
        )
    elif st.cible_annee == latest.annee:
        verdict = "elle est atteinte" if st.atteinte else "elle n'est pas atteinte"
        text += f" ; la cible de {st.cible_annee} est de {display(st.cible, unit)} : {verdict}"
    else:
        verdict = "elle est déjà atteinte" if st.atteinte else "elle n'est pas encore atteinte"
        text += (
            f" ; la prochaine cible, pour {st.cible_annee}, est de "
            f"{display(st.cible, unit)} : {verdict}"
        )
    text += "."
    bilan = st.bilan
    if st.en_cours and bilan is not None and bilan.valeur is not None and bilan.cible is not None:
        assert bilan.valeur.valeur is not None
        done = display(bilan.valeur.valeur, unit)
        if bilan.cible_annee == bilan.valeur.annee:
            verdict = "atteinte" if bilan.atteinte else "non atteinte"
            text += (
                f" Dernière année complète, {bilan.valeur.annee} : {done}, cible de "
                f"{display(bilan.cible, unit)} {verdict}."
            )
        else:
            verdict = "déjà atteinte" if bilan.atteinte else "pas encore atteinte"
            text += (
                f" Dernière année complète, {bilan.valeur.annee} : {done}, cible "
                f"{bilan.cible_annee} de {display(bilan.cible, unit)} {verdict}."
            )
    return text


# --- Charts and cards ---------------------------------------------------------------------------


def chart_points(result: IndicatorResult) -> tuple[charts.Point, ...]:
    """The years a chart shows: every year up to the latest, and the later years that have a
    target (without a value: what the data say of a year after their date is not shown)."""
    return tuple(
        charts.Point(y.annee, None if y.a_venir else y.valeur, y.cible, y.partielle)
        for y in result.annees
        if not (y.a_venir and y.cible is None)
    )


def chart_description(result: IndicatorResult) -> str:
    """The numbers of the chart in one sentence: each year's value and target."""
    parts = []
    for y in result.annees:
        if y.a_venir and y.cible is None:
            continue
        text = f"{year_label(y)} : {display(y.valeur, result.unite)}"
        if y.valeur is None or y.a_venir:
            text = f"{year_label(y)} : pas de valeur"
        if y.cible is not None:
            text += f" (cible {display(y.cible, result.unite)})"
        parts.append(text)
    return "Valeur par année. " + " ; ".join(parts) + "."


def indicator_chart(result: IndicatorResult) -> Markup:
    """The chart of an indicator's page: values and targets by year, labelled."""
    return charts.trend_chart(
        f"graphique-{result.id}",
        f"Évolution par année : {result.titre}",
        chart_description(result),
        chart_points(result),
        result.unite,
        lambda value: display(value, result.unite),
    )


@dataclass(frozen=True)
class CardYear:
    """A year of a card's table."""

    annee: str
    valeur: str
    cible: str


@dataclass(frozen=True)
class IndicatorCard:
    """An indicator as a card of the dashboard: its line (value, target, status), a progress bar
    toward the target, a sparkline of the years with the target line, and the same numbers as a
    table."""

    line: IndicatorLine
    chart_id: str
    en_cours: bool
    barre: Markup
    graphique: Markup
    annees: tuple[CardYear, ...]
    action: str
    action_lien: str


def sparkline_label(points: tuple[charts.Point, ...]) -> str:
    """The few words a sparkline is read as; its numbers are in the table that follows it."""
    if not points:
        return "Évolution : pas encore de valeur"
    span = f"de {points[0].annee} à {points[-1].annee}" if len(points) > 1 else str(points[0].annee)
    targets = ", cible en tirets" if any(p.cible is not None for p in points) else ""
    return f"Évolution {span}{targets} : les chiffres sont dans le tableau qui suit"


def indicator_card(
    result: IndicatorResult, from_page: str, chart_id: str, action: tuple[str, str] = ("", "")
) -> IndicatorCard:
    """The card of `result` on the page at `from_page`; `chart_id` is unique on that page;
    `action` (number, link) names the action it follows, where the page lists several."""
    st = result.status
    points = chart_points(result)
    return IndicatorCard(
        line=indicator_line(result, from_page),
        chart_id=chart_id,
        en_cours=st.en_cours,
        barre=charts.progress_bar(st.valeur.valeur if st.valeur else None, st.cible, result.unite),
        graphique=charts.sparkline(chart_id, sparkline_label(points), points),
        annees=tuple(
            CardYear(
                f"{p.annee} (en cours)" if p.partielle else str(p.annee),
                display(p.valeur, result.unite),
                display(p.cible, result.unite),
            )
            for p in points
        ),
        action=action[0],
        action_lien=action[1],
    )


# --- The rows behind a figure -------------------------------------------------------------------


@dataclass(frozen=True)
class RowsFile:
    """A CSV of the rows behind a figure: its address (or link), rows and size."""

    lien: str
    lignes: int
    octets: int


def tables_of(data: Data) -> indicators.Tables:
    """The tables the indicator engine reads, from the loaded data."""
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
    return RowsFile(path, len(frame), ctx.published[path].octets)
