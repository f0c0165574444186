"""The codes the importer writes in `import-rapport.json` (and counts in its summary): what
happened to a record or a value, and why."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import (
    CORRECTED,
    INFORMATION,
    REJECTED,
    SET_ASIDE,
    ImportCode,
)

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
