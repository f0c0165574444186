"""The codes about the files of a data folder: its configuration (`editeur.yaml`,
`politique.yaml`), the folder as a whole, reading each CSV, and its Table Schema (frictionless's
codes, which keep frictionless's names so that its documentation applies)."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import Code, Stage
from achats_ouverts.report import Severity

ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE
CONFIGURATION, FOLDER, READING = Stage.CONFIGURATION, Stage.FOLDER, Stage.READING
SCHEMA, CHECKS = Stage.SCHEMA, Stage.CHECKS
YAML_FILES = "`editeur.yaml`, `politique.yaml`"

# --- Configuration: editeur.yaml and politique.yaml -------------------------------------------

FICHIER_ABSENT = Code(
    "fichier-absent",
    ERROR,
    (CONFIGURATION, READING),
    f"{YAML_FILES}, chaque CSV du dossier",
    "Un fichier attendu dans le dossier de données n'existe pas.",
    "Créer le fichier : la configuration d'après celle du dossier `data/` de la démonstration, "
    "un CSV avec au moins sa ligne d'en-tête.",
)
ENCODAGE_INVALIDE = Code(
    "encodage-invalide",
    ERROR,
    (CONFIGURATION,),
    YAML_FILES,
    "Le fichier de configuration n'est pas en UTF-8 ; la ligne fautive est donnée.",
    "Enregistrer le fichier en UTF-8.",
)
YAML_INVALIDE = Code(
    "yaml-invalide",
    ERROR,
    (CONFIGURATION,),
    YAML_FILES,
    "La syntaxe YAML est incorrecte ; la ligne est donnée.",
    "Indenter avec des espaces (jamais de tabulation) et mettre un deux-points après chaque nom "
    "de champ.",
)
CHAMP_MANQUANT = Code(
    "champ-manquant",
    ERROR,
    (CONFIGURATION,),
    YAML_FILES,
    "Un champ ou une liste obligatoire est absent.",
    "Ajouter le champ (voir la configuration de la démonstration dans `data/`).",
)
CHAMP_VIDE = Code(
    "champ-vide",
    ERROR,
    (CONFIGURATION,),
    YAML_FILES,
    "Un champ obligatoire est présent mais vide.",
    "Renseigner le champ.",
)
TYPE_INVALIDE = Code(
    "type-invalide",
    ERROR,
    (CONFIGURATION,),
    YAML_FILES,
    "Une valeur n'a pas la forme attendue : texte, nombre entier, `true` ou `false`, liste, "
    "paires « année: valeur », ou des champs « nom: valeur » pour le fichier entier.",
    "Écrire la valeur sous la forme que donne le message.",
)
VALEUR_NON_AUTORISEE = Code(
    "valeur-non-autorisee",
    ERROR,
    (CONFIGURATION, CHECKS),
    "`politique.yaml` (`type`, `unite`, `sens`), `editeur.yaml` (`accessibilite.etat`), colonnes "
    "à valeurs multiples des CSV (`techniques`, `modalitesExecution`, `typesPrix`, "
    "considérations sociales et environnementales)",
    "La valeur n'est pas dans la liste des valeurs autorisées, ou une cellule à valeurs multiples "
    "répète une valeur.",
    "Choisir parmi les valeurs que donne la correction (la plus proche est suggérée) ; séparer les "
    "valeurs multiples par « , ».",
)
IDENTIFIANT_INVALIDE = Code(
    "identifiant-invalide",
    ERROR,
    (CONFIGURATION,),
    "`politique.yaml` (`id` des axes, actions et indicateurs)",
    "Un identifiant contient autre chose que des minuscules, des chiffres et des tirets.",
    "Écrire l'identifiant en minuscules, chiffres et tirets (par exemple `part-pme`).",
)
IDENTIFIANT_DUPLIQUE = Code(
    "identifiant-duplique",
    ERROR,
    (CONFIGURATION,),
    "`politique.yaml` (`id` des actions et des indicateurs)",
    "Deux actions ou deux indicateurs ont le même identifiant.",
    "Donner à chacun un identifiant distinct.",
)
SIRET_INVALIDE = Code(
    "siret-invalide",
    ERROR,
    (CONFIGURATION, CHECKS),
    "`editeur.yaml` (`siret`), `acheteur_id`, `titulaire_id` (quand `titulaire_typeIdentifiant` "
    "vaut `SIRET`)",
    "Le SIRET n'a pas 14 chiffres ou sa clé de contrôle est fausse ; le message dit pourquoi "
    "(notation scientifique, zéro initial perdu, espaces, faute de frappe).",
    "Recopier le SIRET depuis annuaire-entreprises.data.gouv.fr et formater la colonne du tableur "
    "en texte.",
)
URL_INVALIDE = Code(
    "url-invalide",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`url_site`, `accessibilite.schema_pluriannuel`)",
    "L'adresse n'est pas une adresse http(s) complète ; celle du site doit finir par « / ».",
    "Écrire l'adresse complète, par exemple `https://achats.example.fr/`.",
)
EMAIL_INVALIDE = Code(
    "email-invalide",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`contact.email`, `accessibilite.contact`)",
    "L'adresse électronique n'est pas valide.",
    "Écrire une adresse de la forme `nom@domaine.fr`.",
)
DEPARTEMENT_INVALIDE = Code(
    "departement-invalide",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`departements`)",
    "Un code de département n'est ni deux chiffres, ni `2A`, `2B`, ni `971` à `978`.",
    'Écrire le code entre guillemets pour garder le zéro initial : `"02"`.',
)
REGION_INVALIDE = Code(
    "region-invalide",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`region.code`)",
    "Le code de région n'a pas deux chiffres.",
    'Écrire le code INSEE de la région entre guillemets, par exemple `"32"`.',
)
CONFORMITE_SANS_AUDIT = Code(
    "conformite-sans-audit",
    WARNING,
    (CONFIGURATION,),
    "`editeur.yaml` (`accessibilite.etat`)",
    "Une conformité partielle ou totale au RGAA est déclarée sans taux ni date d'audit.",
    "Sans audit, déclarer « non conforme » ; sinon renseigner `taux` et `date_audit`.",
)
MENTIONS_LEGALES_INCOMPLETES = Code(
    "mentions-legales-incompletes",
    WARNING,
    (CONFIGURATION,),
    "`editeur.yaml` (`directeur_publication`, `hebergeur`)",
    "Le directeur de la publication ou l'hébergeur manque : les mentions légales les exigent.",
    "Renseigner `directeur_publication` et `hebergeur`.",
)
CALCUL_INCONNU = Code(
    "calcul-inconnu",
    ERROR,
    (CONFIGURATION,),
    "`politique.yaml` (`calcul` d'un indicateur)",
    "Un indicateur calculé nomme un calcul que l'outil ne connaît pas.",
    "Choisir un des calculs que donne la correction (le plus proche est suggéré).",
)
CALCUL_INATTENDU = Code(
    "calcul-inattendu",
    ERROR,
    (CONFIGURATION,),
    "`politique.yaml` (`calcul` d'un indicateur)",
    "Un indicateur déclaré nomme un calcul : ses valeurs viennent de `indicateurs-declares.csv`.",
    "Retirer `calcul`, ou passer le type de l'indicateur à « calculé ».",
)
CIBLE_INVALIDE = Code(
    "cible-invalide",
    ERROR,
    (CONFIGURATION,),
    "`politique.yaml` (`cibles` d'un indicateur)",
    "Une cible n'est pas une paire « année: valeur » numérique.",
    "Écrire une cible par ligne, par exemple `2027: 100`.",
)
INDICATEUR_INCONNU = Code(
    "indicateur-inconnu",
    ERROR,
    (CONFIGURATION, CHECKS),
    "`politique.yaml` (`indicateurs` d'une action), `indicateurs-declares.csv` (`indicateur_id`)",
    "Une action ou une ligne d'indicateur déclaré nomme un indicateur que `politique.yaml` ne "
    "définit pas.",
    "Corriger l'identifiant, ou ajouter l'indicateur sous `indicateurs:` dans `politique.yaml`.",
)

# --- The folder as a whole --------------------------------------------------------------------

NOMENCLATURE_ABSENTE = Code(
    "nomenclature-absente",
    WARNING,
    (FOLDER,),
    "`editeur.yaml` (`nomenclature_cpv`)",
    "Le fichier de la nomenclature CPV indiqué est introuvable : seules les divisions des codes "
    "CPV sont vérifiées.",
    "Corriger le chemin, ou laisser le champ vide.",
)
SCHEMA_DIFFERENT = Code(
    "schema-different",
    WARNING,
    (FOLDER,),
    "`schemas/*.json`",
    "La copie d'un schéma dans le dossier est absente ou diffère du schéma de l'outil, qui fait "
    "foi pour la validation.",
    "Lancer `achats-ouverts schemas DOSSIER` pour écrire les schémas.",
)
DATAPACKAGE_DIFFERENT = Code(
    "datapackage-different",
    WARNING,
    (FOLDER,),
    "`datapackage.json`",
    "`datapackage.json` est absent ou ne liste pas les jeux de données attendus.",
    "Lancer `achats-ouverts schemas DOSSIER` pour l'écrire.",
)
AUCUN_MARCHE = Code(
    "aucun-marche",
    ERROR,
    (FOLDER,),
    "`marches.csv`",
    "Le fichier des marchés ne contient aucun marché : le site n'aurait rien à publier.",
    "Vérifier l'extraction des données.",
)

# --- Reading a CSV file -----------------------------------------------------------------------

FICHIER_TROP_GROS = Code(
    "fichier-trop-gros",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier dépasse la taille maximale acceptée.",
    "Découper le fichier, ou relever la limite (`--max-octets`).",
)
FICHIER_VIDE = Code(
    "fichier-vide",
    ERROR,
    (READING,),
    "chaque CSV",
    "Le fichier est vide : pas même une ligne d'en-tête.",
    "Écrire au moins la ligne d'en-tête.",
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
FRICTIONLESS_ERROR = Code(
    "error",
    ERROR,
    (SCHEMA,),
    "chaque CSV",
    "frictionless ne peut pas valider le fichier contre son schéma, par exemple quand un en-tête "
    "répète une colonne (l'erreur est alors donnée pour chaque fichier) ; le message reprend sa "
    "note, en anglais. Une erreur de frictionless que l'outil n'attend pas est donnée sous ce "
    "code, son type en tête du message.",
    "Corriger d'abord les autres erreurs du fichier (souvent son en-tête), puis valider à nouveau.",
)

FILE_CODES: tuple[Code, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Code)
)
"""Every code of this module, in the order declared (the README's order)."""
