"""File formats for downloads: streamed CSV, JSON, Parquet, a formula-safe XLSX workbook and
deterministic zip archives. Writers take validated frames and write to a path or a binary stream;
they never read the clock, so the same data always gives the same bytes.

- CSV is byte-faithful to the validated text (the canonical form, `datafolder.csv_text`).
- JSON and Parquet carry types: numbers, integers, booleans, ISO dates, null for a missing value.
- XLSX is written directly as Office Open XML with pyarrow string kernels (a general-purpose writer
  costs about 4 µs per cell, too slow for a million contracts). Every text is an inline string:
  a spreadsheet never evaluates it, and a text starting with `=`, `+`, `-`, `@`, a tab or a carriage
  return also gets the "quote prefix" style, so that editing the cell keeps it as text.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from achats_ouverts.datafolder import Dataset

CHUNK_ROWS = 4_000
"""Rows encoded at a time: small enough for the temporary strings to stay in the CPU caches
(measured: 100 000 contracts took 32 s with chunks of 50 000 rows, 18 s with 4 000)."""
PARQUET_ROWS = 100_000
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CHARS = 32_767
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
FORMULA_TRIGGERS = r"^[=+\-@\t\r]"
XML_ILLEGAL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
JSON_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


# --- CSV -----------------------------------------------------------------------------------------


def csv_bytes(rows: pd.DataFrame, header: Sequence[str] | None = None) -> bytes:
    """Rows in the canonical CSV form (UTF-8, comma, minimal quoting, LF), header first if given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


# --- JSON ----------------------------------------------------------------------------------------


def json_escape(values: pa.Array) -> pa.Array:
    """Text as the inside of a JSON string (validated text has no other control character)."""
    values = pc.replace_substring(values, "\\", "\\\\")
    for raw, escaped in (('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        values = pc.replace_substring(values, raw, escaped)
    return pc.replace_substring_regex(values, r"[\x00-\x08\x0B\x0C\x0E-\x1F]", "\ufffd")


def json_number(raw: pa.Array, typed: pd.Series) -> pa.Array:
    """The validated text of a number when it is a JSON number already (exact), else its value."""
    fits = pc.match_substring_regex(raw, JSON_NUMBER.pattern)
    if pc.all(pc.or_(fits, pc.equal(raw, ""))).as_py():
        return raw
    values = raw.to_pylist()
    numbers = typed.tolist()
    for i, ok in enumerate(fits.to_pylist()):
        if not ok and values[i]:
            value = float(numbers[i])
            values[i] = json.dumps(int(value) if value.is_integer() else value, allow_nan=False)
    return pa.array(values, type=pa.string())


def json_lines(text: pd.DataFrame, typed: pd.DataFrame, ds: Dataset) -> pa.Array:
    """One JSON object per row, keys in schema order: numbers, booleans, ISO dates, null for a
    missing value. Built from the validated text with Arrow string kernels."""
    parts: list[Any] = []
    for i, f in enumerate(ds.fields):
        name: str = f["name"]
        kind = f["type"]
        raw = pa.array(text[name].astype(object).tolist(), type=pa.string())
        if kind in ("number", "integer"):
            value = json_number(raw, typed[name])
        elif kind == "boolean":
            value = raw
        elif kind == "date":
            value = pc.binary_join_element_wise('"', raw, '"', "")
        else:
            value = pc.binary_join_element_wise('"', json_escape(raw), '"', "")
        parts.append(("{" if i == 0 else ",") + json.dumps(name) + ":")
        parts.append(pc.if_else(pc.equal(raw, ""), "null", value))
    if not len(text):
        return pa.array([], type=pa.string())
    return pc.binary_join_element_wise(*parts, "}", "")


def write_json_array(handle: BinaryIO, items: Iterable[Any], batch_size: int = 500) -> int:
    """A JSON array of Python values, one per line, streamed. Returns the number of items."""
    writer = JsonArrayWriter(handle)
    batch: list[str] = []
    for item in items:
        batch.append(json.dumps(item, ensure_ascii=False, allow_nan=False))
        if len(batch) == batch_size:
            writer.write(batch)
            batch = []
    writer.write(batch)
    writer.close()
    return writer.count


class JsonArrayWriter:
    """Writes an array of already-encoded JSON items, one per line."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.count = 0

    def write(self, items: Sequence[str]) -> None:
        if items:
            self.handle.write(((",\n" if self.count else "[\n") + ",\n".join(items)).encode())
            self.count += len(items)

    def close(self) -> None:
        self.handle.write(b"\n]\n" if self.count else b"[]\n")


# --- One dataset in three formats ----------------------------------------------------------------


@dataclass
class TableFiles:
    """Where one table (or one part of it) goes: CSV and JSON streams, a Parquet path."""

    csv: BinaryIO
    json: BinaryIO
    parquet: Path


def write_table_files(
    ds: Dataset,
    text: pd.DataFrame,
    typed: pd.DataFrame,
    whole: TableFiles,
    parts: dict[int, TableFiles] | None = None,
    groups: pd.Series | None = None,
) -> None:
    """Write a dataset as CSV (byte-faithful), JSON and Parquet, by chunks of rows; and, when
    `parts` and `groups` are given, the rows of each group to that group's files too. Each row is
    encoded once: the parts reuse the whole table's JSON lines and Arrow chunks."""
    parts = parts or {}
    header = list(ds.field_names)
    text = text[header]
    schema = arrow_schema(ds)
    targets = [(None, whole), *sorted(parts.items())]
    json_writers = [JsonArrayWriter(files.json) for _key, files in targets]
    pending: list[list[pa.Table]] = [[] for _target in targets]
    with contextlib.ExitStack() as stack:
        parquet_writers = [
            stack.enter_context(pq.ParquetWriter(files.parquet, schema, compression="zstd"))
            for _key, files in targets
        ]

        def flush_parquet(k: int, force: bool = False) -> None:
            """Row groups of about PARQUET_ROWS rows, whatever the size of the chunks."""
            if pending[k] and (force or sum(t.num_rows for t in pending[k]) >= PARQUET_ROWS):
                parquet_writers[k].write_table(pa.concat_tables(pending[k]))
                pending[k] = []

        for _key, files in targets:
            files.csv.write(csv_bytes(text.iloc[0:0], header))
        for start in range(0, len(text), CHUNK_ROWS):
            rows = slice(start, start + CHUNK_ROWS)
            chunk_text, chunk_typed = text.iloc[rows], typed.iloc[rows]
            lines = json_lines(chunk_text, chunk_typed, ds)
            table = arrow_table(chunk_typed, ds)
            chunk_groups = None if groups is None else groups.iloc[rows].to_numpy()
            for k, (key, files) in enumerate(targets):
                if key is None:
                    files.csv.write(csv_bytes(chunk_text))
                    json_writers[k].write(lines.to_pylist())
                    pending[k].append(table)
                else:
                    mask: np.ndarray = np.asarray(chunk_groups == key)
                    if not mask.any():
                        continue
                    files.csv.write(csv_bytes(chunk_text.loc[mask]))
                    json_writers[k].write(lines.filter(pa.array(mask)).to_pylist())
                    pending[k].append(table.filter(pa.array(mask)))
                flush_parquet(k)
        for k in range(len(targets)):
            flush_parquet(k, force=True)
    for writer in json_writers:
        writer.close()


def arrow_type(kind: str) -> pa.DataType:
    return {
        "date": pa.date32(),
        "number": pa.float64(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
    }.get(kind, pa.string())


def arrow_schema(ds: Dataset) -> pa.Schema:
    """The Arrow schema of a dataset, each field carrying its French title and description."""
    return pa.schema(
        [
            pa.field(
                f["name"],
                arrow_type(f["type"]),
                metadata={"title": f["title"], "description": f["description"]},
            )
            for f in ds.fields
        ]
    )


def arrow_table(typed: pd.DataFrame, ds: Dataset) -> pa.Table:
    arrays = []
    for f in ds.fields:
        col = typed[f["name"]]
        kind = f["type"]
        if kind == "date":
            values = pa.array(col.dt.date.where(col.notna(), None), type=pa.date32())
        elif kind == "number":
            values = pa.array(col.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)
        elif kind == "integer":
            values = pa.array(col.astype(object).where(col.notna(), None), type=pa.int64())
        elif kind == "boolean":
            values = pa.array(col.astype(object).where(col.notna(), None), type=pa.bool_())
        else:
            text = col.astype(object)
            values = pa.array(text.where(text != "", None), type=pa.string())
        arrays.append(values)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(ds))


# --- XLSX ----------------------------------------------------------------------------------------

OOXML_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{OOXML_TYPE}.styles+xml"/>'
    "{{sheets}}</Types>"
)
XLSX_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
XLSX_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>{sheets}</Relationships>'
)
# Cell styles: 0 default, 1 date (built-in format 14, shown the local way), 2 text with the quote
# prefix (never a formula, even after editing), 3 bold header.
XLSX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
XLSX_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
XLSX_SHEET_TAIL = "</sheetData></worksheet>"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_text(values: pa.Array) -> pa.Array:
    """Text made safe for an XML element: illegal characters dropped, markup escaped, capped."""
    values = pc.replace_substring_regex(values, XML_ILLEGAL, "")
    values = pc.utf8_slice_codeunits(values, 0, XLSX_MAX_CHARS)
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        values = pc.replace_substring(values, raw, escaped)
    return values


def xlsx_cells(
    text: pd.Series, typed: pd.Series, kind: str, letter: str, rows: pa.Array
) -> pa.Array:
    """The `<c>` element of every cell of one column (empty string for an empty cell)."""
    raw = pa.array(text.astype(object).tolist(), type=pa.string())
    empty = pc.equal(raw, "")
    ref = pc.binary_join_element_wise(f'<c r="{letter}', rows, '"', "")
    if kind in ("number", "integer"):
        cell = pc.binary_join_element_wise(ref, "><v>", raw, "</v></c>", "")
    elif kind == "boolean":
        flag = pc.if_else(pc.equal(raw, "true"), "1", "0")
        cell = pc.binary_join_element_wise(ref, ' t="b"><v>', flag, "</v></c>", "")
    elif kind == "date":
        days = (typed.to_numpy(dtype="datetime64[D]") - EXCEL_EPOCH).astype("int64")
        serial = pc.cast(pa.array(days), pa.string())
        cell = pc.binary_join_element_wise(ref, ' s="1"><v>', serial, "</v></c>", "")
        empty = pc.or_(empty, pa.array(typed.isna().to_numpy()))
    else:
        style = pc.if_else(pc.match_substring_regex(raw, FORMULA_TRIGGERS), ' s="2"', "")
        cell = pc.binary_join_element_wise(
            ref,
            style,
            ' t="inlineStr"><is><t xml:space="preserve">',
            xml_text(raw),
            "</t></is></c>",
            "",
        )
    return pc.if_else(empty, "", cell)


def xlsx_rows(text: pd.DataFrame, typed: pd.DataFrame, ds: Dataset, first_row: int) -> bytes:
    """The `<row>` elements for a chunk of a dataset, the first one numbered `first_row`."""
    numbers = np.arange(first_row, first_row + len(text))
    rows = pc.cast(pa.array(numbers), pa.string())
    cells = [
        xlsx_cells(text[str(f["name"])], typed[str(f["name"])], f["type"], column_letter(i), rows)
        for i, f in enumerate(ds.fields)
    ]
    lines = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
    return "\n".join(lines.to_pylist()).encode("utf-8")


def xlsx_header(ds: Dataset) -> bytes:
    cells = "".join(
        f'<c r="{column_letter(i)}1" s="3" t="inlineStr"><is><t>{f["name"]}</t></is></c>'
        for i, f in enumerate(ds.fields)
    )
    return f'<row r="1">{cells}</row>\n'.encode()


def zip_info(
    name: str, size: int = 0, compress: bool = True, level: int | None = None
) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    if level is not None:  # read by ZipFile.open(info, "w"); named `_compresslevel` before 3.13
        setattr(info, ZIP_LEVEL_ATTRIBUTE, level)
    info.external_attr = 0o644 << 16
    info.file_size = size
    return info


def write_xlsx(path: Path, tables: Sequence[tuple[Dataset, pd.DataFrame, pd.DataFrame]]) -> None:
    """One workbook, one sheet per dataset (`name`, then `name (2)`… past 1 048 575 rows).

    `tables` holds (dataset, validated text frame, typed frame).
    """
    per_sheet = XLSX_MAX_ROWS - 1
    sheets: list[tuple[str, Dataset, pd.DataFrame, pd.DataFrame]] = []
    for ds, text, typed in tables:
        parts = max(1, -(-len(text) // per_sheet))
        for k in range(parts):
            name = ds.name if k == 0 else f"{ds.name} ({k + 1})"
            piece = slice(k * per_sheet, (k + 1) * per_sheet)
            sheets.append((name, ds, text.iloc[piece], typed.iloc[piece]))
    with zipfile.ZipFile(path, "w") as archive:
        content_types = XLSX_CONTENT_TYPES.format(
            sheets="".join(XLSX_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        )
        archive.writestr(zip_info("[Content_Types].xml"), content_types)
        archive.writestr(zip_info("_rels/.rels"), XLSX_ROOT_RELS)
        workbook = XLSX_WORKBOOK.format(
            sheets="".join(
                f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (name, *_rest) in enumerate(sheets, start=1)
            )
        )
        archive.writestr(zip_info("xl/workbook.xml"), workbook)
        rels = XLSX_WORKBOOK_RELS.format(
            sheets="".join(
                f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            )
        )
        archive.writestr(zip_info("xl/_rels/workbook.xml.rels"), rels)
        archive.writestr(zip_info("xl/styles.xml"), XLSX_STYLES)
        for n, (_name, ds, text, typed) in enumerate(sheets, start=1):
            info = zip_info(f"xl/worksheets/sheet{n}.xml")
            with archive.open(info, "w", force_zip64=len(text) > 200_000) as sheet:
                sheet.write(XLSX_SHEET_HEAD.encode())
                sheet.write(xlsx_header(ds))
                row = 2
                for start in range(0, len(text), CHUNK_ROWS):
                    part = slice(start, start + CHUNK_ROWS)
                    sheet.write(xlsx_rows(text.iloc[part], typed.iloc[part], ds, row))
                    sheet.write(b"\n")
                    row += len(text.iloc[part])
                sheet.write(XLSX_SHEET_TAIL.encode())


# --- Zip -----------------------------------------------------------------------------------------

ZIP_LEVEL_ATTRIBUTE = (
    "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"
)
ALREADY_COMPRESSED = (".zip", ".xlsx", ".parquet", ".gz")


def write_zip(path: Path, members: Iterable[tuple[str, Path]]) -> None:
    """A deterministic zip: entries sorted by name, fixed timestamps and permissions. Deflate at
    level 1: three times faster than the default level, for a slightly larger archive."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, source in sorted(members):
            size = source.stat().st_size
            info = zip_info(name, size, not name.endswith(ALREADY_COMPRESSED), level=1)
            with source.open("rb") as reader, archive.open(info, "w") as writer:
                while block := reader.read(1 << 20):
                    writer.write(block)
