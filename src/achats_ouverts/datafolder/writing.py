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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from achats_ouverts.datafolder import schemas


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_schemas(data_dir: Path) -> None:
    """Write every Table Schema into `data_dir/schemas/`."""
    for ds in schemas.DATASETS:
        write_text_atomic(data_dir / ds.schema_path, json_text(schemas.table_schema(ds)))


def write_data_package(data_dir: Path, name: str, title: str, description: str) -> None:
    package = schemas.data_package(name, title, description)
    write_text_atomic(data_dir / "datapackage.json", json_text(package))
