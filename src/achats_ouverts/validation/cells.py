"""The checks every cell of a type gets, more precise than the Table Schemas: spreadsheet
leftovers (error tokens, control characters, formulas), numbers, dates and booleans written the
French way or by a spreadsheet, SIRET and CPV codes, and multi-valued fields.

Where a check diagnoses a cell that frictionless also rejects (a French number, a date in
dd/mm/yyyy, a SIRET damaged by a spreadsheet), it uses the same code as frictionless
(`type-error`) or its own, and the validation keeps only the more precise problem for that cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pandas as pd
import pyarrow.compute as pc

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder.problem_codes.checks import (
    CARACTERE_CONTROLE,
    CELLULE_FORMULE,
    CPV_INCONNU,
    CPV_INVALIDE,
    VALEUR_ERREUR_TABLEUR,
    VALEUR_INCOHERENTE,
)
from achats_ouverts.datafolder.problem_codes.configuration import (
    SIRET_INVALIDE,
    VALEUR_NON_AUTORISEE,
)
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.datafolder.problem_codes.files import TYPE_ERROR
from achats_ouverts.identifiers import siret_valid
from achats_ouverts.report import Problem
from achats_ouverts.validation.columns import (
    ISO_DATE,
    STRICT_NUMBER,
    Message,
    arrow_text,
    by_value,
    fixed,
    flag,
    not_matching,
    rows_where,
    widen,
)
from achats_ouverts.validation.reading import Table, suggest

FRENCH_NUMBER = re.compile(r"^-?[0-9]{1,3}([ \u00a0\u202f.][0-9]{3})+(,[0-9]+)?$|^-?[0-9]+,[0-9]+$")
ENGLISH_GROUPED = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
UNIT_SUFFIX = re.compile(r"^(-?[0-9][0-9 \u00a0\u202f.,]*)\s*(€|EUR|euros?|HT|TTC|%)+\s*$", re.I)
FRENCH_DATE = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
LOOSE_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
DATE_WITH_SUFFIX = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})([T ].*|Z|[+-][0-9]{2}:?[0-9]{2})$")
SPREADSHEET_SERIAL = re.compile(r"^[0-9]{5}$")
SCIENTIFIC = re.compile(r"^[0-9][.,][0-9]+E\+?[0-9]+$", re.I)
SPREADSHEET_ERRORS = re.compile(
    r"^#(N/A|N/D|NA|VALEUR!|VALUE!|REF!|DIV/0!|NOM\?|NAME\?|NUL!|NULL!|NUM!|CHAMP!|SPILL!|CALC!)$",
    re.I,
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START = re.compile(r"^[=+\-@]")
PHONE_LIKE = re.compile(r"^\+[0-9 ]+$")
TRUE_LIKE = {"oui", "vrai", "1", "o", "yes", "y", "x", "true"}
FALSE_LIKE = {"non", "faux", "0", "n", "no", "false"}
SIRET_FIELDS = {"acheteur_id"}
MULTI_FIELDS: dict[str, tuple[str, ...]] = {
    "techniques": v.TECHNIQUES,
    "modalitesExecution": v.MODALITES_EXECUTION,
    "typesPrix": v.TYPES_PRIX,
    "considerationsSociales": v.CONSIDERATIONS_SOCIALES,
    "considerationsEnvironnementales": v.CONSIDERATIONS_ENVIRONNEMENTALES,
    "considerationsSocialesPrevues": v.CONSIDERATIONS_SOCIALES,
    "considerationsEnvironnementalesPrevues": v.CONSIDERATIONS_ENVIRONNEMENTALES,
}
NONE_VALUES = {
    "techniques": "Sans objet",
    "modalitesExecution": "Sans objet",
    "considerationsSociales": v.PAS_DE_CONSIDERATION_SOCIALE,
    "considerationsEnvironnementales": v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE,
    "considerationsSocialesPrevues": v.PAS_DE_CONSIDERATION_SOCIALE,
    "considerationsEnvironnementalesPrevues": v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE,
}
CONTROL_CLASS = CONTROL_CHARS.pattern
"""A character class without anchors: RE2 (Arrow) and Python's `re` match the same characters."""


# --- Cells of every table ---------------------------------------------------------------------


def check_cells(table: Table) -> Iterator[Problem]:
    """Spreadsheet error tokens, control characters and formula triggers in any text cell."""
    assert table.frame is not None
    for name in table.dataset.field_names:
        full = table.frame[name]
        text = arrow_text(full)
        maybe = pc.or_(
            pc.or_(pc.starts_with(text, "#"), pc.match_substring_regex(text, "^[=+@-]")),
            pc.match_substring_regex(text, CONTROL_CLASS),
        )
        col = rows_where(full, maybe)
        if col.empty:
            continue
        nonempty = col != ""
        errors = nonempty & col.str.match(SPREADSHEET_ERRORS)
        yield from flag(
            table,
            widen(errors, full.index),
            name,
            VALEUR_ERREUR_TABLEUR,
            lambda x: (
                f"« {x} » est un code d'erreur de tableur, pas une valeur",
                "corriger la formule d'origine ou laisser la cellule vide",
            ),
        )
        controls = nonempty & col.str.contains(CONTROL_CHARS)
        yield from flag(
            table,
            widen(controls, full.index),
            name,
            CARACTERE_CONTROLE,
            lambda x: (
                "la cellule contient un caractère de contrôle invisible "
                f"(U+{ord(CONTROL_CHARS.search(x).group(0)):04X})",  # type: ignore[union-attr]
                "supprimer ce caractère (souvent un copier-coller depuis un autre logiciel)",
            ),
        )
        if table.dataset.field(name)["type"] == "string":
            formula = nonempty & col.str.match(FORMULA_START) & ~col.str.match(PHONE_LIKE) & ~errors
            yield from flag(
                table,
                widen(formula, full.index),
                name,
                CELLULE_FORMULE,
                lambda x: (
                    f"« {x[:40]} » commence par « {x[0]} » : un tableur l'exécuterait comme une "
                    "formule",
                    "reformuler le début du texte (le site l'affiche tel quel)",
                ),
            )


# --- Types --------------------------------------------------------------------------------------


def _number_message(kind: str) -> Message:
    def message(value: str) -> tuple[str, str]:
        if FRENCH_NUMBER.match(value):
            fixed = re.sub(r"[ \u00a0\u202f.]", "", value).replace(",", ".")
            return (
                f"« {value} » n'est pas un {kind} : le séparateur décimal est le point",
                f"écrire « {fixed} » (point décimal, sans séparateur de milliers)",
            )
        if ENGLISH_GROUPED.match(value):
            return (
                f"« {value} » n'est pas un {kind} : séparateur de milliers",
                f"écrire « {value.replace(',', '')} » (sans séparateur de milliers)",
            )
        return (
            f"« {value} » n'est pas un {kind} : unité ou symbole en trop",
            "écrire le nombre seul, sans €, HT, TTC ni %, avec un point décimal",
        )

    return message


def _date_message(value: str) -> tuple[str, str]:
    base = f"« {value} » n'est pas une date au format AAAA-MM-JJ"
    match = FRENCH_DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            iso = date(year, month, day).isoformat()
        except ValueError:
            return base, "écrire une date existante au format AAAA-MM-JJ"
        return base, f"écrire « {iso} » (année-mois-jour)"
    match = LOOSE_ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return base, f"écrire « {date(year, month, day).isoformat()} »"
        except ValueError:
            return f"« {value} » n'est pas une date existante", "corriger le jour ou le mois"
    match = DATE_WITH_SUFFIX.match(value)
    if match:
        return base, f"écrire la date seule : « {match.group(1)} »"
    if SPREADSHEET_SERIAL.match(value):
        iso = (date(1899, 12, 30) + timedelta(days=int(value))).isoformat()
        return (
            f"« {value} » est un numéro de date de tableur, pas une date",
            f"formater la colonne en texte AAAA-MM-JJ (probablement « {iso} »)",
        )
    return base, "écrire la date au format AAAA-MM-JJ, par exemple « 2024-03-12 »"


def _boolean_message(value: str) -> tuple[str, str]:
    meant = "true" if value.strip().lower() in TRUE_LIKE else "false"
    return f"« {value} » n'est pas une valeur logique", f"écrire « {meant} » (true ou false)"


def _bad_dates(col: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(
        col.where(col.str.match(ISO_DATE), None), format="%Y-%m-%d", errors="coerce"
    )
    return (col != "") & parsed.isna()


def _bad_booleans(col: pd.Series) -> pd.Series:
    lowered = col.str.strip().str.lower()
    return (col != "") & ~col.isin(["true", "false"]) & lowered.isin(TRUE_LIKE | FALSE_LIKE)


def check_types(table: Table) -> Iterator[Problem]:
    assert table.frame is not None
    for field in table.dataset.fields:
        name: str = field["name"]
        kind: str = field["type"]
        full = table.frame[name]
        if kind in ("number", "integer"):
            label = "nombre" if kind == "number" else "nombre entier"
            if kind == "number":
                col = not_matching(full, r"^-?[0-9]+(\.[0-9]+)?$")
                strict = col.str.match(STRICT_NUMBER)
            else:
                col = not_matching(full, r"^-?[0-9]+$")
                strict = col.str.match(r"^-?\d+$")
            bad = (col != "") & ~strict
            known = (
                col.str.match(FRENCH_NUMBER)
                | col.str.match(ENGLISH_GROUPED)
                | col.str.match(UNIT_SUFFIX)
            )
            mask = widen(bad & known, full.index)
            yield from flag(table, mask, name, TYPE_ERROR, _number_message(label))
        elif kind == "date":
            yield from flag(table, by_value(full, _bad_dates), name, TYPE_ERROR, _date_message)
        elif kind == "boolean":
            bad = by_value(full, _bad_booleans)
            yield from flag(table, bad, name, TYPE_ERROR, _boolean_message)


# --- Identifiers --------------------------------------------------------------------------------


def siret_diagnosis(value: str) -> tuple[str, str] | None:
    """Why a SIRET is invalid (message, fix), or None when it is valid."""
    if SCIENTIFIC.match(value):
        return (
            f"« {value} » : SIRET abîmé par un tableur (notation scientifique, derniers chiffres "
            "perdus)",
            "reprendre le SIRET d'origine et formater la colonne en texte",
        )
    compact = re.sub(r"[ .\u00a0\u202f]", "", value)
    if compact != value and compact.isdigit() and len(compact) == 14:
        return f"« {value} » : le SIRET contient des espaces ou des points", f"écrire « {compact} »"
    if value.isdigit() and len(value) == 13:
        return (
            f"« {value} » n'a que 13 chiffres : le zéro initial a sans doute été supprimé par un "
            "tableur",
            f"écrire « 0{value} » si c'est bien le SIRET, et formater la colonne en texte",
        )
    if not (value.isdigit() and len(value) == 14):
        return (
            f"« {value} » n'est pas un SIRET : 14 chiffres attendus",
            "écrire les 14 chiffres du SIRET, sans espace (annuaire-entreprises.data.gouv.fr)",
        )
    if not siret_valid(value):
        return (
            f"« {value} » : la clé de contrôle du SIRET est fausse (faute de frappe probable)",
            "vérifier le numéro sur annuaire-entreprises.data.gouv.fr",
        )
    return None


def _siret_problems(table: Table, name: str, mask: pd.Series) -> Iterator[Problem]:
    assert table.frame is not None
    col = table.frame[name]
    values = col[mask & (col != "")]
    distinct = values.unique()
    diagnoses = {value: siret_diagnosis(value) for value in distinct if not siret_valid(value)}
    bad = {value: d for value, d in diagnoses.items() if d is not None}
    if bad:
        yield from flag(
            table,
            values.isin(bad).reindex(col.index, fill_value=False),
            name,
            SIRET_INVALIDE,
            lambda x: bad[x],
        )


def check_sirets(table: Table) -> Iterator[Problem]:
    assert table.frame is not None
    frame = table.frame
    everything = pd.Series(True, index=frame.index)
    for name in SIRET_FIELDS & set(frame.columns):
        yield from _siret_problems(table, name, everything)
    if "titulaire_id" in frame.columns and "titulaire_typeIdentifiant" in frame.columns:
        yield from _siret_problems(
            table, "titulaire_id", frame["titulaire_typeIdentifiant"] == "SIRET"
        )


def cpv_diagnosis(value: str, nomenclature: cpv.Nomenclature) -> tuple[Code, str, str] | None:
    """Why a CPV code is wrong (code, message, fix), or None when it is right."""
    if value.isdigit() and len(value) == 7:
        return (
            CPV_INVALIDE,
            f"« {value} » n'a que 7 chiffres : le zéro initial a sans doute été perdu",
            f"écrire « 0{value} »",
        )
    match = cpv.CODE_PATTERN.match(value)
    if not match:
        return (
            CPV_INVALIDE,
            f"« {value} » n'est pas un code CPV : 8 chiffres, suivis ou non de « -chiffre »",
            "écrire par exemple « 45214200-2 » ou « 45214200 »",
        )
    code, check = match.group(1), match.group(2)
    if cpv.division(code) not in cpv.DIVISIONS:
        return (
            CPV_INVALIDE,
            f"« {value} » : la division CPV « {code[:2]} » n'existe pas",
            "vérifier le code dans la nomenclature CPV 2008",
        )
    if nomenclature.labels:
        if code not in nomenclature:
            return (
                CPV_INCONNU,
                f"« {value} » ne figure pas dans la nomenclature CPV 2008 configurée",
                "vérifier le code (les codes CPV 2003 ne sont plus valables)",
            )
        expected = nomenclature.check_digits.get(code)
        if check and expected and check != expected:
            return (
                CPV_INVALIDE,
                f"« {value} » : le chiffre de contrôle devrait être {expected}",
                f"écrire « {code}-{expected} » ou « {code} »",
            )
    return None


def check_cpv(table: Table, nomenclature: cpv.Nomenclature) -> Iterator[Problem]:
    assert table.frame is not None
    if "codeCPV" not in table.frame.columns:
        return
    col = table.frame["codeCPV"]
    diagnoses = {value: cpv_diagnosis(value, nomenclature) for value in col[col != ""].unique()}
    for value, diagnosis in sorted(diagnoses.items()):
        if diagnosis is None:
            continue
        code, message, fix = diagnosis
        yield from flag(table, col == value, "codeCPV", code, fixed(message, fix))


# --- Multi-valued fields ------------------------------------------------------------------------


def _multi_message(allowed: tuple[str, ...]) -> Message:
    def message(value: str) -> tuple[str, str]:
        items = value.split(v.MULTI_SEPARATOR)
        wrong = [item for item in items if item not in allowed]
        if wrong:
            guess = suggest(wrong[0], list(allowed))
            listed = " ; ".join(f"« {a} »" for a in allowed)
            hint = f"vouliez-vous dire « {guess} » ? " if guess else ""
            return (
                f"« {wrong[0]} » n'est pas une valeur autorisée",
                f"{hint}valeurs possibles : {listed}, séparées par « {v.MULTI_SEPARATOR} »",
            )
        return f"« {value} » répète une valeur", "ne garder qu'une fois chaque valeur"

    return message


def _multi_invalid(text: str, allowed: tuple[str, ...]) -> bool:
    if text == "":
        return False
    items = text.split(v.MULTI_SEPARATOR)
    return any(i not in allowed for i in items) or len(set(items)) != len(items)


def _multi_combined(text: str, none_value: str | None) -> bool:
    if text == "" or none_value is None:
        return False
    items = text.split(v.MULTI_SEPARATOR)
    return none_value in items and len(items) > 1


def check_multi_values(table: Table) -> Iterator[Problem]:
    assert table.frame is not None
    for name, allowed in MULTI_FIELDS.items():
        if name not in table.frame.columns:
            continue
        col = table.frame[name]
        none_value = NONE_VALUES.get(name)

        def invalid(values: pd.Series, a: tuple[str, ...] = allowed) -> pd.Series:
            return values.map(lambda text: _multi_invalid(text, a)).astype(bool)

        def combined(values: pd.Series, n: str | None = none_value) -> pd.Series:
            return values.map(lambda text: _multi_combined(text, n)).astype(bool)

        mask = by_value(col, invalid)
        yield from flag(table, mask, name, VALEUR_NON_AUTORISEE, _multi_message(allowed))
        if none_value:
            yield from flag(
                table,
                by_value(col, combined) & ~mask,
                name,
                VALEUR_INCOHERENTE,
                fixed(
                    f"« {none_value} » ne peut pas être combiné avec une autre valeur",
                    f"garder « {none_value} » seul, ou retirer cette mention si une considération "
                    "existe",
                ),
            )
