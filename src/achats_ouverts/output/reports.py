"""The periods of the biennial SPASER report (code de la commande publique, article L2111-3:
indicators published every two years): which two-year periods the data cover, aligned on the
first year of the purchasing policy, and whether the last one is still running.

Shared by the policy page (which links to every report) and the report pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from achats_ouverts.model import IndicatorResult

LENGTH = 2
"""Years per report."""


@dataclass(frozen=True)
class Period:
    debut: int
    fin: int
    en_cours: bool
    """The period is not over at the data's reference date: its figures are provisional."""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.debut, self.fin + 1))

    @property
    def label(self) -> str:
        """`2024-2025`."""
        return f"{self.debut}-{self.fin}"


def measured_years(results: Iterable[IndicatorResult], reference: date) -> set[int]:
    """The years for which at least one indicator has a value, up to the reference year."""
    return {
        y.annee
        for r in results
        for y in r.annees
        if y.valeur is not None and not y.a_venir and y.annee <= reference.year
    }


def periods(anchor: int, years: Iterable[int], reference: date) -> tuple[Period, ...]:
    """The two-year periods, aligned on `anchor` (the policy's first year; periods before it
    keep the same rhythm), that hold at least one of `years`, in order."""
    starts = sorted({anchor + LENGTH * ((year - anchor) // LENGTH) for year in years})
    return tuple(
        Period(start, start + LENGTH - 1, reference < date(start + LENGTH - 1, 12, 31))
        for start in starts
    )


def report_periods(
    policy_start: int, results: Iterable[IndicatorResult], reference: date
) -> tuple[Period, ...]:
    """The periods of the reports the site publishes: those of the years the indicators
    measure, aligned on the policy's first year (or, without one, on the first measured year)."""
    years = measured_years(results, reference)
    if not years:
        return ()
    anchor = policy_start if policy_start > 0 else min(years)
    return periods(anchor, years, reference)
