"""The fields of the four DECP tables: contracts (`marches`), their suppliers
(`marches-titulaires`), their modifications (`modifications`) and the supplier reference
(`titulaires`). Names, types and lists of values follow the DECP 2022 format and the national
tabular files."""

from __future__ import annotations

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder.fields import (
    CPV_DESCRIPTION,
    CPV_PATTERN,
    DATE_DESCRIPTION,
    SIRET_DESCRIPTION,
    SIRET_PATTERN,
    SLUG_PATTERN,
    Field,
    define,
    define_multi,
)

MARCHES_FIELDS: list[Field] = [
    define(
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
    define(
        "id",
        "string",
        "Identifiant interne du marché",
        "Numéro du marché attribué par l'acheteur (1 à 16 caractères selon le format DECP 2022).",
        "20240012",
        required=True,
    ),
    define(
        "acheteur_id",
        "string",
        "SIRET de l'acheteur",
        SIRET_DESCRIPTION + " Pour un groupement d'acheteurs, le SIRET du mandataire.",
        "20005374200017",
        required=True,
        pattern=SIRET_PATTERN,
    ),
    define(
        "acheteur_service_id",
        "string",
        "Service acheteur",
        "Identifiant du service (direction) de l'acheteur qui a passé le marché, tel que défini "
        "dans la table des services (services.csv). Ce champ n'existe pas dans les DECP : il est "
        "propre à ce site. Minuscules, chiffres et tirets.",
        "lycees",
        pattern=SLUG_PATTERN,
    ),
    define(
        "nature",
        "string",
        "Nature du marché",
        "Nature juridique du marché, selon la liste du format DECP 2022.",
        "Marché",
        enum=list(v.NATURES),
    ),
    define(
        "objet",
        "string",
        "Objet du marché",
        "Description de l'objet du marché, en texte libre (1 000 caractères au plus).",
        "Rénovation énergétique du lycée Jean Bart à Dunkerque",
        required=True,
        maxLength=1000,
    ),
    define(
        "codeCPV",
        "string",
        "Code CPV principal",
        CPV_DESCRIPTION,
        "45214200-2",
        pattern=CPV_PATTERN,
    ),
    define_multi(
        "techniques",
        "Techniques d'achat",
        "Techniques d'achat utilisées.",
        v.TECHNIQUES,
        "Accord-cadre",
    ),
    define_multi(
        "modalitesExecution",
        "Modalités d'exécution",
        "Modalités d'exécution du marché.",
        v.MODALITES_EXECUTION,
        "Bons de commande",
    ),
    define(
        "idAccordCadre",
        "string",
        "Identifiant de l'accord-cadre",
        "Pour un marché subséquent, l'identifiant interne de l'accord-cadre dont il découle.",
        "20230007",
    ),
    define(
        "marcheInnovant",
        "boolean",
        "Marché innovant",
        "« true » si le marché porte sur des travaux, fournitures ou services innovants, "
        "« false » sinon.",
        "false",
    ),
    define(
        "ccag",
        "string",
        "CCAG de référence",
        "Cahier des clauses administratives générales auquel le marché fait référence.",
        "Travaux",
        enum=list(v.CCAG),
    ),
    define(
        "offresRecues",
        "integer",
        "Nombre d'offres reçues",
        "Nombre d'offres reçues, y compris les offres irrégulières, inacceptables ou "
        "anormalement basses (entier, 1 au moins).",
        "4",
        minimum=1,
    ),
    define(
        "attributionAvance",
        "boolean",
        "Avance accordée",
        "« true » si une avance est accordée au titulaire, « false » sinon.",
        "true",
    ),
    define(
        "tauxAvance",
        "number",
        "Taux de l'avance",
        "Taux de l'avance exprimé en fraction du montant, entre 0 et 1, avec un point décimal "
        "(10 % s'écrit 0.1). 0 avec une avance accordée signifie « taux inconnu ».",
        "0.1",
        minimum=0,
        maximum=1,
    ),
    define(
        "typeGroupementOperateurs",
        "string",
        "Type de groupement d'opérateurs",
        "Forme du groupement des titulaires, s'il y en a un.",
        "Pas de groupement",
        enum=list(v.GROUPEMENTS),
    ),
    define(
        "sousTraitanceDeclaree",
        "boolean",
        "Sous-traitance déclarée",
        "« true » si une sous-traitance a été déclarée, « false » sinon.",
        "false",
    ),
    define(
        "procedure",
        "string",
        "Procédure de passation",
        "Procédure suivie pour passer le marché, selon la liste du format DECP 2022.",
        "Appel d'offres ouvert",
        enum=list(v.PROCEDURES),
    ),
    define(
        "lieuExecution_code",
        "string",
        "Code du lieu d'exécution",
        "Code du principal lieu d'exécution (code commune INSEE de préférence, code postal, "
        "département, région ou pays), écrit comme du texte pour garder les zéros initiaux.",
        "59183",
        maxLength=10,
    ),
    define(
        "lieuExecution_typeCode",
        "string",
        "Type de code du lieu d'exécution",
        "Nature du code du lieu d'exécution.",
        "Code commune",
        enum=list(v.TYPES_CODE_LIEU),
    ),
    define(
        "dureeMois",
        "integer",
        "Durée en mois à la notification",
        "Durée du marché en mois à sa notification, tranches et reconductions comprises, arrondie "
        "au mois supérieur (entier, 1 au moins), comme dans les DECP. Une modification ne la "
        "change pas : la durée après modifications est dans dureeMoisActuelle.",
        "36",
        minimum=1,
    ),
    define(
        "dureeMoisActuelle",
        "integer",
        "Durée actuelle en mois",
        "Durée du marché en mois après ses modifications : celle fixée par la dernière "
        "modification qui en fixe une (modifications.csv), sinon la durée à la notification "
        "(dureeMois). Ce champ n'existe pas dans les DECP : il est propre à ce site.",
        "42",
        minimum=1,
    ),
    define(
        "dateNotification",
        "date",
        "Date de notification",
        f"Date de notification du marché au titulaire, {DATE_DESCRIPTION}.",
        "2024-03-12",
        required=True,
    ),
    define(
        "datePublicationDonnees",
        "date",
        "Date de publication des données",
        f"Date de la première publication des données essentielles, {DATE_DESCRIPTION}.",
        "2024-04-02",
    ),
    define(
        "montant",
        "number",
        "Montant à la notification en euros HT",
        "Montant du marché en euros hors taxes à sa notification (montant forfaitaire ou maximum "
        "estimé), comme dans les DECP, avec un point décimal et sans séparateur de milliers "
        "(1234567.89). Une modification ne le change pas : le montant après modifications est "
        "dans montantActuel.",
        "1250000.00",
        required=True,
        minimum=1,
    ),
    define(
        "montantActuel",
        "number",
        "Montant actuel en euros HT",
        "Montant du marché en euros hors taxes après ses modifications : celui fixé par la "
        "dernière modification qui en fixe un (modifications.csv), sinon le montant à la "
        "notification (montant). Ce champ n'existe pas dans les DECP : il est propre à ce site.",
        "1380000.00",
        required=True,
        minimum=1,
    ),
    define_multi(
        "typesPrix",
        "Types de prix",
        "Types de prix du marché.",
        v.TYPES_PRIX,
        "Définitif révisable",
    ),
    define(
        "formePrix",
        "string",
        "Forme du prix",
        "Forme du prix du marché.",
        "Forfaitaire",
        enum=list(v.FORMES_PRIX),
    ),
    define(
        "origineUE",
        "number",
        "Part d'origine Union européenne",
        "Pour les denrées alimentaires, véhicules, produits de santé et habillement : part des "
        "produits d'origine de l'Union européenne, France comprise, entre 0 et 1 (0.75 pour 75 %).",
        "0.75",
        minimum=0,
        maximum=1,
    ),
    define(
        "origineFrance",
        "number",
        "Part d'origine France",
        "Part des produits d'origine française, entre 0 et 1, au plus égale à origineUE.",
        "0.5",
        minimum=0,
        maximum=1,
    ),
    define_multi(
        "considerationsSociales",
        "Considérations sociales",
        "Considérations sociales prises en compte dans le marché.",
        v.CONSIDERATIONS_SOCIALES,
        "Clause sociale",
    ),
    define_multi(
        "considerationsEnvironnementales",
        "Considérations environnementales",
        "Considérations environnementales prises en compte dans le marché.",
        v.CONSIDERATIONS_ENVIRONNEMENTALES,
        "Clause environnementale, Critère environnemental",
    ),
]

MARCHES_TITULAIRES_FIELDS: list[Field] = [
    define(
        "uid",
        "string",
        "Identifiant unique du marché",
        "Identifiant unique du marché (champ uid de marches.csv).",
        "2000537420001720240012",
        required=True,
    ),
    define(
        "titulaire_typeIdentifiant",
        "string",
        "Type d'identifiant du titulaire",
        "Nature de l'identifiant du titulaire, selon la liste du format DECP 2022.",
        "SIRET",
        required=True,
        enum=list(v.TYPES_IDENTIFIANT),
    ),
    define(
        "titulaire_id",
        "string",
        "Identifiant du titulaire",
        "Identifiant du titulaire : pour un SIRET, 14 chiffres sans espace, écrit comme du texte.",
        "59145318800029",
        required=True,
        maxLength=32,
    ),
    define(
        "titulaireInitial",
        "boolean",
        "Titulaire à la notification",
        "« true » si l'entreprise est titulaire du marché à sa notification (la liste des "
        "titulaires des DECP), « false » si elle ne l'est devenue que par une modification. Ce "
        "champ n'existe pas dans les DECP : il est propre à ce site.",
        "true",
        required=True,
    ),
    define(
        "titulaireActuel",
        "boolean",
        "Titulaire actuel",
        "« true » si l'entreprise est titulaire du marché après ses modifications (la liste fixée "
        "par la dernière modification qui en fixe une, sinon la liste à la notification), "
        "« false » si une modification l'a remplacée. Sans modification des titulaires, les deux "
        "colonnes valent « true ». Ce champ n'existe pas dans les DECP : il est propre à ce site.",
        "true",
        required=True,
    ),
]

MODIFICATIONS_FIELDS: list[Field] = [
    define(
        "uid",
        "string",
        "Identifiant unique du marché",
        "Identifiant unique du marché modifié (champ uid de marches.csv).",
        "2000537420001720240012",
        required=True,
    ),
    define(
        "modification_id",
        "integer",
        "Numéro de la modification",
        "Numéro d'ordre de la modification (1 pour la première), croissant dans l'ordre des "
        "notifications.",
        "1",
        required=True,
        minimum=1,
    ),
    define(
        "dateNotificationModification",
        "date",
        "Date de notification de la modification",
        f"Date de notification de la modification, {DATE_DESCRIPTION}.",
        "2025-01-15",
        required=True,
    ),
    define(
        "datePublicationDonneesModification",
        "date",
        "Date de publication de la modification",
        f"Date de publication des données de la modification, {DATE_DESCRIPTION}.",
        "2025-02-03",
    ),
    define(
        "montant",
        "number",
        "Nouveau montant en euros HT",
        "Nouveau montant total du marché fixé par la modification (il remplace le montant "
        "précédent, il ne s'y ajoute pas), en euros HT avec un point décimal. Vide si la "
        "modification ne change pas le montant. Le montant de la dernière modification qui en "
        "fixe un est le montant actuel (montantActuel de marches.csv).",
        "1380000.00",
        minimum=1,
    ),
    define(
        "dureeMois",
        "integer",
        "Nouvelle durée en mois",
        "Nouvelle durée totale du marché en mois après la modification. Vide si elle ne change "
        "pas.",
        "42",
        minimum=1,
    ),
    define(
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
    define(
        "titulaire_typeIdentifiant",
        "string",
        "Type d'identifiant",
        "Nature de l'identifiant de l'entreprise, selon la liste du format DECP 2022.",
        "SIRET",
        required=True,
        enum=list(v.TYPES_IDENTIFIANT),
    ),
    define(
        "titulaire_id",
        "string",
        "Identifiant",
        "Identifiant de l'entreprise : pour un SIRET, 14 chiffres sans espace.",
        "59145318800029",
        required=True,
        maxLength=32,
    ),
    define(
        "titulaire_nom",
        "string",
        "Raison sociale",
        "Dénomination de l'entreprise (les DECP 2022 ne la publient pas ; elle vient du "
        "répertoire SIRENE ou des fichiers de l'acheteur).",
        "Menuiseries du Hainaut",
        required=True,
        maxLength=250,
    ),
    define(
        "titulaire_categorie",
        "string",
        "Catégorie d'entreprise",
        "Catégorie d'entreprise : TPE (microentreprise), PME, ETI (entreprise de taille "
        "intermédiaire) ou GE (grande entreprise).",
        "PME",
        enum=list(v.CATEGORIES_ENTREPRISE),
    ),
    define(
        "titulaire_commune_code",
        "string",
        "Code commune INSEE",
        "Code officiel géographique (INSEE) de la commune de l'établissement, 5 caractères.",
        "59350",
        pattern=r"^[0-9][0-9AB][0-9]{3}$",
    ),
    define(
        "titulaire_commune_nom",
        "string",
        "Commune",
        "Nom de la commune de l'établissement.",
        "Lille",
    ),
    define(
        "titulaire_departement_code",
        "string",
        "Code département",
        "Code du département de l'établissement (2 ou 3 caractères, « 02 » pour l'Aisne).",
        "59",
        pattern=r"^([0-9]{2}|2A|2B|97[1-8])$",
    ),
    define(
        "titulaire_region_code",
        "string",
        "Code région",
        "Code INSEE de la région de l'établissement (2 chiffres, « 32 » pour les Hauts-de-France).",
        "32",
        pattern=r"^[0-9]{2}$",
    ),
]
