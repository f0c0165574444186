"""Exports: the files other tools read, written from the typed tables, with no page around them.

Modules:
- `tables`: CSV, JSON, Parquet, a formula-safe XLSX workbook and deterministic zip archives;
- `standards`: the official DECP 2022 JSON, an OCDS release package, the DCAT-AP catalogue,
  schema.org JSON-LD and the sitemap files.

Writers take data and addresses as arguments; they never decide where a file is published.
"""

from achats_ouverts.exports import standards, tables
from achats_ouverts.exports.standards import LOC, organization_jsonld, row_dicts, sitemap_files

__all__ = ["LOC", "organization_jsonld", "row_dicts", "sitemap_files", "standards", "tables"]
