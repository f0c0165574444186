"""Importing the data buyers have into a data folder: DECP 2022 JSON and XML, DECP 2019 JSON, the
national consolidated tabular CSV, and in-house exports (CSV, XLSX) through a mapping file.

Modules: `sources` (formats and their detection), one reader per format (`decp2022`, `decp2019`,
`tabular`, `inhouse`), `bounds` (nesting depth and record size, checked while streaming),
`normalise` (the value rules), `records` (from a record as read to the
canonical rows), `folder` (staging and atomic publication) and `importer` (orchestration and
summary). The importer writes a data folder; it uses only the stages before `reading`.
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
