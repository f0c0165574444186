"""The rows of the published tables, each in its schema's column order, from the drawn contracts
and the catalogue (services, declared indicators).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas as c
from achats_ouverts.tools.demo.contracts import BUYER_SIRET, Contract
from achats_ouverts.tools.demo.draws import Row, format_amount, format_bool, int_text
from achats_ouverts.tools.demo.rules import ccag_for
from achats_ouverts.tools.demo.world import World

MARCHES = c.dataset("marches")
MODIFICATIONS = c.dataset("modifications")
ACHATS = c.dataset("achats-a-venir")


FIELD_NAMES: dict[str, tuple[str, ...]] = {ds.name: ds.field_names for ds in c.DATASETS}
"""Computed once: `Dataset.field_names` rebuilds its tuple on every call."""


def ordered(dataset: c.Dataset, values: Mapping[str, str]) -> Row:
    return tuple(values[name] for name in FIELD_NAMES[dataset.name])


def marche_row(contract: Contract, iso: Callable[[date], str]) -> Row:
    missing = contract.missing
    subject = contract.subject
    code = subject.cpv
    ccag = ccag_for(code)
    place = subject.place
    return ordered(
        MARCHES,
        {
            "uid": contract.uid,
            "id": contract.id,
            "acheteur_id": BUYER_SIRET,
            "acheteur_service_id": subject.service,
            "nature": "" if "nature" in missing else contract.nature,
            "objet": contract.objet,
            "codeCPV": "" if "codeCPV" in missing else code,
            "techniques": contract.techniques,
            "modalitesExecution": contract.modalites,
            "idAccordCadre": contract.id_accord_cadre,
            "marcheInnovant": format_bool(contract.innovant),
            "ccag": ccag,
            "offresRecues": int_text(contract.offres),
            "attributionAvance": format_bool(contract.avance),
            "tauxAvance": contract.taux_avance,
            "typeGroupementOperateurs": contract.groupement,
            "sousTraitanceDeclaree": format_bool(contract.sous_traitance),
            "procedure": "" if "procedure" in missing else contract.procedure,
            "lieuExecution_code": "" if "lieuExecution" in missing else place.code,
            "lieuExecution_typeCode": "" if "lieuExecution" in missing else place.type_code,
            "dureeMois": "" if "dureeMois" in missing else int_text(contract.duree),
            "dureeMoisActuelle": current_duration_text(contract),
            "dateNotification": iso(contract.notification),
            "datePublicationDonnees": iso(contract.publication),
            "montant": format_amount(contract.montant),
            "montantActuel": format_amount(contract.current_amount),
            "typesPrix": contract.types_prix,
            "formePrix": "" if "formePrix" in missing else contract.forme_prix,
            "origineUE": contract.origine_ue,
            "origineFrance": contract.origine_france,
            "considerationsSociales": contract.social,
            "considerationsEnvironnementales": contract.environment,
        },
    )


def current_duration_text(contract: Contract) -> str:
    """The duration after modifications: the last one a modification set, else the duration at
    notification (empty when it is missing and no modification set one)."""
    changed = any(m.duree is not None for m in contract.modifications)
    if "dureeMois" in contract.missing and not changed:
        return ""
    return int_text(contract.current_duration)


def marche_titulaire_rows(contract: Contract) -> list[Row]:
    """The suppliers at notification, then those a modification brought in, each flagged
    (titulaireInitial, titulaireActuel)."""
    initial, current = contract.titulaires, contract.current_suppliers
    listed = [*initial, *(s for s in current if s not in initial)]
    return [
        (
            contract.uid,
            s.type_id,
            s.id,
            format_bool(s in initial),
            format_bool(s in current),
        )
        for s in listed
    ]


def modification_rows(contract: Contract, iso: Callable[[date], str]) -> list[Row]:
    rows: list[Row] = []
    for modification in contract.modifications:
        suppliers = modification.titulaires
        rows.append(
            ordered(
                MODIFICATIONS,
                {
                    "uid": contract.uid,
                    "modification_id": int_text(modification.id),
                    "dateNotificationModification": iso(modification.date_notification),
                    "datePublicationDonneesModification": iso(modification.date_publication),
                    "montant": ""
                    if modification.montant is None
                    else format_amount(modification.montant),
                    "dureeMois": "" if modification.duree is None else int_text(modification.duree),
                    "titulaires": ""
                    if suppliers is None
                    else v.MULTI_SEPARATOR.join(s.reference for s in suppliers),
                },
            )
        )
    return rows


def service_rows(world: World) -> list[Row]:
    return [(service.id, service.nom, service.description) for service in world.services]


def indicator_rows(world: World) -> list[Row]:
    return [
        (declared.indicator, str(value.year), value.value, declared.source, value.comment)
        for declared in world.declared
        for value in declared.values
    ]
