"""The codes about the configuration of a data folder (`editeur.yaml`, `politique.yaml`, read
as small, plain YAML, like the mapping file of `import --mapping`) and about the folder as a
whole; with them, the codes the configuration shares with reading the CSV files (`fichier-absent`,
`fichier-trop-gros`) and with the checks (`siret-invalide`, `valeur-non-autorisee`,
`indicateur-inconnu`).

The limits named in the meanings are those of `datafolder.yaml_safe` (the tests compare them)."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import Code, Stage
from achats_ouverts.report import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING
CONFIGURATION, FOLDER, READING = Stage.CONFIGURATION, Stage.FOLDER, Stage.READING
CHECKS = Stage.CHECKS
YAML_FILES = "`editeur.yaml`, `politique.yaml`"
ANY_YAML = f"{YAML_FILES}, fichier de correspondance (`import --mapping`)"

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
FICHIER_TROP_GROS = Code(
    "fichier-trop-gros",
    ERROR,
    (CONFIGURATION, READING),
    f"chaque CSV ; {ANY_YAML}",
    "Le fichier dépasse la taille maximale acceptée : celle que donne `--max-octets` pour un "
    "CSV, 1 Mio pour un fichier de configuration (qui n'est alors pas le bon fichier).",
    "Découper le CSV, ou relever la limite (`--max-octets`) ; pour la configuration, vérifier "
    "qu'il s'agit du bon fichier.",
)
FICHIER_NON_ORDINAIRE = Code(
    "fichier-non-ordinaire",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "À la place du fichier se trouve un dossier, un tube ou un périphérique : il n'est pas lu.",
    "Mettre à cet endroit le fichier YAML lui-même.",
)
FICHIER_ILLISIBLE = Code(
    "fichier-illisible",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Le système refuse la lecture du fichier (droits, disque) ; le message donne sa raison.",
    "Vérifier le fichier et ses droits de lecture.",
)
ENCODAGE_INVALIDE = Code(
    "encodage-invalide",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Le fichier de configuration n'est pas en UTF-8 ; la ligne fautive est donnée.",
    "Enregistrer le fichier en UTF-8.",
)
YAML_INVALIDE = Code(
    "yaml-invalide",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "La syntaxe YAML est incorrecte ; la ligne est donnée.",
    "Indenter avec des espaces (jamais de tabulation) et mettre un deux-points après chaque nom "
    "de champ.",
)
YAML_TROP_PROFOND = Code(
    "yaml-trop-profond",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Le fichier imbrique plus de 32 niveaux de listes et de champs.",
    "Simplifier la structure du fichier.",
)
YAML_ALIAS_EXCESSIFS = Code(
    "yaml-alias-excessifs",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Les alias (« *nom ») donnent plus de 200 000 valeurs une fois recopiés (une « bombe "
    "d'alias », qui épuiserait la mémoire) ; la ligne est donnée.",
    "Recopier les valeurs au lieu d'alias imbriqués.",
)
YAML_ALIAS_RECURSIF = Code(
    "yaml-alias-recursif",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Un alias (« *nom ») désigne une valeur qui le contient : le fichier serait sans fin.",
    "Supprimer l'alias récursif.",
)
YAML_CLE_COMPLEXE = Code(
    "yaml-cle-complexe",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Une clé est une liste ou un ensemble de champs au lieu d'un simple nom.",
    "Écrire une clé simple avant les deux-points (« nom: valeur »).",
)
YAML_ETIQUETTE_INTERDITE = Code(
    "yaml-etiquette-interdite",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Le fichier porte une étiquette YAML (`!!python/…`, `!!binary`, `!!set`…) ou une fusion "
    "« << » : seul le YAML simple est lu (textes, nombres, booléens, dates, listes, champs).",
    "Écrire les valeurs en entier, sans étiquette ni « << ».",
)
VALEUR_ILLISIBLE = Code(
    "valeur-illisible",
    ERROR,
    (CONFIGURATION,),
    ANY_YAML,
    "Une valeur ne peut pas être construite : une date qui n'existe pas (`2024-02-30`), un "
    "nombre entier de milliers de chiffres.",
    "Corriger la valeur, ou l'écrire entre guillemets pour en faire un texte.",
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
COULEUR_INVALIDE = Code(
    "couleur-invalide",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`identite.couleur_principale`, `identite.couleur_accent`)",
    "Une couleur n'est pas écrite `#rrggbb` (six chiffres hexadécimaux).",
    'Écrire la couleur entre guillemets, par exemple `"#00468c"`.',
)
CONTRASTE_INSUFFISANT = Code(
    "contraste-insuffisant",
    ERROR,
    (CONFIGURATION,),
    "`editeur.yaml` (`identite.couleur_principale`, `identite.couleur_accent`)",
    "Le texte blanc sur la couleur (l'en-tête du site), ou la couleur sur le fond blanc (les "
    "liens), n'atteint pas le contraste de 4,5:1 que le RGAA exige (critère 3.2) ; le message "
    "donne le contraste mesuré.",
    "Choisir une couleur plus foncée : le message en propose une, la plus proche qui atteint "
    "4,5:1.",
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
LOGO_INVALIDE = Code(
    "logo-invalide",
    ERROR,
    (FOLDER,),
    "`editeur.yaml` (`identite.logo`)",
    "Le logo indiqué est introuvable dans le dossier de données, n'est pas une image SVG ou PNG, "
    "ou dépasse 200 Ko.",
    "Placer le fichier du logo (SVG ou PNG, 200 Ko au plus) dans le dossier de données et écrire "
    "son chemin relatif, par exemple `logo.svg` ; sans logo, retirer la ligne.",
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
SEUIL_INVALIDE = Code(
    "seuil-invalide",
    ERROR,
    (CONFIGURATION,),
    "`seuils.csv` (facultatif)",
    "Une ligne de la table des seuils ne suit pas son schéma : en-tête autre que « table, "
    "valeur, debut, fin, source », table inconnue, valeur qui n'est pas un entier positif, "
    "date qui n'est pas AAAA-MM-JJ, source vide.",
    "Corriger la cellule indiquée ; sans le fichier, l'outil applique sa propre table des seuils.",
)
SEUILS_PERIODES = Code(
    "seuils-periodes",
    ERROR,
    (CONFIGURATION,),
    "`seuils.csv` (facultatif), colonnes `debut` et `fin`",
    "Les périodes d'une table des seuils se chevauchent, laissent un trou, ou une période finit "
    "avant de commencer : une date aurait zéro ou deux seuils.",
    "Faire commencer chaque période le lendemain de la fin de la précédente ; laisser vide le "
    "début de la première et la fin de la dernière.",
)

CONFIGURATION_CODES: tuple[Code, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Code)
)
"""Every code of this module, in the order declared (the README's order)."""
