"""In-house exports (CSV or XLSX) read through a mapping file (`correspondance.yaml`).

The mapping names, for each DECP field, the source column (or a constant), and describes how the
export writes things: encoding, delimiter, date format, decimal and thousands separators, and value
replacements (« Siret » → « SIRET »). Rows are then rebuilt into contracts like the national
tabular file, without versions: rows that repeat a contract with another supplier are merged.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from achats_ouverts.datafolder import LocatedYaml, load_located_yaml, schemas
from achats_ouverts.errors import UsageError
from achats_ouverts.french import fold
from achats_ouverts.importing import normalise as n
from achats_ouverts.importing.records import Event
from achats_ouverts.importing.sources import FileUnreadable
from achats_ouverts.importing.tabular import (
    BUYER_COLUMNS,
    CONTRACT_COLUMNS,
    SUPPLIER_COLUMNS,
    Grouper,
    Row,
    csv_rows,
    rebuild,
    stage,
)

FIELDS = (*CONTRACT_COLUMNS, *SUPPLIER_COLUMNS, *BUYER_COLUMNS)
NUMBER_FIELDS = tuple(
    name
    for name in CONTRACT_COLUMNS
    if schemas.dataset("marches").field(name)["type"] in ("number", "integer")
)
DATE_FIELDS = ("dateNotification", "datePublicationDonnees")
DELIMITER_WORDS = {"tabulation": "\t", "tab": "\t", "\\t": "\t"}
DATE_WORDS = {"jj/mm/aaaa": "%d/%m/%Y", "aaaa-mm-jj": "%Y-%m-%d", "jj.mm.aaaa": "%d.%m.%Y"}


CURRENT_VALUES = (
    ("montantActuel", "montant", "le montant actuel"),
    ("dureeMoisActuelle", "dureeMois", "la durée actuelle"),
)
"""(current field, field at notification, what it is): an export without the first gives the
second for both."""


class MappingError(UsageError):
    """The mapping file is missing, unreadable or names an unknown field or column."""


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    file_format: str = ""
    encoding: str = "utf-8-sig"
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    date_format: str = "%Y-%m-%d"
    decimal_mark: str = "."
    thousands: tuple[str, ...] = ()

    def convert(self, row: dict[str, Any]) -> Row:
        """A source row (column -> cell) as a row of DECP fields, values converted."""
        result: Row = dict(self.constants)
        for name, column in self.columns.items():
            result[name] = row.get(column)
        for name, replacements in self.values.items():
            value = result.get(name)
            if value is None:
                continue
            key = str(value).strip()
            if key in replacements:
                result[name] = replacements[key]
            elif fold(key) in replacements:
                result[name] = replacements[fold(key)]
        for name in NUMBER_FIELDS:
            value = result.get(name)
            if isinstance(value, str) and value.strip():
                try:
                    parsed = n.parse_decimal(value, self.decimal_mark, self.thousands)
                    result[name] = n.number_text(parsed)
                except n.Unusable:
                    pass
        for name in DATE_FIELDS:
            result[name] = n.parse_date_format(result.get(name), self.date_format)
        return result


def _problem(doc: LocatedYaml, path: tuple[str | int, ...], message: str) -> MappingError:
    line = doc.line(path)
    where = f"{doc.file}:{line}" if line else doc.file
    return MappingError(f"{where} {'.'.join(str(p) for p in path)} : {message}")


def _text_map(doc: LocatedYaml, key: str) -> dict[str, Any]:
    value = doc.data.get(key) if isinstance(doc.data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _problem(doc, (key,), "des paires « champ: valeur » sont attendues")
    return value


def _field_name(doc: LocatedYaml, path: tuple[str | int, ...], name: Any) -> str:
    if name not in FIELDS:
        guess = fold(str(name))
        close = next((f for f in FIELDS if fold(f) == guess), None)
        hint = f" (vouliez-vous dire « {close} » ?)" if close else ""
        raise _problem(doc, path, f"« {name} » n'est pas un champ connu{hint}")
    return str(name)


def load_mapping(path: Path) -> Mapping:
    doc, problems = load_located_yaml(path, path.name)
    if doc is None:
        raise MappingError(problems[0].line() if problems else f"{path} illisible")
    if not isinstance(doc.data, dict):
        raise _problem(doc, (), "le fichier doit contenir des champs « nom: valeur »")
    columns = {
        _field_name(doc, ("colonnes", name), name): str(column)
        for name, column in _text_map(doc, "colonnes").items()
    }
    constants = {
        _field_name(doc, ("constantes", name), name): str(value)
        for name, value in _text_map(doc, "constantes").items()
    }
    values: dict[str, dict[str, str]] = {}
    for name, replacements in _text_map(doc, "valeurs").items():
        _field_name(doc, ("valeurs", name), name)
        if not isinstance(replacements, dict):
            raise _problem(doc, ("valeurs", name), "des paires « valeur source: valeur » attendues")
        table = {str(k).strip(): str(v) for k, v in replacements.items()}
        table.update({fold(str(k)): str(v) for k, v in replacements.items()})
        values[str(name)] = table
    if "id" not in columns:
        raise _problem(doc, ("colonnes",), "la colonne de l'identifiant du marché (id) est requise")
    if "acheteur_id" not in columns and "acheteur_id" not in constants:
        raise _problem(
            doc, ("colonnes",), "indiquer la colonne acheteur_id, ou son SIRET dans « constantes »"
        )
    encoding = str(doc.data.get("encodage") or "utf-8-sig")
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise _problem(doc, ("encodage",), f"encodage « {encoding} » inconnu") from exc
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        encoding = "utf-8-sig"
    delimiter = doc.data.get("separateur")
    if delimiter is not None:
        delimiter = DELIMITER_WORDS.get(str(delimiter), str(delimiter))
        if len(delimiter) != 1:
            raise _problem(doc, ("separateur",), "un seul caractère est attendu")
    date_format = str(doc.data.get("format_date") or "%Y-%m-%d")
    date_format = DATE_WORDS.get(date_format.lower(), date_format)
    numbers = doc.data.get("nombres") or {}
    if not isinstance(numbers, dict):
        raise _problem(doc, ("nombres",), "« decimal » et « milliers » sont attendus")
    thousands = numbers.get("milliers") or []
    if isinstance(thousands, str):
        thousands = [thousands]
    header_row = doc.data.get("ligne_entete", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise _problem(doc, ("ligne_entete",), "un numéro de ligne (1 ou plus) est attendu")
    return Mapping(
        columns=columns,
        constants=constants,
        values=values,
        file_format=str(doc.data.get("format") or "").lower(),
        encoding=encoding,
        delimiter=delimiter,
        sheet=str(doc.data["feuille"]) if doc.data.get("feuille") else None,
        header_row=header_row,
        date_format=date_format,
        decimal_mark=str(numbers.get("decimal") or "."),
        thousands=tuple(str(t) for t in thousands),
    )


def unknown_current_values(mapping: Mapping) -> list[str]:
    """What the import report says of the current values an export does not give: an export has
    no modification history, so without a column of current values they are taken equal to the
    values at notification."""
    given = {*mapping.columns, *mapping.constants}
    return [
        f"{label} n'est pas dans l'export (aucune colonne « {current} » dans la "
        f"correspondance) : la valeur actuelle est prise égale à celle de la notification "
        f"({initial}) ; les modifications éventuelles ne sont pas connues"
        for current, initial, label in CURRENT_VALUES
        if current not in given and initial in given
    ]


def _check_columns(mapping: Mapping, header: list[str], file: str) -> None:
    missing = [column for column in mapping.columns.values() if column not in header]
    if missing:
        listed = ", ".join(f"« {h} »" for h in header)
        raise MappingError(
            f"{file} : colonne(s) {', '.join(f'« {m} »' for m in missing)} introuvable(s) ; "
            f"colonnes du fichier : {listed}"
        )


def _csv_records(path: Path, file: str, mapping: Mapping) -> Iterator[tuple[int, Row]]:
    try:
        handle = path.open(encoding=mapping.encoding, newline="")
    except LookupError as exc:  # pragma: no cover - checked when loading the mapping
        raise MappingError(str(exc)) from exc
    with handle:
        for line in range(1, mapping.header_row):
            if not handle.readline():
                raise MappingError(
                    f"{file} : ligne_entete vaut {mapping.header_row} mais le fichier s'arrête "
                    f"à la ligne {line - 1} : corriger ligne_entete dans le fichier de "
                    "correspondance"
                )
        records = csv_rows(handle, file, mapping.delimiter)
        _, header = next(records)
        header = [h.strip() for h in header]
        _check_columns(mapping, header, file)
        offset = mapping.header_row - 1
        for line, cells in records:
            yield line + offset, mapping.convert(dict(zip(header, cells, strict=False)))


def _xlsx_records(path: Path, file: str, mapping: Mapping) -> Iterator[tuple[int, Row]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a broken file
        raise FileUnreadable(file, f"classeur illisible ({exc})") from exc
    try:
        if mapping.sheet is not None and mapping.sheet not in workbook.sheetnames:
            raise MappingError(
                f"{file} : feuille « {mapping.sheet} » introuvable "
                f"(feuilles : {', '.join(workbook.sheetnames)})"
            )
        sheet = workbook[mapping.sheet] if mapping.sheet else workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=mapping.header_row, values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        _check_columns(mapping, header, file)
        for line, cells in enumerate(rows, start=mapping.header_row + 1):
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            yield line, mapping.convert(dict(zip(header, cells, strict=False)))
    finally:
        workbook.close()


def read_in_house(
    path: Path, file: str, mapping: Mapping, workdir: Path, acheteur: str | None
) -> Iterator[Event]:
    is_xlsx = mapping.file_format == "xlsx" or path.suffix.lower() in (".xlsx", ".xlsm")
    records = _xlsx_records(path, file, mapping) if is_xlsx else _csv_records(path, file, mapping)
    grouper = Grouper(workdir)
    try:
        yield from stage(records, file, grouper, acheteur)
        yield from rebuild(file, grouper, versioned=False)
    finally:
        grouper.close()
