"""The model: validated text tables turned into typed tables, and what is computed from them.

Modules:
- `loading`: the typed tables of a validated folder (`Data`) and the data's reference date;
- `aggregates`: pure functions DataFrame -> DataFrame shared by pages (totals, shares, profiles);
- `calculations`: what a computed indicator counts, contract by contract: `REGISTRY`, the one
  list of named calculations (validation gets its names from the callers above it);
- `indicators`: the indicator engine: every indicator of the policy per year and per service,
  the rows behind each number, `indicateurs.json` and `indicateurs.csv`;
- `quality`: the transparency self-assessment (grades A to E).

Public face: `Data` and `load`, the indicator results (`IndicatorResult`, `YearValue`) and the
modules above. No I/O, no templates: pages turn these frames into plain values.
"""

from achats_ouverts.model import aggregates, calculations, indicators, quality
from achats_ouverts.model.indicators import IndicatorResult, YearValue
from achats_ouverts.model.loading import Data, load

__all__ = [
    "Data",
    "IndicatorResult",
    "YearValue",
    "aggregates",
    "calculations",
    "indicators",
    "load",
    "quality",
]
