"""Data contracts: the Table Schemas of every dataset, and the Data Package that lists them.

This module is the single source of the schemas. `achats-ouverts schemas DIR` (and the demo
generator, and the importer) write them as JSON into a data folder; a test checks that the copies
committed in `data/schemas/` are identical. Column names are the DECP names used by the national
tabular files (decp.info), so that published CSVs join with national data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from achats_ouverts import vocabulary as v

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

Field = dict[str, Any]


def _field(
    name: str,
    type_: str,
    title: str,
    description: str,
    example: str,
    **constraints: Any,
) -> Field:
    field: Field = {
        "name": name,
        "type": type_,
        "title": title,
        "description": description,
        "example": example,
    }
    fmt = constraints.pop("format", None)
    if fmt:
        field["format"] = fmt
    if type_ == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


def multi_value_pattern(values: tuple[str, ...]) -> str:
    """Regex accepting one or more allowed values joined by the multi-value separator."""
    one = "(" + "|".join(re.escape(value) for value in values) + ")"
    return f"^{one}({re.escape(v.MULTI_SEPARATOR)}{one})*$"


def _multi(name: str, title: str, description: str, values: tuple[str, ...], example: str) -> Field:
    listed = " ; ".join(f"« {value} »" for value in values)
    text = (
        f"{description} Une ou plusieurs valeurs parmi : {listed}, "
        f"séparées par une virgule suivie d'une espace (« {v.MULTI_SEPARATOR} »)."
    )
    return _field(name, "string", title, text, example, pattern=multi_value_pattern(values))


SIRET_DESCRIPTION = (
    "Numéro SIRET à 14 chiffres, sans espace (9 chiffres du SIREN suivis des 5 chiffres du NIC), "
    "écrit comme du texte pour garder les zéros initiaux."
)
DATE_DESCRIPTION = "au format ISO 8601 AAAA-MM-JJ"
CPV_DESCRIPTION = (
    "Code du vocabulaire commun pour les marchés publics (CPV 2008) : 8 chiffres, suivis ou non "
    "d'un tiret et du chiffre de contrôle (« 45214200-2 » ou « 45214200 »)."
)
CPV_PATTERN = r"^[0-9]{8}(-[0-9])?$"
SIRET_PATTERN = r"^[0-9]{14}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

MARCHES_FIELDS: list[Field] = [
    _field(
        "uid",
        "string",
        "Identifiant unique du marché",
        "Identifiant unique : SIRET de l'acheteur suivi de l'identifiant interne du marché "
        "(champ id). Un suffixe peut distinguer deux marchés publiés avec le même identifiant.",
        "2000537420001720240012",
        required=True,
        unique=True,
        maxLength=64,
    ),
    _field(
        "id",
        "string",
        "Identifiant interne du marché",
        "Numéro du marché attribué par l'acheteur (1 à 16 caractères selon le format DECP 2022).",
        "20240012",
        required=True,
    ),
    _field(
        "acheteur_id",
        "string",
        "SIRET de l'acheteur",
        SIRET_DESCRIPTION + " Pour un groupement d'acheteurs, le SIRET du mandataire.",
        "20005374200017",
        required=True,
        pattern=SIRET_PATTERN,
    ),
    _field(
        "acheteur_service_id",
        "string",
        "Service acheteur",
        "Identifiant du service (direction) de l'acheteur qui a passé le marché, tel que défini "
        "dans la table des services (services.csv). Ce champ n'existe pas dans les DECP : il est "
        "propre à ce site. Minuscules, chiffres et tirets.",
        "lycees",
        pattern=SLUG_PATTERN,
    ),
    _field(
        "nature",
        "string",
        "Nature du marché",
        "Nature juridique du marché, selon la liste du format DECP 2022.",
        "Marché",
        enum=list(v.NATURES),
    ),
    _field(
        "objet",
        "string",
        "Objet du marché",
        "Description de l'objet du marché, en texte libre (1 000 caractères au plus).",
        "Rénovation énergétique du lycée Jean Bart à Dunkerque",
        required=True,
        maxLength=1000,
    ),
    _field(
        "codeCPV",
        "string",
        "Code CPV principal",
        CPV_DESCRIPTION,
        "45214200-2",
        pattern=CPV_PATTERN,
    ),
    _multi(
        "techniques",
        "Techniques d'achat",
        "Techniques d'achat utilisées.",
        v.TECHNIQUES,
        "Accord-cadre",
    ),
    _multi(
        "modalitesExecution",
        "Modalités d'exécution",
        "Modalités d'exécution du marché.",
        v.MODALITES_EXECUTION,
        "Bons de commande",
    ),
    _field(
        "idAccordCadre",
        "string",
        "Identifiant de l'accord-cadre",
        "Pour un marché subséquent, l'identifiant interne de l'accord-cadre dont il découle.",
        "20230007",
    ),
    _field(
        "marcheInnovant",
        "boolean",
        "Marché innovant",
        "« true » si le marché porte sur des travaux, fournitures ou services innovants, "
        "« false » sinon.",
        "false",
    ),
    _field(
        "ccag",
        "string",
        "CCAG de référence",
        "Cahier des clauses administratives générales auquel le marché fait référence.",
        "Travaux",
        enum=list(v.CCAG),
    ),
    _field(
        "offresRecues",
        "integer",
        "Nombre d'offres reçues",
        "Nombre d'offres reçues, y compris les offres irrégulières, inacceptables ou "
        "anormalement basses (entier, 1 au moins).",
        "4",
        minimum=1,
    ),
    _field(
        "attributionAvance",
        "boolean",
        "Avance accordée",
        "« true » si une avance est accordée au titulaire, « false » sinon.",
        "true",
    ),
    _field(
        "tauxAvance",
        "number",
        "Taux de l'avance",
        "Taux de l'avance exprimé en fraction du montant, entre 0 et 1, avec un point décimal "
        "(10 % s'écrit 0.1). 0 avec une avance accordée signifie « taux inconnu ».",
        "0.1",
        minimum=0,
        maximum=1,
    ),
    _field(
        "typeGroupementOperateurs",
        "string",
        "Type de groupement d'opérateurs",
        "Forme du groupement des titulaires, s'il y en a un.",
        "Pas de groupement",
        enum=list(v.GROUPEMENTS),
    ),
    _field(
        "sousTraitanceDeclaree",
        "boolean",
        "Sous-traitance déclarée",
        "« true » si une sous-traitance a été déclarée, « false » sinon.",
        "false",
    ),
    _field(
        "procedure",
        "string",
        "Procédure de passation",
        "Procédure suivie pour passer le marché, selon la liste du format DECP 2022.",
        "Appel d'offres ouvert",
        enum=list(v.PROCEDURES),
    ),
    _field(
        "lieuExecution_code",
        "string",
        "Code du lieu d'exécution",
        "Code du principal lieu d'exécution (code commune INSEE de préférence, code postal, "
        "département, région ou pays), écrit comme du texte pour garder les zéros initiaux.",
        "59183",
        maxLength=10,
    ),
    _field(
        "lieuExecution_typeCode",
        "string",
        "Type de code du lieu d'exécution",
        "Nature du code du lieu d'exécution.",
        "Code commune",
        enum=list(v.TYPES_CODE_LIEU),
    ),
    _field(
        "dureeMois",
        "integer",
        "Durée en mois",
        "Durée initiale du marché en mois, tranches et reconductions comprises, arrondie au mois "
        "supérieur (entier, 1 au moins).",
        "36",
        minimum=1,
    ),
    _field(
        "dateNotification",
        "date",
        "Date de notification",
        f"Date de notification du marché au titulaire, {DATE_DESCRIPTION}.",
        "2024-03-12",
        required=True,
    ),
    _field(
        "datePublicationDonnees",
        "date",
        "Date de publication des données",
        f"Date de la première publication des données essentielles, {DATE_DESCRIPTION}.",
        "2024-04-02",
    ),
    _field(
        "montant",
        "number",
        "Montant en euros HT",
        "Montant du marché en euros hors taxes, après les éventuelles modifications (montant "
        "forfaitaire ou maximum estimé), avec un point décimal et sans séparateur de milliers "
        "(1234567.89).",
        "1250000.00",
        required=True,
        minimum=1,
    ),
    _multi(
        "typesPrix",
        "Types de prix",
        "Types de prix du marché.",
        v.TYPES_PRIX,
        "Définitif révisable",
    ),
    _field(
        "formePrix",
        "string",
        "Forme du prix",
        "Forme du prix du marché.",
        "Forfaitaire",
        enum=list(v.FORMES_PRIX),
    ),
    _field(
        "origineUE",
        "number",
        "Part d'origine Union européenne",
        "Pour les denrées alimentaires, véhicules, produits de santé et habillement : part des "
        "produits d'origine de l'Union européenne, France comprise, entre 0 et 1 (0.75 pour 75 %).",
        "0.75",
        minimum=0,
        maximum=1,
    ),
    _field(
        "origineFrance",
        "number",
        "Part d'origine France",
        "Part des produits d'origine française, entre 0 et 1, au plus égale à origineUE.",
        "0.5",
        minimum=0,
        maximum=1,
    ),
    _multi(
        "considerationsSociales",
        "Considérations sociales",
        "Considérations sociales prises en compte dans le marché.",
        v.CONSIDERATIONS_SOCIALES,
        "Clause sociale",
    ),
    _multi(
        "considerationsEnvironnementales",
        "Considérations environnementales",
        "Considérations environnementales prises en compte dans le marché.",
        v.CONSIDERATIONS_ENVIRONNEMENTALES,
        "Clause environnementale, Critère environnemental",
    ),
]

MARCHES_TITULAIRES_FIELDS: list[Field] = [
    _field(
        "uid",
        "string",
        "Identifiant unique du marché",
        "Identifiant unique du marché (champ uid de marches.csv).",
        "2000537420001720240012",
        required=True,
    ),
    _field(
        "titulaire_typeIdentifiant",
        "string",
        "Type d'identifiant du titulaire",
        "Nature de l'identifiant du titulaire, selon la liste du format DECP 2022.",
        "SIRET",
        required=True,
        enum=list(v.TYPES_IDENTIFIANT),
    ),
    _field(
        "titulaire_id",
        "string",
        "Identifiant du titulaire",
        "Identifiant du titulaire : pour un SIRET, 14 chiffres sans espace, écrit comme du texte.",
        "59145318800029",
        required=True,
        maxLength=32,
    ),
]

MODIFICATIONS_FIELDS: list[Field] = [
    _field(
        "uid",
        "string",
        "Identifiant unique du marché",
        "Identifiant unique du marché modifié (champ uid de marches.csv).",
        "2000537420001720240012",
        required=True,
    ),
    _field(
        "modification_id",
        "integer",
        "Numéro de la modification",
        "Numéro d'ordre de la modification (1 pour la première), croissant dans l'ordre des "
        "notifications.",
        "1",
        required=True,
        minimum=1,
    ),
    _field(
        "dateNotificationModification",
        "date",
        "Date de notification de la modification",
        f"Date de notification de la modification, {DATE_DESCRIPTION}.",
        "2025-01-15",
        required=True,
    ),
    _field(
        "datePublicationDonneesModification",
        "date",
        "Date de publication de la modification",
        f"Date de publication des données de la modification, {DATE_DESCRIPTION}.",
        "2025-02-03",
    ),
    _field(
        "montant",
        "number",
        "Nouveau montant en euros HT",
        "Nouveau montant total du marché après la modification (il remplace le montant "
        "précédent, il ne s'y ajoute pas), en euros HT avec un point décimal. Vide si la "
        "modification ne change pas le montant.",
        "1380000.00",
        minimum=1,
    ),
    _field(
        "dureeMois",
        "integer",
        "Nouvelle durée en mois",
        "Nouvelle durée totale du marché en mois après la modification. Vide si elle ne change "
        "pas.",
        "42",
        minimum=1,
    ),
    _field(
        "titulaires",
        "string",
        "Nouvelle liste des titulaires",
        "Liste complète des titulaires après la modification, chacun écrit « TYPE:identifiant » "
        f"(par exemple « SIRET:59145318800029 »), séparés par « {v.MULTI_SEPARATOR} ». Vide si "
        "les titulaires ne changent pas.",
        "SIRET:59145318800029",
        pattern=r"^[A-Z-]+:[^,\s]+(, [A-Z-]+:[^,\s]+)*$",
    ),
]

TITULAIRES_FIELDS: list[Field] = [
    _field(
        "titulaire_typeIdentifiant",
        "string",
        "Type d'identifiant",
        "Nature de l'identifiant de l'entreprise, selon la liste du format DECP 2022.",
        "SIRET",
        required=True,
        enum=list(v.TYPES_IDENTIFIANT),
    ),
    _field(
        "titulaire_id",
        "string",
        "Identifiant",
        "Identifiant de l'entreprise : pour un SIRET, 14 chiffres sans espace.",
        "59145318800029",
        required=True,
        maxLength=32,
    ),
    _field(
        "titulaire_nom",
        "string",
        "Raison sociale",
        "Dénomination de l'entreprise (les DECP 2022 ne la publient pas ; elle vient du "
        "répertoire SIRENE ou des fichiers de l'acheteur).",
        "Menuiseries du Hainaut",
        required=True,
        maxLength=250,
    ),
    _field(
        "titulaire_categorie",
        "string",
        "Catégorie d'entreprise",
        "Catégorie d'entreprise : TPE (microentreprise), PME, ETI (entreprise de taille "
        "intermédiaire) ou GE (grande entreprise).",
        "PME",
        enum=list(v.CATEGORIES_ENTREPRISE),
    ),
    _field(
        "titulaire_commune_code",
        "string",
        "Code commune INSEE",
        "Code officiel géographique (INSEE) de la commune de l'établissement, 5 caractères.",
        "59350",
        pattern=r"^[0-9][0-9AB][0-9]{3}$",
    ),
    _field(
        "titulaire_commune_nom",
        "string",
        "Commune",
        "Nom de la commune de l'établissement.",
        "Lille",
    ),
    _field(
        "titulaire_departement_code",
        "string",
        "Code département",
        "Code du département de l'établissement (2 ou 3 caractères, « 02 » pour l'Aisne).",
        "59",
        pattern=r"^([0-9]{2}|2A|2B|97[1-8])$",
    ),
    _field(
        "titulaire_region_code",
        "string",
        "Code région",
        "Code INSEE de la région de l'établissement (2 chiffres, « 32 » pour les Hauts-de-France).",
        "32",
        pattern=r"^[0-9]{2}$",
    ),
]

SERVICES_FIELDS: list[Field] = [
    _field(
        "service_id",
        "string",
        "Identifiant du service",
        "Identifiant court et stable du service acheteur : minuscules, chiffres et tirets.",
        "lycees",
        required=True,
        unique=True,
        pattern=SLUG_PATTERN,
    ),
    _field(
        "service_nom",
        "string",
        "Nom du service",
        "Nom du service (direction) tel qu'il est présenté au public.",
        "Direction des lycées",
        required=True,
        maxLength=200,
    ),
    _field(
        "service_description",
        "string",
        "Description",
        "Ce que le service achète, en une ou deux phrases.",
        "Travaux, équipement et entretien des lycées publics.",
        maxLength=1000,
    ),
]

ACHATS_A_VENIR_FIELDS: list[Field] = [
    _field(
        "id",
        "string",
        "Identifiant de l'achat prévu",
        "Identifiant stable de l'achat dans la programmation (lettres, chiffres et tirets).",
        "2027-lyc-004",
        required=True,
        unique=True,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    ),
    _field(
        "objet",
        "string",
        "Objet",
        "Ce qui sera acheté, en texte libre.",
        "Restructuration de la demi-pension du lycée Condorcet à Saint-Quentin",
        required=True,
        maxLength=1000,
    ),
    _field(
        "codeCPV", "string", "Code CPV envisagé", CPV_DESCRIPTION, "45214200", pattern=CPV_PATTERN
    ),
    _field(
        "categorie",
        "string",
        "Catégorie d'achat",
        "Travaux, Fournitures ou Services.",
        "Travaux",
        required=True,
        enum=list(v.CATEGORIES_ACHAT),
    ),
    _field(
        "service_id",
        "string",
        "Service acheteur",
        "Identifiant du service acheteur (table services.csv).",
        "lycees",
        pattern=SLUG_PATTERN,
    ),
    _field(
        "montantEstime",
        "number",
        "Montant estimé en euros HT",
        "Montant estimé en euros HT, avec un point décimal. Peut être remplacé par une "
        "fourchette (montantEstimeMin et montantEstimeMax).",
        "850000",
        minimum=0,
    ),
    _field(
        "montantEstimeMin",
        "number",
        "Fourchette basse en euros HT",
        "Bas de la fourchette de montant estimé, en euros HT.",
        "500000",
        minimum=0,
    ),
    _field(
        "montantEstimeMax",
        "number",
        "Fourchette haute en euros HT",
        "Haut de la fourchette de montant estimé, en euros HT.",
        "1000000",
        minimum=0,
    ),
    _field(
        "dateLancementPrevue",
        "date",
        "Date de lancement prévue",
        f"Date prévue de publication de la consultation, {DATE_DESCRIPTION}. Peut être remplacée "
        "par un trimestre (trimestreLancementPrevu).",
        "2027-03-01",
    ),
    _field(
        "trimestreLancementPrevu",
        "string",
        "Trimestre de lancement prévu",
        "Trimestre prévu de publication de la consultation, au format AAAA-Tn (2027-T1 pour "
        "janvier à mars 2027).",
        "2027-T1",
        pattern=r"^[0-9]{4}-T[1-4]$",
    ),
    _field(
        "dureeMoisPrevue",
        "integer",
        "Durée prévue en mois",
        "Durée envisagée du marché en mois (entier).",
        "48",
        minimum=1,
    ),
    _field(
        "procedurePrevue",
        "string",
        "Procédure envisagée",
        "Procédure de passation envisagée, selon la liste du format DECP 2022.",
        "Appel d'offres ouvert",
        enum=list(v.PROCEDURES),
    ),
    _field(
        "lieuExecution_code",
        "string",
        "Code du lieu d'exécution",
        "Code du lieu d'exécution prévu (commune INSEE, département ou région), en texte.",
        "02691",
        maxLength=10,
    ),
    _field(
        "lieuExecution_typeCode",
        "string",
        "Type de code du lieu d'exécution",
        "Nature du code du lieu d'exécution.",
        "Code commune",
        enum=list(v.TYPES_CODE_LIEU),
    ),
    _field(
        "lieuExecution_nom",
        "string",
        "Lieu d'exécution",
        "Nom du lieu d'exécution, pour l'affichage.",
        "Saint-Quentin",
        maxLength=200,
    ),
    _field(
        "nombreLots",
        "integer",
        "Nombre de lots",
        "Nombre de lots envisagés (1 si le marché n'est pas alloti).",
        "3",
        minimum=1,
    ),
    _multi(
        "considerationsSocialesPrevues",
        "Considérations sociales prévues",
        "Considérations sociales envisagées.",
        v.CONSIDERATIONS_SOCIALES,
        "Clause sociale",
    ),
    _multi(
        "considerationsEnvironnementalesPrevues",
        "Considérations environnementales prévues",
        "Considérations environnementales envisagées.",
        v.CONSIDERATIONS_ENVIRONNEMENTALES,
        "Critère environnemental",
    ),
    _field(
        "marcheReserve",
        "boolean",
        "Marché réservé",
        "« true » si le marché sera réservé (structures d'insertion, entreprises adaptées, ESS), "
        "« false » sinon.",
        "false",
    ),
    _field(
        "accessiblePME",
        "boolean",
        "Adapté aux PME",
        "« true » si l'achat est conçu pour être accessible aux PME (allotissement fin, "
        "exigences proportionnées), « false » sinon.",
        "true",
    ),
    _field(
        "contact",
        "string",
        "Contact",
        "Adresse électronique à laquelle les entreprises peuvent poser leurs questions.",
        "achats@example.fr",
        format="email",
    ),
    _field(
        "statut",
        "string",
        "Statut",
        "Avancement : prévu, lancé (consultation publiée), attribué, reporté ou abandonné.",
        "prévu",
        required=True,
        enum=list(v.STATUTS_ACHAT),
    ),
    _field(
        "dateAnnonce",
        "date",
        "Date d'annonce",
        f"Date à laquelle l'achat est apparu dans la programmation publiée, {DATE_DESCRIPTION}.",
        "2026-09-15",
    ),
    _field(
        "dateLancement",
        "date",
        "Date de lancement effective",
        f"Date de publication effective de la consultation, {DATE_DESCRIPTION}.",
        "2027-03-04",
    ),
    _field(
        "urlConsultation",
        "string",
        "Adresse de la consultation",
        "Adresse web (https) de la consultation sur le profil d'acheteur, une fois lancée.",
        "https://marches.example.fr/consultation/1234",
        format="uri",
        pattern=r"^https?://[^\s]+$",
    ),
    _field(
        "dateLimiteRemiseOffres",
        "date",
        "Date limite de remise des offres",
        f"Date limite de remise des offres, {DATE_DESCRIPTION}.",
        "2027-04-10",
    ),
    _field(
        "uidMarche",
        "string",
        "Marché attribué",
        "Une fois l'achat attribué, l'identifiant unique (uid) du marché dans marches.csv.",
        "2000537420001720270031",
    ),
]

INDICATEURS_DECLARES_FIELDS: list[Field] = [
    _field(
        "indicateur_id",
        "string",
        "Identifiant de l'indicateur",
        "Identifiant d'un indicateur de type « déclaré » défini dans politique.yaml.",
        "delai-paiement",
        required=True,
        pattern=SLUG_PATTERN,
    ),
    _field(
        "annee",
        "integer",
        "Année",
        "Année civile à laquelle se rapporte la valeur (AAAA).",
        "2024",
        required=True,
        minimum=2000,
        maximum=2100,
    ),
    _field(
        "valeur",
        "number",
        "Valeur",
        "Valeur de l'indicateur pour l'année, dans l'unité de l'indicateur, avec un point décimal "
        "(un pourcentage s'écrit en pourcent : 23.5 pour 23,5 %).",
        "27.5",
        required=True,
    ),
    _field(
        "source",
        "string",
        "Source",
        "D'où vient la valeur (application, service, rapport).",
        "Logiciel financier, mandats payés",
        required=True,
        maxLength=300,
    ),
    _field(
        "commentaire",
        "string",
        "Commentaire",
        "Précision utile pour lire la valeur.",
        "Délai global de paiement moyen.",
        maxLength=1000,
    ),
]


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
        "Un marché par ligne, dans son état actuel (modifications appliquées), avec les champs "
        "des données essentielles de la commande publique (format DECP 2022).",
        tuple(MARCHES_FIELDS),
        ("uid",),
        ((("acheteur_service_id",), "services", ("service_id",)),),
    ),
    Dataset(
        "marches-titulaires",
        "Titulaires des marchés",
        "Une ligne par marché et par titulaire : la liste actuelle des titulaires de chaque "
        "marché.",
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
