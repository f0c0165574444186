"""Every problem code a user can meet, declared once: the catalogue of what can be wrong with a
data folder, and the codes the importer writes in `import-rapport.json`.

Modules:
- `entries`: what an entry holds (`Code`: severity, stages, where, meaning, fix; `ImportCode`);
- `files`: the codes about the folder's files (configuration, the folder as a whole, reading each
  CSV, the Table Schemas), and the codes the configuration shares with the checks;
- `checks`: the codes of the procurement checks;
- `import_report`: the codes of `import-rapport.json`;
- `catalogue`: every validation code in order (`CODES`) and the README's tables written from the
  entries (`python scripts/problem_codes.py`).

Validation problems are made only through their entry (`SIRET_INVALIDE.problem(...)`), which
gives the code and the severity; the emitter gives the file, row, field, the message about the
value found and its fix. Entries are named after their code (`siret-invalide` is
`SIRET_INVALIDE`; frictionless's generic `error` is `FRICTIONLESS_ERROR`). The tests prove that
every code the package emits is declared here.

The catalogue sits in the data folder stage, the lowest one: the configuration readers of this
stage emit codes as well as the validation stage above it, and the importer, beside the
validation, documents its codes here too.
"""

from achats_ouverts.datafolder.problem_codes.catalogue import CODES, fill_readme
from achats_ouverts.datafolder.problem_codes.entries import Code, ImportCode, Stage
from achats_ouverts.datafolder.problem_codes.import_report import IMPORT_CODES

__all__ = ["CODES", "IMPORT_CODES", "Code", "ImportCode", "Stage", "fill_readme"]
