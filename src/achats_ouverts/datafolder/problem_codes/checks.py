"""The codes of the procurement checks (`validation.cells` and `validation.rules`): what the
data say, beyond their form; then the codes of the plausible ranges (`validation.plausible`, the
ranges of `datafolder.ranges`, whose limits the meanings name: the tests compare them). Codes
shared with the configuration (`siret-invalide`…) are in `configuration`."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import Code, Stage
from achats_ouverts.report import Severity

ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE
CHECKS = Stage.CHECKS

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
CONSIDERATION_ENVIRONNEMENTALE_A_VERIFIER = Code(
    "consideration-environnementale-a-verifier",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`considerationsEnvironnementales`)",
    "Le marché est notifié depuis le 21 août 2026 et déclare « Pas de considération "
    "environnementale ». Depuis cette date, tout marché dont la consultation est engagée doit "
    "en prendre en compte (code de la commande publique, articles L2112-2 et L2152-7 ; décret "
    "n° 2022-767). À vérifier : la date de notification ne fait qu'approcher la date "
    "d'engagement de la consultation, que les données n'ont pas.",
    "Vérifier la date d'engagement de la consultation : si elle est antérieure au 21 août 2026, "
    "rien à corriger ; sinon, corriger le champ s'il omet une clause ou un critère "
    "environnemental, ou signaler le marché.",
)
MONTANT_SOUS_SEUIL = Code(
    "montant-sous-seuil",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`montant`)",
    "Le montant à la notification est sous le seuil de publication des DECP en vigueur à la "
    "date de notification (25 000 € HT jusqu'au 31 décembre 2019, 40 000 € HT depuis le "
    "1er janvier 2020).",
    "Vérifier le montant : un zéro oublié, un montant TTC ou mensuel. Un acheteur qui publie "
    "exprès ses petits marchés l'indique dans `editeur.yaml` (`marches_sous_seuil_publies: "
    "true`) : ils sont alors comptés en une seule information.",
)
MARCHES_SOUS_SEUIL_PUBLIES = Code(
    "marches-sous-seuil-publies",
    NOTICE,
    (CHECKS,),
    "`marches.csv` (`montant`)",
    "L'acheteur publie exprès des marchés sous le seuil de publication des DECP "
    "(`marches_sous_seuil_publies: true` dans `editeur.yaml`) : une seule ligne les compte, au "
    "lieu d'un avertissement `montant-sous-seuil` par marché.",
    "Aucune : c'est une information. Retirer le réglage pour revoir chaque marché.",
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
    "Le marché n'a aucun titulaire actuel (`titulaireActuel` à `true`) dans "
    "`marches-titulaires.csv`.",
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
    "`marches.csv` (`montantActuel`)",
    "Le montant actuel n'est pas celui de la dernière modification qui fixe un montant "
    "(`modifications.csv`) ou, sans une telle modification, le montant à la notification.",
    "Écrire dans `montantActuel` le montant de la dernière modification qui en fixe un, sinon "
    "le montant à la notification (`montant`).",
)
DUREE_INCOHERENTE = Code(
    "duree-incoherente",
    WARNING,
    (CHECKS,),
    "`marches.csv` (`dureeMoisActuelle`)",
    "La durée actuelle n'est pas celle de la dernière modification qui fixe une durée "
    "(`modifications.csv`) ou, sans une telle modification, la durée à la notification.",
    "Écrire dans `dureeMoisActuelle` la durée de la dernière modification qui en fixe une, "
    "sinon la durée à la notification (`dureeMois`).",
)
TITULAIRE_INCOHERENT = Code(
    "titulaire-incoherent",
    WARNING,
    (CHECKS,),
    "`marches-titulaires.csv` (`titulaireActuel`)",
    "La ligne ne dit pas juste si l'entreprise est un titulaire actuel : la liste actuelle est "
    "celle de la dernière modification qui fixe les titulaires (`modifications.csv`), sinon la "
    "liste à la notification ; une ligne doit être titulaire à la notification, actuel, ou les "
    "deux.",
    "Corriger `titulaireInitial` ou `titulaireActuel`, ou la liste de la modification.",
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

# --- Plausible ranges (validation.plausible, datafolder.ranges) ---------------------------------

NOMBRE_NON_STANDARD = Code(
    "nombre-non-standard",
    ERROR,
    (CHECKS,),
    "colonnes de nombres (montants, taux, valeurs d'indicateurs)",
    "Le nombre se lit, mais n'est pas écrit simplement : d'autres chiffres que 0 à 9 (`١٢٣`), "
    "`1_000`, `Infinity`, une puissance de dix (`1e309`), ou plus de 12 chiffres avant le point "
    "ou 6 après.",
    "Écrire des chiffres de 0 à 9 avec un point décimal, par exemple `1234.56`.",
)
ENTIER_NON_STANDARD = Code(
    "entier-non-standard",
    ERROR,
    (CHECKS,),
    "colonnes de nombres entiers (durées, nombres d'offres et de lots, années)",
    "Le nombre entier se lit, mais n'est pas écrit simplement : d'autres chiffres que 0 à 9, un "
    "séparateur (`1_000`), ou plus de 9 chiffres.",
    "Écrire au plus 9 chiffres de 0 à 9, sans espace ni séparateur.",
)
DATE_NON_STANDARD = Code(
    "date-non-standard",
    ERROR,
    (CHECKS,),
    "colonnes de dates",
    "La date se lit, mais n'est pas écrite `AAAA-MM-JJ` en chiffres de 0 à 9 (`2024-1-5`).",
    "Écrire l'année sur 4 chiffres, le mois et le jour sur 2, par exemple `2024-03-05`.",
)
VALEUR_IMPLAUSIBLE = Code(
    "valeur-implausible",
    ERROR,
    (CHECKS,),
    "colonnes de dates, durées en mois, nombres d'offres, de lots et de modifications, années "
    "des indicateurs déclarés",
    "La valeur sort de la plage plausible : une date hors de la période 2000-2100, une durée de "
    "plus de 1 200 mois, plus de 10 000 offres, lots ou modifications, une année après 2100.",
    "Vérifier la valeur (une faute de frappe ? une durée est en mois, une année a 4 chiffres).",
)
ADRESSE_INVALIDE = Code(
    "adresse-invalide",
    ERROR,
    (CHECKS,),
    "`achats-a-venir.csv` (`urlConsultation`)",
    "L'adresse n'est pas une adresse web utilisable telle quelle : elle porte une espace, un "
    "guillemet, une accolade, « ^ » ou « \\ » non codés.",
    "Écrire l'adresse complète en http(s), ces caractères codés avec « % » (`%20` pour une "
    "espace).",
)
RETOUR_CHARIOT_SEUL = Code(
    "retour-chariot-seul",
    ERROR,
    (CHECKS,),
    "colonnes de texte",
    "Le texte contient un retour chariot seul (ancien saut de ligne Mac) : certains lecteurs du "
    "CSV publié y verraient la fin d'une ligne.",
    "Remplacer le retour chariot par un saut de ligne ou une espace.",
)

CHECK_CODES: tuple[Code, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Code)
)
"""Every code of this module, in the order declared (the README's order)."""
