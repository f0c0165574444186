"""Exports: the files other tools read, written from the typed tables, with no page around them.

Modules:
- `tables`: CSV, JSON, Parquet, a formula-safe XLSX workbook and deterministic zip archives;
- `rows`: rows of the validated tables as plain values (shared by the writers below, the feeds
  and the changelog);
- `decp`: the official DECP 2022 JSON;
- `ocds`: an OCDS 1.1 release package;
- `dcat`: the DCAT-AP catalogue (Turtle and JSON-LD);
- `schema_org`: schema.org JSON-LD for pages;
- `syndication`: Atom feeds and the iCalendar file;
- `sitemap`: the sitemap files;
- `flat`: the flat file for spreadsheets (one row per contract and supplier, names and places);
- `versions`: the dated, immutable versions of the datasets and their checksums.

Writers take data and addresses as arguments; they never decide where a file is published.
"""

from achats_ouverts.exports import (
    dcat,
    decp,
    flat,
    ocds,
    rows,
    schema_org,
    sitemap,
    syndication,
    tables,
    versions,
)

__all__ = [
    "dcat",
    "decp",
    "flat",
    "ocds",
    "rows",
    "schema_org",
    "sitemap",
    "syndication",
    "tables",
    "versions",
]
