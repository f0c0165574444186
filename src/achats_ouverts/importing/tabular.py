"""Flat files, one row per contract × supplier (× modification version): the national consolidated
tabular DECP (decp.info form, any subset of its columns) and, through a mapping, in-house exports.

Rows are staged on disk in a temporary SQLite database keyed by buyer SIRET + contract id, so that
memory does not grow with the file; each group of rows is then rebuilt into contracts:

- national form: versions are told apart by `modification_id` (0 = initial data) or, when that
  column is absent, by successive notification dates (`donneesActuelles` marks the current one).
  The first version is the initial contract; each later one becomes a modification whose amount,
  duration and supplier list are those of the version when they changed.
- when rows of one id disagree on what a modification cannot change (subject, CPV, procedure…) or
  within one version (two amounts on the same date: lots published under one id), they are not
  versions of one contract: each distinct contract is kept, and the importer gives the later ones
  a disambiguated uid.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from achats_ouverts.importing import normalise as n
from achats_ouverts.importing.records import (
    MARCHES_FIELDS,
    OTHER_BUYER,
    Event,
    Position,
    RawContract,
    RawModification,
    RawSupplier,
    Skipped,
    Unreadable,
)
from achats_ouverts.importing.sources import FileUnreadable, header_delimiter

DUPLICATE_ROW = "doublon-exact"
CONTRACT_COLUMNS = tuple(f for f in MARCHES_FIELDS if f not in ("uid", "acheteur_service_id"))
SUPPLIER_COLUMNS = {
    "titulaire_typeIdentifiant": "type_identifiant",
    "titulaire_id": "id",
    "titulaire_nom": "nom",
    "titulaire_categorie": "categorie",
    "titulaire_commune_code": "commune_code",
    "titulaire_commune_nom": "commune_nom",
    "titulaire_departement_code": "departement_code",
    "titulaire_region_code": "region_code",
}
BUYER_COLUMNS = ("acheteur_nom", "acheteur_region_code", "acheteur_departement_code")
VERSION_COLUMNS = ("modification_id", "donneesActuelles")
COLUMNS = (*CONTRACT_COLUMNS, *SUPPLIER_COLUMNS, *BUYER_COLUMNS, *VERSION_COLUMNS)
"""Every column the importer reads from a flat file; the others are ignored."""
CHANGING = ("montant", "dureeMois", "dateNotification", "datePublicationDonnees")
STABLE = tuple(c for c in CONTRACT_COLUMNS if c not in CHANGING)
BATCH = 5_000
Row = dict[str, Any]


def lines_label(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"ligne {lines[0]}"
    shown = ", ".join(str(line) for line in lines[:8])
    more = f", … ({len(lines)} lignes)" if len(lines) > 8 else ""
    return f"lignes {shown}{more}"


class Grouper:
    """Rows staged in a temporary SQLite file, read back group by group in file order."""

    def __init__(self, folder: Path) -> None:
        self.connection = sqlite3.connect(folder / "lignes.sqlite")
        self.connection.execute("PRAGMA journal_mode=OFF")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("CREATE TABLE rows (grp TEXT, line INTEGER, data TEXT)")
        self.pending: list[tuple[str, int, str]] = []

    def add(self, key: str, line: int, row: Row) -> None:
        values = [row.get(c) for c in COLUMNS]
        self.pending.append((key, line, json.dumps(values, ensure_ascii=False, default=str)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.connection.executemany("INSERT INTO rows VALUES (?, ?, ?)", self.pending)
        self.pending.clear()

    def groups(self) -> Iterator[list[tuple[int, Row]]]:
        self.flush()
        self.connection.execute("CREATE INDEX rows_grp ON rows (grp, line)")
        query = (
            "SELECT r.grp, r.line, r.data FROM rows r JOIN "
            "(SELECT grp, MIN(line) AS first FROM rows GROUP BY grp) g ON r.grp = g.grp "
            "ORDER BY g.first, r.line"
        )
        current: str | None = None
        group: list[tuple[int, Row]] = []
        for key, line, data in self.connection.execute(query):
            if key != current and group:
                yield group
                group = []
            current = key
            group.append((line, dict(zip(COLUMNS, json.loads(data), strict=True))))
        if group:
            yield group

    def close(self) -> None:
        self.connection.close()


def buyer_key(raw: Any) -> str:
    """The buyer SIRET as the importer will write it, or its compact form if it is invalid."""
    try:
        return n.siret(raw).value
    except n.Unusable:
        return n.IDENTIFIER_SPACES.sub("", str(raw or ""))


def stage(
    rows: Iterable[tuple[int, Row]], file: str, grouper: Grouper, acheteur: str | None
) -> Iterator[Event]:
    """Stage readable rows; yield rows that are rejected or left out at once."""
    for line, row in rows:
        position = Position(file, f"ligne {line}")
        ident = n.text(row.get("id"))
        if ident is None:
            yield Unreadable(position, "identifiant-manquant", "identifiant du marché (id) absent")
            continue
        buyer = buyer_key(row.get("acheteur_id"))
        if acheteur is not None and buyer != acheteur:
            yield Skipped(position, OTHER_BUYER)
            continue
        grouper.add(f"{buyer}\x1f{ident.value}", line, row)


def _supplier(row: Row) -> RawSupplier:
    return RawSupplier(**{attr: row.get(column) for column, attr in SUPPLIER_COLUMNS.items()})


def _suppliers(rows: list[tuple[int, Row]]) -> list[RawSupplier]:
    seen: set[tuple[Any, ...]] = set()
    found = []
    for _line, row in rows:
        key = tuple(row.get(c) for c in SUPPLIER_COLUMNS)
        if key in seen or all(v in (None, "") for v in key):
            continue
        seen.add(key)
        found.append(_supplier(row))
    return found


def _supplier_keys(rows: list[tuple[int, Row]]) -> set[tuple[Any, Any]]:
    return {(r.get("titulaire_typeIdentifiant"), r.get("titulaire_id")) for _, r in rows}


def _contract(file: str, rows: list[tuple[int, Row]], mods: list[RawModification]) -> RawContract:
    first = rows[0][1]
    return RawContract(
        Position(file, lines_label([line for line, _ in rows])),
        {c: first.get(c) for c in CONTRACT_COLUMNS},
        _suppliers(rows),
        mods,
        acheteur_nom=first.get("acheteur_nom"),
        acheteur_region_code=first.get("acheteur_region_code"),
        acheteur_departement_code=first.get("acheteur_departement_code"),
        rows=len(rows),
    )


def split_by_contract(file: str, rows: list[tuple[int, Row]]) -> Iterator[RawContract]:
    """One contract per distinct set of contract values, with the suppliers of its rows."""
    parts: dict[tuple[Any, ...], list[tuple[int, Row]]] = {}
    for line, row in rows:
        parts.setdefault(tuple(row.get(c) for c in CONTRACT_COLUMNS), []).append((line, row))
    for part in parts.values():
        yield _contract(file, part, [])


def _version_key(row: Row, numbered: bool) -> tuple[int, Any]:
    if numbered:
        try:
            return (0, int(n.parse_decimal(row.get("modification_id"))))
        except n.Unusable:
            return (1, str(row.get("modification_id")))
    return (0, str(row.get("dateNotification") or ""))


def _is_current(rows: list[tuple[int, Row]]) -> bool:
    return any(str(r.get("donneesActuelles")).strip().lower() in n.TRUE_WORDS for _, r in rows)


def rebuild_versions(file: str, rows: list[tuple[int, Row]]) -> Iterator[RawContract]:
    """The national tabular form: one contract from its versions, or several when the rows are
    not versions of one contract."""
    numbered = any(n.text(r.get("modification_id")) is not None for _, r in rows)
    if len({tuple(r.get(c) for c in STABLE) for _, r in rows}) > 1:
        yield from split_by_contract(file, rows)
        return
    versions: dict[tuple[int, Any], list[tuple[int, Row]]] = {}
    for line, row in rows:
        versions.setdefault(_version_key(row, numbered), []).append((line, row))
    for version in versions.values():
        if len({tuple(r.get(c) for c in CHANGING) for _, r in version}) > 1:
            yield from split_by_contract(file, rows)
            return
    ordered = [versions[key] for key in sorted(versions)]
    current = [v for v in ordered if _is_current(v)]
    if len(current) == 1 and current[0] is not ordered[-1]:
        ordered.remove(current[0])
        ordered.append(current[0])
    mods: list[RawModification] = []
    for k in range(1, len(ordered)):
        before, after = ordered[k - 1][0][1], ordered[k][0][1]
        ident: Any = k
        if numbered and n.text(after.get("modification_id")) is not None:
            ident = after.get("modification_id")
        changed_suppliers = _supplier_keys(ordered[k]) != _supplier_keys(ordered[k - 1])
        mods.append(
            RawModification(
                ident,
                after.get("dateNotification"),
                after.get("datePublicationDonnees"),
                after.get("montant") if after.get("montant") != before.get("montant") else None,
                after.get("dureeMois")
                if after.get("dureeMois") != before.get("dureeMois")
                else None,
                _suppliers(ordered[k]) if changed_suppliers else None,
                lines_label([line for line, _ in ordered[k]]),
            )
        )
    contract = _contract(file, ordered[0], mods)
    contract.rows = len(rows)
    yield contract


def deduplicate_rows(
    file: str, rows: list[tuple[int, Row]]
) -> tuple[list[tuple[int, Row]], list[Skipped]]:
    seen: set[tuple[Any, ...]] = set()
    kept, dropped = [], []
    for line, row in rows:
        key = tuple(row.values())
        if key in seen:
            dropped.append(Skipped(Position(file, f"ligne {line}"), DUPLICATE_ROW))
            continue
        seen.add(key)
        kept.append((line, row))
    return kept, dropped


def rebuild(file: str, grouper: Grouper, versioned: bool) -> Iterator[Event]:
    for group in grouper.groups():
        rows, dropped = deduplicate_rows(file, group)
        yield from dropped
        if versioned:
            yield from rebuild_versions(file, rows)
        else:
            yield from split_by_contract(file, rows)


# --- The national tabular CSV --------------------------------------------------------------------


def csv_rows(
    handle: io.TextIOBase, file: str, delimiter: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(line of the record's start, cells) for every record after the header, header first."""
    csv.field_size_limit(1 << 24)
    try:
        first = handle.readline()
        reader = csv.reader(io.StringIO(first), delimiter=delimiter or header_delimiter(first))
        yield 1, next(reader, [])
        reader = csv.reader(handle, delimiter=delimiter or header_delimiter(first))
        line = 1
        for record in reader:
            start = line + 1
            line = reader.line_num + 1
            if any(cell.strip() for cell in record):
                yield start, record
    except UnicodeDecodeError as exc:
        raise FileUnreadable(
            file, f"octets illisibles après la ligne {line} : {exc.reason}"
        ) from exc
    except csv.Error as exc:
        raise FileUnreadable(file, f"CSV illisible ligne {line + 1} ({exc})") from exc


def read_tabular(path: Path, file: str, workdir: Path, acheteur: str | None) -> Iterator[Event]:
    grouper = Grouper(workdir)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = csv_rows(handle, file)
            _, header = next(records)
            names = [name.strip() for name in header]
            wanted = [(i, name) for i, name in enumerate(names) if name in COLUMNS]

            def rows() -> Iterator[tuple[int, Row]]:
                for line, cells in records:
                    yield line, {name: cells[i] if i < len(cells) else "" for i, name in wanted}

            yield from stage(rows(), file, grouper, acheteur)
        yield from rebuild(file, grouper, versioned=True)
    finally:
        grouper.close()
