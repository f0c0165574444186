"""DECP 2022 files (arrêtés du 22 décembre 2022), JSON and XML, read as a stream.

JSON: `{"marches": {"marche": [...], "contrat-concession": [...]}}`, lists wrapped as
`{"titulaire": {...}}`. XML: `<marches><marche>…</marche><contrat-concession>…</marches>`, lists as
repeated child elements. Both give one `RawContract` per `marche`; concession contracts are counted
and skipped (the contract tables have no concession columns). Memory holds one record at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

import ijson

from achats_ouverts.importing import bounds
from achats_ouverts.importing.records import (
    CONCESSION,
    Event,
    Position,
    RawContract,
    RawModification,
    RawSupplier,
    Skipped,
    Unreadable,
)
from achats_ouverts.importing.sources import FileUnreadable, skip_bom

CHUNK = 1 << 16
FIELDS = (
    "id",
    "nature",
    "objet",
    "codeCPV",
    "idAccordCadre",
    "marcheInnovant",
    "ccag",
    "offresRecues",
    "attributionAvance",
    "tauxAvance",
    "typeGroupementOperateurs",
    "sousTraitanceDeclaree",
    "procedure",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "formePrix",
    "origineUE",
    "origineFrance",
)
LISTS = {
    "techniques": "technique",
    "modalitesExecution": "modaliteExecution",
    "typesPrix": "typePrix",
    "considerationsSociales": "considerationSociale",
    "considerationsEnvironnementales": "considerationEnvironnementale",
}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def unwrap(value: Any, key: str) -> list[Any]:
    """The items of a DECP list, wrapped (`[{"titulaire": …}]`, `{"typePrix": [...]}`, XML) or
    not (2019 style `[{…}]`)."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return as_list(value[key]) if key in value else [value]
    if isinstance(value, list):
        items: list[Any] = []
        for item in value:
            if isinstance(item, dict) and len(item) == 1 and key in item:
                items.extend(as_list(item[key]))
            else:
                items.append(item)
        return items
    return [value]


def _supplier(item: Any) -> RawSupplier:
    if not isinstance(item, dict):
        return RawSupplier(None, None)
    return RawSupplier(item.get("typeIdentifiant"), item.get("id"), item.get("denominationSociale"))


def _suppliers(value: Any) -> list[RawSupplier]:
    return [_supplier(item) for item in unwrap(value, "titulaire")]


def contract_from_decp(obj: Any, position: Position, *, numbered: bool = True) -> Event:
    """A DECP `marche` object (2022, or 2019 when `numbered` is False: modifications have no
    `id` and are numbered in their order)."""
    if not isinstance(obj, dict):
        return Unreadable(position, "enregistrement-illisible", "le marché n'est pas un objet")
    values: dict[str, Any] = {name: obj.get(name) for name in FIELDS}
    buyer = obj.get("acheteur")
    values["acheteur_id"] = buyer.get("id") if isinstance(buyer, dict) else buyer
    place = obj.get("lieuExecution")
    if isinstance(place, dict):
        values["lieuExecution_code"] = place.get("code")
        values["lieuExecution_typeCode"] = place.get("typeCode")
    for name, key in LISTS.items():
        values[name] = unwrap(obj.get(name), key)
    modifications = []
    for i, item in enumerate(unwrap(obj.get("modifications"), "modification")):
        where = f".modifications[{i}]"
        if not isinstance(item, dict):
            modifications.append(RawModification(None, None, where=where))
            continue
        titulaires = _suppliers(item.get("titulaires")) if item.get("titulaires") else None
        modifications.append(
            RawModification(
                item.get("id") if numbered else i + 1,
                item.get("dateNotificationModification"),
                item.get("datePublicationDonneesModification"),
                item.get("montant"),
                item.get("dureeMois"),
                titulaires,
                where,
            )
        )
    return RawContract(
        position,
        values,
        _suppliers(obj.get("titulaires")),
        modifications,
        acheteur_nom=buyer.get("nom") if isinstance(buyer, dict) else None,
    )


# --- JSON ----------------------------------------------------------------------------------------


def stream_json_items(
    handle: BinaryIO, file: str, prefixes: tuple[str, ...]
) -> Iterator[tuple[int, int, Any]]:
    """(prefix number, index, object) for every item under each prefix, reading the file once.

    Each prefix has its own C parser (ijson's yajl2 backend), fed the same chunks: parsing twice
    in C costs less than walking every event in Python.
    """
    sinks = [ijson.sendable_list() for _ in prefixes]
    coros = [ijson.items_coro(sink, prefix) for sink, prefix in zip(sinks, prefixes, strict=True)]
    counts = [0] * len(prefixes)
    nesting, size = bounds.JsonNesting(file), bounds.RecordSize(file)
    try:
        while True:
            chunk = handle.read(CHUNK)
            nesting.feed(chunk)
            size.read(len(chunk))
            for coro in coros:
                if chunk:
                    coro.send(chunk)
                else:
                    coro.close()
            for k, sink in enumerate(sinks):
                if sink:
                    size.record()
                for obj in sink:
                    yield k, counts[k], obj
                    counts[k] += 1
                del sink[:]
            if not chunk:
                return
    except ijson.JSONError as exc:
        raise FileUnreadable(file, f"JSON invalide vers l'octet {handle.tell()} ({exc})") from exc


CONCESSION_KEY = re.compile(rb'"contrat-concession"(\s*:\s*\[\s*\])?')


def may_hold_concessions(path: Path) -> bool:
    """False when the file certainly has no concession (no `"contrat-concession"` key, or only
    empty lists): the second parser is then skipped. A byte scan, much faster than parsing."""
    overlap = b""
    undecided = False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            window = overlap + chunk
            undecided = False
            for match in CONCESSION_KEY.finditer(window):
                if match.group(1) is not None:
                    continue
                if match.end() + 64 <= len(window):
                    return True
                undecided = True  # too close to the end: seen again with the next chunk
            overlap = window[-128:]
    return undecided


def read_json(path: Path, file: str) -> Iterator[Event]:
    prefixes: tuple[str, ...] = ("marches.marche.item",)
    if may_hold_concessions(path):
        prefixes = (*prefixes, "marches.contrat-concession.item")
    with path.open("rb") as handle:
        for kind, index, obj in stream_json_items(skip_bom(handle), file, prefixes):
            if kind == 0:
                yield contract_from_decp(obj, Position(file, f"marches.marche[{index}]"))
            else:
                yield Skipped(Position(file, f"marches.contrat-concession[{index}]"), CONCESSION)


# --- XML -----------------------------------------------------------------------------------------


class _Builder:
    """Builds plain values from XML elements below the root, one record at a time."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.stack: list[tuple[str, dict[str, Any], list[str], int]] = []
        self.done: list[tuple[str, Any, int]] = []
        self.root = ""

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        if not self.root:
            self.root = name
            return
        if len(self.stack) >= bounds.MAX_DEPTH:
            raise ValueError(f"XML imbriqué sur plus de {bounds.MAX_DEPTH} niveaux")
        self.stack.append((name, {}, [], self.parser.CurrentLineNumber))

    def end(self, name: str) -> None:
        if not self.stack:
            return
        tag, children, texts, line = self.stack.pop()
        value: Any = children if children else "".join(texts).strip()
        if not self.stack:
            self.done.append((tag, value, line))
            return
        parent = self.stack[-1][1]
        if tag in parent:
            existing = parent[tag]
            if isinstance(existing, list):
                existing.append(value)
            else:
                parent[tag] = [existing, value]
        else:
            parent[tag] = value

    def text(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)


def _refuse_doctype(*_args: Any) -> None:
    raise ValueError("déclaration DOCTYPE refusée (entités XML non prises en charge)")


def read_xml(path: Path, file: str) -> Iterator[Event]:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = _Builder(parser)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.buffer_text = True
    size = bounds.RecordSize(file)
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            size.read(len(chunk))
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                raise FileUnreadable(file, f"XML invalide ligne {exc.lineno} ({exc})") from exc
            except ValueError as exc:
                raise FileUnreadable(file, str(exc)) from exc
            if builder.root and builder.root != "marches":
                raise FileUnreadable(
                    file, f"élément racine « {builder.root} » au lieu de « marches »"
                )
            if builder.done or not builder.stack:
                size.record()
            for tag, value, line in builder.done:
                position = Position(file, f"ligne {line}")
                if tag == "marche":
                    yield contract_from_decp(value, position)
                elif tag == "contrat-concession":
                    yield Skipped(position, CONCESSION)
                else:
                    yield Unreadable(
                        position, "element-inconnu", f"élément « {tag} » inconnu dans « marches »"
                    )
            builder.done.clear()
            if not chunk:
                return
