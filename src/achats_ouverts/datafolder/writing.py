"""Writing a data folder: atomic file writes, canonical CSVs, schemas and the Data Package.

Every write goes to a temporary file in the same folder and is renamed into place, so a crash or
Ctrl-C never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from achats_ouverts.datafolder import schemas


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """Write `path` through a temporary file of the same folder, renamed into place once
    complete and synced: a crash or Ctrl-C never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_open(path) as handle:
        handle.write(data)


def write_csv_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """The canonical CSV of `csv_text`, written row by row: for tables too large to hold as text."""
    with atomic_open(path) as handle:
        out = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        out.flush()
        out.detach()


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Canonical CSV: UTF-8 text, comma, minimal quoting, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    write_text_atomic(path, csv_text(header, rows))


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_schemas(data_dir: Path) -> None:
    """Write every Table Schema into `data_dir/schemas/`."""
    for ds in schemas.DATASETS:
        write_text_atomic(data_dir / ds.schema_path, json_text(schemas.table_schema(ds)))


def write_data_package(data_dir: Path, name: str, title: str, description: str) -> None:
    package = schemas.data_package(name, title, description)
    write_text_atomic(data_dir / "datapackage.json", json_text(package))
