"""Legal thresholds that change with time, as a dated table: each `Threshold` says its value in
euros HT, the first and last day it applies (None: open), and the text that sets it.

A rule that depends on a threshold asks for the one in force on the day that matters (for the
publication of a contract's essential data, its notification date): a contract notified in 2019
is judged against the threshold of 2019, not today's. Add a new value by closing the previous
entry (`end`) and appending the new one; the tests check that the periods of a table follow each
other without gap or overlap.

`TABLES` names every table the analyses use (the DECP publication threshold, the French
procedure thresholds and the EU thresholds): a data folder may replace any of them with its own
`seuils.csv`. The legal texts set these thresholds on the day the consultation is launched; the
data only has the notification date, which the analyses use as an approximation.
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


DISPENSE_SUPPLIES_SERVICES: tuple[Threshold, ...] = (
    Threshold(
        25_000,
        None,
        date(2019, 12, 31),
        "Code de la commande publique, article R2122-8 dans sa version du 1er avril 2019 "
        "(auparavant décret n° 2016-360 du 25 mars 2016, article 30)",
    ),
    Threshold(
        40_000,
        date(2020, 1, 1),
        date(2026, 3, 31),
        "Code de la commande publique, article R2122-8, modifié par le décret n° 2019-1344 du "
        "12 décembre 2019",
    ),
    Threshold(
        60_000,
        date(2026, 4, 1),
        None,
        "Code de la commande publique, article R2122-8, modifié par le décret n° 2025-1386 du "
        "29 décembre 2025 (article 1er, 1° b)",
    ),
)
"""Supplies and services: below this estimated value, a contract may be passed without publicity
or competition (« dispense de procédure »)."""

DISPENSE_WORKS: tuple[Threshold, ...] = (
    Threshold(
        25_000,
        None,
        date(2019, 12, 31),
        "Code de la commande publique, article R2122-8 dans sa version du 1er avril 2019 "
        "(auparavant décret n° 2016-360 du 25 mars 2016, article 30)",
    ),
    Threshold(
        40_000,
        date(2020, 1, 1),
        date(2020, 7, 23),
        "Code de la commande publique, article R2122-8, modifié par le décret n° 2019-1344 du "
        "12 décembre 2019",
    ),
    Threshold(
        70_000,
        date(2020, 7, 24),
        date(2020, 12, 8),
        "Décret n° 2020-893 du 22 juillet 2020, article 1er (relèvement temporaire, jusqu'au "
        "10 juillet 2021, remplacé par la loi n° 2020-1525 du 7 décembre 2020)",
    ),
    Threshold(
        100_000,
        date(2020, 12, 9),
        date(2025, 12, 31),
        "Loi n° 2020-1525 du 7 décembre 2020 (ASAP), article 142, prorogé par le décret "
        "n° 2022-1683 du 28 décembre 2022 puis le décret n° 2024-1217 du 28 décembre 2024",
    ),
    Threshold(
        100_000,
        date(2026, 1, 1),
        None,
        "Code de la commande publique, article R2122-8, modifié par le décret n° 2025-1386 du "
        "29 décembre 2025 (article 1er, 1° a)",
    ),
)
"""Works: below this estimated value, a contract may be passed without publicity or
competition. Raised for a time after 2020 to support building firms, made permanent in 2026."""

PUBLICITY: tuple[Threshold, ...] = (
    Threshold(
        90_000,
        None,
        None,
        "Code de la commande publique, article R2131-12 (auparavant décret n° 2016-360 du "
        "25 mars 2016, article 34)",
    ),
)
"""From this estimated value, a contract passed by an adapted procedure (MAPA) is advertised in
the BOAMP or a legal gazette (JAL)."""


def _eu(values: tuple[int, int, int, int, int]) -> tuple[Threshold, ...]:
    """One EU table from its values for 2018-19, 2020-21, 2022-23, 2024-25 and 2026-27."""
    regulations = (
        "règlement délégué (UE) 2017/2365 de la Commission",
        "règlement délégué (UE) 2019/1828 de la Commission",
        "règlement délégué (UE) 2021/1952 de la Commission",
        "règlement délégué (UE) 2023/2495 de la Commission",
        "règlement délégué (UE) 2025/2152 de la Commission",
    )
    starts = (2018, 2020, 2022, 2024, 2026)
    return tuple(
        Threshold(
            value,
            date(start, 1, 1) if i else None,
            date(start + 1, 12, 31) if i < len(starts) - 1 else None,
            "Directive 2014/24/UE, article 4, seuils révisés par le "
            + regulation
            + " (code de la commande publique, annexe 2)",
        )
        for i, (value, start, regulation) in enumerate(
            zip(values, starts, regulations, strict=True)
        )
    )


EU_CENTRAL: tuple[Threshold, ...] = _eu((144_000, 139_000, 140_000, 143_000, 140_000))
"""Supplies and services of central government authorities (the State and its public bodies
listed in annex 2 of the code): from this value, a formal procedure is required."""

EU_SUB_CENTRAL: tuple[Threshold, ...] = _eu((221_000, 214_000, 215_000, 221_000, 216_000))
"""Supplies and services of the other contracting authorities (local authorities and their
public bodies…)."""

EU_WORKS: tuple[Threshold, ...] = _eu((5_548_000, 5_350_000, 5_382_000, 5_538_000, 5_404_000))
"""Works, whoever the buyer."""

TABLES: dict[str, tuple[Threshold, ...]] = {
    "publication-decp": DECP_PUBLICATION,
    "dispense-fournitures-services": DISPENSE_SUPPLIES_SERVICES,
    "dispense-travaux": DISPENSE_WORKS,
    "publicite": PUBLICITY,
    "ue-autorites-centrales": EU_CENTRAL,
    "ue-fournitures-services": EU_SUB_CENTRAL,
    "ue-travaux": EU_WORKS,
}
"""Every dated table, by the name a data folder's `seuils.csv` gives it in its `table` column."""


def for_buyer(
    tables: dict[str, tuple[Threshold, ...]], central: bool
) -> dict[str, tuple[Threshold, ...]]:
    """The tables as a buyer's contracts are judged: `ue-fournitures-services` is the EU
    threshold of central government authorities when the buyer is one (`acheteur_central` in
    `editeur.yaml`), of the other contracting authorities otherwise."""
    if not central:
        return dict(tables)
    return {**tables, "ue-fournitures-services": tables["ue-autorites-centrales"]}


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
