"""Injection fixtures: a data folder whose every free text carries the payloads of issue 7.

`inject(source, target)` copies a valid data folder (the tiny one of `tests.support`, or the demo
folder) and puts the payloads in every text field that the validator lets hold free text: every
string column without a pattern or a list of allowed values, of every dataset; the identifiers that
may be free (contract `id` and `uid`, a foreign supplier's `titulaire_id`), kept consistent across
tables; every string of `politique.yaml` except identifiers, code lists and references; every free
string of `editeur.yaml`. The result must still validate, so the build runs to the end.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import yaml

from achats_ouverts.datafolder import schemas, writing

PAYLOADS: tuple[str, ...] = (
    "<script>alert('ao-1')</script>",
    "<img src=x onerror=alert('ao-2')>",
    "\"><script>alert('ao-3')</script>",
    "[x](javascript:alert('ao-4'))",
    "{: onclick=alert('ao-5') }",
    '<div markdown="1">**ao-6**</div>',
    "\n\n<b onmouseover=alert('ao-7')>ao-7</b>",
    "</table><script>alert('ao-8')</script>",
    "| ao-9 | x |",
    "`ao-10` ```",
    "'><svg onload=alert('ao-11')>",
    "{{ 'ao-12' }}{% raw %}",
)
"""Script tags, an event handler, attribute breakout, a Markdown javascript: link, attr_list and
md_in_html syntax, a blank line followed by HTML, a table closer, a pipe, backticks, a single-quote
breakout and Jinja syntax. Each carries a marker `ao-N` to find it again as text."""
PAYLOAD = " ".join(PAYLOADS)
ID_PAYLOAD = "\"><img src=x onerror=alert('ao-13')>"
"""Short enough for identifiers (a contract `uid` holds at most 64 characters)."""
SUPPLIER_ID_PAYLOAD = "\"><svg/onload=alert('ao-14')>"
"""No space nor comma: it must fit the `TYPE:id` lists of modifications.csv."""
MARKERS = tuple(f"ao-{n}" for n in range(1, 15))

POLICY_FIXED_KEYS = frozenset({"id", "unite", "sens", "type", "calcul", "indicateurs"})
"""politique.yaml keys holding identifiers, code lists or references (validated, not free text)."""
PUBLISHER_FIXED_KEYS = frozenset(
    {
        "siret",
        "code",
        "departements",
        "url_site",
        "email",
        "contact",
        "etat",
        "demo",
        "nomenclature_cpv",
        "schema_pluriannuel",
        "couleur_principale",
        "couleur_accent",
        "logo",
    }
)


def free_text_fields(ds: schemas.Dataset) -> list[dict[str, Any]]:
    """String columns that accept any text: no format, no pattern, no list of allowed values."""
    return [
        f
        for f in ds.fields
        if f["type"] == "string"
        and "format" not in f
        and not {"pattern", "enum"} & set(f.get("constraints", {}))
    ]


def fitted(payload: str, field: dict[str, Any], index: int) -> str:
    """The payload, cut to the field's maximum length, made unique by the field and row index
    (two names, of a supplier and of a service say, never come out the same)."""
    limit = field.get("constraints", {}).get("maxLength")
    suffix = f" #{field['name'][:3]}{index}"
    text = payload + suffix
    if limit and len(text) > limit:
        candidates = [p for p in PAYLOADS if len(p) + len(suffix) <= limit]
        text = (max(candidates, key=len) if candidates else payload[: limit - len(suffix)]) + suffix
    return text


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, ds: schemas.Dataset, rows: list[dict[str, str]]) -> None:
    writing.write_csv(path, ds.field_names, [[r.get(f, "") for f in ds.field_names] for r in rows])


def inject_yaml(value: Any, fixed: frozenset[str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: inject_yaml(v, fixed, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        if not value and key not in fixed:
            return [PAYLOAD]  # an empty list of texts (e.g. derogations) gets one
        return [inject_yaml(item, fixed, key) for item in value]
    if isinstance(value, str) and key not in fixed:
        return f"{value} {PAYLOAD}"
    return value


def inject(source: Path, target: Path) -> Path:
    """A copy of the data folder `source` in `target`, with payloads in every free text."""
    shutil.copytree(source, target)
    tables = {ds.name: read_rows(target / ds.path) for ds in schemas.DATASETS}

    # Identifiers that may be free text, changed consistently in every table that refers to them.
    uids: dict[str, str] = {}
    for n, row in enumerate(tables["marches"]):
        row["id"] = f"{ID_PAYLOAD}{n}"
        uids[row["uid"]] = row["uid"] = row["acheteur_id"] + row["id"]
    suppliers = tables["titulaires"]
    supplier: tuple[str, str] | None = None
    if suppliers:
        first = suppliers[0]
        supplier = (first["titulaire_typeIdentifiant"], first["titulaire_id"])
        first.update(titulaire_typeIdentifiant="HORS-UE", titulaire_id=SUPPLIER_ID_PAYLOAD)
    for row in tables["marches-titulaires"]:
        row["uid"] = uids.get(row["uid"], row["uid"])
        if supplier and (row["titulaire_typeIdentifiant"], row["titulaire_id"]) == supplier:
            row.update(titulaire_typeIdentifiant="HORS-UE", titulaire_id=SUPPLIER_ID_PAYLOAD)
    for row in tables["modifications"]:
        row["uid"] = uids.get(row["uid"], row["uid"])
        if supplier and row["titulaires"]:
            old = f"{supplier[0]}:{supplier[1]}"
            row["titulaires"] = ", ".join(
                f"HORS-UE:{SUPPLIER_ID_PAYLOAD}" if item == old else item
                for item in row["titulaires"].split(", ")
            )
    for row in tables["achats-a-venir"]:
        row["uidMarche"] = uids.get(row["uidMarche"], row["uidMarche"])

    # Every other free text field, on every row.
    handled = {"uid", "id", "titulaire_id", "uidMarche"}
    for ds in schemas.DATASETS:
        fields = [f for f in free_text_fields(ds) if f["name"] not in handled]
        for n, row in enumerate(tables[ds.name]):
            for field in fields:
                row[field["name"]] = fitted(PAYLOAD, field, n)
        write_rows(target / ds.path, ds, tables[ds.name])

    for name, fixed in (
        ("politique.yaml", POLICY_FIXED_KEYS),
        ("editeur.yaml", PUBLISHER_FIXED_KEYS),
    ):
        path = target / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(
            yaml.safe_dump(inject_yaml(data, fixed), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    return target
