"""Indicator results as pages show them, shared by the policy, the dashboard, the indicator pages
and the quality page: values in their unit the French way, the line of an indicator in a list,
the sentence that sums it up, and the rows behind a figure written as CSV.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from achats_ouverts.french import euros, number, percent, plural
from achats_ouverts.model import Data, IndicatorResult, YearValue, indicators
from achats_ouverts.output import urls
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
