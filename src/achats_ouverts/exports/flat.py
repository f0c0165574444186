"""The flat file for spreadsheets: one row per contract and supplier, every column of
`marches.csv`, the columns of `marches-titulaires.csv` that say whether the supplier held the
contract at its notification and holds it now (`titulaireInitial`, `titulaireActuel`), the
supplier's columns of `titulaires.csv` (name, category, place), the number of current
co-contractors, the buying service's name and the label of the CPV code.

Its columns are read from the schemas (`MARCHES_FIELDS`, `TITULAIRES_FIELDS`, `SERVICES_FIELDS`):
a column added to a dataset flows into the flat file. A contract without a supplier keeps one row,
with the supplier's columns empty, so that every contract is in the file once at least; the sum
of `montant` over distinct `uid` is the sum of `marches.csv`.
"""

from __future__ import annotations

import pandas as pd

from achats_ouverts.datafolder import Dataset, schemas
from achats_ouverts.datafolder.fields import Field, define
from achats_ouverts.model import Data

NAME = "marches-a-plat"
SUPPLIER_KEYS = ("titulaire_typeIdentifiant", "titulaire_id")
COUNT = "titulaires_nombre"
SERVICE_NAME = "service_nom"
CPV_LABEL = "codeCPV_libelle"


def _optional(field: Field) -> Field:
    """A field as the flat file carries it: never required nor unique (a contract repeats, a
    contract without supplier leaves the supplier's columns empty)."""
    copy = dict(field)
    constraints = {
        k: c for k, c in field.get("constraints", {}).items() if k not in ("required", "unique")
    }
    copy.pop("constraints", None)
    if constraints:
        copy["constraints"] = constraints
    return copy


def _link_fields() -> tuple[Field, ...]:
    """The columns of `marches-titulaires.csv` besides the keys (the supplier's roles)."""
    keys = ("uid", *SUPPLIER_KEYS)
    return tuple(f for f in schemas.dataset("marches-titulaires").fields if f["name"] not in keys)


def _fields() -> tuple[Field, ...]:
    contracts = schemas.dataset("marches").fields
    suppliers = schemas.dataset("titulaires").fields
    service = schemas.dataset("services").field(SERVICE_NAME)
    extra = (
        define(
            COUNT,
            "integer",
            "Nombre de titulaires actuels du marché",
            "Nombre de titulaires actuels (cotitulaires, titulaireActuel vrai) du marché : les "
            "données essentielles ne disent pas comment le montant se partage entre eux ; la règle "
            f"du site compte pour chaque titulaire actuel une part égale, `montant / {COUNT}`. 0 "
            "pour un marché sans titulaire publié.",
            "2",
            minimum=0,
        ),
        {**_optional(service), "description": "Nom du service acheteur (services.csv)."},
        define(
            CPV_LABEL,
            "string",
            "Intitulé du code CPV",
            "Intitulé français du code CPV principal : celui de la nomenclature configurée, "
            "sinon celui de sa division.",
            "Travaux de construction",
        ),
    )
    return (
        *(_optional(f) for f in contracts),
        *(_optional(f) for f in _link_fields()),
        *(_optional(f) for f in suppliers),
        *extra,
    )


FLAT = Dataset(
    NAME,
    "Marchés à plat (un marché et un titulaire par ligne)",
    "Pour les tableurs : un marché et un titulaire par ligne, avec toutes les colonnes de "
    "marches.csv, si l'entreprise était titulaire à la notification (titulaireInitial) et l'est "
    "encore (titulaireActuel), son nom, sa catégorie et sa commune, le nombre de titulaires "
    "actuels du marché, le nom du service acheteur et l'intitulé du code CPV. Un marché à "
    "plusieurs titulaires occupe plusieurs lignes : pour un total, compter chaque uid une fois.",
    _fields(),
    (),
)
"""The flat file as a dataset of its own (not part of the data folder)."""


def empty_as_text(column: pd.Series) -> pd.Series:
    """A text column with '' where a left join found nothing (a column that found nothing at
    all comes out of the join as floats: it becomes text first)."""
    return column.astype(object).where(column.notna(), "")


def flat_frames(data: Data) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(text, typed) frames of the flat file, in the order of `marches.csv` then of
    `marches-titulaires.csv`; text cells are the validated text ('' when missing)."""
    names = list(FLAT.field_names)
    contract_cols = list(schemas.dataset("marches").field_names)
    supplier_cols = list(schemas.dataset("titulaires").field_names)
    link_cols = [f["name"] for f in _link_fields()]
    frames = []
    for kind in ("text", "typed"):
        tables = data.text if kind == "text" else data.tables
        contracts = tables["marches"][contract_cols].reset_index(drop=True)
        links = tables["marches-titulaires"][["uid", *SUPPLIER_KEYS, *link_cols]].reset_index(
            drop=True
        )
        reference = tables["titulaires"][supplier_cols].drop_duplicates(list(SUPPLIER_KEYS))
        current = data.contract_suppliers
        counts = current.groupby("uid", sort=False)["uid"].size().rename(COUNT)
        joined = contracts.assign(_rang=range(len(contracts))).merge(
            links.assign(_ordre=range(len(links))), on="uid", how="left"
        )
        joined = joined.sort_values(["_rang", "_ordre"], kind="stable", na_position="last")
        joined = joined.merge(reference, on=list(SUPPLIER_KEYS), how="left")
        count = joined["uid"].map(counts).fillna(0).astype("int64")
        services = dict(
            zip(
                tables["services"]["service_id"],
                tables["services"][SERVICE_NAME],
                strict=True,
            )
        )
        codes = data.text["marches"].set_index("uid")["codeCPV"]
        labels = (
            joined["uid"]
            .map(codes)
            .fillna("")
            .map(lambda code: data.nomenclature.label(code) if code else "")
        )
        joined = joined.assign(
            **{
                COUNT: count.astype(str) if kind == "text" else count,
                SERVICE_NAME: joined["acheteur_service_id"].map(services),
                CPV_LABEL: labels,
            }
        )
        for name in [*link_cols, *supplier_cols]:
            if kind == "text" or FLAT.field(name)["type"] == "string":
                joined[name] = empty_as_text(joined[name])
        joined[SERVICE_NAME] = empty_as_text(joined[SERVICE_NAME])
        frames.append(joined[names].reset_index(drop=True))
    return frames[0], frames[1]
