"""Every problem code a user can meet, declared once: the catalogue of what can be wrong with a
data folder, and the codes the importer writes in `import-rapport.json`.

Validation problems are made only through their entry (`SIRET_INVALIDE.problem(...)`), which
gives the code and the severity; the emitter gives the file, row, field, the message about the
value found and the fix. An entry says where the problem can be met, what it means and how to fix
it in general: the README's tables of codes are written from these entries (`markdown_tables`),
and the tests prove that every code the package emits is declared here.

The catalogue sits in the data folder stage, the lowest one, because the configuration readers of
this stage emit codes as well as the validation stage above it, and the importer (beside the
validation) documents its own codes here too. Constants are named after their code
(`siret-invalide` is `SIRET_INVALIDE`). Codes borrowed from frictionless (`type-error`,
`foreign-key`…) keep frictionless's names, so that its documentation applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from achats_ouverts.report import Problem, Severity


class Stage(Enum):
    """Which part of the validation emits a code."""

    CONFIGURATION = "configuration"
    FOLDER = "dossier"
    READING = "lecture"
    SCHEMA = "schéma"
    CHECKS = "contrôles"


@dataclass(frozen=True)
class Code:
    """A validation problem code: its severity, where it can be met, what it means, the fix."""

    code: str
    severity: Severity
    stages: tuple[Stage, ...]
    where: str
    """The files and fields where the problem can be met, in plain French."""
    meaning: str
    fix: str
    """How to fix it in general (each problem also carries a fix for its own value)."""

    def problem(
        self, file: str, row: int | None, field: str | None, message: str, fix: str = ""
    ) -> Problem:
        """A problem with this code at `file:row`, `field`."""
        return Problem(file, row, field, self.code, message, fix, self.severity)


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

# --- Procurement checks -----------------------------------------------------------------------

VALEUR_ERREUR_TABLEUR = Code(
    "valeur-erreur-tableur",
    ERROR,
    (CHECKS,),
    "toute cellule",
    "La cellule contient un code d'erreur de tableur (`#N/A`, `#VALEUR!`, `#REF!`…).",
    "Corriger la formule d'origine, ou laisser la cellule vide.",
)
CARACTERE_CONTROLE = Code(
    "caractere-controle",
    ERROR,
    (CHECKS,),
    "toute cellule",
    "La cellule contient un caractère de contrôle invisible, souvent venu d'un copier-coller.",
    "Supprimer le caractère dont le message donne le code.",
)
CELLULE_FORMULE = Code(
    "cellule-formule",
    WARNING,
    (CHECKS,),
    "toute colonne de texte",
    "Le texte commence par `=`, `+`, `-` ou `@` : un tableur l'exécuterait comme une formule "
    "(le site l'affiche tel quel).",
    "Reformuler le début du texte.",
)
CPV_INVALIDE = Code(
    "cpv-invalide",
    ERROR,
    (CHECKS,),
    "`codeCPV`",
    "Le code CPV n'est pas un code de la nomenclature CPV 2008 : zéro initial perdu, forme "
    "fausse, division inexistante ou chiffre de contrôle faux.",
    "Écrire les 8 chiffres du code, suivis ou non du tiret et du chiffre de contrôle "
    "(`45214200-2` ou `45214200`).",
)
CPV_INCONNU = Code(
    "cpv-inconnu",
    WARNING,
    (CHECKS,),
    "`codeCPV`",
    "Le code CPV a la bonne forme mais ne figure pas dans la nomenclature configurée "
    "(`nomenclature_cpv`).",
    "Vérifier le code : les codes CPV 2003 ne sont plus valables.",
)
VALEUR_INCOHERENTE = Code(
    "valeur-incoherente",
    ERROR,
    (CHECKS,),
    "`techniques`, `modalitesExecution` et considérations sociales et environnementales",
    "« Sans objet » ou « Pas de considération… » est combiné avec une autre valeur.",
    "Garder cette mention seule, ou la retirer si une autre valeur s'applique.",
)
NOTIFICATION_APRES_PUBLICATION = Code(
    "notification-apres-publication",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`datePublicationDonnees`)",
    "Les données du marché sont publiées avant sa notification.",
    "Vérifier les deux dates : la publication suit la notification.",
)
PUBLICATION_TARDIVE = Code(
    "publication-tardive",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`datePublicationDonnees`)",
    "Les données sont publiées plus de deux mois après la notification du marché.",
    "Publier les données dans les deux mois qui suivent la notification.",
)
MONTANT_SOUS_SEUIL = Code(
    "montant-sous-seuil",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`montant`)",
    "Le montant est sous le seuil de publication des DECP (40 000 € HT).",
    "Vérifier le montant : un zéro oublié, un montant TTC ou mensuel.",
)
TAUX_AVANCE_HORS_BORNES = Code(
    "taux-avance-hors-bornes",
    ERROR,
    (CHECKS,),
    "`marches.csv` (`tauxAvance`)",
    "Le taux d'avance n'est pas compris entre 0 et 1.",
    "Exprimer le taux en fraction : 10 % s'écrit `0.1`.",
)
AVANCE_INCOHERENTE = Code(
    "avance-incoherente",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`tauxAvance`)",
    "Un taux d'avance est donné alors que `attributionAvance` vaut `false`.",
    "Corriger l'un des deux champs.",
)
ORIGINE_INCOHERENTE = Code(
    "origine-incoherente",
    ERROR,
    (CHECKS,),
    "`marches.csv` (`origineFrance`)",
    "La part d'origine France dépasse la part d'origine UE, qui l'inclut.",
    "Écrire une part `origineFrance` inférieure ou égale à `origineUE`.",
)
UID_INCOHERENT = Code(
    "uid-incoherent",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`uid`)",
    "L'`uid` ne commence pas par le SIRET de l'acheteur suivi de l'identifiant du marché.",
    "Écrire `uid` = `acheteur_id` + `id`.",
)
ID_TROP_LONG = Code(
    "id-trop-long",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`id`)",
    "L'identifiant dépasse les 16 caractères du format DECP 2022.",
    "Raccourcir l'identifiant dans la publication nationale.",
)
TITULAIRE_NON_REFERENCE = Code(
    "titulaire-non-reference",
    WARNING,
    (CHECKS,),
    "`marches-titulaires.csv` (`titulaire_id`)",
    "Le titulaire n'est pas dans le référentiel `titulaires.csv` : son nom, sa localisation et sa "
    "catégorie sont inconnus (signalé à sa première ligne).",
    "Ajouter l'entreprise à `titulaires.csv`.",
)
MARCHE_SANS_TITULAIRE = Code(
    "marche-sans-titulaire",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`uid`)",
    "Le marché n'a aucun titulaire dans `marches-titulaires.csv`.",
    "Ajouter ses titulaires.",
)
MODIFICATION_AVANT_NOTIFICATION = Code(
    "modification-avant-notification",
    WARNING,
    (CHECKS,),
    "`modifications.csv` (`dateNotificationModification`)",
    "La modification est notifiée avant le marché lui-même.",
    "Vérifier la date de la modification.",
)
MONTANT_INCOHERENT = Code(
    "montant-incoherent",
    WARNING,
    (CHECKS,),
    "`modifications.csv` (`montant`)",
    "La dernière modification qui fixe un montant n'a pas le montant de `marches.csv`, qui doit "
    "donner l'état actuel du marché.",
    "Reporter dans `marches.csv` le montant de la dernière modification.",
)
MONTANT_ESTIME_MANQUANT = Code(
    "montant-estime-manquant",
    WARNING,
    (CHECKS,),
    "`achats-a-venir.csv` (`montantEstime`)",
    "L'achat à venir n'a ni montant estimé ni fourchette complète.",
    "Renseigner `montantEstime`, ou `montantEstimeMin` et `montantEstimeMax`.",
)
FOURCHETTE_INVERSEE = Code(
    "fourchette-inversee",
    ERROR,
    (CHECKS,),
    "`achats-a-venir.csv` (`montantEstimeMin`)",
    "Le bas de la fourchette de montant dépasse le haut.",
    "Inverser les deux montants.",
)
DATE_LANCEMENT_MANQUANTE = Code(
    "date-lancement-manquante",
    WARNING,
    (CHECKS,),
    "`achats-a-venir.csv` (`dateLancementPrevue`)",
    "L'achat à venir n'a ni date ni trimestre de lancement prévu.",
    "Renseigner `dateLancementPrevue` ou `trimestreLancementPrevu` (`AAAA-Tn`).",
)
CONSULTATION_SANS_ADRESSE = Code(
    "consultation-sans-adresse",
    WARNING,
    (CHECKS,),
    "`achats-a-venir.csv` (`urlConsultation`)",
    "L'achat est lancé mais l'adresse de sa consultation manque.",
    "Indiquer l'adresse de la consultation sur le profil d'acheteur.",
)
ATTRIBUTION_SANS_MARCHE = Code(
    "attribution-sans-marche",
    WARNING,
    (CHECKS,),
    "`achats-a-venir.csv` (`uidMarche`)",
    "L'achat est attribué mais ne mène à aucun marché.",
    "Indiquer dans `uidMarche` l'`uid` du marché attribué.",
)
INDICATEUR_CALCULE = Code(
    "indicateur-calcule",
    ERROR,
    (CHECKS,),
    "`indicateurs-declares.csv` (`indicateur_id`)",
    "Une valeur est déclarée pour un indicateur que l'outil calcule à partir des marchés.",
    "Retirer ces lignes, ou passer l'indicateur en type « déclaré » dans `politique.yaml`.",
)

CODES: tuple[Code, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Code)
)
"""Every validation code, in the order declared above (the README's order)."""


# --- The importer's report --------------------------------------------------------------------

REJECTED, SET_ASIDE, CORRECTED, INFORMATION = "rejet", "rejet-partiel", "correction", "information"


@dataclass(frozen=True)
class ImportCode:
    """A code of `import-rapport.json`: what happened to a record or a value, and why."""

    code: str
    kinds: tuple[str, ...]
    """Its `gravite` in the report: the record rejected, a value set aside, a value corrected,
    or information."""
    meaning: str


IMPORT_CODES: tuple[ImportCode, ...] = (
    ImportCode(
        "enregistrement-illisible",
        (REJECTED,),
        "Un élément de la liste des marchés n'est pas un objet JSON : il ne peut pas être lu.",
    ),
    ImportCode(
        "element-inconnu",
        (REJECTED,),
        "Un élément XML de `marches` n'est ni un `marche` ni un `contrat-concession`.",
    ),
    ImportCode("identifiant-manquant", (REJECTED,), "Le marché n'a pas d'identifiant (`id`)."),
    ImportCode(
        "identifiant-trop-long",
        (REJECTED,),
        "L'identifiant du marché est trop long pour former un `uid` de 64 caractères au plus.",
    ),
    ImportCode(
        "acheteur-invalide", (REJECTED,), "Le SIRET de l'acheteur est absent ou inutilisable."
    ),
    ImportCode(
        "date-notification-invalide",
        (REJECTED,),
        "La date de notification est absente ou illisible.",
    ),
    ImportCode("montant-invalide", (REJECTED,), "Le montant est absent, illisible ou nul."),
    ImportCode(
        "identifiant-partage",
        (INFORMATION,),
        "Un marché a le même acheteur et le même identifiant qu'un marché précédent, avec un "
        "contenu différent (souvent un autre lot) : il est gardé sous un `uid` suffixé (`…-2`).",
    ),
    ImportCode(
        "doublon-exact",
        (INFORMATION,),
        "Copie exacte d'un marché ou d'une ligne déjà lus : écartée et comptée.",
    ),
    ImportCode(
        "valeur-non-autorisee",
        (SET_ASIDE,),
        "Une valeur hors de la liste du format DECP est écartée.",
    ),
    ImportCode(
        "valeur-invalide",
        (SET_ASIDE,),
        "Une valeur illisible (booléen, part, nombre, nouveau montant d'une modification, code de "
        "lieu trop long) est écartée.",
    ),
    ImportCode(
        "valeur-incoherente",
        (CORRECTED, SET_ASIDE),
        "« Sans objet » ou « Pas de considération… » est retiré d'une liste qui a d'autres "
        "valeurs ; une part d'origine France supérieure à la part d'origine UE est écartée.",
    ),
    ImportCode("date-invalide", (SET_ASIDE,), "Une date facultative illisible est écartée."),
    ImportCode("cpv-invalide", (SET_ASIDE,), "Un code CPV inexistant ou mal formé est écarté."),
    ImportCode(
        "titulaire-invalide",
        (SET_ASIDE,),
        "Un titulaire sans identifiant utilisable est écarté ; le marché garde les autres.",
    ),
    ImportCode(
        "modification-invalide",
        (SET_ASIDE,),
        "Une modification sans numéro ou sans date de notification valide est écartée.",
    ),
    ImportCode(
        "modification-en-double",
        (SET_ASIDE,),
        "Une deuxième modification qui porte le même numéro est écartée.",
    ),
    ImportCode(
        "texte-nettoye", (CORRECTED,), "Des caractères de contrôle invisibles sont retirés."
    ),
    ImportCode(
        "texte-tronque",
        (CORRECTED,),
        "Un texte trop long (objet, nom de titulaire) est raccourci à la longueur du schéma.",
    ),
    ImportCode(
        "objet-manquant",
        (CORRECTED,),
        "La source ne donne pas l'objet du marché : il est gardé, avec un objet qui le dit.",
    ),
    ImportCode(
        "valeur-reformulee",
        (CORRECTED,),
        "Une valeur de liste écrite autrement (majuscules, accents, ancienne forme) est réécrite "
        "comme la liste l'attend.",
    ),
    ImportCode(
        "procedure-ancienne",
        (CORRECTED,),
        "Un nom de procédure d'avant 2019 est remplacé par son équivalent actuel.",
    ),
    ImportCode(
        "date-normalisee",
        (CORRECTED,),
        "Une date écrite autrement (`2018-12-17+01:00`, `17/12/2018`…) est réécrite `AAAA-MM-JJ`.",
    ),
    ImportCode(
        "entier-arrondi",
        (CORRECTED,),
        "Une durée en mois qui n'est pas entière est arrondie au mois supérieur.",
    ),
    ImportCode(
        "cpv-zero-restaure", (CORRECTED,), "Un code CPV à 7 chiffres retrouve son zéro initial."
    ),
    ImportCode(
        "siret-zero-restaure",
        (CORRECTED,),
        "Un SIRET à 13 chiffres retrouve son zéro initial, que sa clé de contrôle confirme.",
    ),
    ImportCode(
        "siret-reformate", (CORRECTED,), "Les espaces ou les points d'un SIRET sont retirés."
    ),
    ImportCode(
        "type-identifiant-deduit",
        (CORRECTED,),
        "Le type d'identifiant d'un titulaire manque : SIRET, d'après l'identifiant.",
    ),
    ImportCode(
        "titulaire-en-double",
        (CORRECTED,),
        "Un titulaire cité deux fois pour le même marché n'est gardé qu'une fois.",
    ),
)
"""Every code the importer writes in `import-rapport.json` (and counts in its summary)."""


# --- The README's tables ----------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def validation_table() -> str:
    """The Markdown table of every validation code, for the README."""
    lines = [
        "| Code | Gravité | Étape | Où | Signification | Correction |",
        "|---|---|---|---|---|---|",
    ]
    for entry in CODES:
        stages = ", ".join(stage.value for stage in entry.stages)
        cells = (f"`{entry.code}`", entry.severity.label, stages, entry.where, entry.meaning)
        lines.append("| " + " | ".join(_cell(c) for c in (*cells, entry.fix)) + " |")
    return "\n".join(lines) + "\n"


def import_table() -> str:
    """The Markdown table of every code of `import-rapport.json`, for the README."""
    lines = ["| Code | Gravité | Signification |", "|---|---|---|"]
    for entry in IMPORT_CODES:
        kinds = ", ".join(f"`{kind}`" for kind in entry.kinds)
        lines.append(f"| `{entry.code}` | {kinds} | {_cell(entry.meaning)} |")
    return "\n".join(lines) + "\n"


README_TABLES = (("codes-validation", validation_table), ("codes-import", import_table))
"""The README's generated tables: each between `<!-- NAME:debut -->` and `<!-- NAME:fin -->`."""


def fill_readme(text: str) -> str:
    """The README's text with its tables of codes written from the catalogue."""
    for name, table in README_TABLES:
        start, end = f"<!-- {name}:debut -->\n", f"<!-- {name}:fin -->"
        before, found_start, rest = text.partition(start)
        _, found_end, after = rest.partition(end)
        if not (found_start and found_end):
            raise ValueError(f"README : les marqueurs « {start.strip()} » et « {end} » manquent")
        text = before + start + table() + end + after
    return text
