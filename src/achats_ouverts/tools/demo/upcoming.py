"""The purchasing programme (achats-a-venir.csv): planned, launched, postponed and abandoned
purchases, and the programme lines of recent contracts (« attribué »), numbered by service and
planned date.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from achats_ouverts import cpv as cpv_codes
from achats_ouverts.french import quarter_code
from achats_ouverts.tools.demo.contracts import Contract, Generator
from achats_ouverts.tools.demo.draws import Row, format_amount, format_bool, int_text, pick
from achats_ouverts.tools.demo.rows import ACHATS, ordered
from achats_ouverts.tools.demo.rules import (
    draw_amount,
    draw_environment,
    draw_procedure,
    draw_social,
    round_to,
)
from achats_ouverts.tools.demo.subjects import make_subject
from achats_ouverts.tools.demo.world import Family, Service

PLANNED_PER_CONTRACT = {"prévu": 92 / 2700, "lancé": 20 / 2700, "reporté": 9 / 2700}
ABANDONED_PER_CONTRACT = 6 / 2700


@dataclass
class Purchase:
    """One line of the purchasing programme, before it gets its identifier."""

    year: int
    key: date
    values: dict[str, str]


def planned_amount(
    rng: random.Random, family: Family, values: dict[str, str], factor: float
) -> float:
    amount = draw_amount(rng, family.median * factor, family.sigma)
    if rng.random() < 0.6:
        values["montantEstime"] = format_amount(round_to(amount, 5_000))
    else:
        low = round_to(amount * 0.8, 10_000)
        values["montantEstimeMin"] = format_amount(low)
        values["montantEstimeMax"] = format_amount(round_to(low * rng.uniform(1.4, 2.2), 10_000))
    return amount


def planned_considerations(rng: random.Random, family: Family, values: dict[str, str]) -> None:
    values["considerationsEnvironnementalesPrevues"] = draw_environment(rng, 0.97)
    social = draw_social(rng, 0.38 * family.social, family.reserve * 1.3)
    values["considerationsSocialesPrevues"] = social
    values["marcheReserve"] = format_bool("Marché réservé" in social)


def planned_launch(rng: random.Random, day: date, values: dict[str, str], iso: str) -> None:
    if rng.random() < 0.55:
        values["dateLancementPrevue"] = iso
    else:
        values["trimestreLancementPrevu"] = quarter_code(day)


def purchase_base(
    rng: random.Random, gen: Generator, family: Family, year: int, statut: str
) -> dict[str, str]:
    subject = make_subject(rng, family, year, gen.texts, gen.world)
    lots = 1
    if subject.allotted:
        lots = rng.randint(4, 11) if family.lots else rng.randint(2, 6)
    values = {name: "" for name in ACHATS.field_names}
    values.update(
        {
            "objet": subject.operation,
            "codeCPV": subject.operation_cpv,
            "categorie": cpv_codes.category(subject.operation_cpv),
            "service_id": subject.service,
            "dureeMoisPrevue": int_text(rng.choice(family.durations)),
            "lieuExecution_code": subject.place.code,
            "lieuExecution_typeCode": subject.place.type_code,
            "lieuExecution_nom": subject.place.nom,
            "nombreLots": int_text(lots),
            "accessiblePME": format_bool(rng.random() < (0.9 if lots > 1 else 0.65)),
            "contact": f"achats-{subject.service}@example.fr",
            "statut": statut,
        }
    )
    amount = planned_amount(rng, family, values, 4.0 if lots > 3 else 1.0)
    values["procedurePrevue"] = draw_procedure(rng, family, subject, amount)
    planned_considerations(rng, family, values)
    return values


def announce_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return last
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def consultation(rng: random.Random, launch: date) -> str:
    return f"https://marchespublics.example.fr/consultation/{launch.year}-{rng.randint(1000, 9999)}"


def upcoming(rng: random.Random, gen: Generator, contracts: int) -> list[Row]:
    ref = gen.reference_date
    first_announce = date(ref.year - 1, 1, 2)
    purchases: list[Purchase] = []

    def add(year_day: date, values: dict[str, str]) -> None:
        purchases.append(Purchase(year_day.year, year_day, values))

    counts = {statut: round(contracts * rate) for statut, rate in PLANNED_PER_CONTRACT.items()}
    for _ in range(counts["prévu"]):
        family = pick(rng, gen.world.families, gen.world.family_cum)
        day = ref + timedelta(days=rng.randint(7, 548))
        values = purchase_base(rng, gen, family, day.year, "prévu")
        planned_launch(rng, day, values, gen.iso(day))
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, max(first_announce, ref - timedelta(days=240)), ref)
        )
        add(day, values)
    for _ in range(counts["lancé"]):
        family = pick(rng, gen.world.families, gen.world.family_cum)
        launch = ref - timedelta(days=rng.randint(2, 75))
        on_time = rng.random() < 0.6
        planned = launch + timedelta(days=rng.randint(0, 20) if on_time else -rng.randint(35, 150))
        values = purchase_base(rng, gen, family, planned.year, "lancé")
        planned_launch(rng, planned, values, gen.iso(planned))
        announced = announce_between(rng, first_announce, min(planned, launch) - timedelta(days=20))
        values["dateAnnonce"] = gen.iso(announced)
        values["dateLancement"] = gen.iso(launch)
        values["urlConsultation"] = consultation(rng, launch)
        values["dateLimiteRemiseOffres"] = gen.iso(launch + timedelta(days=rng.randint(30, 52)))
        add(planned, values)
    for contract in gen.links:
        add(*awarded(rng, gen, contract, first_announce))
    for _ in range(counts["reporté"]):
        family = pick(rng, gen.world.families, gen.world.family_cum)
        day = ref + timedelta(days=rng.randint(120, 480))
        values = purchase_base(rng, gen, family, day.year, "reporté")
        values["trimestreLancementPrevu"] = quarter_code(day)
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, first_announce, ref - timedelta(days=60))
        )
        add(day, values)
    for _ in range(round(contracts * ABANDONED_PER_CONTRACT)):
        family = pick(rng, gen.world.families, gen.world.family_cum)
        day = ref - timedelta(days=rng.randint(20, 300))
        values = purchase_base(rng, gen, family, day.year, "abandonné")
        planned_launch(rng, day, values, gen.iso(day))
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, first_announce, day - timedelta(days=30))
        )
        add(day, values)
    return number_purchases(purchases, gen.world.services_by_id)


def awarded(
    rng: random.Random, gen: Generator, contract: Contract, first_announce: date
) -> tuple[date, dict[str, str]]:
    """The programme line of a purchase that became `contract`."""
    subject = contract.subject
    launch = contract.notification - timedelta(days=rng.randint(70, 160))
    deadline = launch + timedelta(days=rng.randint(30, 45))
    late = rng.random() < 0.4 and launch - timedelta(days=30) > first_announce + timedelta(days=30)
    if late:
        planned = max(
            first_announce + timedelta(days=20), launch - timedelta(days=rng.randint(30, 120))
        )
    else:
        planned = launch + timedelta(days=rng.randint(0, 15))
    values = {name: "" for name in ACHATS.field_names}
    estimate = contract.montant * rng.uniform(0.85, 1.2)
    values.update(
        {
            "objet": contract.objet,
            "codeCPV": subject.cpv,
            "categorie": cpv_codes.category(subject.cpv),
            "service_id": subject.service,
            "montantEstime": format_amount(round_to(estimate, 5_000)),
            "dureeMoisPrevue": int_text(contract.duree),
            "procedurePrevue": contract.procedure,
            "lieuExecution_code": subject.place.code,
            "lieuExecution_typeCode": subject.place.type_code,
            "lieuExecution_nom": subject.place.nom,
            "nombreLots": "1",
            "considerationsSocialesPrevues": contract.social,
            "considerationsEnvironnementalesPrevues": contract.environment,
            "marcheReserve": format_bool("Marché réservé" in contract.social),
            "accessiblePME": format_bool(rng.random() < 0.8),
            "contact": f"achats-{subject.service}@example.fr",
            "statut": "attribué",
            "dateLancement": gen.iso(launch),
            "urlConsultation": consultation(rng, launch),
            "dateLimiteRemiseOffres": gen.iso(deadline),
            "uidMarche": contract.uid,
        }
    )
    planned_launch(rng, planned, values, gen.iso(planned))
    announced = announce_between(rng, first_announce, min(planned, launch) - timedelta(days=20))
    values["dateAnnonce"] = gen.iso(announced)
    return planned, values


def number_purchases(purchases: list[Purchase], services: Mapping[str, Service]) -> list[Row]:
    """Give each purchase an id `YEAR-svc-NNN`, numbered by planned date, and sort by id."""
    purchases.sort(
        key=lambda p: (
            p.year,
            services[p.values["service_id"]].short,
            p.key,
            p.values["objet"],
            p.values["statut"],
            p.values["uidMarche"],
        )
    )
    per_group: dict[tuple[int, str], int] = {}
    for purchase in purchases:
        group = (purchase.year, services[purchase.values["service_id"]].short)
        per_group[group] = per_group.get(group, 0) + 1
    width = max(3, *(len(str(n)) for n in per_group.values())) if per_group else 3
    counters: dict[tuple[int, str], int] = {}
    rows: list[Row] = []
    for purchase in purchases:
        short = services[purchase.values["service_id"]].short
        group = (purchase.year, short)
        counters[group] = counters.get(group, 0) + 1
        purchase.values["id"] = f"{purchase.year}-{short}-{counters[group]:0{width}d}"
        rows.append(ordered(ACHATS, purchase.values))
    rows.sort(key=lambda row: row[0])
    return rows
