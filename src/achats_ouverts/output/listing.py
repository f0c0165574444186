"""Lists of contracts and suppliers, as every page shows them.

`ListIndex` is the shared list index, computed once a build (`artifacts.LIST_INDEX`): contracts in
the default list order with the page segment, execution département, number of modifications and
change of amount since notification of each, suppliers by key, each contract's current suppliers
(and those at notification where a modification replaced them) and the services' names. From it
come the rows of any list of contracts (`ContractRow`), the links to contract and supplier pages,
a supplier as pages present it (`SupplierView`) and the suppliers that received the most
(`top_suppliers`). Page contexts hold plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import urls

ANNUAIRE_URL = "https://annuaire-entreprises.data.gouv.fr/etablissement/"
"""The public register of French businesses, where a SIRET has its page."""
CACHED_LINKS = 100_000
"""Links and views kept once made, so that a million contracts do not make a million objects."""

SupplierKey = tuple[str, str]
"""A supplier: (type of identifier, identifier)."""


def departement_name(code: str) -> str:
    return v.DEPARTEMENTS.get(code, f"Département {code}")


def to_date(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def to_float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def dates_of(series: pd.Series) -> list[date | None]:
    """A datetime column as dates, None where missing."""
    return [None if pd.isna(d) else d for d in series.dt.date.to_list()]


def floats_of(series: pd.Series) -> list[float | None]:
    return [None if x != x else float(x) for x in series.to_list()]


# --- The shared list index ----------------------------------------------------------------------


@dataclass(frozen=True)
class ListedSupplier:
    """A supplier as lists show it: from the suppliers' table (`known`), or only its key."""

    kind: str
    identifier: str
    nom: str
    slug: str
    categorie: str
    commune: str
    departement: str
    region: str
    known: bool


@dataclass(frozen=True)
class ListIndex:
    """Contracts in the default list order (latest notification first, then uid), with the page
    segment `slug` and execution `departement` of each; suppliers by key; each contract's
    suppliers; services' names."""

    contracts: pd.DataFrame
    suppliers: dict[SupplierKey, ListedSupplier]
    suppliers_of: dict[str, tuple[SupplierKey, ...]]
    """The current suppliers of each contract."""
    services: dict[str, str]
    contract_pages: bool = True
    """Whether each contract has a page; else links go to the explorer filtered on it."""
    initial_suppliers_of: dict[str, tuple[SupplierKey, ...]] = field(default_factory=dict)
    """The suppliers at notification of the contracts whose list a modification replaced."""
    holders: frozenset[SupplierKey] = frozenset()
    """The suppliers holding a contract now: those with a page."""

    def contract_link(self, root: str, slug: str) -> str:
        """The address of a contract, from a page whose path to the site root is `root`."""
        if self.contract_pages:
            return root + urls.contract(slug)
        return root + urls.contract_in_explorer(slug)


def default_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Latest notification first, ties (and missing dates, last) by uid."""
    return frame.sort_values(
        ["dateNotification", "uid"], ascending=[False, True], na_position="last", kind="stable"
    )


def build_list_index(data: Data, contract_pages: bool = True) -> ListIndex:
    frame = default_order(data.contracts)
    frame = frame.assign(
        slug=[urls.path_segment(uid) for uid in frame["uid"]],
        departement=aggregates.execution_departement(
            frame["lieuExecution_code"], frame["lieuExecution_typeCode"]
        ),
        modifications=aggregates.modification_counts(frame["uid"], data.modifications),
        hausse=aggregates.change_percent(frame["montant"], frame["montantActuel"]),
    )
    suppliers: dict[SupplierKey, ListedSupplier] = {}
    ref = data.suppliers
    for kind, ident, nom, cat, commune, dep, reg in zip(
        ref["titulaire_typeIdentifiant"],
        ref["titulaire_id"],
        ref["titulaire_nom"],
        ref["titulaire_categorie"],
        ref["titulaire_commune_nom"],
        ref["titulaire_departement_code"],
        ref["titulaire_region_code"],
        strict=True,
    ):
        suppliers[(kind, ident)] = ListedSupplier(
            kind, ident, nom, urls.supplier_segment(kind, ident), cat, commune, dep, reg, True
        )
    links: dict[str, list[SupplierKey]] = {}
    cs = data.contract_suppliers
    for uid, kind, ident in zip(
        cs["uid"], cs["titulaire_typeIdentifiant"], cs["titulaire_id"], strict=True
    ):
        key = (kind, ident)
        links.setdefault(uid, []).append(key)
        if key not in suppliers:
            suppliers[key] = ListedSupplier(
                kind, ident, ident, urls.supplier_segment(kind, ident), "", "", "", "", False
            )
    initial: dict[str, list[SupplierKey]] = {}
    first = data.initial_suppliers
    for uid, kind, ident in zip(
        first["uid"], first["titulaire_typeIdentifiant"], first["titulaire_id"], strict=True
    ):
        initial.setdefault(uid, []).append((kind, ident))
        if (kind, ident) not in suppliers:
            suppliers[(kind, ident)] = ListedSupplier(
                kind, ident, ident, urls.supplier_segment(kind, ident), "", "", "", "", False
            )
    current = {k: tuple(keys) for k, keys in links.items()}
    services = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    return ListIndex(
        frame,
        suppliers,
        current,
        services,
        contract_pages,
        {
            uid: tuple(keys)
            for uid, keys in initial.items()
            if set(keys) != set(current.get(uid, ()))
        },
        frozenset(key for keys in current.values() for key in keys),
    )


# --- Rows of a list of contracts ----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class ContractRow:
    """A contract in a list: notification date, object (link to its page), current suppliers,
    service, amount at notification and, when a modification changed it, the current amount
    and its change in percent."""

    notification: date | None
    objet: str
    href: str
    titulaires: tuple[Link, ...]
    service: str
    montant: float | None
    montant_actuel: float | None = None
    hausse: float | None = None


class RowMaker:
    """Makes the list row of any contract of `frame` on demand, links starting with `root` (the
    path from the page to the site root). Holds only references to the frame's values, so that a
    million contracts do not become a million row objects at once."""

    def __init__(self, index: ListIndex, frame: pd.DataFrame, root: str) -> None:
        self.index = index
        self.root = root
        self.uids = frame["uid"].to_list()
        self.slugs = frame["slug"].to_list()
        self.objets = frame["objet"].to_list()
        self.dates = dates_of(frame["dateNotification"])
        self.services = frame["acheteur_service_id"].to_list()
        self.amounts = floats_of(frame["montant"])
        self.current = floats_of(frame["montantActuel"])
        self.changes = floats_of(frame["hausse"])
        self.links: dict[SupplierKey, Link] = {}

    def supplier_link(self, key: SupplierKey) -> Link:
        found = self.links.get(key)
        if found is None:
            info = self.index.suppliers[key]
            found = Link(info.nom, self.root + urls.supplier(info.slug))
            if len(self.links) < CACHED_LINKS:
                self.links[key] = found
        return found

    def row(self, i: int) -> ContractRow:
        changed = self.current[i] != self.amounts[i]
        return ContractRow(
            self.dates[i],
            self.objets[i],
            self.index.contract_link(self.root, self.slugs[i]),
            tuple(self.supplier_link(key) for key in self.index.suppliers_of.get(self.uids[i], ())),
            self.index.services.get(self.services[i], ""),
            self.amounts[i],
            self.current[i] if changed else None,
            self.changes[i] if changed else None,
        )


def contract_rows(index: ListIndex, frame: pd.DataFrame, page: str) -> tuple[ContractRow, ...]:
    """List rows for `frame` (a slice of `index.contracts`), with links relative to `page`."""
    maker = RowMaker(index, frame, urls.to_root(page))
    return tuple(maker.row(i) for i in range(len(frame)))


# --- Suppliers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierView:
    """A supplier as contract and supplier pages present it."""

    nom: str
    href: str
    type_identifiant: str
    identifiant: str
    categorie: str
    lieu: str
    annuaire: str


def supplier_view(index: ListIndex, key: SupplierKey, root: str) -> SupplierView:
    """A supplier as pages present it; linked to its page when it has one (it holds a contract
    now: `ListIndex.holders`)."""
    info = index.suppliers[key]
    place = info.commune
    if info.departement:
        name = departement_name(info.departement)
        if name == info.commune:
            place = f"{name} ({info.departement})"
        else:
            place = ", ".join(p for p in (info.commune, f"{name} ({info.departement})") if p)
    return SupplierView(
        info.nom,
        root + urls.supplier(info.slug) if key in index.holders else "",
        info.kind,
        info.identifier,
        info.categorie,
        place,
        f"{ANNUAIRE_URL}{info.identifier}" if info.kind == "SIRET" else "",
    )


@dataclass(frozen=True)
class SupplierTotal:
    nom: str
    href: str
    marches: int
    montant: float


def top_suppliers(
    data: Data, index: ListIndex, keys: pd.Series, root: str, limit: int
) -> dict[str, tuple[SupplierTotal, ...]]:
    """Per entity (`keys`: the entity of each contract of the index), the suppliers (current
    ones) with the largest equal share of its contracts' amounts at notification."""
    contracts_frame = pd.DataFrame(
        {
            "uid": index.contracts["uid"].to_numpy(),
            "entite": keys.to_numpy(),
            "montant": index.contracts["montant"].fillna(0.0).to_numpy(),
        }
    )
    links = data.contract_suppliers.merge(contracts_frame, on="uid")
    links["part"] = links["montant"] / links.groupby("uid")["uid"].transform("size")
    totals = (
        links.groupby(["entite", "titulaire_typeIdentifiant", "titulaire_id"], sort=True)
        .agg(marches=("uid", "size"), montant=("part", "sum"))
        .reset_index()
        .sort_values(
            ["entite", "montant", "titulaire_typeIdentifiant", "titulaire_id"],
            ascending=[True, False, True, True],
            kind="stable",
        )
    )
    result: dict[str, list[SupplierTotal]] = {}
    for entity, kind, ident, count, amount in zip(
        totals["entite"],
        totals["titulaire_typeIdentifiant"],
        totals["titulaire_id"],
        totals["marches"],
        totals["montant"],
        strict=True,
    ):
        chosen = result.setdefault(entity, [])
        if len(chosen) < limit:
            info = index.suppliers[(kind, ident)]
            chosen.append(
                SupplierTotal(info.nom, root + urls.supplier(info.slug), int(count), float(amount))
            )
    return {k: tuple(rows) for k, rows in result.items()}
