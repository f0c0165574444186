"""Data contracts: the datasets of a data folder, their Table Schemas, and the Data Package that
lists them.

This module, with the field lists of `decp_fields` and `buyer_fields`, is the single source of
the schemas. `achats-ouverts schemas DIR` (and the demo
generator, and the importer) write them as JSON into a data folder; a test checks that the copies
committed in `data/schemas/` are identical. Column names are the DECP names used by the national
tabular files (decp.info), so that published CSVs join with national data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from achats_ouverts.datafolder.buyer_fields import (
    ACHATS_A_VENIR_FIELDS,
    INDICATEURS_DECLARES_FIELDS,
    SERVICES_FIELDS,
)
from achats_ouverts.datafolder.decp_fields import (
    MARCHES_FIELDS,
    MARCHES_TITULAIRES_FIELDS,
    MODIFICATIONS_FIELDS,
    TITULAIRES_FIELDS,
)
from achats_ouverts.datafolder.fields import Field as Field

TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SCHEMA_VERSION = "0.1.0"
SCHEMA_DATE = "2026-11-25"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://spdx.org/licenses/etalab-2.0.html",
}
MISSING_VALUES = [""]


@dataclass(frozen=True)
class Dataset:
    """One dataset of the data folder: its resource name, file and Table Schema."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def schema_path(self) -> str:
        return f"schemas/{self.name}.json"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field["name"] for field in self.fields)

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field["name"] == name:
                return field
        raise KeyError(name)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "marches",
        "Marchés attribués",
        "Un marché par ligne, avec les champs des données essentielles de la commande publique "
        "(format DECP 2022) : montant et durée à la notification, comme dans les DECP, et, dans "
        "montantActuel et dureeMoisActuelle, leurs valeurs après les modifications (égales à "
        "celles de la notification quand le marché n'est pas modifié).",
        tuple(MARCHES_FIELDS),
        ("uid",),
        ((("acheteur_service_id",), "services", ("service_id",)),),
    ),
    Dataset(
        "marches-titulaires",
        "Titulaires des marchés",
        "Une ligne par marché et par titulaire : les titulaires à la notification "
        "(titulaireInitial) et les titulaires actuels (titulaireActuel), qui diffèrent quand une "
        "modification a remplacé la liste.",
        tuple(MARCHES_TITULAIRES_FIELDS),
        ("uid", "titulaire_typeIdentifiant", "titulaire_id"),
        ((("uid",), "marches", ("uid",)),),
    ),
    Dataset(
        "modifications",
        "Modifications des marchés",
        "Une ligne par modification de marché (avenant), avec les nouvelles valeurs qu'elle fixe.",
        tuple(MODIFICATIONS_FIELDS),
        ("uid", "modification_id"),
        ((("uid",), "marches", ("uid",)),),
    ),
    Dataset(
        "titulaires",
        "Référentiel des entreprises titulaires",
        "Une ligne par entreprise titulaire connue : nom, localisation et catégorie. Source des "
        "noms affichés et des parts « entreprises de la région » et « PME ».",
        tuple(TITULAIRES_FIELDS),
        ("titulaire_typeIdentifiant", "titulaire_id"),
    ),
    Dataset(
        "services",
        "Services acheteurs",
        "Les services (directions) de l'acheteur qui passent des marchés.",
        tuple(SERVICES_FIELDS),
        ("service_id",),
    ),
    Dataset(
        "achats-a-venir",
        "Achats à venir",
        "La programmation des achats : consultations prévues, leur statut et, une fois attribuées, "
        "le marché qui en résulte. Prévisionnelle, elle n'engage pas l'acheteur.",
        tuple(ACHATS_A_VENIR_FIELDS),
        ("id",),
        (
            (("service_id",), "services", ("service_id",)),
            (("uidMarche",), "marches", ("uid",)),
        ),
    ),
    Dataset(
        "indicateurs-declares",
        "Indicateurs déclarés",
        "Valeurs annuelles des indicateurs que les données de marchés ne permettent pas de "
        "calculer (délai de paiement, heures d'insertion…).",
        tuple(INDICATEURS_DECLARES_FIELDS),
        ("indicateur_id", "annee"),
    ),
)

DATASETS_BY_NAME: dict[str, Dataset] = {dataset.name: dataset for dataset in DATASETS}


def dataset(name: str) -> Dataset:
    return DATASETS_BY_NAME[name]


def table_schema(ds: Dataset) -> dict[str, Any]:
    """The Table Schema of a dataset, following schema.data.gouv.fr conventions."""
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": ds.name,
        "title": ds.title,
        "description": ds.description,
        "countryCode": "FR",
        "version": SCHEMA_VERSION,
        "created": SCHEMA_DATE,
        "lastModified": SCHEMA_DATE,
        "licenses": [LICENCE],
        "resources": [{"title": "Exemple de fichier valide", "path": f"exemples/{ds.path}"}],
        "fields": list(ds.fields),
        "primaryKey": list(ds.primary_key),
        "missingValues": MISSING_VALUES,
    }
    if ds.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": resource, "fields": list(ref)}}
            for fields, resource, ref in ds.foreign_keys
        ]
    return schema


def data_package(name: str, title: str, description: str) -> dict[str, Any]:
    """The Data Package (v2 conventions) listing every dataset of a data folder."""
    return {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": name,
        "title": title,
        "description": description,
        "version": SCHEMA_VERSION,
        "licenses": [LICENCE],
        "resources": [
            {
                "name": ds.name,
                "type": "table",
                "title": ds.title,
                "description": ds.description,
                "path": ds.path,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": ds.schema_path,
            }
            for ds in DATASETS
        ],
    }
