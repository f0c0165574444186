"""Validation: is a data folder fit to publish? Each problem with file, row, field, code and fix.

Modules:
- `reading`: decoding and reading a CSV file strictly (encoding, delimiter, header, limits);
- `table_schema`: the Table Schemas compiled to column-wise checks (the same errors as
  frictionless, much faster);
- `columns`: the kit the procurement checks share (text columns narrowed with Arrow or read once
  per distinct value, strict dates and numbers, rows flagged as problems);
- `cells`: the checks every cell of a type gets (spreadsheet leftovers, French numbers and dates,
  SIRET, CPV, multi-valued fields);
- `rules`: the procurement rules as a table (table, field, code, rows, message) and `run`, which
  applies the cell checks and the rules;
- `plausible`: every cell against the plausible range of its field (`datafolder.ranges`);
- `runner`: runs everything over a folder and returns a `Validation` (report and tables).

Every problem code comes from the catalogue `datafolder.problem_codes`.
"""

from achats_ouverts.validation import table_schema
from achats_ouverts.validation.runner import Progress, Validation, quiet, validate

__all__ = ["Progress", "Validation", "quiet", "table_schema", "validate"]
