"""The analyses: competition and points of attention, computed per notification year, overall
and per buying service, each with its method, its limits and the contracts behind it.

`REGISTRY` is the one ordered list of analyses: the `/analyses/` pages, `analyses.json` and the
`/donnees/analyses/<id>.csv` files are made from it. Each module below holds the analyses of one
theme as pure functions `Inputs -> Analysis` (`base`).
"""

from achats_ouverts.datafolder import thresholds
from achats_ouverts.model.analyses import (
    amendments,
    amounts,
    competition,
    environmental_clauses,
    procedure_thresholds,
)
from achats_ouverts.model.analyses.base import (
    CONTRACT_COLUMNS,
    SIGNAL_NOT_PROOF,
    Analysis,
    AnalysisFunction,
    Band,
    Benchmark,
    Breakdown,
    BreakdownRow,
    Column,
    Inputs,
    YearFigure,
    contract_rows,
    document,
)
from achats_ouverts.model.loading import Data


def inputs_of(data: Data) -> Inputs:
    """The analyses' inputs from the loaded data folder, with the dated thresholds in force."""
    return Inputs(
        contracts=data.contracts,
        contract_suppliers=data.contract_suppliers,
        initial_suppliers=data.initial_suppliers,
        suppliers=data.suppliers,
        modifications=data.modifications,
        services=data.services,
        thresholds=thresholds.for_buyer(data.thresholds, data.publisher.acheteur_central),
        reference_date=data.reference_date,
    )


REGISTRY: tuple[AnalysisFunction, ...] = (
    competition.single_bid,
    competition.no_competition,
    competition.concentration,
    competition.repeated_awards,
    amendments.hausse_par_modifications,
    procedure_thresholds.proches_des_seuils,
    procedure_thresholds.fractionnement_possible,
    amounts.montants_a_verifier,
    environmental_clauses.environmental_clauses_2026,
)
"""Every analysis, in the order the site shows them."""


def compute_all(inputs: Inputs) -> tuple[Analysis, ...]:
    """Every analysis of `REGISTRY` on `inputs`, in order."""
    return tuple(analysis(inputs) for analysis in REGISTRY)


__all__ = [
    "CONTRACT_COLUMNS",
    "REGISTRY",
    "SIGNAL_NOT_PROOF",
    "Analysis",
    "AnalysisFunction",
    "Band",
    "Benchmark",
    "Breakdown",
    "BreakdownRow",
    "Column",
    "Inputs",
    "YearFigure",
    "compute_all",
    "contract_rows",
    "document",
    "inputs_of",
]
