"""Importing the data buyers have into a data folder: DECP 2022 JSON and XML, DECP 2019 JSON, the
national consolidated tabular CSV, and in-house exports (CSV, XLSX) through a mapping file.

Modules:
- `sources`: the formats and their detection;
- one reader per format, each yielding records as read: `decp2022`, `decp2019`, `tabular`,
  `inhouse`;
- `records`: a record on its way through an import (as read, as built) and the notes kept about
  it;
- `bounds`: nesting depth and record size, checked while streaming;
- `normalise`: the value rules, one small pure function per kind of value;
- `conversion`: from a record as read to a canonical contract (`build_contract`);
- `keys`: the per-contract keys that find exact duplicates and shared identifiers;
- `folder`: staging and atomic publication of the data folder;
- `importer`: orchestration and summary.

Public face: `import_files` with its options, result and summary, and the formats. The importer
writes a data folder; it uses only the data folder stage and the shared modules.
"""

from achats_ouverts.importing.importer import (
    ImportOptions,
    ImportResult,
    Summary,
    import_files,
    summary_text,
)
from achats_ouverts.importing.sources import FORMATS, FileUnreadable, NothingImported

__all__ = [
    "FORMATS",
    "FileUnreadable",
    "ImportOptions",
    "ImportResult",
    "NothingImported",
    "Summary",
    "import_files",
    "summary_text",
]
