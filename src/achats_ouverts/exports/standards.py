"""Standard formats other tools read: the official DECP 2022 JSON, an OCDS 1.1 release package, a
DCAT-AP catalogue (Turtle and JSON-LD), schema.org JSON-LD for pages, and the sitemap.

Record builders are pure functions of the loaded tables; writers stream to the site folder.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import Publisher, schemas
from achats_ouverts.exports.tables import write_json_array
from achats_ouverts.model import Data

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
LICENCE_TITLE = "Licence Ouverte / Open Licence version 2.0"
DECP_SCHEMA_URL = (
    "https://raw.githubusercontent.com/139bercy/format-commande-publique/master/"
    "schema_decp_v2.0.3.json"
)
OCDS_PACKAGE_SCHEMA_URL = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
)
SIRET_SCHEME = "FR-RCS"
"""org-id.guide scheme used for SIRET numbers (as the national DECP-to-OCDS conversion did)."""


def multi(value: str) -> list[str]:
    return value.split(v.MULTI_SEPARATOR) if value else []


def amount(value: float) -> int | float:
    """An amount as a JSON number: integral amounts without a trailing `.0`."""
    return int(value) if float(value).is_integer() else float(value)


def timestamp(day: str) -> str:
    """An ISO date as an RFC 3339 date-time at midnight UTC."""
    return f"{day}T00:00:00Z"


def column_lists(frame: pd.DataFrame, names: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of these columns as tuples, without a per-row pandas object."""
    yield from zip(*(frame[name].tolist() for name in names), strict=True)


def row_dicts(frame: pd.DataFrame, names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows of these columns (all by default) as dicts."""
    columns = list(frame.columns if names is None else names)
    return [dict(zip(columns, values, strict=True)) for values in column_lists(frame, columns)]


def suppliers_by_contract(contract_suppliers: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """uid -> [(typeIdentifiant, id)], in the order of the table."""
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for uid, kind, ident in column_lists(
        contract_suppliers, ("uid", "titulaire_typeIdentifiant", "titulaire_id")
    ):
        result[uid].append((kind, ident))
    return result


def modifications_by_contract(text: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
    """uid -> modification rows (validated text), in `modification_id` order."""
    ordered = text.assign(_n=pd.to_numeric(text["modification_id"], errors="coerce"))
    ordered = ordered.sort_values(["uid", "_n"], kind="stable")
    names = [f for f in schemas.dataset("modifications").field_names if f != "uid"]
    result: dict[str, list[dict[str, str]]] = defaultdict(list)
    for uid, *values in column_lists(ordered, ("uid", *names)):
        result[uid].append(dict(zip(names, values, strict=True)))
    return result


# --- DECP 2022 JSON ------------------------------------------------------------------------------

DECP_REQUIRED = (
    "nature",
    "codeCPV",
    "techniques",
    "modalitesExecution",
    "marcheInnovant",
    "ccag",
    "offresRecues",
    "attributionAvance",
    "typeGroupementOperateurs",
    "procedure",
    "lieuExecution_code",
    "lieuExecution_typeCode",
    "dureeMois",
    "datePublicationDonnees",
    "typesPrix",
    "formePrix",
    "sousTraitanceDeclaree",
    "considerationsSociales",
    "considerationsEnvironnementales",
)
"""Columns the DECP 2022 format requires that our CSV allows to be empty."""


def decp_gaps(
    text: pd.DataFrame, suppliers: dict[str, list[tuple[str, str]]], modifications: pd.DataFrame
) -> pd.Series:
    """Per contract, the first reason it cannot be written in the DECP format ('' if none)."""
    reason = pd.Series("", index=text.index, dtype=object)
    for name in reversed(DECP_REQUIRED):
        reason = reason.mask(text[name] == "", f"champ « {name} » vide")
    long_id = text["id"].str.len() > 16
    reason = reason.mask(long_id & (reason == ""), "identifiant « id » de plus de 16 caractères")
    no_supplier = ~text["uid"].isin(list(suppliers))
    reason = reason.mask(no_supplier & (reason == ""), "aucun titulaire")
    undated = modifications.loc[modifications["datePublicationDonneesModification"] == "", "uid"]
    reason = reason.mask(
        text["uid"].isin(undated) & (reason == ""),
        "modification sans date de publication",
    )
    return reason


def decp_titulaires(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"titulaire": {"typeIdentifiant": kind, "id": ident}} for kind, ident in pairs]


def decp_modification(row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": int(row["modification_id"]),
        "dateNotificationModification": row["dateNotificationModification"],
        "datePublicationDonneesModification": row["datePublicationDonneesModification"],
    }
    if row["dureeMois"]:
        item["dureeMois"] = int(row["dureeMois"])
    if row["montant"]:
        item["montant"] = amount(float(row["montant"]))
    if row["titulaires"]:
        pairs = [tuple(x.split(":", 1)) for x in row["titulaires"].split(v.MULTI_SEPARATOR)]
        item["titulaires"] = decp_titulaires([(a, b) for a, b in pairs])
    return {"modification": item}


def decp_record(
    row: dict[str, str],
    suppliers: list[tuple[str, str]],
    modifications: list[dict[str, str]],
) -> dict[str, Any]:
    """A contract in the DECP 2022 `marche` form, from its validated CSV row.

    Its values are those of `marches.csv` (the current state); each modification carries the new
    values it set, as published in `modifications.csv`.
    """
    record: dict[str, Any] = {
        "id": row["id"],
        "acheteur": {"id": row["acheteur_id"]},
        "nature": row["nature"],
        "objet": row["objet"],
        "codeCPV": row["codeCPV"],
        "techniques": {"technique": multi(row["techniques"])},
        "modalitesExecution": {"modaliteExecution": multi(row["modalitesExecution"])},
    }
    if row["idAccordCadre"]:
        record["idAccordCadre"] = row["idAccordCadre"]
    record.update(
        {
            "marcheInnovant": row["marcheInnovant"] == "true",
            "ccag": row["ccag"],
            "offresRecues": int(row["offresRecues"]),
            "attributionAvance": row["attributionAvance"] == "true",
        }
    )
    if row["tauxAvance"]:
        record["tauxAvance"] = float(row["tauxAvance"])
    record.update(
        {
            "typeGroupementOperateurs": row["typeGroupementOperateurs"],
            "sousTraitanceDeclaree": row["sousTraitanceDeclaree"] == "true",
            "procedure": row["procedure"],
            "lieuExecution": {
                "code": row["lieuExecution_code"],
                "typeCode": row["lieuExecution_typeCode"],
            },
            "dureeMois": int(row["dureeMois"]),
            "dateNotification": row["dateNotification"],
            "datePublicationDonnees": row["datePublicationDonnees"],
            "montant": amount(float(row["montant"])),
            "typesPrix": {"typePrix": multi(row["typesPrix"])},
            "formePrix": row["formePrix"],
        }
    )
    for name in ("origineUE", "origineFrance"):
        if row[name]:
            record[name] = float(row[name])
    record["titulaires"] = decp_titulaires(suppliers)
    record["considerationsSociales"] = {
        "considerationSociale": multi(row["considerationsSociales"])
    }
    record["considerationsEnvironnementales"] = {
        "considerationEnvironnementale": multi(row["considerationsEnvironnementales"])
    }
    if modifications:
        record["modifications"] = [decp_modification(m) for m in modifications]
    return record


@dataclass(frozen=True)
class DecpSummary:
    """How many contracts decp.json holds, and why the others could not be written."""

    publies: int
    exclus: int
    raisons: tuple[tuple[str, int], ...]


def decp_records(data: Data) -> tuple[Iterator[dict[str, Any]], DecpSummary]:
    text = data.text["marches"]
    suppliers = suppliers_by_contract(data.text["marches-titulaires"])
    modifications = data.text["modifications"]
    gaps = decp_gaps(text, suppliers, modifications)
    counts = gaps[gaps != ""].value_counts()
    summary = DecpSummary(
        publies=int((gaps == "").sum()),
        exclus=int((gaps != "").sum()),
        raisons=tuple(sorted(((str(k), int(n)) for k, n in counts.items()), key=lambda x: x[0])),
    )
    complete = text[gaps == ""]
    by_uid = modifications_by_contract(modifications)
    names = list(schemas.dataset("marches").field_names)

    def generate() -> Iterator[dict[str, Any]]:
        for values in column_lists(complete, names):
            row = dict(zip(names, values, strict=True))
            yield decp_record(row, suppliers[row["uid"]], by_uid.get(row["uid"], []))

    return generate(), summary


def write_decp(handle: BinaryIO, data: Data) -> DecpSummary:
    """`{"marches": {"marche": [...]}}`, streamed."""
    items, summary = decp_records(data)
    handle.write(b'{"marches": {"marche": ')
    write_json_array(handle, items)
    handle.write(b"}}\n")
    return summary


# --- OCDS 1.1 ------------------------------------------------------------------------------------

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
class SupplierInfo:
    nom: str
    commune: str
    departement: str
    categorie: str


def supplier_reference(suppliers: pd.DataFrame) -> dict[tuple[str, str], SupplierInfo]:
    names = (
        "titulaire_typeIdentifiant",
        "titulaire_id",
        "titulaire_nom",
        "titulaire_commune_nom",
        "titulaire_departement_code",
        "titulaire_categorie",
    )
    return {
        (kind, ident): SupplierInfo(nom, commune, dep, cat)
        for kind, ident, nom, commune, dep, cat in column_lists(suppliers, names)
    }


def supplier_party(kind: str, ident: str, info: SupplierInfo | None) -> dict[str, Any]:
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
    suppliers: list[tuple[str, str]],
    reference: dict[tuple[str, str], SupplierInfo],
    modifications: list[dict[str, str]],
    label: str,
) -> dict[str, Any]:
    """An award and contract release for an awarded contract (current state)."""
    uid = row["uid"]
    value = {"amount": amount(float(row["montant"])), "currency": "EUR"}
    parties = [buyer_party(publisher)]
    supplier_refs = []
    for kind, ident in suppliers:
        party = supplier_party(kind, ident, reference.get((kind, ident)))
        parties.append(party)
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
                "value": value,
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
    suppliers = suppliers_by_contract(data.text["marches-titulaires"])
    reference = supplier_reference(data.text["titulaires"])
    by_uid = modifications_by_contract(data.text["modifications"])
    names = list(schemas.dataset("marches").field_names)
    for row in row_dicts(text, names):
        yield contract_release(
            row,
            prefix,
            data.publisher,
            suppliers.get(row["uid"], []),
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


# --- DCAT-AP catalogue ---------------------------------------------------------------------------

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
IANA = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """A downloadable file of a dataset, as the catalogue and the JSON-LD describe it."""

    chemin: str
    titre: str
    format: str
    mediatype: str
    octets: int
    sha256: str
    conforme_a: str = ""


@dataclass(frozen=True)
class CatalogDataset:
    name: str
    titre: str
    description: str
    identifiant: str
    page: str
    schema: str
    debut: date | None
    fin: date | None
    mots_cles: tuple[str, ...]
    distributions: tuple[Distribution, ...]


def catalog_graph(
    publisher: Publisher, datasets: Sequence[CatalogDataset], modified: date
) -> Graph:
    """A DCAT-AP catalogue with an IRI for every node (no blank node: stable output)."""
    base = publisher.url_site
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("spdx", SPDX),
    ):
        graph.bind(prefix, namespace)
    catalog = URIRef(f"{base}donnees/catalog")
    agent = URIRef(f"{base}#editeur")
    contact = URIRef(f"{base}#contact")
    licence = URIRef(LICENCE_URL)
    modified_literal = Literal(modified.isoformat(), datatype=XSD.date)
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publisher.nom)))
    graph.add((agent, DCTERMS.identifier, Literal(publisher.siret)))
    graph.add((agent, FOAF.homepage, URIRef(base)))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher.nom)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence, DCTERMS.title, Literal(LICENCE_TITLE, lang="fr")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Achats publics – {publisher.nom}", lang="fr")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                f"Données ouvertes sur les achats publics de {publisher.nom} : marchés attribués, "
                "achats à venir, politique d'achat et indicateurs.",
                lang="fr",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.modified, modified_literal))
    graph.add(
        (
            catalog,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
        )
    )
    graph.add((catalog, FOAF.homepage, URIRef(f"{base}donnees/")))
    for ds in datasets:
        node = URIRef(f"{base}{ds.page}#jeu")
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(ds.identifiant)))
        graph.add((node, DCTERMS.title, Literal(ds.titre, lang="fr")))
        graph.add((node, DCTERMS.description, Literal(ds.description, lang="fr")))
        graph.add((node, DCTERMS.publisher, agent))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.license, licence))
        graph.add((node, DCTERMS.modified, modified_literal))
        graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.IRREG))
        graph.add((node, DCAT.landingPage, URIRef(f"{base}{ds.page}")))
        graph.add((node, DCTERMS.conformsTo, URIRef(f"{base}{ds.schema}")))
        for word in ds.mots_cles:
            graph.add((node, DCAT.keyword, Literal(word, lang="fr")))
        if ds.debut and ds.fin:
            period = URIRef(f"{base}{ds.page}#periode")
            graph.add((node, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, Literal(ds.debut.isoformat(), datatype=XSD.date)))
            graph.add((period, DCAT.endDate, Literal(ds.fin.isoformat(), datatype=XSD.date)))
        for dist in ds.distributions:
            url = URIRef(f"{base}{dist.chemin}")
            item = URIRef(f"{base}{dist.chemin}#distribution")
            checksum = URIRef(f"{base}{dist.chemin}#sha256")
            graph.add((node, DCAT.distribution, item))
            graph.add((item, RDF.type, DCAT.Distribution))
            graph.add((item, DCTERMS.title, Literal(dist.titre, lang="fr")))
            graph.add((item, DCAT.downloadURL, url))
            graph.add((item, DCAT.accessURL, url))
            graph.add((item, DCTERMS.format, FILE_TYPE[dist.format]))
            graph.add((item, DCAT.mediaType, URIRef(IANA + dist.mediatype)))
            graph.add((item, DCAT.byteSize, Literal(dist.octets, datatype=XSD.nonNegativeInteger)))
            graph.add((item, DCTERMS.license, licence))
            graph.add((item, DCTERMS.modified, modified_literal))
            graph.add((item, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
            if dist.conforme_a:
                graph.add((item, DCTERMS.conformsTo, URIRef(dist.conforme_a)))
    return graph


def catalog_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def catalog_jsonld(graph: Graph) -> bytes:
    """JSON-LD with its nodes sorted by IRI, whatever order the graph store iterates in."""
    context = {
        "dcat": str(DCAT),
        "dct": str(DCTERMS),
        "foaf": str(FOAF),
        "vcard": str(VCARD),
        "spdx": str(SPDX),
        "xsd": str(XSD),
    }
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda x: json.dumps(x, sort_keys=True))
    ordered = {"@context": context, "@graph": sorted(nodes, key=lambda n: str(n.get("@id")))}
    return (
        json.dumps(ordered, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
    ).encode()


# --- schema.org JSON-LD --------------------------------------------------------------------------


def organization_jsonld(publisher: Publisher) -> dict[str, Any]:
    """The publisher as a schema.org GovernmentOrganization."""
    node: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "@id": f"{publisher.url_site}#editeur",
        "name": publisher.nom,
        "url": publisher.url_site,
        "email": publisher.email,
        "identifier": {"@type": "PropertyValue", "propertyID": "SIRET", "value": publisher.siret},
    }
    if publisher.adresse:
        node["address"] = publisher.adresse
    return node


def dataset_jsonld(publisher: Publisher, ds: CatalogDataset, modified: date) -> dict[str, Any]:
    """A schema.org Dataset for a dataset page (Google Dataset Search and the like)."""
    base = publisher.url_site
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{base}{ds.page}#jeu",
        "name": ds.titre,
        "description": ds.description,
        "url": f"{base}{ds.page}",
        "identifier": ds.identifiant,
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "license": LICENCE_URL,
        "keywords": list(ds.mots_cles),
        "dateModified": modified.isoformat(),
        "creator": organization_jsonld(publisher),
        "publisher": {"@id": f"{base}#editeur"},
        "schemaVersion": f"{base}{ds.schema}",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dist.titre,
                "encodingFormat": dist.mediatype,
                "contentUrl": f"{base}{dist.chemin}",
                "contentSize": f"{dist.octets} B",
                "sha256": dist.sha256,
            }
            for dist in ds.distributions
        ],
    }
    if ds.debut and ds.fin:
        node["temporalCoverage"] = f"{ds.debut.isoformat()}/{ds.fin.isoformat()}"
    return node


# --- Sitemap -------------------------------------------------------------------------------------

SITEMAP_MAX_URLS = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LOC = re.compile(r"<loc>([^<]*)</loc>")


def sitemap_urlset(urls: Sequence[str], lastmod: str) -> bytes:
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">']
    lines.extend(
        f"<url><loc>{xml_escape(url)}</loc><lastmod>{lastmod}</lastmod></url>" for url in urls
    )
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def sitemap_files(urls: Sequence[str], base: str, lastmod: str) -> dict[str, bytes]:
    """`sitemap.xml`, split behind a sitemap index past 50 000 addresses (the protocol limit)."""
    if len(urls) <= SITEMAP_MAX_URLS:
        return {"sitemap.xml": sitemap_urlset(urls, lastmod)}
    files: dict[str, bytes] = {}
    entries = []
    for n, start in enumerate(range(0, len(urls), SITEMAP_MAX_URLS), start=1):
        name = f"sitemaps/sitemap-{n}.xml"
        files[name] = sitemap_urlset(urls[start : start + SITEMAP_MAX_URLS], lastmod)
        entries.append(
            f"<sitemap><loc>{xml_escape(base + name)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        )
    files["sitemap.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    ).encode("utf-8")
    return files
