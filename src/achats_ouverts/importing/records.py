"""A record on its way through an import, and the account kept of it.

Readers turn their format into a `RawContract` (values as found, DECP 2022 field names, lists
unwrapped) and yield it, or a `Skipped` or `Unreadable` record (`Event`). `conversion` builds a
`Contract` from it: the normalised contract, its values at notification and current ones, with
its history and the suppliers it names (`SupplierInfo`, the rows of titulaires.csv). Every
correction and every value set aside is a `Note` with its `Position` in the source; a record that
cannot be published raises `Rejected`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from achats_ouverts.datafolder import schemas

MARCHES_FIELDS = schemas.dataset("marches").field_names
MODIFICATIONS_FIELDS = schemas.dataset("modifications").field_names

REJECTION = "rejet"
PARTIAL = "rejet-partiel"
CORRECTION = "correction"


@dataclass(frozen=True)
class Position:
    """Where a record is in its source: the file, and a JSON path, an XML line or CSV lines."""

    file: str
    where: str

    def child(self, suffix: str) -> Position:
        """A part of the record: `marches.marche[3].titulaires[0]`, `ligne 12, titulaires[0]`."""
        if not suffix:
            return self
        if self.where.startswith("ligne"):
            return Position(self.file, f"{self.where}, {suffix.lstrip('.')}")
        return Position(self.file, f"{self.where}{suffix}")


@dataclass(frozen=True)
class Note:
    """One correction, one value set aside or one rejected record, with its position."""

    position: Position
    field: str | None
    code: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.position.file,
            "position": self.position.where,
            "champ": self.field,
            "code": self.code,
            "gravite": self.severity,
            "message": self.message,
        }


class Rejected(Exception):
    """The record cannot be published: it is left out, counted and listed with its reason."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass
class RawSupplier:
    type_identifiant: Any
    id: Any
    nom: Any = None
    categorie: Any = None
    commune_code: Any = None
    commune_nom: Any = None
    departement_code: Any = None
    region_code: Any = None


@dataclass
class RawModification:
    id: Any
    date_notification: Any
    date_publication: Any = None
    montant: Any = None
    duree_mois: Any = None
    titulaires: list[RawSupplier] | None = None
    """None: the modification does not change the suppliers."""
    where: str = ""


@dataclass
class RawContract:
    """A contract as read, before normalisation: DECP 2022 field names of `marches.csv`."""

    position: Position
    values: dict[str, Any]
    titulaires: list[RawSupplier] = field(default_factory=list)
    modifications: list[RawModification] = field(default_factory=list)
    acheteur_nom: Any = None
    acheteur_region_code: Any = None
    acheteur_departement_code: Any = None
    rows: int = 1
    """How many source rows (flat formats) this contract was rebuilt from."""


@dataclass(frozen=True)
class Skipped:
    """A record left out on purpose: a concession contract, another buyer's contract."""

    position: Position
    reason: str
    rows: int = 1


@dataclass(frozen=True)
class Unreadable:
    """A record that cannot be read at all (not an object, no identifier): rejected."""

    position: Position
    code: str
    message: str
    rows: int = 1


Event = RawContract | Skipped | Unreadable
"""What a reader yields, record by record."""

CONCESSION = "concession"
OTHER_BUYER = "autre-acheteur"


@dataclass(frozen=True)
class SupplierInfo:
    """A row of the supplier reference (titulaires.csv)."""

    type_identifiant: str
    id: str
    nom: str = ""
    categorie: str = ""
    commune_code: str = ""
    commune_nom: str = ""
    departement_code: str = ""
    region_code: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.type_identifiant, self.id)

    def row(self) -> list[str]:
        return [
            self.type_identifiant,
            self.id,
            self.nom,
            self.categorie,
            self.commune_code,
            self.commune_nom,
            self.departement_code,
            self.region_code,
        ]

    def merged(self, other: SupplierInfo) -> SupplierInfo:
        """This row with its empty cells filled from `other` (first value wins)."""
        return SupplierInfo(
            *(mine or theirs for mine, theirs in zip(self.row(), other.row(), strict=True))
        )


@dataclass
class Contract:
    """A normalised contract: its values (at notification, and current ones in `montantActuel`
    and `dureeMoisActuelle`), its suppliers at notification and current ones, its history."""

    values: dict[str, str]
    initial_suppliers: list[tuple[str, str]]
    suppliers: list[tuple[str, str]]
    """The current suppliers: the list of the last modification that sets one, else the
    initial list."""
    modifications: list[dict[str, str]]
    known_suppliers: list[SupplierInfo]
    acheteur_nom: str = ""
    acheteur_region_code: str = ""
    acheteur_departement_code: str = ""

    @property
    def acheteur_id(self) -> str:
        return self.values["acheteur_id"]

    @property
    def base_uid(self) -> str:
        return self.values["acheteur_id"] + self.values["id"]

    def contract_row(self, uid: str) -> list[str]:
        return [uid if name == "uid" else self.values.get(name, "") for name in MARCHES_FIELDS]

    def supplier_rows(self, uid: str) -> list[list[str]]:
        """The suppliers at notification, then those a modification brought in, each with
        `titulaireInitial` and `titulaireActuel`."""
        listed = [*self.initial_suppliers]
        listed += [key for key in self.suppliers if key not in listed]
        return [
            [
                uid,
                kind,
                ident,
                _flag((kind, ident) in self.initial_suppliers),
                _flag((kind, ident) in self.suppliers),
            ]
            for kind, ident in listed
        ]

    def modification_rows(self, uid: str) -> list[list[str]]:
        return [
            [uid if name == "uid" else mod.get(name, "") for name in MODIFICATIONS_FIELDS]
            for mod in self.modifications
        ]

    def digest(self) -> bytes:
        """Fingerprint of everything published about the contract, to find exact duplicates."""
        parts = [self.contract_row("")]
        parts.extend(self.supplier_rows(""))
        parts.extend(self.modification_rows(""))
        joined = "\x1e".join("\x1f".join(part) for part in parts)
        return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).digest()


def _flag(value: bool) -> str:
    return "true" if value else "false"


class Notes:
    """Corrections and values set aside while building one record."""

    def __init__(self, position: Position) -> None:
        self.position = position
        self.items: list[Note] = []

    def fix(self, field: str | None, code: str, message: str, where: str = "") -> None:
        self.items.append(Note(self.position.child(where), field, code, CORRECTION, message))

    def drop(self, field: str | None, code: str, message: str, where: str = "") -> None:
        self.items.append(Note(self.position.child(where), field, code, PARTIAL, message))
