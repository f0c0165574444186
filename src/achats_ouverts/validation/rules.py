"""The procurement rules, as a table: each rule names the table and field it reports on, its code
(severity and meaning in the catalogue), the rows it flags and the message for each row.

A rule reads its table through a `View`, which parses a column's dates or numbers once however
many rules read them, so a table of rules costs what the hand-written checks cost. A rule that
reads other tables says so (`reads`): it runs after every table's own checks, and only when those
tables could be read. `run` applies the cell checks (`cells`) to every table, then the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import Policy, Publisher, thresholds
from achats_ouverts.datafolder.obligations import ENVIRONMENTAL_CONSIDERATIONS
from achats_ouverts.datafolder.problem_codes.checks import (
    ATTRIBUTION_SANS_MARCHE,
    AVANCE_INCOHERENTE,
    CONSIDERATION_ENVIRONNEMENTALE_A_VERIFIER,
    CONSULTATION_SANS_ADRESSE,
    DATE_LANCEMENT_MANQUANTE,
    DUREE_INCOHERENTE,
    FOURCHETTE_INVERSEE,
    ID_TROP_LONG,
    INDICATEUR_CALCULE,
    MARCHE_SANS_TITULAIRE,
    MARCHES_SOUS_SEUIL_PUBLIES,
    MODIFICATION_AVANT_NOTIFICATION,
    MONTANT_ESTIME_MANQUANT,
    MONTANT_INCOHERENT,
    MONTANT_SOUS_SEUIL,
    NOTIFICATION_APRES_PUBLICATION,
    ORIGINE_INCOHERENTE,
    PUBLICATION_TARDIVE,
    TAUX_AVANCE_HORS_BORNES,
    TITULAIRE_INCOHERENT,
    TITULAIRE_NON_REFERENCE,
    UID_INCOHERENT,
)
from achats_ouverts.datafolder.problem_codes.configuration import INDICATEUR_INCONNU
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.report import Problem
from achats_ouverts.validation import cells
from achats_ouverts.validation.columns import Message, dates, fixed, flag, numbers
from achats_ouverts.validation.reading import Table


@dataclass(frozen=True)
class Context:
    """What the checks read: every table of the folder, and its configuration."""

    tables: Mapping[str, Table]
    publisher: Publisher | None
    policy: Policy | None
    nomenclature: cpv.Nomenclature


class View:
    """A readable table as the rules read it: its text columns, its dates and numbers parsed
    once, and the other tables and the configuration through `ctx`."""

    def __init__(self, table: Table, ctx: Context) -> None:
        assert table.frame is not None
        self.frame: pd.DataFrame = table.frame
        self.header: frozenset[str] = frozenset(table.header)
        """The columns the file has (a missing one is reported once, by the reading checks)."""
        self.ctx = ctx
        self._memo: dict[Hashable, Any] = {}

    def __getitem__(self, name: str) -> pd.Series:
        return self.frame[name]

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()`, computed once for this table whatever the number of rules reading it."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def date(self, name: str) -> pd.Series:
        """A column of ISO dates as timestamps (NaT where the cell is not a date)."""
        series: pd.Series = self.memo(("date", name), lambda: dates(self.frame[name]))
        return series

    def number(self, name: str) -> pd.Series:
        """A column of strict numbers as floats (NaN where the cell is not a number)."""
        series: pd.Series = self.memo(("number", name), lambda: numbers(self.frame[name]))
        return series

    def other(self, dataset: str) -> pd.DataFrame:
        """Another table, which the rule declares in `reads` (so it is readable)."""
        frame = self.ctx.tables[dataset].frame
        assert frame is not None
        return frame


@dataclass(frozen=True)
class Rule:
    """A procurement rule: a problem `code` on `field` of `dataset`, for the rows it flags."""

    dataset: str
    field: str
    code: Code
    rows: Callable[[View], pd.Series | None]
    """The rows with the problem (a boolean mask), or None when the rule does not apply."""
    message: Message
    """From the cell of `field` to (message, fix)."""
    reads: tuple[str, ...] = ()
    """The other tables the rule reads."""
    summary: Callable[[int], tuple[str, str]] | None = None
    """When set, the flagged rows make one problem, without a row: from their number to
    (message, fix)."""


# --- Rows of the rules that need more than one comparison ---------------------------------------


def _uid_mismatch(t: View) -> pd.Series:
    prefix = t["acheteur_id"] + t["id"]
    starts = pd.Series(
        [uid.startswith(p) for uid, p in zip(t["uid"], prefix, strict=True)],
        index=t.frame.index,
        dtype=bool,
    )
    return (t["uid"] != "") & (t["id"] != "") & ~starts


def _unreferenced_supplier(t: View) -> pd.Series:
    """The first row of each supplier missing from the supplier reference."""
    reference = t.other("titulaires")
    known = set(zip(reference["titulaire_typeIdentifiant"], reference["titulaire_id"], strict=True))
    keys = pd.Series(
        [
            (kind, ident) not in known
            for kind, ident in zip(t["titulaire_typeIdentifiant"], t["titulaire_id"], strict=True)
        ],
        index=t.frame.index,
        dtype=bool,
    )
    return keys & ~t.frame.duplicated(["titulaire_typeIdentifiant", "titulaire_id"])


def _current_supplier_uids(t: View) -> set[str]:
    links = t.other("marches-titulaires")
    return set(links.loc[links["titulaireActuel"] != "false", "uid"])


def _contracts_by_uid(t: View) -> pd.DataFrame:
    frame: pd.DataFrame = t.memo(
        "marches par uid", lambda: t.other("marches").drop_duplicates("uid").set_index("uid")
    )
    return frame


def _modified_before_notification(t: View) -> pd.Series:
    notified = dates(t["uid"].map(_contracts_by_uid(t)["dateNotification"]).fillna(""))
    return (t.date("dateNotificationModification") < notified).fillna(False)


def _last_set(t: View, column: str) -> pd.Series:
    """Per uid, the last value of `column` a modification sets (by `modification_id`)."""

    def compute() -> pd.Series:
        mods = t.other("modifications")
        ids = pd.to_numeric(
            mods["modification_id"].where(mods["modification_id"].str.match(r"^\d+$")),
            errors="coerce",
        )
        set_rows = mods.assign(_id=ids)[mods[column] != ""].dropna(subset=["_id"])
        last = set_rows.sort_values(["uid", "_id"]).drop_duplicates("uid", keep="last")
        return pd.Series(last[column].to_numpy(), index=last["uid"].to_numpy(), dtype=object)

    series: pd.Series = t.memo(("dernière valeur", column), compute)
    return series


def _current_differs(t: View, initial: str, current: str, tolerance: float) -> pd.Series | None:
    """Contracts whose current value (`current`) is neither the last one a modification sets
    nor, without one, the value at notification (`initial`). Cells that are not numbers are
    left to the type checks; a file without the column (a folder written before it existed)
    gets the one missing-column problem, not one per contract."""
    if current not in t.header:
        return None
    expected_text = t["uid"].map(_last_set(t, initial)).astype(object).fillna(t[initial])
    expected, found = numbers(expected_text), t.number(current)
    differs = ((found - expected).abs() > tolerance).fillna(False)
    one_empty = (t[current] == "") != (expected_text == "")
    return (differs | one_empty).astype(bool)


def _below_decp_threshold(t: View) -> pd.Series:
    """Contracts whose amount at notification is below the DECP publication threshold in force
    on their notification date."""

    def compute() -> pd.Series:
        limit = thresholds.values_by_date(thresholds.DECP_PUBLICATION, t.date("dateNotification"))
        return (t.number("montant") < limit).fillna(False)

    series: pd.Series = t.memo("sous le seuil DECP", compute)
    return series


def _small_contracts_on_purpose(t: View) -> bool:
    """Whether the publisher says it publishes contracts below the threshold on purpose."""
    publisher = t.ctx.publisher
    return publisher is not None and publisher.marches_sous_seuil_publies


def _below_threshold_rows(threshold: thresholds.Threshold) -> Callable[[View], pd.Series | None]:
    """Contracts below `threshold`, notified while it was in force (the latest one also takes
    the contracts without a readable date), when small contracts are not published on purpose."""

    def rows(t: View) -> pd.Series | None:
        if _small_contracts_on_purpose(t):
            return None
        day = t.date("dateNotification")
        during = pd.Series(True, index=t.frame.index)
        if threshold.start is not None:
            during &= day >= pd.Timestamp(threshold.start)
        if threshold.end is not None:
            during &= day <= pd.Timestamp(threshold.end)
        if threshold is thresholds.DECP_PUBLICATION[-1]:
            during |= day.isna()
        return _below_decp_threshold(t) & during

    return rows


def _below_threshold_message(threshold: thresholds.Threshold) -> Message:
    def build(x: str) -> tuple[str, str]:
        return (
            f"{x} € HT est sous le seuil de publication des DECP en vigueur à la notification "
            f"({threshold.label} {threshold.period})",
            "vérifier le montant (oubli d'un zéro, montant TTC ou mensuel ?) ; si l'acheteur "
            "publie exprès ses petits marchés, l'indiquer dans editeur.yaml "
            "(marches_sous_seuil_publies: true)",
        )

    return build


def _small_contracts_summary(count: int) -> tuple[str, str]:
    plural = "s" if count > 1 else ""
    return (
        f"{count} marché{plural} sous le seuil de publication des DECP en vigueur à leur "
        f"notification ({thresholds.summary(thresholds.DECP_PUBLICATION)}), publié{plural} "
        "volontairement (editeur.yaml : marches_sous_seuil_publies)",
        "aucune correction : retirer ce réglage pour voir chaque marché",
    )


def _supplier_state_wrong(t: View) -> pd.Series | None:
    """Rows of marches-titulaires whose `titulaireActuel` disagrees with the last supplier list a
    modification sets (or, without one, with `titulaireInitial`), or that are neither initial
    nor current. Not checked when the file lacks either column (reported once as missing)."""
    if not {"titulaireInitial", "titulaireActuel"} <= t.header:
        return None
    lists = t["uid"].map(
        _last_set(t, "titulaires").map(
            lambda text: frozenset(item.strip() for item in text.split(v.MULTI_SEPARATOR))
        )
    )
    keys = t["titulaire_typeIdentifiant"] + ":" + t["titulaire_id"]
    initial, current = t["titulaireInitial"], t["titulaireActuel"]
    expected = [
        key in found if isinstance(found, frozenset) else first == "true"
        for key, found, first in zip(keys, lists, initial, strict=True)
    ]
    wrong = pd.Series(expected, index=t.frame.index, dtype=bool) != (current == "true")
    neither = (initial == "false") & (current == "false")
    known = current.isin(("true", "false")) & initial.isin(("true", "false"))
    return (known & (wrong | neither)).astype(bool)


def _declared_kinds(t: View) -> dict[str, str] | None:
    policy = t.ctx.policy
    return None if policy is None else {ind.id: ind.type for ind in policy.indicateurs}


def _undefined_indicator(t: View) -> pd.Series | None:
    kinds = _declared_kinds(t)
    if kinds is None:
        return None
    return ~t["indicateur_id"].isin(kinds) & (t["indicateur_id"] != "")


def _computed_indicator(t: View) -> pd.Series | None:
    kinds = _declared_kinds(t)
    if kinds is None:
        return None
    return t["indicateur_id"].isin([k for k, kind in kinds.items() if kind == "calculé"])


def _rate_message(x: str) -> tuple[str, str]:
    hint = f" (ici « {float(x) / 100:g} » ?)" if 1 < float(x) <= 100 else ""
    return (
        f"taux d'avance « {x} » hors de l'intervalle 0 à 1",
        "exprimer le taux en fraction : 10 % s'écrit 0.1" + hint,
    )


def _no_environmental_consideration_since_2026(t: View) -> pd.Series | None:
    """Contracts notified from the day environmental considerations are mandatory whose field
    says there is none (an empty field is unknown, not « none »). Not checked when the file
    lacks the column (reported once as missing)."""
    if "considerationsEnvironnementales" not in t.header:
        return None
    since = t.date("dateNotification") >= pd.Timestamp(ENVIRONMENTAL_CONSIDERATIONS.start)
    none = t["considerationsEnvironnementales"] == v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE
    return (since.fillna(False) & none).astype(bool)


def _environmental_message(x: str) -> tuple[str, str]:
    return (
        f"« {x} » pour un marché notifié {ENVIRONMENTAL_CONSIDERATIONS.since}, date à partir "
        "de laquelle toute consultation engagée doit prendre en compte des considérations "
        "environnementales (articles L2112-2 et L2152-7) ; à vérifier : la date de notification "
        "n'approche que la date d'engagement de la consultation",
        "vérifier la date d'engagement de la consultation (antérieure au 21 août 2026 : rien à "
        "corriger) ; sinon corriger considerationsEnvironnementales s'il omet une clause ou un "
        "critère environnemental",
    )


# --- The table ----------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        "marches",
        "datePublicationDonnees",
        NOTIFICATION_APRES_PUBLICATION,
        lambda t: (t.date("dateNotification") > t.date("datePublicationDonnees")).fillna(False),
        lambda x: (
            f"les données sont publiées le {x}, avant la notification du marché",
            "vérifier les deux dates : la publication suit la notification",
        ),
    ),
    Rule(
        "marches",
        "datePublicationDonnees",
        PUBLICATION_TARDIVE,
        lambda t: (
            t.date("datePublicationDonnees") > t.date("dateNotification") + pd.DateOffset(months=2)
        ).fillna(False),
        lambda x: (
            f"publication le {x}, plus de deux mois après la notification",
            "publier les données dans les deux mois qui suivent la notification",
        ),
    ),
    *(
        Rule(
            "marches",
            "montant",
            MONTANT_SOUS_SEUIL,
            _below_threshold_rows(threshold),
            _below_threshold_message(threshold),
        )
        for threshold in thresholds.DECP_PUBLICATION
    ),
    Rule(
        "marches",
        "montant",
        MARCHES_SOUS_SEUIL_PUBLIES,
        lambda t: _below_decp_threshold(t) if _small_contracts_on_purpose(t) else None,
        fixed("", ""),
        summary=_small_contracts_summary,
    ),
    Rule(
        "marches",
        "considerationsEnvironnementales",
        CONSIDERATION_ENVIRONNEMENTALE_A_VERIFIER,
        _no_environmental_consideration_since_2026,
        _environmental_message,
    ),
    Rule(
        "marches",
        "tauxAvance",
        TAUX_AVANCE_HORS_BORNES,
        lambda t: ((t.number("tauxAvance") < 0) | (t.number("tauxAvance") > 1)).fillna(False),
        _rate_message,
    ),
    Rule(
        "marches",
        "tauxAvance",
        AVANCE_INCOHERENTE,
        lambda t: ((t.number("tauxAvance") > 0) & (t["attributionAvance"] == "false")).fillna(
            False
        ),
        lambda x: (
            f"taux d'avance {x} alors que attributionAvance vaut false",
            "corriger l'un des deux champs",
        ),
    ),
    Rule(
        "marches",
        "origineFrance",
        ORIGINE_INCOHERENTE,
        lambda t: (t.number("origineFrance") > t.number("origineUE")).fillna(False),
        lambda x: (
            f"la part d'origine France ({x}) dépasse la part d'origine UE, qui l'inclut",
            "origineFrance doit être inférieure ou égale à origineUE",
        ),
    ),
    Rule(
        "marches",
        "uid",
        UID_INCOHERENT,
        _uid_mismatch,
        lambda x: (
            f"« {x} » ne commence pas par le SIRET de l'acheteur suivi de l'identifiant du marché",
            "uid = acheteur_id + id",
        ),
    ),
    Rule(
        "marches",
        "id",
        ID_TROP_LONG,
        lambda t: t["id"].str.len() > 16,
        lambda x: (
            f"« {x} » dépasse les 16 caractères du format DECP 2022",
            "raccourcir l'identifiant dans la publication nationale",
        ),
    ),
    Rule(
        "achats-a-venir",
        "montantEstime",
        MONTANT_ESTIME_MANQUANT,
        lambda t: (
            (t["montantEstime"] == "")
            & ((t["montantEstimeMin"] == "") | (t["montantEstimeMax"] == ""))
        ),
        fixed(
            "ni montant estimé ni fourchette complète",
            "renseigner montantEstime, ou montantEstimeMin et montantEstimeMax",
        ),
    ),
    Rule(
        "achats-a-venir",
        "montantEstimeMin",
        FOURCHETTE_INVERSEE,
        lambda t: (t.number("montantEstimeMin") > t.number("montantEstimeMax")).fillna(False),
        lambda x: (f"le bas de fourchette ({x}) dépasse le haut", "inverser les deux montants"),
    ),
    Rule(
        "achats-a-venir",
        "dateLancementPrevue",
        DATE_LANCEMENT_MANQUANTE,
        lambda t: (t["dateLancementPrevue"] == "") & (t["trimestreLancementPrevu"] == ""),
        fixed(
            "ni date ni trimestre de lancement prévu",
            "renseigner dateLancementPrevue ou trimestreLancementPrevu (AAAA-Tn)",
        ),
    ),
    Rule(
        "achats-a-venir",
        "urlConsultation",
        CONSULTATION_SANS_ADRESSE,
        lambda t: (t["statut"] == "lancé") & (t["urlConsultation"] == ""),
        fixed(
            "achat lancé sans adresse de consultation",
            "indiquer l'adresse de la consultation sur le profil d'acheteur",
        ),
    ),
    Rule(
        "achats-a-venir",
        "uidMarche",
        ATTRIBUTION_SANS_MARCHE,
        lambda t: (t["statut"] == "attribué") & (t["uidMarche"] == ""),
        fixed(
            "achat attribué sans lien vers le marché",
            "indiquer dans uidMarche l'uid du marché attribué",
        ),
    ),
    Rule(
        "indicateurs-declares",
        "indicateur_id",
        INDICATEUR_INCONNU,
        _undefined_indicator,
        lambda x: (
            f"l'indicateur « {x} » n'est pas défini dans politique.yaml",
            "corriger l'identifiant ou ajouter l'indicateur à politique.yaml",
        ),
    ),
    Rule(
        "indicateurs-declares",
        "indicateur_id",
        INDICATEUR_CALCULE,
        _computed_indicator,
        lambda x: (
            f"l'indicateur « {x} » est calculé à partir des marchés : il ne se déclare pas",
            "retirer ces lignes, ou passer l'indicateur en type « déclaré »",
        ),
    ),
    Rule(
        "marches-titulaires",
        "titulaire_id",
        TITULAIRE_NON_REFERENCE,
        _unreferenced_supplier,
        lambda x: (
            f"le titulaire « {x} » n'est pas dans le référentiel titulaires.csv : nom, "
            "localisation et catégorie inconnus",
            "ajouter l'entreprise à titulaires.csv",
        ),
        reads=("titulaires",),
    ),
    Rule(
        "marches",
        "uid",
        MARCHE_SANS_TITULAIRE,
        lambda t: ~t["uid"].isin(_current_supplier_uids(t)) & (t["uid"] != ""),
        lambda x: (
            f"le marché « {x} » n'a aucun titulaire actuel dans marches-titulaires.csv",
            "ajouter ses titulaires (titulaireActuel à true)",
        ),
        reads=("marches-titulaires",),
    ),
    Rule(
        "modifications",
        "dateNotificationModification",
        MODIFICATION_AVANT_NOTIFICATION,
        _modified_before_notification,
        lambda x: (
            f"modification notifiée le {x}, avant le marché lui-même",
            "vérifier la date de la modification",
        ),
        reads=("marches",),
    ),
    Rule(
        "marches",
        "montantActuel",
        MONTANT_INCOHERENT,
        lambda t: _current_differs(t, "montant", "montantActuel", 0.005),
        lambda x: (
            f"le montant actuel « {x} » n'est pas celui de la dernière modification qui fixe un "
            "montant ni, sans une telle modification, le montant à la notification",
            "écrire dans montantActuel le montant de la dernière modification qui en fixe un "
            "(modifications.csv), sinon le montant à la notification",
        ),
        reads=("modifications",),
    ),
    Rule(
        "marches",
        "dureeMoisActuelle",
        DUREE_INCOHERENTE,
        lambda t: _current_differs(t, "dureeMois", "dureeMoisActuelle", 0),
        lambda x: (
            f"la durée actuelle « {x} » n'est pas celle de la dernière modification qui fixe une "
            "durée ni, sans une telle modification, la durée à la notification",
            "écrire dans dureeMoisActuelle la durée de la dernière modification qui en fixe une "
            "(modifications.csv), sinon la durée à la notification",
        ),
        reads=("modifications",),
    ),
    Rule(
        "marches-titulaires",
        "titulaireActuel",
        TITULAIRE_INCOHERENT,
        _supplier_state_wrong,
        lambda x: (
            f"titulaireActuel vaut « {x} », ce que ne dit pas la dernière liste de titulaires "
            "fixée par une modification (ou, sans elle, titulaireInitial), ou la ligne n'est ni "
            "initiale ni actuelle",
            "corriger titulaireInitial ou titulaireActuel, ou la liste de la modification "
            "(modifications.csv)",
        ),
        reads=("modifications",),
    ),
)


def _apply(rule: Rule, views: Mapping[str, View]) -> list[Problem]:
    """The problems of one rule; none when a table it needs could not be read."""
    view = views.get(rule.dataset)
    if view is None or any(name not in views for name in rule.reads):
        return []
    mask = rule.rows(view)
    if mask is None:
        return []
    table = view.ctx.tables[rule.dataset]
    if rule.summary is not None:
        count = int(mask.sum())
        if not count:
            return []
        message, fix = rule.summary(count)
        return [rule.code.problem(table.file, None, rule.field, message, fix)]
    return list(flag(table, mask, rule.field, rule.code, rule.message))


def run(ctx: Context) -> list[Problem]:
    """Every procurement check on every readable table: the cell checks and each table's own
    rules table by table, then the rules that read several tables."""
    problems: list[Problem] = []
    views: dict[str, View] = {}
    for table in ctx.tables.values():
        if table.frame is None:
            continue
        name = table.dataset.name
        views[name] = view = View(table, ctx)
        problems.extend(cells.check_cells(table))
        problems.extend(cells.check_types(table))
        problems.extend(cells.check_sirets(table))
        problems.extend(cells.check_cpv(table, ctx.nomenclature))
        problems.extend(cells.check_multi_values(table))
        for rule in RULES:
            if rule.dataset == name and not rule.reads:
                problems.extend(_apply(rule, {name: view}))
    for rule in RULES:
        if rule.reads:
            problems.extend(_apply(rule, views))
    return problems
