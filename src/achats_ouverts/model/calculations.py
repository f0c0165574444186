"""The calculations of computed indicators: a registry of named, pure functions over the tables.

Each calculation (the `calcul` of a computed indicator in politique.yaml) is a small pure function
from `Tables` to one row per contract saying whether the contract is in the indicator's scope
(`champ`), whether the fields it needs are known (`connu`), and what it adds to the numerator and
to the denominator. A contract in scope whose fields are missing is excluded and counted
(`exclus`), never read as "no".

`REGISTRY` is the one list of calculation names: validation receives its keys from the callers
above it (the data folder stage cannot import this one), the README lists them, and a test
checks that both agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.model import aggregates

Statistic = Literal["part", "moyenne", "mediane"]
BASE_COLUMNS = ("champ", "connu", "numerateur", "denominateur")
"""The columns every calculation returns, one row per contract."""


# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    """What the calculations read: the typed contract tables and the publisher's territory."""

    contracts: pd.DataFrame
    contract_suppliers: pd.DataFrame
    suppliers: pd.DataFrame
    departements: tuple[str, ...]
    region_code: str

    @cached_property
    def weights(self) -> pd.DataFrame:
        """`aggregates.supplier_weights` aligned on the contracts (zeros for no supplier)."""
        weights = aggregates.supplier_weights(
            self.contract_suppliers, self.suppliers, self.departements, self.region_code
        )
        aligned = weights.reindex(self.contracts["uid"]).fillna(0)
        aligned.index = self.contracts.index
        return aligned.astype({"titulaires": "int64"})


# --- Calculations -------------------------------------------------------------------------------


def counted(
    champ: pd.Series | bool,
    connu: pd.Series,
    numerateur: pd.Series,
    denominateur: pd.Series | float,
    **details: pd.Series,
) -> pd.DataFrame:
    """The per-contract frame every calculation returns (missing values in masks count as False)."""
    index = connu.index
    scope = (
        pd.Series(champ, index=index, dtype=bool)
        if isinstance(champ, bool)
        else champ.fillna(False).astype(bool)
    )
    known = scope & connu.fillna(False).astype(bool)
    frame = pd.DataFrame(
        {
            "champ": scope,
            "connu": known,
            "numerateur": numerateur.astype("float64").where(known, 0.0),
            "denominateur": pd.Series(denominateur, index=index, dtype="float64").where(known, 0.0),
        },
        index=index,
    )
    for name, column in details.items():
        frame[name] = column
    return frame


def flag_share(flags: pd.Series) -> pd.DataFrame:
    """Share of True among contracts where the flag is known."""
    return counted(True, flags.notna(), flags.fillna(False).astype(float), 1.0)


def flag_amount_share(flags: pd.Series, amount: pd.Series) -> pd.DataFrame:
    """Share of the amount of contracts where the flag is True, among those where it is known."""
    known = flags.notna() & amount.notna()
    weight = flags.fillna(False).astype(float)
    return counted(True, known, amount * weight, amount)


def is_true(column: pd.Series) -> pd.Series:
    """A nullable boolean column as a flag: NA stays NA."""
    return column.astype("boolean")


def social_flags(contracts: pd.DataFrame) -> pd.Series:
    """True where a social clause, criterion or reservation is declared; NA where empty."""
    return aggregates.has_social_consideration(contracts)


def reserved_flags(contracts: pd.DataFrame) -> pd.Series:
    """True where the contract is reserved (« Marché réservé »); NA where the field is empty."""
    col = contracts["considerationsSociales"]
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    filled = col != ""
    values = col[filled].str.split(v.MULTI_SEPARATOR, regex=False)
    result[filled] = values.map(lambda items: "Marché réservé" in items).astype(bool)
    return result


def supplier_share(t: Tables, part: str, known: str, by_amount: bool) -> pd.DataFrame:
    """Share of the suppliers' weight (`part`) among contracts whose suppliers are `known`
    (equal split between co-suppliers), in number of contracts or in amount."""
    w = t.weights
    if not by_amount:
        return counted(True, w[known] > 0, w[part], w[known], titulaires=w["titulaires"])
    amount = t.contracts["montant"]
    return counted(
        True,
        (w[known] > 0) & amount.notna(),
        amount * w[part],
        amount * w[known],
        titulaires=w["titulaires"],
    )


def regional_count(t: Tables) -> pd.DataFrame:
    return supplier_share(t, "poids_region", "poids_localisation_connue", by_amount=False)


def regional_amount(t: Tables) -> pd.DataFrame:
    return supplier_share(t, "poids_region", "poids_localisation_connue", by_amount=True)


def sme_count(t: Tables) -> pd.DataFrame:
    return supplier_share(t, "poids_pme", "poids_categorie_connue", by_amount=False)


def sme_amount(t: Tables) -> pd.DataFrame:
    return supplier_share(t, "poids_pme", "poids_categorie_connue", by_amount=True)


def advance_share(t: Tables) -> pd.DataFrame:
    return flag_share(is_true(t.contracts["attributionAvance"]))


def advance_rate(t: Tables) -> pd.DataFrame:
    """Mean rate among contracts with an advance: a granted advance with a rate of 0 or no rate
    means "rate unknown" (DECP 2.0.2) and is excluded; so is an unknown attribution."""
    granted = is_true(t.contracts["attributionAvance"])
    rate = t.contracts["tauxAvance"]
    scope = granted.fillna(True).astype(bool)
    known = granted.fillna(False).astype(bool) & rate.notna() & (rate > 0)
    return counted(scope, known, rate * 100, 1.0)


def subcontracting_share(t: Tables) -> pd.DataFrame:
    return flag_share(is_true(t.contracts["sousTraitanceDeclaree"]))


def environment_count(t: Tables) -> pd.DataFrame:
    return flag_share(aggregates.has_environmental_consideration(t.contracts))


def environment_amount(t: Tables) -> pd.DataFrame:
    flags = aggregates.has_environmental_consideration(t.contracts)
    return flag_amount_share(flags, t.contracts["montant"])


def environment_in(t: Tables, categories: tuple[str, ...]) -> pd.DataFrame:
    """Among contracts of these purchase categories; a contract without CPV code may belong to
    them, so it is in scope and excluded as unknown."""
    category = t.contracts["categorie"]
    flags = aggregates.has_environmental_consideration(t.contracts)
    scope = category.isin(categories) | (category == "")
    known = category.isin(categories) & flags.notna()
    return counted(scope, known, flags.fillna(False).astype(float), 1.0)


def environment_works(t: Tables) -> pd.DataFrame:
    return environment_in(t, ("Travaux",))


def environment_supplies_services(t: Tables) -> pd.DataFrame:
    return environment_in(t, ("Fournitures", "Services"))


def social_count(t: Tables) -> pd.DataFrame:
    return flag_share(social_flags(t.contracts))


def reserved_share(t: Tables) -> pd.DataFrame:
    return flag_share(reserved_flags(t.contracts))


def mean_offers(t: Tables) -> pd.DataFrame:
    offers = t.contracts["offresRecues"].astype("Float64")
    return counted(True, offers.notna(), offers.fillna(0), 1.0)


def single_offer_share(t: Tables) -> pd.DataFrame:
    single = aggregates.single_offer(t.contracts)
    return counted(True, single.notna(), single.fillna(False).astype(float), 1.0)


def innovative_share(t: Tables) -> pd.DataFrame:
    return flag_share(is_true(t.contracts["marcheInnovant"]))


def publication_delay(t: Tables) -> pd.DataFrame:
    """Days from notification to publication; a publication dated before the notification is
    incoherent and excluded."""
    days = aggregates.publication_delay_days(t.contracts)
    known = days.notna() & (days >= 0)
    return counted(True, known, days.fillna(0), 1.0, delai_jours=days)


def published_in_time(t: Tables) -> pd.DataFrame:
    days = aggregates.publication_delay_days(t.contracts)
    flags = aggregates.published_within_two_months(t.contracts)
    known = flags.notna() & (days >= 0)
    return counted(True, known, flags.fillna(False).astype(float), 1.0, delai_jours=days)


def key_field_completeness(t: Tables) -> pd.DataFrame:
    filled = aggregates.key_fields_filled(t.contracts, t.contract_suppliers)
    total = len(filled.columns)
    return counted(
        True,
        pd.Series(True, index=t.contracts.index),
        filled.sum(axis=1).astype(float),
        float(total),
        champs_manquants=aggregates.missing_key_fields(filled),
    )


@dataclass(frozen=True)
class Calculation:
    """A named calculation: what it reads, how rows combine, and the function."""

    name: str
    statistic: Statistic
    fields: tuple[str, ...]
    """Contract columns published with the rows counted (besides uid, year, service)."""
    function: Callable[[Tables], pd.DataFrame]
    reads: str
    """The data read, in plain French, for the method shown on the indicator's page."""


SUPPLIERS_READ = (
    "les titulaires actuels de chaque marché (marches-titulaires.csv, titulaireActuel : ceux "
    "de la dernière modification qui remplace la liste, sinon ceux de la notification) et, dans "
    "le référentiel des entreprises (titulaires.csv), {what}"
)
AMOUNT = (
    "le montant du marché à sa notification (montant, sans les modifications, comme les totaux "
    "par année de notification : la valeur d'une année terminée ne change pas quand une "
    "modification est publiée plus tard)"
)
LOCATION = SUPPLIERS_READ.format(
    what="leur département (titulaire_departement_code) ou leur région"
)
CATEGORY = SUPPLIERS_READ.format(what="leur catégorie (titulaire_categorie)")
ENVIRONMENT = "les considérations environnementales déclarées (considerationsEnvironnementales)"
PUBLICATION = "la date de notification (dateNotification) et la date de publication des données "
PUBLICATION += "(datePublicationDonnees)"
REGISTRY: dict[str, Calculation] = {
    c.name: c
    for c in (
        Calculation("part_entreprises_regionales_nombre", "part", (), regional_count, LOCATION),
        Calculation(
            "part_entreprises_regionales_montant",
            "part",
            ("montant",),
            regional_amount,
            AMOUNT + ", " + LOCATION,
        ),
        Calculation("part_pme_nombre", "part", (), sme_count, CATEGORY),
        Calculation(
            "part_pme_montant",
            "part",
            ("montant",),
            sme_amount,
            AMOUNT + ", " + CATEGORY,
        ),
        Calculation(
            "part_avance",
            "part",
            ("attributionAvance",),
            advance_share,
            "l'attribution d'une avance (attributionAvance)",
        ),
        Calculation(
            "taux_avance_moyen",
            "moyenne",
            ("attributionAvance", "tauxAvance"),
            advance_rate,
            "l'attribution d'une avance (attributionAvance) et son taux (tauxAvance)",
        ),
        Calculation(
            "part_sous_traitance",
            "part",
            ("sousTraitanceDeclaree",),
            subcontracting_share,
            "la déclaration d'une sous-traitance (sousTraitanceDeclaree)",
        ),
        Calculation(
            "part_environnement_nombre",
            "part",
            ("considerationsEnvironnementales",),
            environment_count,
            ENVIRONMENT,
        ),
        Calculation(
            "part_environnement_montant",
            "part",
            ("montant", "considerationsEnvironnementales"),
            environment_amount,
            AMOUNT + " et " + ENVIRONMENT,
        ),
        Calculation(
            "part_environnement_travaux",
            "part",
            ("codeCPV", "considerationsEnvironnementales"),
            environment_works,
            "le code CPV (codeCPV), qui donne la catégorie d'achat, et " + ENVIRONMENT,
        ),
        Calculation(
            "part_environnement_fournitures_services",
            "part",
            ("codeCPV", "considerationsEnvironnementales"),
            environment_supplies_services,
            "le code CPV (codeCPV), qui donne la catégorie d'achat, et " + ENVIRONMENT,
        ),
        Calculation(
            "part_sociale_nombre",
            "part",
            ("considerationsSociales",),
            social_count,
            "les considérations sociales déclarées (considerationsSociales)",
        ),
        Calculation(
            "part_marches_reserves",
            "part",
            ("considerationsSociales",),
            reserved_share,
            "les considérations sociales déclarées (considerationsSociales), "
            "dont « Marché réservé »",
        ),
        Calculation(
            "offres_moyennes",
            "moyenne",
            ("offresRecues",),
            mean_offers,
            "le nombre d'offres reçues (offresRecues)",
        ),
        Calculation(
            "part_offre_unique",
            "part",
            ("offresRecues",),
            single_offer_share,
            "le nombre d'offres reçues (offresRecues)",
        ),
        Calculation(
            "part_innovants",
            "part",
            ("marcheInnovant",),
            innovative_share,
            "la déclaration de marché innovant (marcheInnovant)",
        ),
        Calculation(
            "delai_publication_median",
            "mediane",
            ("dateNotification", "datePublicationDonnees"),
            publication_delay,
            PUBLICATION,
        ),
        Calculation(
            "part_publiee_2_mois",
            "part",
            ("dateNotification", "datePublicationDonnees"),
            published_in_time,
            PUBLICATION,
        ),
        Calculation(
            "completude_champs",
            "part",
            (),
            key_field_completeness,
            "les 10 champs clés : "
            + ", ".join(label for _, label in aggregates.KEY_FIELDS)
            + " (présence d'au moins un titulaire actuel dans marches-titulaires.csv)",
        ),
    )
}


def evaluate(name: str, tables: Tables) -> pd.DataFrame:
    """The per-contract frame of a registered calculation."""
    return REGISTRY[name].function(tables)
