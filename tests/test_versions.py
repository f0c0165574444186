"""Dated versions and the flat file, without a browser: a rebuild with changed data keeps the
previous version byte for byte, the number of versions kept is the build's option, an altered
version stops the build, and the flat file carries every column of marches.csv."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from achats_ouverts.building import build
from achats_ouverts.datafolder import schemas
from achats_ouverts.errors import BuildError
from achats_ouverts.settings import Settings
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import ROOT


def build_site(data: Path, out: Path, previous: Path | None = None, kept: int = 0) -> Path:
    build(
        Settings(
            data_dir=data,
            output_dir=out,
            project_dir=ROOT,
            previous_site=previous,
            versions_kept=kept,
        )
    )
    return out


def version_files(site: Path) -> dict[str, dict[str, bytes]]:
    folder = site / "donnees" / "versions"
    return {
        v.name: {p.relative_to(v).as_posix(): p.read_bytes() for p in v.rglob("*") if p.is_file()}
        for v in sorted(folder.iterdir())
        if v.is_dir()
    }


def change_an_amount(data: Path) -> None:
    path = data / "marches.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    rows[1][rows[0].index("montant")] = "987654.32"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("versions")
    data = make_complete_data_dir(base / "data")
    return data, build_site(data, base / "site-1")


def test_a_rebuild_with_changed_data_keeps_the_previous_version_byte_for_byte(
    first: tuple[Path, Path], tmp_path: Path
) -> None:
    data, site = first
    before = version_files(site)
    assert len(before) == 1
    changed = Path(shutil.copytree(data, tmp_path / "data"))
    change_an_amount(changed)
    second = build_site(changed, tmp_path / "site-2", previous=site)
    after = version_files(second)
    assert len(after) == 2
    name = next(iter(before))
    assert after[name] == before[name]
    new = next(n for n in after if n != name)
    assert after[new]["marches.csv"] == (changed / "marches.csv").read_bytes()
    assert after[new]["marches.csv"] != before[name]["marches.csv"]
    index = json.loads((second / "donnees" / "versions" / "versions.json").read_text("utf-8"))
    assert [v["nom"] for v in index["versions"]] == sorted(after)


def test_the_number_of_versions_kept_is_the_build_option(
    first: tuple[Path, Path], tmp_path: Path
) -> None:
    data, site = first
    changed = Path(shutil.copytree(data, tmp_path / "data"))
    change_an_amount(changed)
    second = build_site(changed, tmp_path / "site-2", previous=site, kept=1)
    after = version_files(second)
    assert len(after) == 1
    assert next(iter(after)) not in version_files(site)


def test_an_altered_version_in_the_previous_publication_stops_the_build(
    first: tuple[Path, Path], tmp_path: Path
) -> None:
    data, site = first
    previous = Path(shutil.copytree(site, tmp_path / "precedent"))
    version = next(p for p in (previous / "donnees" / "versions").iterdir() if p.is_dir())
    (version / "marches.csv").write_bytes(b"uid\nfaux\n")
    with pytest.raises(BuildError, match=r"marches\.csv.*empreinte SHA-256"):
        build_site(data, tmp_path / "site-2", previous=previous)


def test_the_flat_file_has_every_column_of_marches_csv_and_a_row_per_supplier(
    first: tuple[Path, Path],
) -> None:
    data, site = first
    flat = list(csv.DictReader(io.StringIO((site / "donnees" / "marches-a-plat.csv").read_text())))
    header = list(flat[0])
    contract_columns = list(schemas.dataset("marches").field_names)
    assert header[: len(contract_columns)] == contract_columns
    assert {"titulaire_nom", "service_nom", "codeCPV_libelle", "titulaires_nombre"} <= set(header)
    links = list(csv.DictReader(io.StringIO((data / "marches-titulaires.csv").read_text())))
    contracts = list(csv.DictReader(io.StringIO((data / "marches.csv").read_text())))
    with_supplier = {link["uid"] for link in links}
    assert len(flat) == len(links) + sum(c["uid"] not in with_supplier for c in contracts)
    by_uid = {c["uid"]: c for c in contracts}
    for row in flat:
        assert {k: row[k] for k in contract_columns} == by_uid[row["uid"]]
