"""The model: validated text tables turned into typed tables, and what is computed from them.

Modules:
- `loading`: the typed tables of a validated folder (`Data`) and the data's reference date;
- `aggregates`: pure functions DataFrame -> DataFrame shared by pages (totals, shares, profiles);
- `indicators`: the indicator engine, a registry of named calculations, per year and service;
- `quality`: the transparency self-assessment (grades A to E).

No I/O, no templates: pages turn these frames into plain values.
"""

from achats_ouverts.model import aggregates, indicators, quality
from achats_ouverts.model.indicators import IndicatorResult, YearValue
from achats_ouverts.model.loading import Data, load

__all__ = ["Data", "IndicatorResult", "YearValue", "aggregates", "indicators", "load", "quality"]
