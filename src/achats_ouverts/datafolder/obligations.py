"""Legal obligations that start on a given day, with the texts that set them: unlike a threshold
(`thresholds`), they have no amount, only a first day from which a rule applies.

`ENVIRONMENTAL_CONSIDERATIONS` is the one place that spells the day from which every public
contract must take environmental considerations into account: validation warns from it, the
quality page and the analysis `clauses-environnementales-2026` quote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from achats_ouverts.french import french_date


@dataclass(frozen=True)
class DatedObligation:
    """A rule in force from `start` (included), the texts that set it, and what the published
    data can and cannot tell about it."""

    start: date
    rule: str
    """What the rule requires, in one plain French sentence."""
    sources: tuple[str, ...]
    """The legal texts, as cited on the site."""
    approximation: str
    """Why the published data only approximate the day the rule looks at, in plain French."""

    def applies(self, day: date) -> bool:
        return self.start <= day

    @property
    def since(self) -> str:
        """`depuis le 21 août 2026`."""
        return f"depuis le {french_date(self.start)}"


ENVIRONMENTAL_CONSIDERATIONS = DatedObligation(
    start=date(2026, 8, 21),
    rule=(
        "Tout marché public prend en compte des considérations environnementales : dans ses "
        "conditions d'exécution (article L2112-2 du code de la commande publique) et dans au "
        "moins un critère d'attribution (article L2152-7)."
    ),
    sources=(
        "Code de la commande publique, articles L2112-2 et L2152-7, modifiés par la loi "
        "n° 2021-1104 du 22 août 2021 (« Climat et résilience »), article 35 : en vigueur à une "
        "date fixée par décret, au plus tard le 22 août 2026",
        "Décret n° 2022-767 du 2 mai 2022 : ces dispositions s'appliquent aux marchés dont la "
        "consultation est engagée ou l'avis d'appel à la concurrence envoyé à la publication à "
        "compter du 21 août 2026",
    ),
    approximation=(
        "La règle vise la date d'engagement de la consultation, que les données essentielles ne "
        "donnent pas : la date de notification la remplace. Un marché notifié après le 21 août "
        "2026 peut avoir été mis en concurrence avant cette date (la règle ne s'applique alors "
        "pas) ; un marché consulté après elle est toujours notifié après."
    ),
)
"""The day follows the décret, the text that sets it (the law only gives the latest day the décret
could choose, « au plus tard le 22 août 2026 », five years after its own date): 21 August 2026,
compared with the notification date, the only date the data give."""
