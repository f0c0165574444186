"""The codes of `build`'s refusals about its output folder (`building.guard`): the folders a
publication would destroy, and one another build is publishing into. Each is printed on one line
before any data is read; nothing is written."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.entries import OutputCode

ELSEWHERE = "Indiquer un dossier de sortie à part, par exemple `-o site`."

SORTIE_DOSSIER_DONNEES = OutputCode(
    "sortie-dossier-donnees",
    2,
    "le dossier de données, ou un dossier qui le contient",
    "La publication effacerait le dossier de données.",
    ELSEWHERE,
)
SORTIE_DOSSIER_COURANT = OutputCode(
    "sortie-dossier-courant",
    2,
    "le dossier courant, ou l'un de ses parents (`-o .`, `-o ..`)",
    "La publication remplacerait tout le contenu du dossier courant.",
    ELSEWHERE,
)
SORTIE_DOSSIER_PERSONNEL = OutputCode(
    "sortie-dossier-personnel",
    2,
    "le dossier personnel ou l'un de ses parents",
    "La publication remplacerait le dossier personnel.",
    ELSEWHERE,
)
SORTIE_RACINE = OutputCode(
    "sortie-racine",
    2,
    "`/`",
    "La racine du système ne peut pas recevoir le site.",
    ELSEWHERE,
)
SORTIE_PAS_UN_DOSSIER = OutputCode(
    "sortie-pas-un-dossier",
    2,
    "un fichier",
    "Le chemin de sortie existe et n'est pas un dossier.",
    "Indiquer un autre nom de dossier, ou déplacer ce fichier.",
)
SORTIE_NON_PUBLIEE = OutputCode(
    "sortie-non-publiee",
    2,
    "un dossier non vide qui n'est pas un site publié par l'outil",
    "La publication effacerait un contenu que l'outil n'a pas créé.",
    "Indiquer un dossier nouveau ou vide ; pour publier à cet endroit, le vider soi-même d'abord.",
)
SORTIE_MODIFIEE = OutputCode(
    "sortie-modifiee",
    2,
    "un site publié auquel on a ajouté depuis un élément à la racine (`.git`, `CNAME`…)",
    "La publication effacerait les éléments ajoutés, que le message nomme.",
    "Les déplacer hors du dossier du site (ou les supprimer), puis relancer.",
)
SORTIE_VERROUILLEE = OutputCode(
    "sortie-verrouillee",
    1,
    "un dossier où une autre construction publie en ce moment",
    "Une autre construction publie déjà dans ce dossier ; le message donne le numéro de son "
    "processus.",
    "Attendre qu'elle se termine, puis relancer.",
)

OUTPUT_CODES: tuple[OutputCode, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, OutputCode)
)
"""Every code of this module, in the order declared (the README's order)."""
