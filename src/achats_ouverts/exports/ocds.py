"""An OCDS 1.1 release package: a planning release per upcoming purchase and an award and
contract release per contract, streamed from the validated tables.

The award carries the values at notification (`awards[].value` is `montant`, its suppliers those
at notification); the contract carries the current value (`contracts[].value` is
`montantActuel`) and one amendment per modification, which says what it changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.datafolder import Publisher, schemas
from achats_ouverts.exports.dcat import LICENCE_URL
from achats_ouverts.exports.rows import (
    INITIAL,
    amount,
    column_lists,
    modifications_by_contract,
    row_dicts,
    suppliers_by_contract,
    timestamp,
)
from achats_ouverts.exports.tables import write_json_array
from achats_ouverts.model import Data

OCDS_PACKAGE_SCHEMA_URL = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
)
SIRET_SCHEME = "FR-RCS"
"""org-id.guide scheme used for SIRET numbers (as the national DECP-to-OCDS conversion did)."""

OCDS_CATEGORIES = {"Travaux": "works", "Fournitures": "goods", "Services": "services"}
OCDS_METHODS = {
    "Appel d'offres ouvert": "open",
    "Appel d'offres restreint": "selective",
    "Procédure avec négociation": "selective",
    "Dialogue compétitif": "selective",
    "Marché passé sans publicité ni mise en concurrence préalable": "limited",
}
OCDS_TENDER_STATUS = {
    "prévu": "planned",
    "lancé": "active",
    "attribué": "complete",
    "reporté": "planning",
    "abandonné": "cancelled",
}
OCDS_SCALE = {"TPE": "micro", "PME": "sme", "ETI": "large", "GE": "large"}


def ocid_prefix(publisher: Publisher) -> str:
    """The OCID prefix of `editeur.yaml`; without one, a placeholder built from the SIRET."""
    return publisher.ocid_prefixe or f"ocds-{publisher.siret}"


def party_id(kind: str, ident: str) -> str:
    return f"{SIRET_SCHEME if kind == 'SIRET' else kind}-{ident}"


def buyer_party(publisher: Publisher) -> dict[str, Any]:
    return {
        "id": party_id("SIRET", publisher.siret),
        "name": publisher.nom,
        "identifier": {"scheme": SIRET_SCHEME, "id": publisher.siret, "legalName": publisher.nom},
        "address": {"streetAddress": publisher.adresse, "countryName": "France"}
        if publisher.adresse
        else {"countryName": "France"},
        "contactPoint": {"email": publisher.email, "url": publisher.url_site},
        "roles": ["buyer", "procuringEntity"],
    }


@dataclass(frozen=True)
class SupplierReference:
    """What the suppliers' table says of a supplier, for its OCDS party."""

    nom: str
    commune: str
    departement: str
    categorie: str


def supplier_reference(suppliers: pd.DataFrame) -> dict[tuple[str, str], SupplierReference]:
    """The suppliers' table (validated text) by (type of identifier, identifier)."""
    names = (
        "titulaire_typeIdentifiant",
        "titulaire_id",
        "titulaire_nom",
        "titulaire_commune_nom",
        "titulaire_departement_code",
        "titulaire_categorie",
    )
    return {
        (kind, ident): SupplierReference(nom, commune, dep, cat)
        for kind, ident, nom, commune, dep, cat in column_lists(suppliers, names)
    }


def supplier_party(kind: str, ident: str, info: SupplierReference | None) -> dict[str, Any]:
    name = info.nom if info and info.nom else ident
    party: dict[str, Any] = {
        "id": party_id(kind, ident),
        "name": name,
        "identifier": {"scheme": SIRET_SCHEME if kind == "SIRET" else kind, "id": ident},
        "roles": ["supplier"],
    }
    if info and info.nom:
        party["identifier"]["legalName"] = info.nom
    if info and info.commune:
        party["address"] = {"locality": info.commune, "countryName": "France"}
    if info and info.categorie in OCDS_SCALE:
        party["details"] = {"scale": OCDS_SCALE[info.categorie]}
    return party


def cpv_item(code: str, label: str) -> list[dict[str, Any]]:
    if not code:
        return []
    classification = {"scheme": "CPV", "id": code[:8]}
    if label:
        classification["description"] = label
    return [{"id": "1", "classification": classification}]


def contract_release(
    row: dict[str, str],
    prefix: str,
    publisher: Publisher,
    suppliers: tuple[list[tuple[str, str]], list[tuple[str, str]]],
    reference: dict[tuple[str, str], SupplierReference],
    modifications: list[dict[str, str]],
    label: str,
) -> dict[str, Any]:
    """An award and contract release for an awarded contract: the award at notification
    (value, suppliers), the contract as modified (current value, amendments). `suppliers`:
    those at notification, and the current ones."""
    uid = row["uid"]
    awarded = {"amount": amount(float(row["montant"])), "currency": "EUR"}
    value = {"amount": amount(float(row["montantActuel"])), "currency": "EUR"}
    initial, current = suppliers
    parties = [buyer_party(publisher)]
    supplier_refs = []
    for kind, ident in [*initial, *(key for key in current if key not in initial)]:
        party = supplier_party(kind, ident, reference.get((kind, ident)))
        parties.append(party)
        if (kind, ident) in initial:
            supplier_refs.append({"id": party["id"], "name": party["name"]})
    tender: dict[str, Any] = {"id": uid, "title": row["objet"]}
    if row["procedure"]:
        tender["procurementMethodDetails"] = row["procedure"]
        if row["procedure"] in OCDS_METHODS:
            tender["procurementMethod"] = OCDS_METHODS[row["procedure"]]
    category = OCDS_CATEGORIES.get(cpv.category(row["codeCPV"]))
    if category:
        tender["mainProcurementCategory"] = category
    if row["offresRecues"]:
        tender["numberOfTenderers"] = int(row["offresRecues"])
    items = cpv_item(row["codeCPV"], label)
    if items:
        tender["items"] = items
    contract: dict[str, Any] = {
        "id": uid,
        "awardID": uid,
        "title": row["objet"],
        "status": "active",
        "value": value,
        "dateSigned": timestamp(row["dateNotification"]),
    }
    if items:
        contract["items"] = items
    tags = ["award", "contract"]
    if modifications:
        tags.append("contractAmendment")
        contract["amendments"] = [
            {
                "id": m["modification_id"],
                "date": timestamp(m["dateNotificationModification"]),
                "description": modification_text(m),
            }
            for m in modifications
        ]
    return {
        "ocid": f"{prefix}-{uid}",
        "id": f"{uid}-attribution",
        "date": timestamp(row["datePublicationDonnees"] or row["dateNotification"]),
        "tag": tags,
        "initiationType": "tender",
        "language": "fr",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": publisher.nom},
        "tender": tender,
        "awards": [
            {
                "id": uid,
                "title": row["objet"],
                "status": "active",
                "date": timestamp(row["dateNotification"]),
                "value": awarded,
                "suppliers": supplier_refs,
            }
        ],
        "contracts": [contract],
    }


def modification_text(row: dict[str, str]) -> str:
    changes = []
    if row["montant"]:
        changes.append(f"nouveau montant {row['montant']} € HT")
    if row["dureeMois"]:
        changes.append(f"nouvelle durée {row['dureeMois']} mois")
    if row["titulaires"]:
        changes.append(f"nouveaux titulaires {row['titulaires']}")
    return f"Modification n° {row['modification_id']}" + (
        " : " + ", ".join(changes) if changes else ""
    )


def planning_release(
    row: dict[str, str],
    prefix: str,
    publisher: Publisher,
    reference_day: date,
    label: str,
) -> dict[str, Any]:
    """A planning release for an upcoming purchase (same OCID as its contract once awarded)."""
    ident = row["id"]
    ocid = f"{prefix}-{row['uidMarche']}" if row["uidMarche"] else f"{prefix}-prevision-{ident}"
    tender: dict[str, Any] = {
        "id": ident,
        "title": row["objet"],
        "status": OCDS_TENDER_STATUS[row["statut"]],
        "mainProcurementCategory": OCDS_CATEGORIES[row["categorie"]],
    }
    if row["montantEstime"]:
        tender["value"] = {"amount": amount(float(row["montantEstime"])), "currency": "EUR"}
    elif row["montantEstimeMin"] and row["montantEstimeMax"]:
        tender["minValue"] = {"amount": amount(float(row["montantEstimeMin"])), "currency": "EUR"}
        tender["value"] = {"amount": amount(float(row["montantEstimeMax"])), "currency": "EUR"}
    if row["procedurePrevue"]:
        tender["procurementMethodDetails"] = row["procedurePrevue"]
        if row["procedurePrevue"] in OCDS_METHODS:
            tender["procurementMethod"] = OCDS_METHODS[row["procedurePrevue"]]
    items = cpv_item(row["codeCPV"], label)
    if items:
        tender["items"] = items
    start = row["dateLancement"] or row["dateLancementPrevue"]
    period = {}
    if start:
        period["startDate"] = timestamp(start)
    if row["dateLimiteRemiseOffres"]:
        period["endDate"] = timestamp(row["dateLimiteRemiseOffres"])
    if period:
        tender["tenderPeriod"] = period
    if row["urlConsultation"]:
        tender["documents"] = [
            {
                "id": "consultation",
                "documentType": "tenderNotice",
                "title": "Dossier de consultation",
                "url": row["urlConsultation"],
                "language": "fr",
            }
        ]
    if row["contact"]:
        tender["procuringEntity"] = {"id": party_id("SIRET", publisher.siret)}
    buyer = buyer_party(publisher)
    if row["contact"]:
        buyer = {**buyer, "contactPoint": {"email": row["contact"], "url": publisher.url_site}}
    return {
        "ocid": ocid,
        "id": f"prevision-{ident}",
        "date": timestamp(row["dateAnnonce"] or reference_day.isoformat()),
        "tag": ["planning", "tender"] if row["statut"] in ("lancé", "attribué") else ["planning"],
        "initiationType": "tender",
        "language": "fr",
        "parties": [buyer],
        "buyer": {"id": buyer["id"], "name": publisher.nom},
        "planning": {
            "rationale": "Programmation prévisionnelle des achats ; elle n'engage pas l'acheteur."
        },
        "tender": tender,
    }


def ocds_releases(data: Data) -> Iterator[dict[str, Any]]:
    prefix = ocid_prefix(data.publisher)
    nomenclature = data.nomenclature
    upcoming = data.text["achats-a-venir"]
    names = list(schemas.dataset("achats-a-venir").field_names)
    for row in row_dicts(upcoming, names):
        yield planning_release(
            row, prefix, data.publisher, data.reference_date, nomenclature.label(row["codeCPV"])
        )
    text = data.text["marches"]
    initial = suppliers_by_contract(data.text["marches-titulaires"], INITIAL)
    current = suppliers_by_contract(data.text["marches-titulaires"])
    reference = supplier_reference(data.text["titulaires"])
    by_uid = modifications_by_contract(data.text["modifications"])
    names = list(schemas.dataset("marches").field_names)
    for row in row_dicts(text, names):
        yield contract_release(
            row,
            prefix,
            data.publisher,
            (initial.get(row["uid"], []), current.get(row["uid"], [])),
            reference,
            by_uid.get(row["uid"], []),
            nomenclature.label(row["codeCPV"]),
        )


def ocds_package_head(data: Data, uri: str, policy_url: str) -> dict[str, Any]:
    publisher = data.publisher
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": timestamp(data.reference_date.isoformat()),
        "publisher": {
            "name": publisher.nom,
            "scheme": SIRET_SCHEME,
            "uid": publisher.siret,
            "uri": publisher.url_site,
        },
        "license": LICENCE_URL,
        "publicationPolicy": policy_url,
    }


def write_ocds(handle: BinaryIO, data: Data, uri: str, policy_url: str) -> int:
    """The release package, streamed. Returns the number of releases."""
    head = json.dumps(ocds_package_head(data, uri, policy_url), ensure_ascii=False, allow_nan=False)
    handle.write((head[:-1] + ', "releases": ').encode("utf-8"))
    count = write_json_array(handle, ocds_releases(data))
    handle.write(b"}\n")
    return count
