"""Property-based tests (Hypothesis): what `validate` accepts, `build` publishes correctly.

Values of every field type are drawn from plausible and hostile ones alike (numbers other digits
and notations, integers beyond 64 bits, dates of year 1 or 9999, text with carriage returns,
quotes, formulas and markup, addresses with braces). The rows that validation refuses are taken
out until it accepts the folder; the folder is then built, and every published JSON (strictly:
no NaN, no Infinity), CSV, Parquet, XML and iCalendar file must parse back, each data file with
the validated row counts.

Runs are deterministic (`derandomize`) and bounded (`max_examples`): a build takes seconds.
"""

from __future__ import annotations

import contextlib
import csv
import json
import signal
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pyarrow.parquet as pq
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from achats_ouverts.building import build
from achats_ouverts.datafolder import schemas
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Settings
from achats_ouverts.validation import validate
from tests.fixtures.folders import (
    CONTRACT_SUPPLIER,
    DECLARED,
    SERVICE,
    SUPPLIER_ROW,
    UPCOMING,
    contract,
    make_data_dir,
)
from tests.fixtures.paths import ROOT

QUICK = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
BUILDS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=5,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: each step would be a build
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE_NUMBERS = [
    "Infinity",
    "-Infinity",
    "NaN",
    "1e309",
    "1e5",
    "1_000",
    "١٢٣",
    "１２３",
    " 12",
    "1" * 26,
    "0.1234567",
    "-0",
]
HOSTILE_DATES = [
    "2107-01-01",
    "9999-12-31",
    "0001-01-01",
    "2024-1-5",
    "２０２４-01-01",
    "2024-02-30",
]
HOSTILE_TEXT = [
    "a\rb",
    "a\r\nb",
    "a\nb",
    '"guillemets", virgule',
    "=1+1",
    "<script>alert(1)</script>",
    "}}{{ « »",
    "\u202eRTL",
    "é" * 300,
]
HOSTILE_ADDRESSES = [
    "https://ex.fr/{x}",
    "https://ex.fr/a^b",
    "https://ex.fr\\a",
    "https://ex.fr/a b",
    "javascript:alert(1)",
    "https://marches.example.fr/consultation/12?ref=a&b=c",
]

numbers = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.decimals(min_value=0, max_value=10**13, places=2, allow_nan=False).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
rates = st.one_of(st.sampled_from(["0", "0.5", "1", "1.0000001", "NaN"]), numbers)
integers = st.one_of(
    st.sampled_from(["1_000", "١٢٣", "+5", "05", str(2**64), str(-(2**63) - 1)]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=1, max_value=2000).map(str),
)
dates = st.one_of(
    st.sampled_from(HOSTILE_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat),
)
texts = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30),
)
booleans = st.sampled_from(["true", "false", "True", "1", "oui", ""])
addresses = st.one_of(
    st.sampled_from(HOSTILE_ADDRESSES),
    st.from_regex(r"https://[a-z]{1,8}\.fr/[a-zA-Z0-9/{}^\\ _%-]{0,12}", fullmatch=True),
)

contract_changes = st.fixed_dictionaries(
    {},
    optional={
        "montant": numbers,
        "tauxAvance": rates,
        "origineUE": rates,
        "offresRecues": integers,
        "dureeMois": integers,
        "dateNotification": dates,
        "datePublicationDonnees": dates,
        "marcheInnovant": booleans,
        "objet": texts,
        "idAccordCadre": texts,
        "lieuExecution_code": texts,
    },
)
upcoming_changes = st.fixed_dictionaries(
    {},
    optional={
        "objet": texts,
        "montantEstime": numbers,
        "dateLancementPrevue": dates,
        "dateLimiteRemiseOffres": dates,
        "nombreLots": integers,
        "urlConsultation": addresses,
        "lieuExecution_nom": texts,
    },
)
declared_changes = st.fixed_dictionaries(
    {}, optional={"annee": integers, "valeur": numbers, "commentaire": texts}
)


BUILD_SECONDS = 300
"""A build of a few rows takes seconds; a value that slips through and makes it run for minutes
(the year 9999 did) fails the test instead of hanging the suite."""


class TooSlow(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(_number: int, _frame: object) -> None:
        raise TooSlow(f"construction de plus de {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def folder(
    target: Path,
    contracts: list[dict[str, str]],
    upcoming: list[dict[str, str]],
    declared: list[dict[str, str]],
) -> Path:
    rows = [contract(id=f"2024{i:04d}", **changes) for i, changes in enumerate(contracts)]
    return make_data_dir(
        target,
        marches=rows,
        marches_titulaires=[{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
        titulaires=[SUPPLIER_ROW],
        services=[SERVICE],
        achats_a_venir=[
            {**UPCOMING, "id": f"achat-{i}", **changes} for i, changes in enumerate(upcoming)
        ],
        indicateurs_declares=[{**DECLARED, **changes} for changes in declared[:1]],
    )


def refused_rows(data: Path) -> tuple[bool, dict[str, set[int]]]:
    """(folder accepted, data rows with an error by file)."""
    result = validate(data, calculations=REGISTRY)
    rows: dict[str, set[int]] = {}
    for problem in result.report.problems:
        if problem.severity.label == "erreur" and problem.row is not None and problem.row > 1:
            rows.setdefault(problem.file, set()).add(problem.row)
    return result.ok, rows


def keep_accepted(data: Path) -> bool:
    """Take out the rows validation refuses (and the supplier rows of refused contracts) until
    it accepts the folder; False when it still refuses something not tied to a row."""
    for _ in range(5):
        ok, refused = refused_rows(data)
        if ok:
            return True
        if not refused:
            return False
        gone: set[str] = set()
        for name in ("marches", "achats-a-venir", "indicateurs-declares"):
            ds = schemas.dataset(name)
            rows = refused.get(ds.path, set())
            table = read_rows(data / ds.path)
            gone |= {r["uid"] for i, r in enumerate(table, start=2) if i in rows and "uid" in r}
            write_rows(data / ds.path, [r for i, r in enumerate(table, start=2) if i not in rows])
        path = data / schemas.dataset("marches-titulaires").path
        write_rows(path, [r for r in read_rows(path) if r["uid"] not in gone])
    return False


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def strict_json(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise ValueError(f"{token} dans un JSON publié")

    return json.loads(text, parse_constant=refuse)


def check_published(site: Path, counts: dict[str, int]) -> None:
    """Every published file parses back; each data file holds the validated rows."""
    for path in sorted(site.rglob("*")):
        if path.suffix == ".json":
            strict_json(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml":
            ElementTree.parse(path)
        elif path.suffix == ".ics":
            Calendar.from_ical(path.read_bytes())
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                list(csv.reader(handle, strict=True))
        elif path.suffix == ".parquet":
            pq.read_table(path)
    published = site / "donnees"
    for ds in schemas.DATASETS:
        stem = ds.path.removesuffix(".csv")
        expected = counts[ds.path]
        with (published / ds.path).open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle)) - 1 == expected, ds.path
        rows = strict_json((published / f"{stem}.json").read_text(encoding="utf-8"))
        assert len(rows) == expected, stem
        assert pq.read_table(published / f"{stem}.parquet").num_rows == expected, stem
    yearly = sorted(published.glob("marches-[0-9][0-9][0-9][0-9].json"))
    total = sum(len(strict_json(p.read_text(encoding="utf-8"))) for p in yearly)
    assert total == counts["marches.csv"]


EDGES = {
    "contracts": [
        {
            "montant": "999999999999.99",
            "tauxAvance": "1",
            "origineUE": "0.000001",
            "offresRecues": "10000",
            "dureeMois": "1200",
            "dateNotification": "2100-12-30",
            "datePublicationDonnees": "2100-12-31",
            "objet": 'Ligne\r\nsuivante « guillemets » "x", =1+1 \u202eRTL <b>',
        },
        {
            "montant": "1",
            "dateNotification": "2000-01-01",
            "datePublicationDonnees": "2000-01-02",
            "idAccordCadre": '=HYPERLINK("x")',
            "lieuExecution_code": "2A004",
        },
        {"montant": "1.5"},
    ],
    "upcoming": [
        {
            "montantEstime": "999999999999.99",
            "dateLancementPrevue": "2100-12-31",
            "dateLimiteRemiseOffres": "2100-12-31",
            "nombreLots": "10000",
            "urlConsultation": "https://marches.example.fr/consultation/12?ref=a&b=c#lot-2",
            "objet": "Lot\r\n2",
        }
    ],
    "declared": [{"annee": "2100", "valeur": "-999999999999.999999", "commentaire": "a\r\nb"}],
}
"""The widest values validation accepts, at both ends of every range, always built."""


@BUILDS
@example(**EDGES)
@given(
    contracts=st.lists(contract_changes, min_size=3, max_size=6),
    upcoming=st.lists(upcoming_changes, min_size=1, max_size=3),
    declared=st.lists(declared_changes, min_size=1, max_size=1),
)
def test_what_validate_accepts_build_publishes_and_every_file_reads_back(
    contracts: list[dict[str, str]],
    upcoming: list[dict[str, str]],
    declared: list[dict[str, str]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="propriete-") as tmp:
        root = Path(tmp)
        data = folder(root / "data", contracts, upcoming, declared)
        if not keep_accepted(data):
            return
        with time_limit(BUILD_SECONDS):
            result = build(Settings(data_dir=data, output_dir=root / "site", project_dir=ROOT))
        check_published(root / "site", result.report.rows)


@QUICK
@given(
    contracts=st.lists(contract_changes, min_size=1, max_size=3),
    upcoming=st.lists(upcoming_changes, min_size=1, max_size=2),
    declared=st.lists(declared_changes, min_size=1, max_size=1),
)
def test_validate_never_fails_and_accepts_only_plausible_values(
    contracts: list[dict[str, str]],
    upcoming: list[dict[str, str]],
    declared: list[dict[str, str]],
) -> None:
    from achats_ouverts.datafolder import ranges
    from achats_ouverts.model import load

    with tempfile.TemporaryDirectory(prefix="propriete-") as tmp:
        data = folder(Path(tmp) / "data", contracts, upcoming, declared)
        result = validate(data, calculations=REGISTRY)  # never raises, whatever the values
        if not result.ok:
            return
        for table in result.tables.values():
            assert table.frame is not None
            for field in schemas.table_schema(table.dataset)["fields"]:
                for value in set(table.frame[field["name"]]):
                    assert not value or ranges.check(field, value) is None, (field, value)
        load(result)  # typed tables: no overflow, no value lost
