"""Procurement checks on top of the Table Schemas, vectorised over text cells.

Each check returns problems with a stable code. Checks that diagnose a cell more precisely than
frictionless (a French number, a date in dd/mm/yyyy, a SIRET damaged by a spreadsheet) use the same
code as frictionless (`type-error`, `constraint-error`) or their own, and the validation keeps only
the more precise problem for that cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import Policy, Publisher
from achats_ouverts.identifiers import siret_valid
from achats_ouverts.report import Problem, Severity
from achats_ouverts.validation.reading import Table, suggest

Message = Callable[[str], tuple[str, str]]
"""From a cell value to (message, fix)."""

STRICT_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
FRENCH_NUMBER = re.compile(r"^-?[0-9]{1,3}([ \u00a0\u202f.][0-9]{3})+(,[0-9]+)?$|^-?[0-9]+,[0-9]+$")
ENGLISH_GROUPED = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
UNIT_SUFFIX = re.compile(r"^(-?[0-9][0-9 \u00a0\u202f.,]*)\s*(€|EUR|euros?|HT|TTC|%)+\s*$", re.I)
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
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


@dataclass(frozen=True)
class Context:
    tables: Mapping[str, Table]
    publisher: Publisher | None
    policy: Policy | None
    nomenclature: cpv.Nomenclature


def flag(
    table: Table,
    mask: pd.Series,
    field: str,
    code: str,
    message: Message,
    severity: Severity = Severity.ERROR,
) -> Iterator[Problem]:
    """One problem per row where `mask` is true, built from the cell of `field`."""
    assert table.frame is not None
    if not mask.any():
        return
    for row, value in table.frame.loc[mask, field].items():
        text, fix = message(str(value))
        yield Problem(table.file, int(row), field, code, text, fix, severity)


def fixed(message: str, fix: str) -> Message:
    """The same message and fix whatever the cell."""

    def build(_value: str) -> tuple[str, str]:
        return message, fix

    return build


# --- Vectorised helpers ------------------------------------------------------------------------
# Each check keeps its Python definition (the `re` patterns above). To stay fast on a million rows,
# a check first narrows a column to candidates with a cheaper test that can only say "maybe" more
# often than the exact one (an Arrow kernel, or one evaluation per distinct value), then applies the
# exact test to the candidates alone: the result is the same as testing every cell.

CONTROL_CLASS = CONTROL_CHARS.pattern
"""A character class without anchors: RE2 (Arrow) and Python's `re` match the same characters."""


def arrow_text(col: pd.Series) -> pa.Array:
    return pa.array(col.to_numpy(dtype=object), type=pa.large_string())


def rows_where(col: pd.Series, candidates: pa.Array) -> pd.Series:
    """The cells of `col` where the Arrow boolean array `candidates` is true."""
    index = np.flatnonzero(candidates.to_numpy(zero_copy_only=False))
    return col.iloc[index]


def widen(mask: pd.Series, index: pd.Index) -> pd.Series:
    """A mask over some rows extended to every row (false elsewhere)."""
    return mask.reindex(index, fill_value=False).astype(bool)


def by_value(col: pd.Series, test: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """An elementwise `test` evaluated once per distinct value: the same result as `test(col)`."""
    codes, uniques = pd.factorize(col)
    result = test(pd.Series(uniques, dtype=object))
    return pd.Series(result.to_numpy()[codes], index=col.index)


def not_matching(col: pd.Series, strict: str) -> pd.Series:
    """Cells that may fail the `re` pattern `strict`, found with RE2 first (`strict` must be an
    RE2 pattern stricter than or equal to the Python one, e.g. `[0-9]` for `\\d`)."""
    text = arrow_text(col)
    maybe = pc.and_(pc.not_equal(text, ""), pc.invert(pc.match_substring_regex(text, strict)))
    return rows_where(col, maybe)


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
            "valeur-erreur-tableur",
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
            "caractere-controle",
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
                "cellule-formule",
                lambda x: (
                    f"« {x[:40]} » commence par « {x[0]} » : un tableur l'exécuterait comme une "
                    "formule",
                    "reformuler le début du texte (le site l'affiche tel quel)",
                ),
                Severity.WARNING,
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
            yield from flag(table, mask, name, "type-error", _number_message(label))
        elif kind == "date":
            yield from flag(table, by_value(full, _bad_dates), name, "type-error", _date_message)
        elif kind == "boolean":
            bad = by_value(full, _bad_booleans)
            yield from flag(table, bad, name, "type-error", _boolean_message)


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
            "siret-invalide",
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


def cpv_diagnosis(value: str, nomenclature: cpv.Nomenclature) -> tuple[str, str, Severity] | None:
    if value.isdigit() and len(value) == 7:
        return (
            f"« {value} » n'a que 7 chiffres : le zéro initial a sans doute été perdu",
            f"écrire « 0{value} »",
            Severity.ERROR,
        )
    match = cpv.CODE_PATTERN.match(value)
    if not match:
        return (
            f"« {value} » n'est pas un code CPV : 8 chiffres, suivis ou non de « -chiffre »",
            "écrire par exemple « 45214200-2 » ou « 45214200 »",
            Severity.ERROR,
        )
    code, check = match.group(1), match.group(2)
    if cpv.division(code) not in cpv.DIVISIONS:
        return (
            f"« {value} » : la division CPV « {code[:2]} » n'existe pas",
            "vérifier le code dans la nomenclature CPV 2008",
            Severity.ERROR,
        )
    if nomenclature.labels:
        if code not in nomenclature:
            return (
                f"« {value} » ne figure pas dans la nomenclature CPV 2008 configurée",
                "vérifier le code (les codes CPV 2003 ne sont plus valables)",
                Severity.WARNING,
            )
        expected = nomenclature.check_digits.get(code)
        if check and expected and check != expected:
            return (
                f"« {value} » : le chiffre de contrôle devrait être {expected}",
                f"écrire « {code}-{expected} » ou « {code} »",
                Severity.ERROR,
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
        message, fix, severity = diagnosis
        code = "cpv-inconnu" if severity is Severity.WARNING else "cpv-invalide"
        yield from flag(table, col == value, "codeCPV", code, fixed(message, fix), severity)


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
        yield from flag(table, mask, name, "valeur-non-autorisee", _multi_message(allowed))
        if none_value:
            yield from flag(
                table,
                by_value(col, combined) & ~mask,
                name,
                "valeur-incoherente",
                fixed(
                    f"« {none_value} » ne peut pas être combiné avec une autre valeur",
                    f"garder « {none_value} » seul, ou retirer cette mention si une considération "
                    "existe",
                ),
            )


# --- Contracts ----------------------------------------------------------------------------------


def _dates(col: pd.Series) -> pd.Series:
    def parse(values: pd.Series) -> pd.Series:
        return pd.to_datetime(
            values.where(values.str.match(ISO_DATE), None), format="%Y-%m-%d", errors="coerce"
        )

    return by_value(col, parse)


def _numbers(col: pd.Series) -> pd.Series:
    """Cells written as strict numbers, as floats (NaN elsewhere)."""
    text = arrow_text(col)
    sure = pc.match_substring_regex(text, r"^-?[0-9]+(\.[0-9]+)?$").to_numpy(zero_copy_only=False)
    strict = sure.copy()
    unsure = col[~sure]
    strict[~sure] = unsure.str.match(STRICT_NUMBER).to_numpy(dtype=bool)
    return pd.to_numeric(col.where(strict, None), errors="coerce")


def check_contracts(table: Table) -> Iterator[Problem]:
    assert table.frame is not None
    frame = table.frame
    notified = _dates(frame["dateNotification"])
    published = _dates(frame["datePublicationDonnees"])
    yield from flag(
        table,
        (notified > published).fillna(False),
        "datePublicationDonnees",
        "notification-apres-publication",
        lambda x: (
            f"les données sont publiées le {x}, avant la notification du marché",
            "vérifier les deux dates : la publication suit la notification",
        ),
        Severity.WARNING,
    )
    late = (published > notified + pd.DateOffset(months=2)).fillna(False)
    yield from flag(
        table,
        late,
        "datePublicationDonnees",
        "publication-tardive",
        lambda x: (
            f"publication le {x}, plus de deux mois après la notification",
            "publier les données dans les deux mois qui suivent la notification",
        ),
        Severity.WARNING,
    )
    amount = _numbers(frame["montant"])
    yield from flag(
        table,
        (amount < v.SEUIL_DECP_EUROS).fillna(False),
        "montant",
        "montant-sous-seuil",
        lambda x: (
            f"{x} € HT est sous le seuil de publication des DECP (40 000 € HT)",
            "vérifier le montant (oubli d'un zéro, montant TTC ou mensuel ?)",
        ),
        Severity.WARNING,
    )
    rate = _numbers(frame["tauxAvance"])
    yield from flag(
        table,
        ((rate < 0) | (rate > 1)).fillna(False),
        "tauxAvance",
        "taux-avance-hors-bornes",
        lambda x: (
            f"taux d'avance « {x} » hors de l'intervalle 0 à 1",
            "exprimer le taux en fraction : 10 % s'écrit 0.1"
            + (f" (ici « {float(x) / 100:g} » ?)" if 1 < float(x) <= 100 else ""),
        ),
    )
    yield from flag(
        table,
        ((rate > 0) & (frame["attributionAvance"] == "false")).fillna(False),
        "tauxAvance",
        "avance-incoherente",
        lambda x: (
            f"taux d'avance {x} alors que attributionAvance vaut false",
            "corriger l'un des deux champs",
        ),
        Severity.WARNING,
    )
    eu, fr = _numbers(frame["origineUE"]), _numbers(frame["origineFrance"])
    yield from flag(
        table,
        (fr > eu).fillna(False),
        "origineFrance",
        "origine-incoherente",
        lambda x: (
            f"la part d'origine France ({x}) dépasse la part d'origine UE, qui l'inclut",
            "origineFrance doit être inférieure ou égale à origineUE",
        ),
    )
    expected_prefix = frame["acheteur_id"] + frame["id"]
    mismatch = (
        (frame["uid"] != "")
        & (frame["id"] != "")
        & ~pd.Series(
            [u.startswith(p) for u, p in zip(frame["uid"], expected_prefix, strict=True)],
            index=frame.index,
            dtype=bool,
        )
    )
    yield from flag(
        table,
        mismatch,
        "uid",
        "uid-incoherent",
        lambda x: (
            f"« {x} » ne commence pas par le SIRET de l'acheteur suivi de l'identifiant du marché",
            "uid = acheteur_id + id",
        ),
        Severity.WARNING,
    )
    yield from flag(
        table,
        frame["id"].str.len() > 16,
        "id",
        "id-trop-long",
        lambda x: (
            f"« {x} » dépasse les 16 caractères du format DECP 2022",
            "raccourcir l'identifiant dans la publication nationale",
        ),
        Severity.WARNING,
    )


def check_suppliers(ctx: Context) -> Iterator[Problem]:
    links, contracts, reference = (
        ctx.tables.get("marches-titulaires"),
        ctx.tables.get("marches"),
        ctx.tables.get("titulaires"),
    )
    if links is None or links.frame is None:
        return
    if reference is not None and reference.frame is not None:
        known = set(
            zip(
                reference.frame["titulaire_typeIdentifiant"],
                reference.frame["titulaire_id"],
                strict=True,
            )
        )
        keys = pd.Series(
            [
                (t, i) not in known
                for t, i in zip(
                    links.frame["titulaire_typeIdentifiant"],
                    links.frame["titulaire_id"],
                    strict=True,
                )
            ],
            index=links.frame.index,
            dtype=bool,
        )
        first = keys & ~links.frame.duplicated(["titulaire_typeIdentifiant", "titulaire_id"])
        yield from flag(
            links,
            first,
            "titulaire_id",
            "titulaire-non-reference",
            lambda x: (
                f"le titulaire « {x} » n'est pas dans le référentiel titulaires.csv : nom, "
                "localisation et catégorie inconnus",
                "ajouter l'entreprise à titulaires.csv",
            ),
            Severity.WARNING,
        )
    if contracts is not None and contracts.frame is not None:
        with_supplier = set(links.frame["uid"])
        yield from flag(
            contracts,
            ~contracts.frame["uid"].isin(with_supplier) & (contracts.frame["uid"] != ""),
            "uid",
            "marche-sans-titulaire",
            lambda x: (
                f"le marché « {x} » n'a aucun titulaire dans marches-titulaires.csv",
                "ajouter ses titulaires",
            ),
            Severity.WARNING,
        )


def check_modifications(ctx: Context) -> Iterator[Problem]:
    mods, contracts = ctx.tables.get("modifications"), ctx.tables.get("marches")
    if mods is None or mods.frame is None or contracts is None or contracts.frame is None:
        return
    frame = mods.frame
    base = contracts.frame.drop_duplicates("uid").set_index("uid")
    notified = _dates(frame["uid"].map(base["dateNotification"]).fillna(""))
    modified = _dates(frame["dateNotificationModification"])
    yield from flag(
        mods,
        (modified < notified).fillna(False),
        "dateNotificationModification",
        "modification-avant-notification",
        lambda x: (
            f"modification notifiée le {x}, avant le marché lui-même",
            "vérifier la date de la modification",
        ),
        Severity.WARNING,
    )
    ids = pd.to_numeric(
        frame["modification_id"].where(frame["modification_id"].str.match(r"^\d+$")),
        errors="coerce",
    )
    amounts = frame.assign(_id=ids)[frame["montant"] != ""].dropna(subset=["_id"])
    if amounts.empty:
        return
    last = amounts.sort_values(["uid", "_id"]).drop_duplicates("uid", keep="last")
    current = _numbers(last["uid"].map(base["montant"]).fillna(""))
    new = _numbers(last["montant"])
    differs = ((current - new).abs() > 0.005).fillna(False)
    mask = pd.Series(False, index=frame.index)
    mask.loc[last.index[differs.to_numpy()]] = True
    yield from flag(
        mods,
        mask,
        "montant",
        "montant-incoherent",
        lambda x: (
            f"la dernière modification fixe le montant à {x} €, mais marches.csv indique un autre "
            "montant",
            "reporter dans marches.csv le montant de la dernière modification (état actuel)",
        ),
        Severity.WARNING,
    )


def check_upcoming(table: Table) -> Iterator[Problem]:
    assert table.frame is not None
    frame = table.frame
    no_amount = (frame["montantEstime"] == "") & (
        (frame["montantEstimeMin"] == "") | (frame["montantEstimeMax"] == "")
    )
    yield from flag(
        table,
        no_amount,
        "montantEstime",
        "montant-estime-manquant",
        lambda _x: (
            "ni montant estimé ni fourchette complète",
            "renseigner montantEstime, ou montantEstimeMin et montantEstimeMax",
        ),
        Severity.WARNING,
    )
    low, high = _numbers(frame["montantEstimeMin"]), _numbers(frame["montantEstimeMax"])
    yield from flag(
        table,
        (low > high).fillna(False),
        "montantEstimeMin",
        "fourchette-inversee",
        lambda x: (f"le bas de fourchette ({x}) dépasse le haut", "inverser les deux montants"),
    )
    yield from flag(
        table,
        (frame["dateLancementPrevue"] == "") & (frame["trimestreLancementPrevu"] == ""),
        "dateLancementPrevue",
        "date-lancement-manquante",
        lambda _x: (
            "ni date ni trimestre de lancement prévu",
            "renseigner dateLancementPrevue ou trimestreLancementPrevu (AAAA-Tn)",
        ),
        Severity.WARNING,
    )
    yield from flag(
        table,
        (frame["statut"] == "lancé") & (frame["urlConsultation"] == ""),
        "urlConsultation",
        "consultation-sans-adresse",
        lambda _x: (
            "achat lancé sans adresse de consultation",
            "indiquer l'adresse de la consultation sur le profil d'acheteur",
        ),
        Severity.WARNING,
    )
    yield from flag(
        table,
        (frame["statut"] == "attribué") & (frame["uidMarche"] == ""),
        "uidMarche",
        "attribution-sans-marche",
        lambda _x: (
            "achat attribué sans lien vers le marché",
            "indiquer dans uidMarche l'uid du marché attribué",
        ),
        Severity.WARNING,
    )


def check_declared(table: Table, policy: Policy | None) -> Iterator[Problem]:
    assert table.frame is not None
    if policy is None:
        return
    kinds = {ind.id: ind.type for ind in policy.indicateurs}
    col = table.frame["indicateur_id"]
    yield from flag(
        table,
        ~col.isin(kinds) & (col != ""),
        "indicateur_id",
        "indicateur-inconnu",
        lambda x: (
            f"l'indicateur « {x} » n'est pas défini dans politique.yaml",
            "corriger l'identifiant ou ajouter l'indicateur à politique.yaml",
        ),
    )
    computed = [k for k, kind in kinds.items() if kind == "calculé"]
    yield from flag(
        table,
        col.isin(computed),
        "indicateur_id",
        "indicateur-calcule",
        lambda x: (
            f"l'indicateur « {x} » est calculé à partir des marchés : il ne se déclare pas",
            "retirer ces lignes, ou passer l'indicateur en type « déclaré »",
        ),
    )


def run(ctx: Context) -> list[Problem]:
    """Every procurement check on every readable table."""
    problems: list[Problem] = []
    for table in ctx.tables.values():
        if table.frame is None:
            continue
        problems.extend(check_cells(table))
        problems.extend(check_types(table))
        problems.extend(check_sirets(table))
        problems.extend(check_cpv(table, ctx.nomenclature))
        problems.extend(check_multi_values(table))
        name = table.dataset.name
        if name == "marches":
            problems.extend(check_contracts(table))
        elif name == "achats-a-venir":
            problems.extend(check_upcoming(table))
        elif name == "indicateurs-declares":
            problems.extend(check_declared(table, ctx.policy))
    problems.extend(check_suppliers(ctx))
    problems.extend(check_modifications(ctx))
    return problems
