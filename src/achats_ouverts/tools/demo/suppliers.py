"""The fictitious companies: their identifiers, names and seats, drawn once per generation into a
pool by trade, so that a few of them win many contracts, as in real data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from achats_ouverts import vocabulary as v
from achats_ouverts.identifiers import luhn_digit
from achats_ouverts.tools.demo.draws import Row, pick
from achats_ouverts.tools.demo.world import FOREIGN, Names, Trade, World


def new_siret(rng: random.Random, used: set[str]) -> str:
    """A fictitious SIRET: a Luhn-valid SIREN (never La Poste's) and a NIC completing the Luhn."""
    while True:
        body = str(rng.randint(3, 9)) + f"{rng.randrange(10_000_000):07d}"
        siren = body + luhn_digit(body)
        if siren != v.LA_POSTE_SIREN and siren not in used:
            used.add(siren)
            break
    nic = f"{rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 8)):04d}"
    return siren + nic + luhn_digit(siren + nic)


def new_belgian_vat(rng: random.Random, used: set[str]) -> str:
    """A fictitious Belgian VAT number (enterprise number with its modulo 97 check)."""
    while True:
        base = f"0{rng.randint(2_000_000, 9_999_999)}"
        number = f"{base}{97 - int(base) % 97:02d}"
        if number not in used:
            used.add(number)
            return "BE" + number


@dataclass(frozen=True, slots=True)
class Supplier:
    type_id: str
    id: str
    nom: str
    categorie: str
    commune_code: str
    commune_nom: str
    departement: str
    region: str

    @property
    def big(self) -> bool:
        return self.categorie in ("ETI", "GE")

    @property
    def reference(self) -> str:
        return f"{self.type_id}:{self.id}"

    def row(self) -> Row:
        return (
            self.type_id,
            self.id,
            self.nom,
            self.categorie,
            self.commune_code,
            self.commune_nom,
            self.departement,
            self.region,
        )


def trade_shares(world: World) -> dict[str, float]:
    """Expected share of contracts going to each trade, weighted by the trade's density."""
    shares: dict[str, float] = {}
    for family in world.families:
        total = sum(template.weight for template in family.templates)
        for template in family.templates:
            part = family.weight * template.weight / total
            if template.allotted:
                for lot in family.lots:
                    shares[lot.trade] = shares.get(lot.trade, 0.0) + part / len(family.lots)
            else:
                trade = template.trade or family.trade
                shares[trade] = shares.get(trade, 0.0) + part
    return {trade: share * world.trades[trade].density for trade, share in sorted(shares.items())}


def company_name(
    rng: random.Random, trade: Trade, categorie: str, region: str, names: Names
) -> str:
    word = rng.choice(trade.words)
    surname = rng.choice(names.surnames)
    bare, phrase = rng.choice(names.region_places[region])
    pattern = rng.randrange(6)
    if pattern == 0:
        name = f"{word} {surname}"
    elif pattern == 1:
        name = f"{word} {phrase}"
    elif pattern == 2:
        name = f"{word} {surname} & Fils" if categorie in ("TPE", "PME") else f"{surname} {word}"
    elif pattern == 3:
        name = f"{word} {surname} Frères" if categorie in ("TPE", "PME") else f"{word} {bare}"
    elif pattern == 4:
        name = f"{surname} {word}"
    else:
        name = f"{word} {bare}"
    forms = names.legal_forms[FOREIGN if region == FOREIGN else categorie]
    form = rng.choice(forms)
    if form == "Groupe":
        return f"Groupe {name}"
    return f"{name} {form}" if form else name


@dataclass
class SupplierPool:
    """Fictitious companies by trade, drawn so that a few of them win many contracts."""

    by_trade: dict[str, tuple[Supplier, ...]]
    big_by_trade: dict[str, tuple[Supplier, ...]]
    used: dict[str, Supplier] = field(default_factory=dict)

    def pick(
        self, rng: random.Random, trade: str, big: bool = False, exclude: Sequence[Supplier] = ()
    ) -> Supplier:
        candidates = self.big_by_trade[trade] if big and self.big_by_trade[trade] else ()
        if not candidates:
            candidates = self.by_trade[trade]
        for _ in range(8):
            supplier = candidates[int(len(candidates) * rng.random() ** 1.7)]
            if supplier not in exclude:
                break
        else:
            others = [s for s in self.by_trade[trade] if s not in exclude]
            if not others:
                raise ValueError(f"no other company of trade {trade!r}")
            supplier = others[0]
        self.used[supplier.reference] = supplier
        return supplier

    def used_rows(self) -> list[Row]:
        return [self.used[key].row() for key in sorted(self.used)]


def build_pool(rng: random.Random, contracts: int, world: World) -> SupplierPool:
    shares = trade_shares(world)
    total_share = sum(shares.values())
    size = max(len(shares) * 3, round(contracts * 0.3))
    sirets: set[str] = set()
    vats: set[str] = set()
    names: set[str] = set()
    by_trade: dict[str, tuple[Supplier, ...]] = {}
    big_by_trade: dict[str, tuple[Supplier, ...]] = {}
    for trade_key, share in shares.items():
        trade = world.trades[trade_key]
        count = max(3, round(size * share / total_share))
        suppliers: list[Supplier] = []
        for _ in range(count):
            categorie = rng.choices(v.CATEGORIES_ENTREPRISE, weights=trade.categories)[0]
            draw = rng.random()
            if draw < trade.eu:
                region = FOREIGN
                ident, type_id, commune = new_belgian_vat(rng, vats), "TVA", None
            else:
                ident, type_id = new_siret(rng, sirets), "SIRET"
                if draw < trade.eu + trade.hdf * (1 - trade.eu):
                    commune = pick(rng, world.places.communes, world.commune_cum)
                else:
                    commune = pick(rng, world.places.other_communes, world.other_commune_cum)
                region = commune.region
            for _ in range(12):
                name = company_name(rng, trade, categorie, region, world.names)
                if name not in names:
                    break
            names.add(name)
            if commune is None:
                supplier = Supplier(type_id, ident, name, "", "", "", "", "")
            else:
                supplier = Supplier(
                    type_id,
                    ident,
                    name,
                    categorie,
                    commune.code,
                    commune.nom,
                    commune.departement,
                    commune.region,
                )
            suppliers.append(supplier)
        by_trade[trade_key] = tuple(suppliers)
        big_by_trade[trade_key] = tuple(s for s in suppliers if s.big)
    return SupplierPool(by_trade, big_by_trade)
