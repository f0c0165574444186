"""The competition analyses: single bids (`offre-unique`), contracts passed without publicity or
competition (`sans-mise-en-concurrence`), supplier concentration (`concentration`) and repeated
awards without competition to one supplier (`attributions-repetees-sans-concurrence`).

Shares are computed over the contracts whose needed field is known: a missing number of offers
or procedure is left out of both sides, never read as "no". Amounts are the amounts at
notification (`montant`); suppliers are those at notification (`titulaireInitial`), the ones
the award went to.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.model import aggregates
from achats_ouverts.model.analyses.base import (
    CONTRACT_COLUMNS,
    Analysis,
    Band,
    Benchmark,
    Breakdown,
    Column,
    Inputs,
    YearFigure,
    contract_rows,
)
from achats_ouverts.model.analyses.counting import NO_SERVICE, breakdown, service_names, years_of
from achats_ouverts.model.indicators import running

PROCEDURE_BLANK = "Procédure non renseignée"
CPV_BLANK = "Code CPV non renseigné"
MIN_CONTRACTS = 30
"""Below this many contracts, a concentration index is not computed (as peers do)."""
REPEAT_COUNT = 3
REPEAT_YEARS = 3
"""Repeated awards: `REPEAT_COUNT` or more no-competition contracts to one supplier within
`REPEAT_YEARS` years (36 months)."""
SUPPLIER_KEYS = ["titulaire_typeIdentifiant", "titulaire_id"]

SCOREBOARD = (
    "Commission européenne, Tableau d'affichage du marché unique (Single Market Scoreboard), "
    "marchés publics : https://single-market-scoreboard.ec.europa.eu/business-framework-"
    "conditions/public-procurement_en"
)
OCP_RED_FLAGS = (
    "Open Contracting Partnership, « Red flags for integrity: giving the green light to open "
    "data solutions » (2016) et la méthode Cardinal (indicateur R018, offre unique) : "
    "https://www.open-contracting.org/resources/red-flags-integrity-giving-green-light-open-"
    "data-solutions/"
)
DECP_TEXT = (
    "Arrêté du 22 décembre 2022 relatif aux données essentielles des marchés publics "
    "(NOR ECOM2235715A), champs offresRecues, procedure, montant et titulaires"
)
NO_COMPETITION_TEXT = (
    "Code de la commande publique, articles R2122-1 à R2122-11 (marchés passés sans publicité "
    "ni mise en concurrence préalables)"
)
MERGER_GUIDELINES = (
    "U.S. Department of Justice et Federal Trade Commission, Horizontal Merger Guidelines "
    "(2010), section 5.3 (indice de Herfindahl-Hirschman : au-dessus de 2 500, marché très "
    "concentré) : https://www.justice.gov/atr/horizontal-merger-guidelines-08192010"
)

Figures = Callable[[pd.DataFrame], tuple[YearFigure, ...]]
"""The figures per year of a group of contracts (all of them, a service's, a procedure's…)."""


# --- Shared helpers ------------------------------------------------------------------------------


def mask(flags: pd.Series) -> pd.Series:
    """A nullable boolean Series as a plain one (NA is False), to select rows."""
    return flags.fillna(False).astype(bool)


def share_figures(
    frame: pd.DataFrame,
    years: tuple[int, ...],
    inputs: Inputs,
    details: Callable[[pd.DataFrame], tuple[tuple[str, float | None], ...]] | None = None,
) -> tuple[YearFigure, ...]:
    """Per year, the share (in %) of `numerateur` over `denominateur` (one row per counted
    contract); a year without a counted contract has no value."""
    by_year = dict(iter(frame.groupby("annee", sort=True)))
    figures = []
    for year in years:
        rows = by_year.get(year)
        num = 0.0 if rows is None else float(rows["numerateur"].sum())
        den = 0.0 if rows is None else float(rows["denominateur"].sum())
        figures.append(
            YearFigure(
                year,
                100 * num / den if den else None,
                num,
                den,
                running(year, inputs.reference_date),
                details(rows) if details is not None and rows is not None and den else (),
            )
        )
    return tuple(figures)


def division_labels(contracts: pd.DataFrame) -> dict[str, str]:
    return {
        code: f"{code} – {cpv.DIVISIONS.get(code, 'division ' + code)}"
        for code in set(contracts["cpv_division"].fillna(""))
        if code
    }


def service_breakdown(frame: pd.DataFrame, inputs: Inputs, figures: Figures) -> Breakdown:
    labels = service_names(inputs)
    return breakdown(
        "service",
        "Par service acheteur",
        frame,
        "acheteur_service_id",
        labels,
        NO_SERVICE,
        figures,
        tuple(labels),
    )


def division_breakdown(frame: pd.DataFrame, figures: Figures) -> Breakdown:
    return breakdown(
        "cpv_division",
        "Par domaine d'achat (division CPV)",
        frame,
        "cpv_division",
        division_labels(frame),
        CPV_BLANK,
        figures,
    )


def procedure_breakdown(frame: pd.DataFrame, figures: Figures) -> Breakdown:
    return breakdown("procedure", "Par procédure", frame, "procedure", {}, PROCEDURE_BLANK, figures)


def dated(contracts: pd.DataFrame) -> pd.DataFrame:
    return contracts[contracts["annee"].notna().to_numpy(dtype=bool)]


# --- Single bid ----------------------------------------------------------------------------------


def single_bid(inputs: Inputs) -> Analysis:
    """`offre-unique`: the share of contracts that received exactly one offer."""
    contracts = dated(inputs.contracts)
    single = aggregates.single_offer(contracts)
    in_scope = single.notna() & ~mask(aggregates.no_competition(contracts))
    scope = contracts[in_scope.to_numpy(dtype=bool)]
    flags = mask(single[scope.index])
    frame = scope.assign(numerateur=flags.astype(float), denominateur=1.0)
    years = years_of(inputs.contracts)

    def figures(rows: pd.DataFrame) -> tuple[YearFigure, ...]:
        return share_figures(rows, years, inputs)

    return Analysis(
        id="offre-unique",
        titre="Marchés à offre unique",
        question=("Quelle part des marchés mis en concurrence n'a reçu qu'une seule offre ?"),
        unite="%",
        methode=(
            "Pour chaque année de notification, nombre de marchés ayant reçu exactement une "
            "offre (offresRecues = 1), divisé par le nombre de marchés dont le nombre d'offres "
            "reçues est publié. Les marchés passés sans publicité ni mise en concurrence "
            "préalables sont exclus : une seule entreprise y est consultée, l'offre unique y "
            "est la règle. La valeur est lue avec les bandes du Tableau d'affichage du marché "
            "unique de la Commission européenne : jusqu'à 10 % bon, de 10 à 20 % moyen, "
            "au-delà de 20 % faible. L'année en cours est montée, jamais jugée."
        ),
        limites=(
            "Un marché dont le nombre d'offres n'est pas publié est laissé de côté, au "
            "numérateur comme au dénominateur.",
            "Un marché dont la procédure n'est pas renseignée est compté s'il a un nombre "
            "d'offres : rien ne dit qu'il a été passé sans mise en concurrence.",
            "Pour un marché alloti, le nombre d'offres est celui du lot publié ; un accord-cadre "
            "et ses marchés subséquents sont comptés chacun.",
            "Le Tableau d'affichage européen compte les procédures publiées au Journal officiel "
            "de l'Union européenne, au-dessus des seuils européens ; ici tous les marchés "
            "publiés sont comptés, y compris les petits : la comparaison est indicative.",
        ),
        annees=figures(frame),
        breakdowns=(
            service_breakdown(frame, inputs, figures),
            procedure_breakdown(frame, figures),
            division_breakdown(frame, figures),
        ),
        contracts=contract_rows(scope, pd.DataFrame({"offre_unique": flags})),
        columns=(
            Column(
                "offre_unique",
                "boolean",
                "Vrai si le marché a reçu exactement une offre (compté au numérateur). Tous les "
                "marchés du fichier forment le dénominateur de leur année.",
            ),
        ),
        benchmark=Benchmark(
            (Band(10.0, "bon"), Band(20.0, "moyen"), Band(None, "faible")), SCOREBOARD
        ),
        sources=(SCOREBOARD, OCP_RED_FLAGS, DECP_TEXT, NO_COMPETITION_TEXT),
    )


# --- No competition ------------------------------------------------------------------------------


def amount_details(rows: pd.DataFrame) -> tuple[tuple[str, float | None], ...]:
    """The share of the amount at notification passed without competition, among the contracts
    of `rows` whose amount is known."""
    known = rows[rows["montant"].notna().to_numpy(dtype=bool)]
    total = float(known["montant"].sum())
    flagged = float(known.loc[known["numerateur"] > 0, "montant"].sum())
    return (
        ("part_montant", 100 * flagged / total if total > 0 else None),
        ("montant_sans_concurrence", flagged),
        ("montant_total", total),
    )


def no_competition(inputs: Inputs) -> Analysis:
    """`sans-mise-en-concurrence`: the share of contracts passed without publicity or
    competition, by count and by amount."""
    contracts = dated(inputs.contracts)
    flags_all = aggregates.no_competition(contracts)
    scope = contracts[flags_all.notna().to_numpy(dtype=bool)]
    flags = mask(flags_all[scope.index])
    frame = scope.assign(numerateur=flags.astype(float), denominateur=1.0)
    years = years_of(inputs.contracts)

    def figures(rows: pd.DataFrame) -> tuple[YearFigure, ...]:
        return share_figures(rows, years, inputs, amount_details)

    return Analysis(
        id="sans-mise-en-concurrence",
        titre="Marchés passés sans mise en concurrence",
        question=(
            "Quelle part des marchés, en nombre et en montant, a été passée sans publicité ni "
            "mise en concurrence préalables ?"
        ),
        unite="%",
        methode=(
            "Pour chaque année de notification, nombre de marchés dont la procédure est "
            "« Marché passé sans publicité ni mise en concurrence préalable », divisé par le "
            "nombre de marchés dont la procédure est renseignée. La part en montant (détail "
            "part_montant) rapporte leurs montants à la notification au montant de tous les "
            "marchés dont la procédure et le montant sont connus. La part en nombre est lue "
            "avec les bandes du Tableau d'affichage du marché unique de la Commission "
            "européenne (indicateur « absence d'appel d'offres ») : jusqu'à 5 % bon, de 5 à "
            "10 % moyen, au-delà de 10 % faible. L'année en cours est montrée, jamais jugée."
        ),
        limites=(
            "Le code de la commande publique autorise ces marchés dans des cas précis (urgence, "
            "exclusivité technique, petits montants, lots infructueux…) ; les données ne disent "
            "pas lequel a été invoqué.",
            "Un marché dont la procédure n'est pas renseignée est laissé de côté.",
            "Le Tableau d'affichage européen compte les marchés publiés au Journal officiel de "
            "l'Union européenne, au-dessus des seuils européens ; ici tous les marchés publiés "
            "sont comptés : la comparaison est indicative.",
        ),
        annees=figures(frame),
        breakdowns=(
            service_breakdown(frame, inputs, figures),
            division_breakdown(frame, figures),
        ),
        contracts=contract_rows(scope, pd.DataFrame({"sans_mise_en_concurrence": flags})),
        columns=(
            Column(
                "sans_mise_en_concurrence",
                "boolean",
                "Vrai si le marché a été passé sans publicité ni mise en concurrence préalables "
                "(compté au numérateur). Tous les marchés du fichier forment le dénominateur de "
                "leur année.",
            ),
        ),
        benchmark=Benchmark(
            (Band(5.0, "bon"), Band(10.0, "moyen"), Band(None, "faible")), SCOREBOARD
        ),
        sources=(SCOREBOARD, NO_COMPETITION_TEXT, DECP_TEXT),
    )


# --- Supplier concentration ----------------------------------------------------------------------


def concentration_year(year: int, count: int, totals: pd.DataFrame, inputs: Inputs) -> YearFigure:
    """The Herfindahl-Hirschman index of one year's `count` contracts from their suppliers'
    `totals` (`aggregates.supplier_year_totals` of that year), with the top supplier's and the
    top ten's shares; no value below `MIN_CONTRACTS` contracts."""
    current = running(year, inputs.reference_date)
    if count < MIN_CONTRACTS:
        note = (
            ""
            if count == 0
            else f"{count} marché{'s' if count > 1 else ''}, moins de {MIN_CONTRACTS}"
        )
        return YearFigure(year, None, None, float(count), current, note=note)
    parts = totals["montant_part"]
    total = float(parts.sum())
    if total <= 0:
        return YearFigure(year, None, None, float(count), current, note="montant total nul")
    shares = (parts / total * 100).sort_values(ascending=False, kind="stable")
    return YearFigure(
        year,
        float((shares**2).sum()),
        None,
        float(count),
        current,
        (
            ("part_premier_titulaire", float(shares.iloc[0])),
            ("part_dix_premiers_titulaires", float(shares.iloc[:10].sum())),
            ("titulaires", float(len(shares))),
            ("montant_total", total),
        ),
    )


def concentration(inputs: Inputs) -> Analysis:
    """`concentration`: how concentrated the amounts are among suppliers, per year."""
    links = inputs.initial_suppliers
    contracts = dated(inputs.contracts)
    counted = contracts["montant"].notna() & contracts["uid"].isin(links["uid"])
    scope = contracts[counted.to_numpy(dtype=bool)]
    years = years_of(inputs.contracts)
    scope_links = links[links["uid"].isin(scope["uid"])]
    per_contract = scope_links.groupby("uid")["uid"].size()

    def figures(rows: pd.DataFrame) -> tuple[YearFigure, ...]:
        links_of = scope_links[scope_links["uid"].isin(rows["uid"]).to_numpy(dtype=bool)]
        totals = aggregates.supplier_year_totals(rows, links_of)
        per_year = dict(iter(totals.groupby("annee", sort=True)))
        counts = rows["annee"].value_counts()
        return tuple(
            concentration_year(
                year, int(counts.get(year, 0)), per_year.get(year, totals.iloc[:0]), inputs
            )
            for year in years
        )

    suppliers = per_contract.reindex(scope["uid"]).to_numpy()
    extra = pd.DataFrame(
        {"titulaires_nombre": suppliers, "montant_par_titulaire": scope["montant"] / suppliers},
        index=scope.index,
    )
    return Analysis(
        id="concentration",
        titre="Concentration des titulaires",
        question=("Les montants attribués se concentrent-ils sur quelques entreprises ?"),
        unite="indice",
        methode=(
            "Pour chaque année de notification, la part de chaque entreprise titulaire dans le "
            "montant à la notification des marchés de l'année, en pourcentage ; l'indice de "
            "Herfindahl-Hirschman est la somme des carrés de ces parts : de près de 0 (montants "
            "très dispersés) à 10 000 (une seule entreprise). Un marché à plusieurs titulaires "
            "compte pour une part égale à chacun, comme dans les classements du site. Sont "
            "aussi donnés la part de la première entreprise et celle des dix premières "
            "(détails part_premier_titulaire et part_dix_premiers_titulaires). L'indice n'est "
            f"calculé que sur {MIN_CONTRACTS} marchés au moins, au total, par service ou par "
            "division CPV : en dessous, une seule entreprise pèse trop pour qu'il ait un "
            "sens. Lecture : jusqu'à 1 500 peu concentré, de 1 500 à 2 500 moyennement "
            "concentré, au-delà de 2 500 très concentré. Le dénominateur est le nombre de "
            "marchés comptés."
        ),
        limites=(
            "Les titulaires sont ceux de la notification ; un marché sans titulaire publié ou "
            "sans montant est laissé de côté.",
            "Le partage égal entre cotitulaires est une convention : les données essentielles "
            "ne disent pas comment le montant se partage.",
            "Un accord-cadre est compté pour son montant maximum ou estimé, pas pour ce qui a "
            "été commandé.",
            "L'indice décrit les achats d'un seul acheteur, pas un marché économique : une "
            "concentration élevée peut venir d'un petit nombre de gros marchés ou d'un domaine "
            "où peu d'entreprises existent.",
        ),
        annees=figures(scope),
        breakdowns=(
            service_breakdown(scope, inputs, figures),
            division_breakdown(scope, figures),
        ),
        contracts=contract_rows(scope, extra),
        columns=(
            Column(
                "titulaires_nombre",
                "integer",
                "Nombre de titulaires du marché à sa notification (cotitulaires).",
            ),
            Column(
                "montant_par_titulaire",
                "number",
                "Part du montant à la notification comptée à chaque titulaire : montant divisé "
                "par titulaires_nombre (partage égal).",
            ),
        ),
        benchmark=Benchmark(
            (
                Band(1500.0, "peu concentré"),
                Band(2500.0, "moyennement concentré"),
                Band(None, "très concentré"),
            ),
            MERGER_GUIDELINES,
        ),
        sources=(MERGER_GUIDELINES, OCP_RED_FLAGS, DECP_TEXT),
    )


# --- Repeated awards without competition ---------------------------------------------------------


def runs(days: pd.Series) -> list[tuple[int, int]]:
    """In `days` (ascending dates of one supplier's contracts), the runs of positions [start,
    end) where `REPEAT_COUNT` or more contracts fall within `REPEAT_YEARS` years; overlapping
    windows are merged into one run."""
    values = days.to_numpy()
    limits = (days + pd.DateOffset(years=REPEAT_YEARS)).to_numpy()
    merged: list[tuple[int, int]] = []
    for start in range(len(values)):
        end = int(values.searchsorted(limits[start], side="right"))
        if end - start < REPEAT_COUNT:
            continue
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def repeated_groups(contracts: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One row per contract and supplier in a group of repeated awards: `uid`, the supplier's
    keys, `groupe` (an identifier), `groupe_marches`, `groupe_debut` and `groupe_fin`."""
    linked = links[["uid", *SUPPLIER_KEYS]].merge(contracts[["uid", "dateNotification"]], on="uid")
    linked = linked.sort_values([*SUPPLIER_KEYS, "dateNotification", "uid"], kind="stable")
    found = []
    for keys, rows in linked.groupby(SUPPLIER_KEYS, sort=True):
        days = rows["dateNotification"].reset_index(drop=True)
        for start, end in runs(days):
            members = rows.iloc[start:end]
            first, last = days.iloc[start], days.iloc[end - 1]
            found.append(
                members[["uid", *SUPPLIER_KEYS]].assign(
                    groupe=f"{keys[1]}-{first:%Y%m%d}",
                    groupe_marches=end - start,
                    groupe_debut=first,
                    groupe_fin=last,
                )
            )
    columns = ["uid", *SUPPLIER_KEYS, "groupe", "groupe_marches", "groupe_debut", "groupe_fin"]
    if not found:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    return pd.concat(found, ignore_index=True)[columns]


def repeated_awards(inputs: Inputs) -> Analysis:
    """`attributions-repetees-sans-concurrence`: contracts passed without competition to a
    supplier that received `REPEAT_COUNT` or more of them within `REPEAT_YEARS` years."""
    links = inputs.initial_suppliers
    contracts = dated(inputs.contracts)
    candidates = mask(aggregates.no_competition(contracts)) & contracts["uid"].isin(links["uid"])
    scope = contracts[candidates.to_numpy(dtype=bool)]
    groups = repeated_groups(scope, links)
    flagged = scope["uid"].isin(groups["uid"])
    frame = scope.assign(numerateur=flagged.astype(float), denominateur=1.0)
    years = years_of(inputs.contracts)

    def figures(rows: pd.DataFrame) -> tuple[YearFigure, ...]:
        shares = share_figures(rows, years, inputs)
        return tuple(
            YearFigure(
                y.annee,
                None if not y.denominateur else y.numerateur,
                y.numerateur,
                y.denominateur,
                y.en_cours,
            )
            for y in shares
        )

    names = inputs.suppliers[[*SUPPLIER_KEYS, "titulaire_nom"]].drop_duplicates(SUPPLIER_KEYS)
    listed = groups.merge(names, on=SUPPLIER_KEYS, how="left")
    listed = listed.merge(contracts[list(CONTRACT_COLUMNS)], on="uid")
    extra_names = [
        *SUPPLIER_KEYS,
        "titulaire_nom",
        "groupe",
        "groupe_marches",
        "groupe_debut",
        "groupe_fin",
    ]
    listed = listed[[*CONTRACT_COLUMNS, *extra_names]].sort_values(
        ["dateNotification", "uid", *SUPPLIER_KEYS], kind="stable"
    )
    return Analysis(
        id="attributions-repetees-sans-concurrence",
        titre="Attributions répétées sans mise en concurrence",
        question=(
            f"Des entreprises ont-elles reçu {REPEAT_COUNT} marchés ou plus sans mise en "
            f"concurrence en {REPEAT_YEARS * 12} mois ?"
        ),
        unite="marchés",
        methode=(
            "Parmi les marchés passés sans publicité ni mise en concurrence préalables, "
            "regroupés par titulaire à la notification (tous services confondus), un groupe "
            f"réunit {REPEAT_COUNT} marchés ou plus notifiés en {REPEAT_YEARS * 12} mois au plus "
            "entre le premier et le dernier ; des fenêtres qui se chevauchent forment un seul "
            "groupe. La valeur d'une année est le nombre de marchés de l'année qui appartiennent "
            "à un groupe (numérateur), sur le nombre de marchés de l'année passés sans mise en "
            "concurrence à un titulaire connu (dénominateur). Le fichier donne chaque marché "
            "avec son titulaire et son groupe ; un marché à plusieurs titulaires peut y figurer "
            "une fois par titulaire."
        ),
        limites=(
            "Des marchés sans mise en concurrence successifs peuvent être réguliers : "
            "exclusivité technique, maintenance d'un équipement, petits montants.",
            "Un marché compte pour l'année de sa notification : un groupe peut s'étendre sur "
            "trois années, et un marché notifié plus tard peut faire entrer d'anciens marchés "
            "dans un groupe.",
            "Un titulaire est reconnu par son identifiant (SIRET) : deux établissements d'une "
            "même entreprise sont deux titulaires.",
        ),
        annees=figures(frame),
        breakdowns=(service_breakdown(frame, inputs, figures),),
        contracts=listed.reset_index(drop=True),
        columns=(
            Column("titulaire_typeIdentifiant", "string", "Type d'identifiant du titulaire."),
            Column("titulaire_id", "string", "Identifiant du titulaire (SIRET le plus souvent)."),
            Column("titulaire_nom", "string", "Nom du titulaire (titulaires.csv)."),
            Column(
                "groupe",
                "string",
                "Identifiant du groupe : identifiant du titulaire et date du premier marché.",
            ),
            Column("groupe_marches", "integer", "Nombre de marchés du groupe."),
            Column("groupe_debut", "date", "Date de notification du premier marché du groupe."),
            Column("groupe_fin", "date", "Date de notification du dernier marché du groupe."),
        ),
        sources=(OCP_RED_FLAGS, NO_COMPETITION_TEXT, DECP_TEXT),
    )
