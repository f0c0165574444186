"""Every problem code a user can meet, declared once: the catalogue of what can be wrong with a
data folder, the codes the importer writes in `import-rapport.json`, and `build`'s refusals of
its output folder.

Modules:
- `entries`: what an entry holds (`Code`: severity, stages, where, meaning, fix; `ImportCode`;
  `OutputCode`);
- `configuration`: the codes of the configuration (`editeur.yaml`, `politique.yaml`, read as
  small, plain YAML) and of the folder as a whole, and the codes the configuration shares with
  reading and with the checks;
- `files`: the codes of reading each CSV (encoding, delimiter, header, limits) and of the Table
  Schemas;
- `checks`: the codes of the procurement checks and of the plausible ranges;
- `import_report`: the codes of `import-rapport.json`;
- `output`: the codes of `build`'s refusals about its output folder;
- `catalogue`: every validation code in order (`CODES`) and the README's tables written from the
  entries (`python scripts/problem_codes.py`).

Validation problems are made only through their entry (`SIRET_INVALIDE.problem(...)`), which
gives the code and the severity; the emitter gives the file, row, field, the message about the
value found and its fix. Entries are named after their code (`siret-invalide` is
`SIRET_INVALIDE`; frictionless's generic `error` is `FRICTIONLESS_ERROR`). The tests prove that
every code the package emits is declared here.

The refusals of `build` are made through their entry too (`SORTIE_RACINE.line(...)` gives the
line `building.guard` raises).

The catalogue sits in the data folder stage, the lowest one: the configuration readers of this
stage (and `ranges`, `yaml_safe`) emit codes as well as the validation stage above it; the
importer, beside the validation, and the building stage document their codes here too.
"""

from achats_ouverts.datafolder.problem_codes.catalogue import CODES, fill_readme
from achats_ouverts.datafolder.problem_codes.entries import Code, ImportCode, OutputCode, Stage
from achats_ouverts.datafolder.problem_codes.import_report import IMPORT_CODES
from achats_ouverts.datafolder.problem_codes.output import OUTPUT_CODES

__all__ = [
    "CODES",
    "IMPORT_CODES",
    "OUTPUT_CODES",
    "Code",
    "ImportCode",
    "OutputCode",
    "Stage",
    "fill_readme",
]
