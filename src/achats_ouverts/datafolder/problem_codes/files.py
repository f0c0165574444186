"""The codes about reading each CSV file of a data folder, and about its Table Schema
(frictionless's codes, which keep frictionless's names so that its documentation applies).

The limits named in the meanings are those of `validation.reading` (the tests compare them)."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import Code, Stage
from achats_ouverts.report import Severity

ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE
READING, SCHEMA, CHECKS = Stage.READING, Stage.SCHEMA, Stage.CHECKS

# --- Reading a CSV file -----------------------------------------------------------------------

FICHIER_VIDE = Code(
    "fichier-vide",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier est vide : pas même une ligne d'en-tête.",
    "Écrire au moins la ligne d'en-tête.",
)
ENCODAGE_UTF16 = Code(
    "encodage-utf16",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier est en UTF-16 (« Texte Unicode » des tableurs) : il n'est pas lu.",
    "L'enregistrer en « CSV UTF-8 (délimité par des virgules) ».",
)
OCTET_NUL = Code(
    "octet-nul",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier contient un octet nul : ce n'est pas un fichier texte CSV ; la ligne du premier "
    "est donnée et le fichier n'est pas lu.",
    "Ré-enregistrer le fichier en CSV UTF-8 depuis le tableur.",
)
ENCODAGE_MIXTE = Code(
    "encodage-mixte",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier mélange l'UTF-8 et un autre encodage (souvent une ligne collée depuis un tableur "
    "en Windows-1252) ; la première ligne fautive est donnée.",
    "Corriger la ligne, puis enregistrer le fichier entier en UTF-8.",
)
ENCODAGE_INCONNU = Code(
    "encodage-inconnu",
    ERROR,
    (READING,),
    "chaque CSV",
    "Des octets ne se lisent ni en UTF-8 ni en Windows-1252.",
    "Enregistrer le fichier en UTF-8 (« CSV UTF-8 » dans le tableur).",
)
ENCODAGE_WINDOWS_1252 = Code(
    "encodage-windows-1252",
    NOTICE,
    (READING,),
    "chaque CSV",
    "Le fichier est entièrement en Windows-1252 : il est lu comme tel et publié en UTF-8.",
    "Enregistrer de préférence en UTF-8.",
)
TEXTE_MAL_ENCODE = Code(
    "texte-mal-encode",
    WARNING,
    (READING,),
    "chaque CSV",
    "Un texte ressemble à un accent mal converti (UTF-8 lu comme Latin-1, « Ã© » pour « é »).",
    "Corriger le texte dans le fichier d'origine.",
)
SEPARATEUR_AMBIGU = Code(
    "separateur-ambigu",
    ERROR,
    (READING,),
    "chaque CSV",
    "Plusieurs séparateurs de colonnes sont possibles et les lignes ne permettent pas de choisir.",
    "Enregistrer le fichier avec la virgule comme séparateur.",
)
SEPARATEUR_DETECTE = Code(
    "separateur-detecte",
    NOTICE,
    (READING,),
    "chaque CSV",
    "Les colonnes sont séparées par un point-virgule, une tabulation ou une barre verticale : le "
    "fichier est lu ainsi et publié avec la virgule.",
    "Rien à faire ; la virgule reste préférable.",
)
EN_TETE_VIDE = Code(
    "en-tete-vide",
    ERROR,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne n'a pas de nom.",
    "Nommer la colonne selon le schéma, ou la supprimer.",
)
EN_TETE_DUPLIQUE = Code(
    "en-tete-duplique",
    ERROR,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne apparaît plusieurs fois ; seule la première est lue.",
    "Supprimer ou renommer le doublon.",
)
EN_TETE_INCONNU = Code(
    "en-tete-inconnu",
    ERROR,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne ne fait pas partie du schéma mais ressemble à une colonne attendue et absente "
    "(majuscules, accents, faute de frappe).",
    "Renommer la colonne comme le suggère la correction.",
)
COLONNE_IGNOREE = Code(
    "colonne-ignoree",
    WARNING,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne ne fait pas partie du schéma : elle n'est pas publiée.",
    "La supprimer, ou la renommer selon le schéma.",
)
COLONNE_MANQUANTE = Code(
    "colonne-manquante",
    ERROR,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne obligatoire du schéma est absente.",
    "Ajouter la colonne (voir le schéma du jeu de données dans `schemas/`).",
)
COLONNE_ABSENTE = Code(
    "colonne-absente",
    WARNING,
    (READING,),
    "en-tête de chaque CSV",
    "Une colonne facultative du schéma est absente : ses valeurs seront vides.",
    "L'ajouter si l'information existe.",
)
TROP_DE_COLONNES = Code(
    "trop-de-colonnes",
    ERROR,
    (READING,),
    "en-tête de chaque CSV",
    "L'en-tête a plus de 500 colonnes (le schéma le plus large en a 30) : le fichier n'est pas lu "
    "plus loin.",
    "Ne garder que les colonnes du schéma ; un séparateur mal détecté peut aussi en être la cause.",
)
LIGNE_TROP_LARGE = Code(
    "ligne-trop-large",
    ERROR,
    (READING,),
    "chaque CSV",
    "Une ligne a plus de 500 cellules : le fichier n'est pas lu plus loin.",
    "Vérifier les séparateurs et les guillemets de la ligne.",
)
TROP_DE_LIGNES = Code(
    "trop-de-lignes",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier dépasse le nombre maximal de lignes accepté.",
    "Découper le fichier, ou relever la limite (`--max-lignes`).",
)
CELLULE_TROP_LONGUE = Code(
    "cellule-trop-longue",
    ERROR,
    (READING,),
    "chaque CSV",
    "Une cellule dépasse la longueur maximale acceptée ; un guillemet non fermé en est souvent la "
    "cause.",
    "Fermer le guillemet, ou raccourcir le texte.",
)
CSV_ILLISIBLE = Code(
    "csv-illisible",
    ERROR,
    (READING,),
    "chaque CSV",
    "Une ligne ne se lit pas comme du CSV.",
    "Vérifier les guillemets de la ligne indiquée.",
)
LIGNE_VIDE_FINALE = Code(
    "ligne-vide-finale",
    WARNING,
    (READING,),
    "chaque CSV",
    "Une ligne vide en fin de fichier : elle est ignorée.",
    "Supprimer les lignes vides finales.",
)
BLANK_ROW = Code(
    "blank-row",
    ERROR,
    (READING,),
    "chaque CSV",
    "Une ligne vide au milieu des données (code de frictionless).",
    "Supprimer la ligne vide, ou compléter la ligne manquante.",
)

# --- Table Schemas (frictionless's codes) -----------------------------------------------------

TYPE_ERROR = Code(
    "type-error",
    ERROR,
    (SCHEMA, CHECKS),
    "colonnes de nombres, de dates et de booléens",
    "La valeur n'est pas du type de la colonne. Les contrôles précisent les cas fréquents : "
    "nombre à la française, unité ou séparateur de milliers, date `jj/mm/aaaa` ou numéro de date "
    "de tableur, « oui » pour `true`.",
    "Nombres avec un point décimal et sans espace (`1234.56`), dates `AAAA-MM-JJ`, booléens "
    "`true` ou `false`.",
)
CONSTRAINT_ERROR = Code(
    "constraint-error",
    ERROR,
    (SCHEMA,),
    "toute colonne qui a une contrainte dans son schéma",
    "La valeur enfreint une contrainte du schéma : valeur obligatoire manquante, valeur hors de "
    "la liste, format, minimum, maximum ou longueur.",
    "Suivre la correction, qui cite la description du champ, un exemple ou les valeurs possibles.",
)
UNIQUE_ERROR = Code(
    "unique-error",
    ERROR,
    (SCHEMA,),
    "colonnes uniques (`uid` de `marches.csv`)",
    "La valeur est déjà présente dans une ligne précédente, donnée dans le message.",
    "Supprimer le doublon, ou corriger l'identifiant.",
)
PRIMARY_KEY = Code(
    "primary-key",
    ERROR,
    (SCHEMA,),
    "clé primaire de chaque CSV",
    "La clé de la ligne est vide, ou déjà présente dans une ligne précédente.",
    "Donner à chaque ligne une clé unique : supprimer le doublon ou corriger l'identifiant.",
)
FOREIGN_KEY = Code(
    "foreign-key",
    ERROR,
    (SCHEMA,),
    "`acheteur_service_id`, `uid` des titulaires et des modifications, `service_id` et "
    "`uidMarche` des achats à venir",
    "La valeur ne correspond à aucune ligne de la table liée.",
    "Corriger la valeur, ou ajouter la ligne manquante dans la table liée.",
)
EXTRA_CELL = Code(
    "extra-cell",
    ERROR,
    (SCHEMA,),
    "chaque CSV",
    "La ligne a plus de cellules que l'en-tête.",
    "Vérifier les séparateurs et les guillemets de la ligne.",
)
MISSING_CELL = Code(
    "missing-cell",
    ERROR,
    (SCHEMA,),
    "chaque CSV",
    "La ligne a moins de cellules que l'en-tête.",
    "Compléter la ligne, ou vérifier ses séparateurs.",
)
EN_TETE_NON_VERIFIABLE = Code(
    "en-tete-non-verifiable",
    ERROR,
    (SCHEMA,),
    "en-tête de chaque CSV",
    "frictionless ne peut pas vérifier les lignes du fichier avec son en-tête (colonnes en "
    "double, sans nom ou dans le désordre).",
    "Corriger d'abord les problèmes de l'en-tête signalés ligne 1, puis valider à nouveau.",
)
FRICTIONLESS_ERROR = Code(
    "error",
    ERROR,
    (SCHEMA,),
    "chaque CSV",
    "Une erreur de frictionless que l'outil n'attend pas : son type (en anglais) est en tête du "
    "message, suivi de la note de frictionless.",
    "Corriger la ligne d'après la note ; si elle reste obscure, signaler le cas aux mainteneurs "
    "de l'outil.",
)

FILE_CODES: tuple[Code, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Code)
)
"""Every code of this module, in the order declared (the README's order)."""
