"""From a contract as read in any source format to a canonical contract (`records.Contract`).

`build_contract` applies the normalisation rules (`normalise`) field by field, keeps the values at
notification (`montant`, `dureeMois`, the supplier list) as the DECP define them, applies the
modifications in `id` order to get the current ones (`montantActuel`, `dureeMoisActuelle`, the
current supplier list), and notes every correction and every value set aside. A record that
cannot be published (no identifier, no valid buyer SIRET, no subject, no notification date, no
amount of at least 1 €) raises `Rejected`; anything else is repaired with a note, or the faulty
part (one field, one supplier, one modification) is set aside with a note.
"""

from __future__ import annotations

from typing import Any

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import fold
from achats_ouverts.importing import normalise as n
from achats_ouverts.importing.records import (
    Contract,
    Notes,
    RawContract,
    RawModification,
    RawSupplier,
    Rejected,
    SupplierInfo,
)

UID_MAX = 64

# --- Field rules -------------------------------------------------------------------------------

ENUMS: dict[str, tuple[str, ...]] = {
    "nature": v.NATURES,
    "ccag": v.CCAG,
    "typeGroupementOperateurs": v.GROUPEMENTS,
    "lieuExecution_typeCode": v.TYPES_CODE_LIEU,
    "formePrix": v.FORMES_PRIX,
}
MULTI: dict[str, tuple[str, ...]] = {
    "techniques": v.TECHNIQUES,
    "modalitesExecution": v.MODALITES_EXECUTION,
    "typesPrix": v.TYPES_PRIX,
    "considerationsSociales": v.CONSIDERATIONS_SOCIALES,
    "considerationsEnvironnementales": v.CONSIDERATIONS_ENVIRONNEMENTALES,
}
BOOLEANS = ("marcheInnovant", "attributionAvance", "sousTraitanceDeclaree")
FRACTIONS = ("tauxAvance", "origineUE", "origineFrance")


def _text(raw: Any, name: str, notes: Notes, where: str = "") -> str:
    found = n.text(raw)
    if found is None:
        return ""
    if found.cleaned:
        notes.fix(name, "texte-nettoye", "caractères de contrôle invisibles retirés", where)
    return found.value


def _required_text(raw: Any, name: str, code: str, message: str, notes: Notes) -> str:
    value = _text(raw, name, notes)
    if not value:
        raise Rejected(code, message, name)
    return value


def _enum(raw: Any, name: str, notes: Notes) -> str:
    value = _text(raw, name, notes)
    if not value:
        return ""
    try:
        found = n.choice(value, ENUMS[name], n.ALIASES.get(name))
    except n.Unusable as exc:
        notes.drop(name, "valeur-non-autorisee", f"{exc} : valeur écartée")
        return ""
    if found.rewritten:
        notes.fix(name, "valeur-reformulee", f"« {value} » écrit « {found.value} »")
    return found.value


def _procedure(raw: Any, notes: Notes) -> str:
    value = _text(raw, "procedure", notes)
    if not value:
        return ""
    if value in v.PROCEDURES:
        return value
    old = n.PROCEDURES_ANCIENNES.get(fold(value))
    if old is not None:
        notes.fix(
            "procedure",
            "procedure-ancienne",
            f"« {value} » (dénomination d'avant 2019) remplacé par « {old} »",
        )
        return old
    try:
        found = n.choice(value, v.PROCEDURES)
    except n.Unusable as exc:
        notes.drop("procedure", "valeur-non-autorisee", f"{exc} : valeur écartée")
        return ""
    notes.fix("procedure", "valeur-reformulee", f"« {value} » écrit « {found.value} »")
    return found.value


def _multi(name: str, items: list[str], notes: Notes) -> str:
    allowed = MULTI[name]
    aliases = n.ALIASES.get(name)
    kept: list[str] = []
    for item in items:
        try:
            found = n.choice(item, allowed, aliases)
        except n.Unusable as exc:
            notes.drop(name, "valeur-non-autorisee", f"{exc} : valeur écartée")
            continue
        if found.rewritten:
            notes.fix(name, "valeur-reformulee", f"« {item} » écrit « {found.value} »")
        if found.value not in kept:
            kept.append(found.value)
    none_value = n.MULTI_NONE.get(name)
    if none_value and none_value in kept and len(kept) > 1:
        kept.remove(none_value)
        notes.fix(
            name, "valeur-incoherente", f"« {none_value} » retiré : d'autres valeurs existent"
        )
    return v.MULTI_SEPARATOR.join(kept)


def _boolean(raw: Any, name: str, notes: Notes) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    try:
        return n.boolean(raw)
    except n.Unusable as exc:
        notes.drop(name, "valeur-invalide", f"{exc} : valeur écartée")
        return ""


def _fraction(raw: Any, name: str, notes: Notes) -> str:
    if n.text(raw) is None:
        return ""
    try:
        return n.fraction(raw)
    except n.Unusable as exc:
        notes.drop(name, "valeur-invalide", f"{exc} : valeur écartée")
        return ""


def _positive_integer(raw: Any, name: str, notes: Notes, where: str = "") -> str:
    if n.text(raw) is None:
        return ""
    try:
        value, rounded = n.positive_integer(raw)
    except n.Unusable as exc:
        notes.drop(name, "valeur-invalide", f"{exc} : valeur écartée", where)
        return ""
    if rounded:
        notes.fix(name, "entier-arrondi", f"« {raw} » arrondi au mois supérieur : {value}", where)
    return value


def _current_amount(raw: Any, at_notification: str, notes: Notes) -> str:
    """The current amount a source gives beside the amount at notification (an in-house export's
    `montantActuel` column); without one, or when it is unusable, the amount at notification,
    which the modifications then replace."""
    if n.text(raw) is None:
        return at_notification
    try:
        return n.positive_amount(raw)
    except n.Unusable as exc:
        notes.drop("montantActuel", "valeur-invalide", f"{exc} : montant actuel écarté", "")
        return at_notification


def _date(raw: Any, name: str, notes: Notes, where: str = "") -> str:
    """An optional date: set aside when unreadable."""
    if n.text(raw) is None:
        return ""
    try:
        found = n.parse_date(raw)
    except n.Unusable as exc:
        notes.drop(name, "date-invalide", f"{exc} : valeur écartée", where)
        return ""
    if found.normalised:
        notes.fix(name, "date-normalisee", f"« {raw} » écrit « {found.iso} »", where)
    return found.iso


def _cpv(raw: Any, notes: Notes) -> str:
    value = _text(raw, "codeCPV", notes)
    if not value:
        return ""
    try:
        found = n.cpv_code(value)
    except n.Unusable as exc:
        notes.drop("codeCPV", "cpv-invalide", f"{exc} : valeur écartée")
        return ""
    if found.zero_restored:
        notes.fix(
            "codeCPV", "cpv-zero-restaure", f"« {value} » : zéro initial rétabli, « {found.value} »"
        )
    return found.value


def _missing_subject(code: Any, notes: Notes) -> str:
    """The text shown for a contract whose source has no subject (a subset of the national
    tabular columns, a partial export): the contract is kept, the gap is said."""
    label = ""
    try:
        found = n.cpv_code(code)
        label = f" (CPV {found.value} : {cpv.division_label(found.value)})"
    except n.Unusable:
        pass
    notes.fix("objet", "objet-manquant", "objet absent de la source : marché conservé sans objet")
    return f"Objet non renseigné dans les données source{label}"


def _buyer(raw: Any, notes: Notes) -> str:
    try:
        found = n.siret(raw)
    except n.Unusable as exc:
        raise Rejected(
            "acheteur-invalide", f"SIRET de l'acheteur inutilisable : {exc}", "acheteur_id"
        ) from exc
    if found.repair:
        notes.fix("acheteur_id", found.repair, f"« {raw} » écrit « {found.value} »")
    return found.value


# --- Suppliers ---------------------------------------------------------------------------------


def _supplier_type(raw: RawSupplier, notes: Notes, where: str) -> str:
    value = _text(raw.type_identifiant, "titulaire_typeIdentifiant", notes, where)
    if not value:
        try:
            n.siret(raw.id)
        except n.Unusable as exc:
            raise n.Unusable("type d'identifiant absent") from exc
        notes.fix(
            "titulaire_typeIdentifiant",
            "type-identifiant-deduit",
            "type d'identifiant absent : SIRET, d'après l'identifiant",
            where,
        )
        return "SIRET"
    found = n.choice(value, v.TYPES_IDENTIFIANT, n.TYPES_IDENTIFIANT_ALIASES)
    if found.rewritten:
        notes.fix(
            "titulaire_typeIdentifiant",
            "valeur-reformulee",
            f"« {value} » écrit « {found.value} »",
            where,
        )
    return found.value


def _optional(raw: Any, rule: Any, name: str, notes: Notes, where: str) -> str:
    if n.text(raw) is None:
        return ""
    try:
        return str(rule(raw))
    except n.Unusable as exc:
        notes.drop(name, "valeur-invalide", f"{exc} : valeur écartée", where)
        return ""


def supplier(raw: RawSupplier, notes: Notes, where: str) -> SupplierInfo:
    """One supplier, normalised; raises n.Unusable when it cannot be identified."""
    kind = _supplier_type(raw, notes, where)
    if kind == "SIRET":
        found = n.siret(raw.id)
        if found.repair:
            notes.fix("titulaire_id", found.repair, f"« {raw.id} » écrit « {found.value} »", where)
        ident = found.value
    else:
        ident = n.supplier_identifier(raw.id)
    name, truncated = n.truncate(_text(raw.nom, "titulaire_nom", notes, where), n.NOM_MAX)
    if truncated:
        notes.fix(
            "titulaire_nom", "texte-tronque", f"nom raccourci à {n.NOM_MAX} caractères", where
        )
    return SupplierInfo(
        kind,
        ident,
        name,
        _optional(
            raw.categorie,
            lambda x: n.choice(str(x).strip(), v.CATEGORIES_ENTREPRISE).value,
            "titulaire_categorie",
            notes,
            where,
        ),
        _optional(
            raw.commune_code,
            lambda x: n.geo_code(x, r"^[0-9][0-9AB][0-9]{3}$", 5),
            "titulaire_commune_code",
            notes,
            where,
        ),
        _text(raw.commune_nom, "titulaire_commune_nom", notes, where),
        _optional(
            raw.departement_code,
            lambda x: n.geo_code(x, r"^([0-9]{2}|2A|2B|97[1-8])$", 2),
            "titulaire_departement_code",
            notes,
            where,
        ),
        _optional(
            raw.region_code,
            lambda x: n.geo_code(x, r"^[0-9]{2}$", 2),
            "titulaire_region_code",
            notes,
            where,
        ),
    )


def suppliers(
    raws: list[RawSupplier], notes: Notes, where: str, known: list[SupplierInfo]
) -> list[tuple[str, str]]:
    """The usable suppliers of a list, in order, without repeats; the others are set aside."""
    kept: list[tuple[str, str]] = []
    for i, raw in enumerate(raws):
        at = f"{where}.titulaires[{i}]"
        try:
            info = supplier(raw, notes, at)
        except n.Unusable as exc:
            notes.drop("titulaire_id", "titulaire-invalide", f"titulaire écarté : {exc}", at)
            continue
        if info.key in kept:
            notes.fix("titulaire_id", "titulaire-en-double", f"« {info.id} » cité deux fois", at)
            continue
        kept.append(info.key)
        known.append(info)
    return kept


# --- Modifications -----------------------------------------------------------------------------


def _modification(
    raw: RawModification, notes: Notes, known: list[SupplierInfo]
) -> tuple[int, dict[str, str], list[tuple[str, str]] | None] | None:
    where = raw.where
    try:
        ident = int(n.positive_integer(raw.id)[0]) if n.text(raw.id) is not None else None
    except n.Unusable:
        ident = None
    if ident is None:
        notes.drop(
            "modification_id",
            "modification-invalide",
            f"modification sans numéro valide (« {raw.id} ») : écartée",
            where,
        )
        return None
    try:
        notified = n.parse_date(raw.date_notification)
    except n.Unusable as exc:
        notes.drop(
            "dateNotificationModification",
            "modification-invalide",
            f"modification {ident} sans date de notification valide ({exc}) : écartée",
            where,
        )
        return None
    if notified.normalised:
        notes.fix(
            "dateNotificationModification",
            "date-normalisee",
            f"« {raw.date_notification} » écrit « {notified.iso} »",
            where,
        )
    amount = ""
    if n.text(raw.montant) is not None:
        try:
            amount = n.positive_amount(raw.montant)
        except n.Unusable as exc:
            notes.drop("montant", "valeur-invalide", f"{exc} : nouveau montant écarté", where)
    new_suppliers = None
    if raw.titulaires:
        new_suppliers = suppliers(raw.titulaires, notes, where, known)
    row = {
        "modification_id": str(ident),
        "dateNotificationModification": notified.iso,
        "datePublicationDonneesModification": _date(
            raw.date_publication, "datePublicationDonneesModification", notes, where
        ),
        "montant": amount,
        "dureeMois": _positive_integer(raw.duree_mois, "dureeMois", notes, where),
        "titulaires": v.MULTI_SEPARATOR.join(f"{k}:{i}" for k, i in new_suppliers or []),
    }
    return ident, row, new_suppliers


# --- Contract ----------------------------------------------------------------------------------


def build_contract(raw: RawContract, notes: Notes) -> Contract:
    """Normalise a contract and apply its modifications; raises Rejected."""
    src = raw.values
    values: dict[str, str] = {}
    values["id"] = _required_text(
        src.get("id"), "id", "identifiant-manquant", "identifiant du marché (id) absent", notes
    )
    values["acheteur_id"] = _buyer(src.get("acheteur_id"), notes)
    if len(values["acheteur_id"] + values["id"]) > UID_MAX - 4:
        raise Rejected(
            "identifiant-trop-long", f"identifiant « {values['id'][:40]}… » trop long", "id"
        )
    objet = _text(src.get("objet"), "objet", notes) or _missing_subject(src.get("codeCPV"), notes)
    values["objet"], truncated = n.truncate(objet, n.OBJET_MAX)
    if truncated:
        notes.fix("objet", "texte-tronque", f"objet raccourci à {n.OBJET_MAX} caractères")
    try:
        notified = n.parse_date(src.get("dateNotification"))
    except n.Unusable as exc:
        raise Rejected(
            "date-notification-invalide",
            f"date de notification inutilisable : {exc}",
            "dateNotification",
        ) from exc
    if notified.normalised:
        notes.fix(
            "dateNotification",
            "date-normalisee",
            f"« {src.get('dateNotification')} » écrit « {notified.iso} »",
        )
    values["dateNotification"] = notified.iso
    try:
        values["montant"] = n.positive_amount(src.get("montant"))
    except n.Unusable as exc:
        raise Rejected("montant-invalide", f"montant inutilisable : {exc}", "montant") from exc

    extra: dict[str, list[str]] = {name: [] for name in MULTI}
    nature = _text(src.get("nature"), "nature", notes)
    legacy = n.NATURE_2019.get(fold(nature)) if nature else None
    if legacy is not None:
        extra[legacy[0]].append(legacy[1])
        values["nature"] = "Marché"
    else:
        values["nature"] = _enum(nature, "nature", notes)
    forme = _text(src.get("formePrix"), "formePrix", notes)
    legacy_price = n.FORME_PRIX_2019.get(fold(forme)) if forme else None
    if legacy_price is not None:
        extra["typesPrix"].append(legacy_price)
        values["formePrix"] = ""
    else:
        values["formePrix"] = _enum(forme, "formePrix", notes)
    for name in ("ccag", "typeGroupementOperateurs", "lieuExecution_typeCode"):
        values[name] = _enum(src.get(name), name, notes)
    values["procedure"] = _procedure(src.get("procedure"), notes)
    for name in MULTI:
        values[name] = _multi(name, n.split_multi(src.get(name)) + extra[name], notes)
    for name in BOOLEANS:
        values[name] = _boolean(src.get(name), name, notes)
    for name in FRACTIONS:
        values[name] = _fraction(src.get(name), name, notes)
    if (
        values["origineUE"]
        and values["origineFrance"]
        and n.parse_decimal(values["origineFrance"]) > n.parse_decimal(values["origineUE"])
    ):
        notes.drop(
            "origineFrance",
            "valeur-incoherente",
            "origineFrance dépasse origineUE, qui l'inclut : valeur écartée",
        )
        values["origineFrance"] = ""
    values["codeCPV"] = _cpv(src.get("codeCPV"), notes)
    values["idAccordCadre"] = _text(src.get("idAccordCadre"), "idAccordCadre", notes)
    place = _text(src.get("lieuExecution_code"), "lieuExecution_code", notes).replace(" ", "")
    if len(place) > n.LIEU_MAX:
        notes.drop(
            "lieuExecution_code",
            "valeur-invalide",
            f"« {place[:20]} » : code de lieu trop long, écarté",
        )
        place = ""
    values["lieuExecution_code"] = place
    values["offresRecues"] = _positive_integer(src.get("offresRecues"), "offresRecues", notes)
    values["dureeMois"] = _positive_integer(src.get("dureeMois"), "dureeMois", notes)
    values["montantActuel"] = _current_amount(src.get("montantActuel"), values["montant"], notes)
    values["dureeMoisActuelle"] = (
        _positive_integer(src.get("dureeMoisActuelle"), "dureeMoisActuelle", notes)
        or values["dureeMois"]
    )
    values["datePublicationDonnees"] = _date(
        src.get("datePublicationDonnees"), "datePublicationDonnees", notes
    )

    known: list[SupplierInfo] = []
    initial = suppliers(raw.titulaires, notes, "", known)
    current = initial
    history: dict[int, tuple[dict[str, str], list[tuple[str, str]] | None]] = {}
    for i, mod in enumerate(raw.modifications):
        if not mod.where:
            mod.where = f".modifications[{i}]"
        built = _modification(mod, notes, known)
        if built is None:
            continue
        ident, row, new_suppliers = built
        if ident in history:
            notes.drop(
                "modification_id",
                "modification-en-double",
                f"deuxième modification numéro {ident} : écartée",
                mod.where,
            )
            continue
        history[ident] = (row, new_suppliers)
    modifications = []
    for ident in sorted(history):
        row, new_suppliers = history[ident]
        if row["montant"]:
            values["montantActuel"] = row["montant"]
        if row["dureeMois"]:
            values["dureeMoisActuelle"] = row["dureeMois"]
        if new_suppliers is not None:
            current = new_suppliers
        modifications.append(row)
    quiet = Notes(raw.position)
    return Contract(
        values,
        initial,
        current,
        modifications,
        known,
        _text(raw.acheteur_nom, "acheteur_nom", quiet),
        _optional(
            raw.acheteur_region_code, lambda x: n.geo_code(x, r"^[0-9]{2}$", 2), "", quiet, ""
        ),
        _optional(
            raw.acheteur_departement_code,
            lambda x: n.geo_code(x, r"^([0-9]{2}|2A|2B|97[1-8])$", 2),
            "",
            quiet,
            "",
        ),
    )
