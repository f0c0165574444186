"""The contracts: how many a year, on which working days, of which family, and each one drawn with
its procedure, amount, duration, prices, considerations, suppliers and later modifications.

`Generator` draws them one after the other through a single `random.Random`, in a fixed order:
the same seed and size give the same contracts on any machine.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from achats_ouverts import vocabulary as v
from achats_ouverts.tools.demo.draws import (
    add_months,
    by_year,
    cumulative,
    format_ratio,
    join,
    largest_remainder,
    pick,
)
from achats_ouverts.tools.demo.rules import (
    ADVANCE_BY_YEAR,
    ENVIRONMENT_BY_YEAR,
    MISSING_BY_YEAR,
    SEUIL_DECP,
    SEUIL_FOURNITURES_SERVICES,
    SINGLE_OFFER_BY_YEAR,
    SOCIAL_BY_YEAR,
    draw_amount,
    draw_environment,
    draw_procedure,
    draw_social,
    round_to,
)
from achats_ouverts.tools.demo.subjects import Subject, make_subject
from achats_ouverts.tools.demo.suppliers import Supplier, SupplierPool
from achats_ouverts.tools.demo.world import Family, World

BUYER_SIRET = "20005374200017"
"""The Région Hauts-de-France's real SIRET, as in the hand-written data/editeur.yaml."""
FIRST_YEAR = 2022
HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
MONTH_WEIGHTS = (0.8, 0.9, 1.0, 1.0, 0.9, 1.15, 1.25, 0.45, 1.0, 1.05, 1.05, 1.45)
OFFERS = tuple(range(2, 13))
OFFER_CUM = cumulative((17, 18, 15, 11, 8, 5, 4, 2, 1.5, 1, 0.5))
SUBSEQUENT_SHARE = 0.08
MODIFIED_SHARE = 0.105
"""Share of contracts drawn for modifications (a few, notified late, get none)."""
LINK_SHARE = 0.034
"""Share of recent contracts that an « attribué » upcoming purchase points to."""
AVANCE_RATES = (0.05, 0.15, 0.2, 0.3)

YEAR_ACTIVITY = {2022: 0.96, 2023: 1.0, 2024: 1.03, 2025: 1.01}
"""Contracts per day of each year, relative to 2023."""


def family_sequence(rng: random.Random, count: int, families: Sequence[Family]) -> list[Family]:
    """The families of a year's contracts: exact shares, in random order."""
    counts = largest_remainder(count, [family.weight for family in families])
    sequence = [family for family, n in zip(families, counts, strict=True) for _ in range(n)]
    rng.shuffle(sequence)
    return sequence


@dataclass(frozen=True)
class YearPlan:
    year: int
    count: int
    last_day: date


def plan_years(total: int, reference_date: date) -> list[YearPlan]:
    """Share `total` contracts between years by activity and days (largest remainder)."""
    if reference_date.year < FIRST_YEAR:
        raise ValueError(f"reference_date must be in {FIRST_YEAR} or later")
    last = reference_date - timedelta(days=5)
    years = list(range(FIRST_YEAR, last.year + 1))
    weights: list[float] = []
    ends: list[date] = []
    for year in years:
        end = min(date(year, 12, 31), last)
        ends.append(end)
        days = (end - date(year, 1, 1)).days + 1
        weights.append(by_year(YEAR_ACTIVITY, year) * days / 365)
    counts = largest_remainder(total, weights)
    return [
        YearPlan(year, count, end) for year, count, end in zip(years, counts, ends, strict=True)
    ]


def working_days(year: int, last_day: date) -> tuple[list[date], tuple[float, ...]]:
    days: list[date] = []
    weights: list[float] = []
    day = date(year, 1, 1)
    while day <= last_day:
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            days.append(day)
            weights.append(MONTH_WEIGHTS[day.month - 1])
        day += timedelta(days=1)
    return days, cumulative(weights)


@dataclass(frozen=True, slots=True)
class Modification:
    id: int
    date_notification: date
    date_publication: date
    montant: float | None
    duree: int | None
    titulaires: tuple[Supplier, ...] | None


@dataclass(slots=True)
class Framework:
    """A framework agreement run by marchés subséquents, which later contracts may refer to."""

    id: str
    subject: Subject
    procedure: str
    amount: float
    end: date
    suppliers: tuple[Supplier, ...]
    issued: int = 0


@dataclass(slots=True)
class Contract:
    uid: str
    id: str
    family: Family
    subject: Subject
    objet: str
    nature: str
    techniques: str
    modalites: str
    id_accord_cadre: str
    innovant: bool
    offres: int
    avance: bool
    taux_avance: str
    groupement: str
    sous_traitance: bool
    procedure: str
    duree: int
    notification: date
    publication: date
    montant: float
    types_prix: str
    forme_prix: str
    origine_ue: str
    origine_france: str
    social: str
    environment: str
    titulaires: tuple[Supplier, ...]
    modifications: tuple[Modification, ...]
    missing: frozenset[str]

    @property
    def current_amount(self) -> float:
        for modification in reversed(self.modifications):
            if modification.montant is not None:
                return modification.montant
        return self.montant

    @property
    def current_duration(self) -> int:
        for modification in reversed(self.modifications):
            if modification.duree is not None:
                return modification.duree
        return self.duree

    @property
    def current_suppliers(self) -> tuple[Supplier, ...]:
        for modification in reversed(self.modifications):
            if modification.titulaires is not None:
                return modification.titulaires
        return self.titulaires


@dataclass
class Generator:
    """Draws the contracts one after the other; everything random goes through `rng`."""

    rng: random.Random
    reference_date: date
    pool: SupplierPool
    id_width: int
    world: World
    texts: dict[str, str] = field(default_factory=dict)
    dates: dict[date, str] = field(default_factory=dict)
    frameworks: dict[str, deque[Framework]] = field(default_factory=dict)
    links: list[Contract] = field(default_factory=list)
    link_credit: float = 0.0

    def iso(self, day: date) -> str:
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = day.isoformat()
        return text

    def contracts(self, plans: Sequence[YearPlan]) -> Iterator[Contract]:
        link_from = date(self.reference_date.year - 1, 9, 1)
        link_to = self.reference_date - timedelta(days=20)
        for plan in plans:
            days, cum = working_days(plan.year, plan.last_day)
            notified = sorted(self.rng.choices(days, cum_weights=cum, k=plan.count))
            families = family_sequence(self.rng, plan.count, self.world.families)
            for seq, (day, family) in enumerate(zip(notified, families, strict=True), start=1):
                contract = self.contract(family, plan.year, seq, day)
                if (
                    link_from <= day <= link_to
                    and not contract.id_accord_cadre
                    and "codeCPV" not in contract.missing
                ):
                    # Every 1/LINK_SHARE-th eligible contract, from a random starting point.
                    self.link_credit += LINK_SHARE
                    if self.link_credit >= 1:
                        self.link_credit -= 1
                        self.links.append(contract)
                yield contract

    def contract(self, family: Family, year: int, seq: int, notification: date) -> Contract:
        rng = self.rng
        ident = f"{year}{seq:0{self.id_width}d}"
        parent = self.parent(family, notification)
        nature = "Marché"
        if parent is not None:
            parent.issued += 1
            subject = parent.subject
            objet = self.text(f"{parent.subject.objet} – marché subséquent n° {parent.issued}")
            drawn = draw_amount(rng, family.median * 0.45, family.sigma)
            # A marché subséquent stays within its framework agreement's maximum.
            amount = round(max(SEUIL_DECP, min(drawn, parent.amount * 0.8)), 2)
            procedure = parent.procedure
            techniques, modalites = "Sans objet", "Sans objet"
            framework = False
        else:
            subject = make_subject(rng, family, year, self.texts, self.world)
            objet = subject.objet
            framework = rng.random() < family.accord_cadre
            amount = draw_amount(rng, family.median * subject.factor, family.sigma)
            amount = round_to(amount, 10_000) if framework else round(amount, 2)
            procedure = draw_procedure(rng, family, subject, amount)
            techniques, modalites = "Sans objet", "Sans objet"
            if framework:
                techniques = "Accord-cadre"
                subsequent = rng.random() < family.subsequents
                modalites = "Marchés subséquents" if subsequent else "Bons de commande"
            elif (
                family.key == "maitrise-oeuvre"
                and amount >= SEUIL_FOURNITURES_SERVICES
                and rng.random() < 0.5
            ):
                techniques = "Concours"
                procedure = "Marché passé sans publicité ni mise en concurrence préalable"
            elif family.works or family.key == "maitrise-oeuvre":
                modalites = "Tranches" if rng.random() < 0.12 else "Sans objet"
            if family.key == "grands-travaux" and rng.random() < 0.05:
                nature = "Marché de partenariat"
        durations = family.durations
        if framework:
            durations = tuple(d for d in durations if d <= 48) or durations
        duree = rng.choice(durations)
        if parent is not None:
            duree = min(duree, 24)
        offres = self.offers(year, procedure)
        avance = rng.random() < by_year(ADVANCE_BY_YEAR, year)
        taux = ""
        if avance:
            draw = rng.random()
            taux = (
                "0.1"
                if draw < 0.75
                else "0"
                if draw < 0.83
                else format_ratio(rng.choice(AVANCE_RATES))
            )
        types_prix, forme_prix = self.prices(family, framework, modalites, duree)
        origine_ue = origine_france = ""
        if family.origin and rng.random() < 0.9:
            ue = round(rng.uniform(0.55, 1.0), 2)
            origine_ue = format_ratio(ue)
            origine_france = format_ratio(round(ue * rng.uniform(0.35, 0.95), 2))
        environment = draw_environment(rng, by_year(ENVIRONMENT_BY_YEAR, year) + family.environment)
        social = draw_social(rng, by_year(SOCIAL_BY_YEAR, year) * family.social, family.reserve)
        if parent is not None:
            # A marché subséquent goes to one of the framework agreement's holders.
            suppliers: tuple[Supplier, ...] = (rng.choice(parent.suppliers),)
        else:
            suppliers = self.suppliers(subject.trade, amount, family)
        if modalites == "Marchés subséquents":
            end = add_months(notification, duree)
            self.frameworks.setdefault(family.key, deque(maxlen=40)).append(
                Framework(ident, subject, procedure, amount, end, suppliers)
            )
        grouping = "Pas de groupement"
        if len(suppliers) > 1:
            solidaire = rng.random() < (0.25 if family.key == "maitrise-oeuvre" else 0.4)
            grouping = "Solidaire" if solidaire else "Conjoint"
        publication = self.publication(notification)
        modifications = self.modifications(notification, amount, duree, suppliers, subject.trade)
        missing = self.missing(year)
        return Contract(
            uid=BUYER_SIRET + ident,
            id=ident,
            family=family,
            subject=subject,
            objet=objet,
            nature=nature,
            techniques=techniques,
            modalites=modalites,
            id_accord_cadre=parent.id if parent is not None else "",
            innovant=rng.random() < family.innovant,
            offres=offres,
            avance=avance,
            taux_avance=taux,
            groupement=grouping,
            sous_traitance=rng.random() < family.sous_traitance,
            procedure=procedure,
            duree=duree,
            notification=notification,
            publication=publication,
            montant=amount,
            types_prix=types_prix,
            forme_prix=forme_prix,
            origine_ue=origine_ue,
            origine_france=origine_france,
            social=social,
            environment=environment,
            titulaires=suppliers,
            modifications=modifications,
            missing=missing,
        )

    def text(self, value: str) -> str:
        return self.texts.setdefault(value, value)

    def parent(self, family: Family, notification: date) -> Framework | None:
        """A running framework agreement of the same family, for a marché subséquent."""
        frameworks = self.frameworks.get(family.key)
        if not frameworks or self.rng.random() >= SUBSEQUENT_SHARE:
            return None
        framework = frameworks[self.rng.randrange(len(frameworks))]
        return framework if notification <= framework.end else None

    def offers(self, year: int, procedure: str) -> int:
        rng = self.rng
        if procedure == "Marché passé sans publicité ni mise en concurrence préalable":
            return 1 if rng.random() < 0.85 else 2
        if procedure == "Procédure avec négociation":
            return rng.randint(1, 4)
        if rng.random() < by_year(SINGLE_OFFER_BY_YEAR, year):
            return 1
        return pick(rng, OFFERS, OFFER_CUM)

    def prices(
        self, family: Family, framework: bool, modalites: str, duree: int
    ) -> tuple[str, str]:
        rng = self.rng
        draw = rng.random()
        if duree <= 12 and not framework:
            types = ["Définitif ferme" if draw < 0.55 else "Définitif actualisable"]
        else:
            types = [
                "Définitif révisable"
                if draw < 0.85
                else "Définitif actualisable"
                if draw < 0.95
                else "Définitif ferme"
            ]
        if family.key == "maitrise-oeuvre" and rng.random() < 0.35:
            types.append("Provisoire")
        if framework and modalites == "Bons de commande":
            forme = "Unitaire" if rng.random() < 0.85 else "Mixte"
        else:
            forme = rng.choices(v.FORMES_PRIX, weights=family.formes)[0]
        return join(types, v.TYPES_PRIX), forme

    def suppliers(self, trade: str, amount: float, family: Family) -> tuple[Supplier, ...]:
        rng = self.rng
        big = amount >= 1_500_000 and rng.random() < 0.65
        first = self.pool.pick(rng, trade, big)
        if rng.random() >= family.groupement:
            return (first,)
        size = rng.choices((2, 3, 4), weights=(70, 22, 8))[0]
        size = min(size, len(self.pool.by_trade[trade]))
        chosen = [first]
        for _ in range(size - 1):
            chosen.append(self.pool.pick(rng, trade, exclude=chosen))
        return tuple(chosen)

    def publication(self, notification: date) -> date:
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            delay = rng.randint(62, 150)
        elif draw < 0.10:
            delay = rng.randint(51, 58)
        else:
            delay = 5 + int(45 * rng.random() ** 1.5)
        latest = (self.reference_date - notification).days
        if delay > latest:
            delay = rng.randint(min(5, latest), latest)
        return notification + timedelta(days=delay)

    def modifications(
        self,
        notification: date,
        amount: float,
        duree: int,
        suppliers: tuple[Supplier, ...],
        trade: str,
    ) -> tuple[Modification, ...]:
        rng = self.rng
        if rng.random() >= MODIFIED_SHARE:
            return ()
        count = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
        start = notification + timedelta(days=45)
        end = min(add_months(notification, duree), self.reference_date - timedelta(days=10))
        span = (end - start).days
        if span < count:
            return ()
        days = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(count))
        result: list[Modification] = []
        current_amount, current_duree, current = amount, duree, suppliers
        for number, day in enumerate(days, start=1):
            new_amount: float | None = None
            new_duree: int | None = None
            new_suppliers: tuple[Supplier, ...] | None = None
            if rng.random() < 0.35:
                current_duree = current_duree + rng.choice((1, 2, 3, 4, 6, 6, 12))
                new_duree = current_duree
            if rng.random() < 0.03 and len(self.pool.by_trade[trade]) > len(current):
                replacement = self.pool.pick(rng, trade, exclude=current)
                current = (replacement, *current[1:])
                new_suppliers = current
            if (new_duree is None and new_suppliers is None) or rng.random() < 0.75:
                current_amount = round(current_amount * rng.uniform(1.02, 1.2), 2)
                new_amount = current_amount
            latest = (self.reference_date - day).days
            published = day + timedelta(days=min(rng.randint(3, 40), latest))
            result.append(
                Modification(number, day, published, new_amount, new_duree, new_suppliers)
            )
        return tuple(result)

    def missing(self, year: int) -> frozenset[str]:
        """Optional fields left empty, as real data sometimes are."""
        rng = self.rng
        factor = by_year(MISSING_BY_YEAR, year)
        if rng.random() >= 0.03 * factor:
            return frozenset()
        return frozenset(
            rng.choices(
                ("codeCPV", "lieuExecution", "formePrix", "nature", "dureeMois", "procedure"),
                weights=(40, 25, 15, 8, 7, 5),
            )
        )
