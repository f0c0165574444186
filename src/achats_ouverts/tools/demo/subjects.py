"""What is bought and where: an object text drawn from a family's templates, its CPV code, its
place of execution and, for an operation split into lots, the lot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from achats_ouverts.tools.demo.draws import pick
from achats_ouverts.tools.demo.world import Commune, Family, Place, World


@dataclass(frozen=True, slots=True)
class Subject:
    objet: str
    operation: str
    """The object without its lot, for a planned purchase covering every lot."""
    cpv: str
    operation_cpv: str
    """The CPV code of the whole operation (the lot's own code is `cpv`)."""
    service: str
    trade: str
    place: Place
    lot: int
    allotted: bool
    factor: float
    """Cost relative to the family's median (a lot of gros œuvre costs more than painting)."""


LOT_SEPARATOR = " – lot"


def commune_place(commune: Commune) -> Place:
    return Place(commune.code, "Code commune", commune.nom)


def make_subject(
    rng: random.Random, family: Family, year: int, texts: dict[str, str], world: World
) -> Subject:
    """An object and its place, drawn from one of the family's templates."""
    template = pick(rng, family.templates, world.template_cums[family.key])
    values: dict[str, str] = {"annee": str(year)}
    if template.scope == "lycee":
        lycee = rng.choice(world.lycees)
        commune = world.communes_by_code[lycee.commune]
        values["lycee"] = f"{lycee.nom} à {commune.nom}"
        place = commune_place(commune)
    elif template.scope == "commune":
        commune = pick(rng, world.poles, world.pole_cum)
        values["ville"] = commune.nom
        values["de_ville"] = ("d'" if commune.nom[0] in "AEIOUÉ" else "de ") + commune.nom
        place = commune_place(commune)
    elif template.scope == "departement":
        departement = pick(rng, world.places.departements, world.departement_cum)
        values["departement"] = departement.phrase
        place = Place(departement.code, "Code département", departement.nom)
    elif template.scope == "region":
        place = world.region_place
    else:
        place = commune_place(world.communes_by_code[template.scope])
    lot = 0
    factor = 1.0
    if template.allotted:
        index = rng.randrange(template.skip, len(family.lots))
        chosen = family.lots[index]
        lot = index - template.skip + 1
        values["lot"] = str(lot)
        values["corps"] = chosen.label
        code, trade, factor = chosen.cpv, chosen.trade, chosen.factor
    else:
        code = rng.choice(template.cpvs)
        trade = template.trade or family.trade
    if "{n}" in template.text:
        lot = rng.randint(1, 6)
        values["n"] = str(lot)
    if "{num}" in template.text:
        values["num"] = str(rng.randint(100, 699))
    objet = template.text.format(**values)
    operation = template.text.split(LOT_SEPARATOR)[0].format(**values)
    return Subject(
        texts.setdefault(objet, objet),
        texts.setdefault(operation, operation),
        code,
        template.cpvs[0] if template.allotted else code,
        template.service or family.service,
        trade,
        place,
        lot,
        LOT_SEPARATOR in template.text,
        factor,
    )
