"""Procurement rules shared by contracts and planned purchases: amounts, procedures consistent
with the thresholds, the CCAG of a CPV code, and the yearly shares of considerations, advances,
single offers and missing fields (they improve over the years, as in real data).
"""

from __future__ import annotations

import math
import random

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import thresholds
from achats_ouverts.tools.demo.draws import join
from achats_ouverts.tools.demo.subjects import Subject
from achats_ouverts.tools.demo.world import Family

SEUIL_TRAVAUX = 5_538_000
SEUIL_FOURNITURES_SERVICES = 221_000
"""European thresholds of 2024 (€ HT): works; supplies and services of local authorities."""
SEUIL_DECP = float(thresholds.DECP_PUBLICATION[-1].value)
"""The DECP publication threshold of the demonstration's years (2022 onwards)."""
AMOUNT_SCALE = 1.45
MAX_AMOUNT = 60_000_000.0


def ccag_for(code: str) -> str:
    division = code[:2]
    if division == "45":
        return "Travaux"
    if code.startswith("712"):
        return "Maitrise d'œuvre"
    if division in ("30", "48", "72"):
        return "Techniques de l'information et de la communication"
    if division in ("73", "79"):
        return "Prestations intellectuelles"
    return "Fournitures courantes et services"


def draw_amount(rng: random.Random, median: float, sigma: float) -> float:
    """A log-normal amount of at least the DECP threshold (€ HT)."""
    for _ in range(50):
        value = median * AMOUNT_SCALE * math.exp(rng.gauss(0.0, sigma))
        if value >= SEUIL_DECP:
            return min(value, MAX_AMOUNT)
    return SEUIL_DECP


def round_to(value: float, step: float) -> float:
    return max(SEUIL_DECP, round(value / step) * step)


def draw_procedure(rng: random.Random, family: Family, subject: Subject, amount: float) -> str:
    """A procedure consistent with the 2024 thresholds.

    The lots of a large operation follow the operation's total, so they are formal even when
    one lot alone is below the works threshold.
    """
    threshold = SEUIL_TRAVAUX if family.works else SEUIL_FOURNITURES_SERVICES
    formal = amount >= threshold or (family.key == "grands-travaux" and subject.allotted)
    draw = rng.random()
    if formal:
        if draw < 0.76:
            return "Appel d'offres ouvert"
        if draw < 0.87:
            return "Appel d'offres restreint"
        if draw < 0.92:
            return "Procédure avec négociation"
        if draw < 0.95 or family.key not in ("grands-travaux", "services-numeriques"):
            return "Marché passé sans publicité ni mise en concurrence préalable"
        return "Dialogue compétitif"
    if draw < 0.88:
        return "Procédure adaptée"
    if draw < 0.93:
        return "Appel d'offres ouvert"
    if draw < 0.97:
        return "Marché passé sans publicité ni mise en concurrence préalable"
    return "Procédure avec négociation"


ENVIRONMENT_BY_YEAR = {2022: 0.65, 2023: 0.75, 2024: 0.85, 2025: 0.92, 2026: 0.96}
SOCIAL_BY_YEAR = {2022: 0.26, 2023: 0.28, 2024: 0.3, 2025: 0.32, 2026: 0.34}
ADVANCE_BY_YEAR = {2022: 0.44, 2023: 0.48, 2024: 0.52, 2025: 0.55, 2026: 0.58}
SINGLE_OFFER_BY_YEAR = {2022: 0.13, 2023: 0.125, 2024: 0.12, 2025: 0.11, 2026: 0.105}
MISSING_BY_YEAR = {2022: 1.6, 2023: 1.3, 2024: 1.0, 2025: 0.7, 2026: 0.5}
"""How often optional fields are left empty, relative to 2024 (completeness improves)."""


def draw_environment(rng: random.Random, share: float) -> str:
    if rng.random() >= min(0.995, max(0.0, share)):
        return v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE
    draw = rng.random()
    if draw < 0.5:
        return "Clause environnementale"
    if draw < 0.7:
        return "Critère environnemental"
    return join(
        ("Clause environnementale", "Critère environnemental"), v.CONSIDERATIONS_ENVIRONNEMENTALES
    )


def draw_social(rng: random.Random, share: float, reserve: float) -> str:
    if rng.random() < reserve:
        return "Marché réservé"
    if rng.random() >= min(0.9, share):
        return v.PAS_DE_CONSIDERATION_SOCIALE
    draw = rng.random()
    if draw < 0.7:
        return "Clause sociale"
    if draw < 0.85:
        return "Critère social"
    return join(("Clause sociale", "Critère social"), v.CONSIDERATIONS_SOCIALES)
