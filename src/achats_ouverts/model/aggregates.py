"""Aggregations: pure functions from DataFrames to DataFrames, no I/O and no templates."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from achats_ouverts import vocabulary as v

OPEN_STATUSES = ("prévu", "lancé")
"""The derived statuses (`etat`, see `programme_columns`) of the purchases still ahead or open
to offers: the « open » list of upcoming purchases, its count and its feeds."""
CLOSED = "clos"
"""A launched purchase whose offer deadline is before the reference date: closed, awaiting its
award (the data says nothing more)."""
STATES = ("prévu", "lancé", CLOSED, "attribué", "reporté", "abandonné")
"""Every derived status, in the order of a purchase's life."""
NO_COMPETITION = "Marché passé sans publicité ni mise en concurrence préalable"
"""A procedure no company can answer: such a purchase is never presented as open to SMEs."""


def awarded_amount(contracts: pd.DataFrame) -> pd.Series:
    """The amount a contract counts for in the totals « montant attribué » (the home page, the
    map, the entity charts): the one place that names the column."""
    return contracts["montant"]


def yearly_totals_by_category(contracts: pd.DataFrame) -> pd.DataFrame:
    """Number and total amount of contracts per year of notification and purchase category
    (`categorie`: Travaux, Fournitures, Services, or "" without a CPV code), oldest first."""
    dated = contracts.assign(montant_attribue=awarded_amount(contracts)).dropna(subset=["annee"])
    grouped = dated.groupby(["annee", "categorie"], sort=True).agg(
        marches=("uid", "size"), montant=("montant_attribue", "sum")
    )
    return grouped.reset_index().astype({"annee": "int64", "marches": "int64"})


def totals_by_departement(contracts: pd.DataFrame) -> pd.DataFrame:
    """Number and total amount of contracts per département of execution (`execution_
    departement`); contracts whose place is not one département (a region, none) are left out.
    Columns `departement`, `marches`, `montant`, by code."""
    frame = pd.DataFrame(
        {
            "departement": execution_departement(
                contracts["lieuExecution_code"], contracts["lieuExecution_typeCode"]
            ),
            "uid": contracts["uid"],
            "montant": awarded_amount(contracts).fillna(0.0),
        }
    )
    frame = frame[frame["departement"] != ""]
    grouped = frame.groupby("departement", sort=True).agg(
        marches=("uid", "size"), montant=("montant", "sum")
    )
    return grouped.reset_index().astype({"marches": "int64"})


def yearly_totals(contracts: pd.DataFrame) -> pd.DataFrame:
    """Number and total amounts of contracts per year of notification, oldest first: `montant`
    at notification, `montant_actuel` after modifications."""
    dated = contracts.dropna(subset=["annee"])
    grouped = dated.groupby("annee", sort=True).agg(
        marches=("uid", "size"),
        montant=("montant", "sum"),
        montant_actuel=("montantActuel", "sum"),
    )
    return grouped.reset_index().astype({"annee": "int64", "marches": "int64"})


def change_percent(before: pd.Series, after: pd.Series) -> pd.Series:
    """Per row, how much `after` differs from `before`, in percent of `before`, rounded to one
    decimal (half to even, as the site writes percentages); NaN where they are equal or one is
    unknown. For a contract: the change of its amount since notification."""
    changed = (before.notna() & after.notna() & (before != after) & (before != 0)).to_numpy()
    result = np.full(len(before), np.nan)
    raw = (after.to_numpy()[changed] - before.to_numpy()[changed]) / before.to_numpy()[changed]
    result[changed] = [
        float(Decimal(repr(float(x * 100))).quantize(Decimal("0.1"), ROUND_HALF_EVEN)) for x in raw
    ]
    return pd.Series(result, index=before.index)


def modification_counts(uids: pd.Series, modifications: pd.DataFrame) -> pd.Series:
    """Per contract (its `uid`), the number of its modifications."""
    counts = modifications["uid"].value_counts()
    return uids.map(counts).fillna(0).astype("int64")


def has_environmental_consideration(contracts: pd.DataFrame) -> pd.Series:
    """True / False where the field is filled, NA where it is missing (never read as "no")."""
    col = contracts["considerationsEnvironnementales"]
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    filled = col != ""
    result[filled] = col[filled] != v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE
    return result


def single_offer(contracts: pd.DataFrame) -> pd.Series:
    """True where exactly one offer was received, False where more (or none), NA where the
    number of offers (`offresRecues`) is unknown: the single-bid indicator and analysis."""
    offers = contracts["offresRecues"].astype("Float64")
    return (offers == 1).astype("boolean")


def no_competition(contracts: pd.DataFrame) -> pd.Series:
    """True where the contract was passed without publicity or competition (`NO_COMPETITION`),
    False for another procedure, NA where the procedure is not given."""
    procedure = contracts["procedure"].fillna("")
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    known = procedure != ""
    result[known] = procedure[known] == NO_COMPETITION
    return result


def share(flags: pd.Series) -> float | None:
    """Percentage of True among known values, None when nothing is known."""
    known = flags.dropna()
    return None if known.empty else float(known.astype(bool).mean() * 100)


def latest_year(contracts: pd.DataFrame) -> int | None:
    years = contracts["annee"].dropna()
    return None if years.empty else int(years.max())


def open_upcoming(upcoming: pd.DataFrame) -> pd.DataFrame:
    """The purchases still ahead or open to offers at the reference date (`is_open`)."""
    return upcoming[is_open(upcoming)]


def is_open(upcoming: pd.DataFrame) -> pd.Series:
    """Whether each purchase is planned or open to offers at the reference date: its derived
    status (`etat`, added when the data is loaded) is one of `OPEN_STATUSES`."""
    return upcoming["etat"].isin(OPEN_STATUSES)


def distinct_suppliers(contract_suppliers: pd.DataFrame, uids: pd.Series) -> int:
    linked = contract_suppliers[contract_suppliers["uid"].isin(uids)]
    return int(linked[["titulaire_typeIdentifiant", "titulaire_id"]].drop_duplicates().shape[0])


def supplier_weights(
    contract_suppliers: pd.DataFrame,
    suppliers: pd.DataFrame,
    departements: tuple[str, ...],
    region_code: str,
) -> pd.DataFrame:
    """Per contract, how much of it went to regional companies and to SMEs.

    Rule for contracts with several suppliers (co-contractors): each supplier counts for an equal
    share of the contract (1/n), since DECP do not say how the amount is split. A supplier whose
    location (or category) is unknown — absent from the supplier reference, or with the field
    empty — is left out of both the numerator and the denominator: missing is never read as "no".

    Returns one row per uid with `titulaires` (n), `poids_localisation_connue`, `poids_region`,
    `poids_categorie_connue` and `poids_pme`, each a fraction of the contract between 0 and 1.
    """
    keys = ["titulaire_typeIdentifiant", "titulaire_id"]
    reference = suppliers[
        [*keys, "titulaire_departement_code", "titulaire_region_code", "titulaire_categorie"]
    ].drop_duplicates(keys)
    linked = contract_suppliers[["uid", *keys]].merge(reference, on=keys, how="left")
    dep = linked["titulaire_departement_code"].fillna("").astype(str)
    reg = linked["titulaire_region_code"].fillna("").astype(str)
    cat = linked["titulaire_categorie"].fillna("").astype(str)
    located = (dep != "") | (reg != "")
    regional = dep.isin(departements) | ((dep == "") & (reg == region_code) & (reg != ""))
    size = linked.groupby("uid")["uid"].transform("size")
    weight = 1.0 / size
    frame = pd.DataFrame(
        {
            "uid": linked["uid"],
            "titulaires": size,
            "poids_localisation_connue": weight.where(located, 0.0),
            "poids_region": weight.where(located & regional, 0.0),
            "poids_categorie_connue": weight.where(cat != "", 0.0),
            "poids_pme": weight.where(cat.isin(v.CATEGORIES_PME), 0.0),
        }
    )
    result = frame.groupby("uid", sort=True).agg(
        titulaires=("titulaires", "first"),
        poids_localisation_connue=("poids_localisation_connue", "sum"),
        poids_region=("poids_region", "sum"),
        poids_categorie_connue=("poids_categorie_connue", "sum"),
        poids_pme=("poids_pme", "sum"),
    )
    return result.astype({"titulaires": "int64"})


KEY_FIELDS: tuple[tuple[str, str], ...] = (
    ("codeCPV", "code CPV"),
    ("montant", "montant"),
    ("dateNotification", "date de notification"),
    ("lieuExecution", "lieu d'exécution (code et type de code)"),
    ("formePrix", "forme du prix"),
    ("objet", "objet"),
    ("nature", "nature"),
    ("dureeMois", "durée en mois"),
    ("procedure", "procédure"),
    ("titulaire", "titulaire"),
)
"""The 10 key fields of a published contract, as Éclaireur Public grades them: (name, label)."""


def key_fields_filled(contracts: pd.DataFrame, contract_suppliers: pd.DataFrame) -> pd.DataFrame:
    """Per contract, one boolean column per key field: True where it is filled.

    The place of execution needs both its code and its type of code; the supplier is filled when
    the contract has at least one row in the contract-supplier table.
    """
    has_supplier = contracts["uid"].isin(contract_suppliers["uid"])
    filled = {
        "codeCPV": contracts["codeCPV"] != "",
        "montant": contracts["montant"].notna(),
        "dateNotification": contracts["dateNotification"].notna(),
        "lieuExecution": (contracts["lieuExecution_code"] != "")
        & (contracts["lieuExecution_typeCode"] != ""),
        "formePrix": contracts["formePrix"] != "",
        "objet": contracts["objet"] != "",
        "nature": contracts["nature"] != "",
        "dureeMois": contracts["dureeMois"].notna(),
        "procedure": contracts["procedure"] != "",
        "titulaire": has_supplier,
    }
    return pd.DataFrame({name: filled[name].astype(bool) for name, _ in KEY_FIELDS})


def missing_key_fields(filled: pd.DataFrame) -> pd.Series:
    """Per contract, the names of its missing key fields joined by ", " ("" when complete)."""
    missing = pd.Series("", index=filled.index, dtype=object)
    for name in filled.columns:
        missing = missing + filled[name].map({True: "", False: name + " "})
    return missing.str.strip().str.replace(" ", v.MULTI_SEPARATOR, regex=False)


def publication_delay_days(contracts: pd.DataFrame) -> pd.Series:
    """Days from notification to publication of the data; NA where a date is missing."""
    delta = contracts["datePublicationDonnees"] - contracts["dateNotification"]
    return delta.dt.days.astype("Float64")


def published_within_two_months(contracts: pd.DataFrame) -> pd.Series:
    """True when the data were published at most two calendar months after notification (15 March
    -> 15 May), as the DECP rules require; NA where a date is missing."""
    notified = contracts["dateNotification"]
    published = contracts["datePublicationDonnees"]
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    known = notified.notna() & published.notna()
    result[known] = published[known] <= notified[known] + pd.DateOffset(months=2)
    return result


def weighted_share(numerator: pd.Series, denominator: pd.Series) -> float | None:
    """Percentage sum(numerator) / sum(denominator), None when the denominator is zero."""
    total = float(denominator.sum())
    return None if total == 0 else float(numerator.sum()) / total * 100


def execution_departement(codes: pd.Series, kinds: pd.Series) -> pd.Series:
    """The département of a place of execution, '' when the code does not tell it.

    A commune code (INSEE) starts with its département (2 characters, 3 overseas); a postal code
    too, except in Corsica (20xxx), where it cannot tell 2A from 2B; a département code is one.
    Region and country codes say nothing about the département.
    """
    codes = codes.fillna("").astype(str)
    kinds = kinds.fillna("").astype(str)
    overseas = codes.str.match(r"^97[1-8]")
    from_commune = codes.str.slice(0, 2).where(~overseas, codes.str.slice(0, 3))
    result = pd.Series("", index=codes.index, dtype=object)
    commune = kinds.eq("Code commune") & codes.str.match(r"^([0-9]{2}|2[AB])[0-9]{3}$")
    postal = kinds.eq("Code postal") & codes.str.match(r"^[0-9]{5}$") & ~codes.str.startswith("20")
    departement = kinds.eq("Code département") & codes.str.match(r"^([0-9]{2}|2[AB]|97[1-8])$")
    result = result.mask(commune | postal, from_commune)
    return result.mask(departement, codes)


def has_social_consideration(contracts: pd.DataFrame) -> pd.Series:
    """True / False where the field is filled, NA where it is missing (never read as "no")."""
    col = contracts["considerationsSociales"]
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    filled = col != ""
    result[filled] = col[filled] != v.PAS_DE_CONSIDERATION_SOCIALE
    return result


def contract_profile(
    contracts: pd.DataFrame, weights: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """Counts and sums per year (and per `by`, a column of `contracts`) that shares are made of.

    `weights` is `supplier_weights(...)` (indexed by uid). Returns, per group: `marches`,
    `montant`; `env_connus` / `env_oui` and `soc_connus` / `soc_oui` (contracts whose social or
    environmental field is filled / says yes); `montant_localise` / `montant_region` and
    `montant_categorise` / `montant_pme` (amounts split by the equal-share rule among suppliers
    whose location / category is known, and the part going to regional companies / SMEs).
    Contracts without a year of notification are left out.
    """
    keys = [by, "annee"] if by else ["annee"]
    env = has_environmental_consideration(contracts)
    soc = has_social_consideration(contracts)
    aligned = weights.reindex(contracts["uid"]).fillna(0.0)
    amount = contracts["montant"].fillna(0.0).to_numpy()
    frame = pd.DataFrame(
        {
            **{key: contracts[key].to_numpy() for key in keys},
            "marches": 1,
            "montant": amount,
            "env_connus": env.notna().to_numpy(dtype=int),
            "env_oui": env.fillna(False).to_numpy(dtype=int),
            "soc_connus": soc.notna().to_numpy(dtype=int),
            "soc_oui": soc.fillna(False).to_numpy(dtype=int),
            "montant_localise": amount * aligned["poids_localisation_connue"].to_numpy(),
            "montant_region": amount * aligned["poids_region"].to_numpy(),
            "montant_categorise": amount * aligned["poids_categorie_connue"].to_numpy(),
            "montant_pme": amount * aligned["poids_pme"].to_numpy(),
        }
    )
    frame = frame[frame["annee"].notna()]
    grouped = frame.groupby(keys, sort=True).sum().reset_index()
    counts = ["marches", "env_connus", "env_oui", "soc_connus", "soc_oui"]
    return grouped.astype({"annee": "int64", **dict.fromkeys(counts, "int64")})


def ratio(part: float, whole: float) -> float | None:
    """`part / whole` in percent, None when `whole` is zero."""
    return None if whole == 0 else part / whole * 100


def planned_launch_end(upcoming: pd.DataFrame) -> pd.Series:
    """The last day of the planned launch period: the end of the planned month when a date is
    given, else the end of the planned quarter (`AAAA-Tn`); NaT when neither is known."""
    by_date = upcoming["dateLancementPrevue"] + pd.offsets.MonthEnd(0)
    quarter = upcoming["trimestreLancementPrevu"].fillna("").astype(str)
    valid = quarter.str.match(r"^[0-9]{4}-T[1-4]$")
    periods = pd.PeriodIndex(quarter.where(valid, "").str.replace("-T", "Q"), freq="Q")
    by_quarter = pd.Series(periods.end_time.normalize(), index=upcoming.index)
    return by_date.fillna(by_quarter)


def launch_follow_up(upcoming: pd.DataFrame, reference: pd.Timestamp) -> pd.DataFrame:
    """Per purchase of the programme: was its launch due at `reference`, was it launched (and on
    time: no later than the end of the planned month or quarter), was it awarded.

    Columns: `fin_prevue` (date), and booleans `attendu` (the planned period is over, or it was
    launched anyway), `lance`, `lance_a_temps`, `attribue`, `attribue_a_temps` (awarded after a
    launch on time), `reporte`, `abandonne`, `en_retard` (due, still only planned).
    """
    end = planned_launch_end(upcoming)
    status = upcoming["statut"]
    launched_at = upcoming["dateLancement"]
    launched = status.isin(("lancé", "attribué")) | launched_at.notna()
    on_time = launched & launched_at.notna() & end.notna() & (launched_at <= end)
    awarded = status.eq("attribué")
    due = (end.notna() & (end < reference)) | launched
    return pd.DataFrame(
        {
            "fin_prevue": end,
            "attendu": due,
            "lance": launched,
            "lance_a_temps": on_time,
            "attribue": awarded,
            "attribue_a_temps": awarded & on_time,
            "reporte": status.eq("reporté"),
            "abandonne": status.eq("abandonné"),
            "en_retard": due & status.eq("prévu"),
        },
        index=upcoming.index,
    )


def cpv_counts(contract_codes: pd.Series, upcoming_codes: pd.Series) -> pd.DataFrame:
    """Contracts and upcoming purchases per CPV division (2 digits) and group (3 digits).

    A code given only at division level (`45000000`) counts in its division and in no group.
    Returns `code`, `marches`, `achats`, sorted by code.
    """
    parts = []
    for length in (2, 3):
        counted = []
        for codes, name in ((contract_codes, "marches"), (upcoming_codes, "achats")):
            codes = codes.fillna("").astype(str)
            prefix = codes[codes.str.len() >= length].str.slice(0, length)
            if length == 3:
                prefix = prefix[~prefix.str.endswith("0")]
            counted.append(prefix.value_counts().rename(name))
        parts.append(pd.concat(counted, axis=1))
    frame = pd.concat(parts).fillna(0).astype("int64").sort_index()
    frame.index.name = "code"
    return frame.reset_index()[["code", "marches", "achats"]]


# --- The programme at the reference date --------------------------------------------------------


def planned_period(upcoming: pd.DataFrame) -> pd.DataFrame:
    """The planned launch as a period: `debut` and `fin` are the planned day, or the first and
    last days of the planned quarter when only the quarter is given (NaT when neither is)."""
    day = upcoming["dateLancementPrevue"]
    quarter = upcoming["trimestreLancementPrevu"].fillna("").astype(str)
    valid = quarter.str.match(r"^[0-9]{4}-T[1-4]$")
    periods = pd.PeriodIndex(quarter.where(valid, "").str.replace("-T", "Q"), freq="Q")
    starts = pd.Series(periods.start_time, index=upcoming.index)
    ends = pd.Series(periods.end_time.normalize(), index=upcoming.index)
    return pd.DataFrame(
        {"debut": day.fillna(starts), "fin": day.fillna(ends)}, index=upcoming.index
    )


def programme_columns(upcoming: pd.DataFrame, reference: pd.Timestamp) -> pd.DataFrame:
    """What the programme means at the reference date, in one place for every page, feed and
    count (added to the loaded table, see `loading`):

    - `etat`: the derived status (`STATES`): the published `statut`, except that a launched
      purchase whose offer deadline is before `reference` is `clos`;
    - `en_retard`: still planned although its planned launch day (or quarter) is past;
    - `adapte_pme`: published as adapted to SMEs, and not planned without publicity or
      competition (no company can answer such a purchase);
    - `debut`, `fin`: when a company can act on it: from the launch to the offer deadline once
      launched (the launch day alone without a deadline), else the planned launch period (the
      time filters select purchases whose period meets the window asked for);
    - `echeance`, `rang`: the default order, the next thing a company can act on first: open
      consultations by offer deadline (`rang` 0), then planned launches not yet past by date
      (1), then planned launches already past (2), then every other purchase (3).
    """
    status = upcoming["statut"]
    deadline = upcoming["dateLimiteRemiseOffres"]
    launched = upcoming["dateLancement"]
    closed = status.eq("lancé") & deadline.notna() & (deadline < reference)
    planned = planned_period(upcoming)
    late = status.eq("prévu") & planned["fin"].notna() & (planned["fin"] < reference)
    pme = upcoming["accessiblePME"].fillna(False).astype(bool)
    state = status.mask(closed, CLOSED).astype(object)
    start = launched.fillna(planned["debut"])
    end = deadline.where(launched.notna()).fillna(launched).fillna(planned["fin"])
    rank = pd.Series(3, index=upcoming.index, dtype="int64")
    rank = rank.mask(state.eq("prévu") & late, 2).mask(state.eq("prévu") & ~late, 1)
    rank = rank.mask(state.eq("lancé"), 0)
    return pd.DataFrame(
        {
            "etat": state,
            "en_retard": late,
            "adapte_pme": pme & upcoming["procedurePrevue"].ne(NO_COMPETITION),
            "debut": start,
            "fin": end,
            "rang": rank,
            "echeance": deadline.where(rank.eq(0), planned["debut"]).fillna(start),
        },
        index=upcoming.index,
    )


def supplier_year_totals(contracts: pd.DataFrame, contract_suppliers: pd.DataFrame) -> pd.DataFrame:
    """Per year of notification and supplier: `marches` (contracts held), `montant_part` (the
    supplier's equal share of their amounts: a contract with n co-contractors counts for 1/n of
    its amount to each) and `montant_total` (their whole amounts, counted for each co-contractor).
    Contracts without a year of notification are left out; a missing amount counts as 0."""
    keys = ["titulaire_typeIdentifiant", "titulaire_id"]
    links = contract_suppliers[["uid", *keys]].merge(
        contracts[["uid", "annee", "montant"]], on="uid"
    )
    links = links[links["annee"].notna()]
    amount = links["montant"].fillna(0.0)
    links = links.assign(
        montant_total=amount,
        montant_part=amount / links.groupby("uid")["uid"].transform("size"),
    )
    grouped = links.groupby(["annee", *keys], sort=True).agg(
        marches=("uid", "size"),
        montant_part=("montant_part", "sum"),
        montant_total=("montant_total", "sum"),
    )
    return grouped.reset_index().astype({"annee": "int64", "marches": "int64"})


def ranked(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    """`frame` from the largest `by` down, ties broken by `keys` (a stable, documented order)."""
    return frame.sort_values(
        [by, *keys], ascending=[False, *([True] * len(keys))], kind="stable"
    ).reset_index(drop=True)
