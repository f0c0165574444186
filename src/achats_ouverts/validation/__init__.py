"""Validation: is a data folder fit to publish? Each problem with file, row, field, code and fix.

Modules:
- `reading`: decoding and reading a CSV file strictly (encoding, delimiter, header, limits);
- `table_schema`: the Table Schemas compiled to column-wise checks (the same errors as
  frictionless, much faster);
- `checks`: the procurement checks on top of the schemas (SIRET, CPV, dates, amounts, lists);
- `plausible`: every cell against the plausible range of its field (`datafolder.ranges`);
- `runner`: runs everything over a folder and returns a `Validation` (report and tables).
"""

from achats_ouverts.validation import table_schema
from achats_ouverts.validation.runner import Progress, Validation, quiet, validate

__all__ = ["Progress", "Validation", "quiet", "table_schema", "validate"]
