"""The named results of a build: what producers read and publish (`plan.Producer`).

The build provides the first ones: the data, the validation report and the previous publication
before any producer runs, the shells and MkDocs' pages once MkDocs has built the site. Producers
publish the others, once each. A producer reads an artifact through `BuildContext.get()` and
publishes one through `BuildContext.put()`, after declaring it: nothing is found on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from achats_ouverts.output.context import SHELLS as SHELLS
from achats_ouverts.output.context import Artifact

if TYPE_CHECKING:
    from achats_ouverts.model import Data, IndicatorResult
    from achats_ouverts.model.analyses import Analysis
    from achats_ouverts.output.context import Published
    from achats_ouverts.output.listing import ListIndex
    from achats_ouverts.report import Report

# --- Provided by the build ----------------------------------------------------------------------

DATA: Artifact[Data] = Artifact("donnees", "the validated, loaded data (also `ctx.data`)")
REPORT: Artifact[Report] = Artifact("rapport", "the validation report")
PREVIOUS_SITE: Artifact[Path | None] = Artifact(
    "publication-precedente", "the folder of the previous publication, if any"
)
MKDOCS_PAGES: Artifact[tuple[str, ...]] = Artifact(
    "pages-mkdocs", "the address of every page MkDocs built (from its sitemap), shells excepted"
)

# SHELLS, the shells MkDocs built, is defined with `Shell` in `context` (`direct()` reads it).

BEFORE_MKDOCS = (DATA, REPORT, PREVIOUS_SITE)
AFTER_MKDOCS = (SHELLS, MKDOCS_PAGES)

# --- Published by producers ---------------------------------------------------------------------

LIST_INDEX: Artifact[ListIndex] = Artifact(
    "index-des-listes", "contracts in list order, suppliers and services, for every list"
)
INDICATORS: Artifact[tuple[IndicatorResult, ...]] = Artifact(
    "indicateurs", "every indicator of the policy, computed once"
)
INDICATOR_FILES: Artifact[tuple[Published, ...]] = Artifact(
    "fichiers-indicateurs", "the indicators' files under donnees/ (values and counted rows)"
)
CHANGELOG_FILE: Artifact[Published] = Artifact(
    "journal-des-changements", "donnees/nouveautes.json, the history of every publication"
)
CURRENT_VERSION: Artifact[str] = Artifact(
    "version-courante", "the name of the dated version of the data being published"
)
CONTRACTS_EXPLORER: Artifact[str] = Artifact(
    "explorateur-marches", "the address of the awarded contracts' explorer"
)
UPCOMING_EXPLORER: Artifact[str] = Artifact(
    "explorateur-achats", "the address of the upcoming purchases' explorer"
)
DETAIL_PAGES: Artifact[tuple[str, ...]] = Artifact(
    "pages-detaillees", "the address of every contract and supplier page"
)
PURCHASE_PAGES: Artifact[tuple[str, ...]] = Artifact(
    "pages-achats", "the address of every upcoming purchase's page"
)
FEED_PAGES: Artifact[tuple[str, ...]] = Artifact(
    "pages-flux", "the address of every feed's companion page"
)
ANALYSES: Artifact[tuple[Analysis, ...]] = Artifact(
    "analyses", "every analysis of `model.analyses.REGISTRY`, computed once"
)
ANALYSIS_FILES: Artifact[tuple[Published, ...]] = Artifact(
    "fichiers-analyses",
    "the analyses' files under donnees/ (analyses.json, the contracts behind each, their schemas)",
)
