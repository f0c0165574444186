"""Legal thresholds that change with time, as a dated table: each `Threshold` says its value in
euros HT, the first and last day it applies (None: open), and the text that sets it.

A rule that depends on a threshold asks for the one in force on the day that matters (for the
publication of a contract's essential data, its notification date): a contract notified in 2019
is judged against the threshold of 2019, not today's. Add a new value by closing the previous
entry (`end`) and appending the new one; the tests check that the periods of a table follow each
other without gap or overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from achats_ouverts.french import euros, french_date


@dataclass(frozen=True)
class Threshold:
    """A threshold in euros HT, in force from `start` to `end` (both included; None: open)."""

    value: int
    start: date | None
    end: date | None
    source: str
    """The legal text that sets it, as cited on the site."""

    def applies(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        """`40 000 € HT`."""
        return f"{euros(self.value)} HT"

    @property
    def period(self) -> str:
        """`depuis le 1er janvier 2020`, `jusqu'au 31 décembre 2019`, `du … au …`."""
        if self.start is None and self.end is None:
            return "à toute date"
        if self.start is None:
            assert self.end is not None
            return f"jusqu'au {french_date(self.end)}"
        if self.end is None:
            return f"depuis le {french_date(self.start)}"
        return f"du {french_date(self.start)} au {french_date(self.end)}"


DECP_PUBLICATION: tuple[Threshold, ...] = (
    Threshold(
        25_000,
        None,
        date(2019, 12, 31),
        "Code de la commande publique, article R2196-1 dans sa version du 1er avril 2019 "
        "(auparavant décret n° 2016-360 du 25 mars 2016, article 107)",
    ),
    Threshold(
        40_000,
        date(2020, 1, 1),
        None,
        "Code de la commande publique, article R2196-1, modifié par le décret n° 2019-1344 du "
        "12 décembre 2019",
    ),
)
"""The amount from which a contract's essential data (DECP) must be published, by notification
date. Below it, publishing is allowed, not required."""


def in_force(table: tuple[Threshold, ...], day: date | None) -> Threshold:
    """The threshold of `table` in force on `day`; the latest one when the day is unknown."""
    if day is not None:
        for threshold in table:
            if threshold.applies(day):
                return threshold
    return table[-1]


def values_by_date(table: tuple[Threshold, ...], days: pd.Series) -> pd.Series:
    """Per row, the value of the threshold in force on its day (a datetime column); the latest
    value where the day is unknown (`in_force`)."""
    values = pd.Series(float(table[-1].value), index=days.index)
    for threshold in table:
        during = days.notna()
        if threshold.start is not None:
            during &= days >= pd.Timestamp(threshold.start)
        if threshold.end is not None:
            during &= days <= pd.Timestamp(threshold.end)
        values[during] = float(threshold.value)
    return values


def decp_publication(day: date | None) -> Threshold:
    """The DECP publication threshold in force on `day` (a contract's notification date)."""
    return in_force(DECP_PUBLICATION, day)


def summary(table: tuple[Threshold, ...]) -> str:
    """`25 000 € HT jusqu'au 31 décembre 2019, 40 000 € HT depuis le 1er janvier 2020`."""
    return ", ".join(f"{t.label} {t.period}" for t in table)
