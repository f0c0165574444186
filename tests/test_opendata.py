"""Publication for reusers: every download, standard format, catalogue and feed is validated the way
its consumers read it."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import openpyxl
import pyarrow.parquet as pq
import pytest
import rdflib
from frictionless import Package, Schema
from icalendar import Calendar
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF
from referencing import Registry
from referencing import Resource as RefResource
from referencing.jsonschema import DRAFT4

from achats_ouverts.building import build
from achats_ouverts.model import analyses
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Settings
from tests.fixtures.companies import LILLE_SME, PARIS_LARGE, REGION_BUYER
from tests.fixtures.files import folder_digests
from tests.fixtures.labels import labelled, labelled_each
from tests.fixtures.opendata_folder import (
    CLEANING,
    CONTRACTS,
    FORMULA,
    RENOVATION,
    SOFTWARE,
    write_rich_data,
)
from tests.fixtures.paths import ROOT, reference_file

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data folder, built site) for the rich fixture, built once for this module."""
    root = tmp_path_factory.mktemp("opendata")
    data = write_rich_data(root / "data")
    build(Settings(data_dir=data, output_dir=root / "site", project_dir=ROOT))
    return data, root / "site"


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class Links(HTMLParser):
    """Every href in an HTML page, and the JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in values:
            self.hrefs.append(values["href"])
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates.append(values)
        self._in_jsonld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


# --- /donnees/ -----------------------------------------------------------------------------------


def test_every_download_link_on_the_data_page_resolves_and_every_file_is_listed(
    rich: tuple[Path, Path],
) -> None:
    _data, site = rich
    page = site / "donnees" / "index.html"
    html = page.read_text(encoding="utf-8")
    hrefs = [h for h in links(page).hrefs if not h.startswith(("http", "mailto:", "#"))]
    assert len(hrefs) > 40
    for href in hrefs:
        target = (page.parent / href.split("#")[0]).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href
    published = sorted(
        p.relative_to(site / "donnees").as_posix()
        for p in (site / "donnees").rglob("*")
        if p.is_file()
        and p.suffix != ".html"
        and p.relative_to(site / "donnees").parts[0] != "versions"
    )
    # The dated versions are not the day's downloads: each lists its own files in SHA256SUMS.
    versions = [p for p in (site / "donnees" / "versions").iterdir() if p.is_dir()]
    assert versions
    for version in versions:
        sums = dict(
            reversed(line.split("  ", 1))
            for line in (version / "SHA256SUMS").read_text("utf-8").splitlines()
        )
        files = sorted(p.relative_to(version).as_posix() for p in version.rglob("*") if p.is_file())
        assert sorted([*sums, "SHA256SUMS"]) == files, version.name
        for name, digest in sums.items():
            assert hashlib.sha256((version / name).read_bytes()).hexdigest() == digest, name
    for name in published:
        content = (site / "donnees" / name).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        row = re.search(
            rf'<a href="{re.escape(name)}">{re.escape(name)} <span class="ao-format">[^<]+</span>'
            rf"</a></th><td>([^<]+)</td>"
            rf'<td class="ao-num">(\d+)</td><td><code class="ao-empreinte">([0-9a-f]+)</code>',
            html,
        )
        assert row, f"{name} is not listed with its size and SHA-256"
        assert (int(row.group(2)), row.group(3)) == (len(content), digest), name


def test_published_csv_is_byte_faithful_and_reads_back_to_the_same_rows(
    rich: tuple[Path, Path],
) -> None:
    """Round trip: data CSV -> published CSV -> frictionless, against the published schemas."""
    data, site = rich
    published = Package(str(site / "donnees" / "datapackage.json"))
    source = Package(str(data / "datapackage.json"))
    for name in ("marches", "marches-titulaires", "modifications", "achats-a-venir"):
        assert (site / "donnees" / f"{name}.csv").read_bytes() == (
            data / f"{name}.csv"
        ).read_bytes()
        resource = published.get_resource(name)
        assert (
            resource.schema.to_dict()
            == Schema.from_descriptor(read(site / "donnees" / "schemas" / f"{name}.json")).to_dict()
        )
        report = resource.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
        rows = [r.to_dict() for r in published.get_resource(name).read_rows()]
        expected = [r.to_dict() for r in source.get_resource(name).read_rows()]
        assert rows == expected
        assert len(rows) == len((data / f"{name}.csv").read_text(encoding="utf-8").splitlines()) - 1


def test_the_data_package_is_valid_and_its_hashes_are_checked(
    rich: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, site = rich
    package = read(site / "donnees" / "datapackage.json")
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert {r["path"] for r in package["resources"]} >= {"marches.csv", "achats-a-venir.csv"}
    assert all(r["schema"].startswith("schemas/") for r in package["resources"])
    report = Package(str(site / "donnees" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "type"])
    copy = tmp_path / "donnees"
    shutil.copytree(site / "donnees", copy)
    with (copy / "services.csv").open("a", encoding="utf-8") as handle:
        handle.write("ajout,Service ajouté après coup,\n")
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert "hash-count" in {e["type"] for task in report.to_dict()["tasks"] for e in task["errors"]}


def test_json_and_parquet_hold_the_same_rows_with_types(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    rows = read(site / "donnees" / "marches.json")
    assert [r["uid"] for r in rows] == [c["uid"] for c in CONTRACTS]
    first = rows[0]
    assert first["montant"] == 120000.0
    assert first["offresRecues"] == 3
    assert first["marcheInnovant"] is False
    assert first["dateNotification"] == "2024-03-01"
    assert first["idAccordCadre"] is None
    assert rows[1]["objet"] == FORMULA
    table = pq.read_table(site / "donnees" / "marches.parquet")
    assert table.num_rows == len(CONTRACTS)
    assert str(table.schema.field("dateNotification").type) == "date32[day]"
    assert str(table.schema.field("montant").type) == "double"
    assert table.column("uid").to_pylist() == [c["uid"] for c in CONTRACTS]
    assert table.column("nature").to_pylist()[2] is None
    upcoming = pq.read_table(site / "donnees" / "achats-a-venir.parquet")
    assert upcoming.num_rows == len(read(site / "donnees" / "achats-a-venir.json")) == 4


def test_contracts_are_also_published_per_year(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    whole = (site / "donnees" / "marches.csv").read_text(encoding="utf-8").splitlines()
    parts = []
    for year, count in ((2024, 1), (2025, 2)):
        lines = (site / "donnees" / f"marches-{year}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == whole[0]
        assert len(lines) - 1 == count
        parts.extend(lines[1:])
        assert len(read(site / "donnees" / f"marches-{year}.json")) == count
        assert pq.read_table(site / "donnees" / f"marches-{year}.parquet").num_rows == count
    assert sorted(parts) == sorted(whole[1:])


def test_the_workbook_never_holds_a_formula(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    path = site / "donnees" / "achats-publics.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 8  # the seven datasets and the flat file
        for name in sheets:
            assert "<f>" not in archive.read(name).decode("utf-8"), name
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["marches"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["uid", "id", "acheteur_id"]
    cell = sheet.cell(row=3, column=header.index("objet") + 1)
    assert cell.data_type == "s"
    assert cell.value == FORMULA
    assert cell.quotePrefix
    assert sheet.cell(row=2, column=header.index("acheteur_id") + 1).value == REGION_BUYER
    assert sheet.cell(row=2, column=header.index("montant") + 1).value == 120000
    assert sheet.cell(row=2, column=header.index("dateNotification") + 1).value.year == 2024
    assert sheet.cell(row=4, column=header.index("nature") + 1).value is None
    assert sheet.max_row == len(CONTRACTS) + 1
    flat = workbook["marches-a-plat"]
    assert [c.value for c in flat[1]][: len(header)] == header
    suppliers = workbook["titulaires"]
    names = [row[2] for row in suppliers.iter_rows(min_row=2, values_only=True)]
    assert "Logiciels <Libres> & Cie" in names


def test_a_sheet_past_the_spreadsheet_row_limit_continues_on_another(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import pandas as pd

    from achats_ouverts.datafolder import schemas
    from achats_ouverts.exports import tables
    from achats_ouverts.model.loading import typed_frame
    from tests.fixtures.folders import SERVICE

    ds = schemas.dataset("services")
    text = pd.DataFrame([{**SERVICE, "service_id": f"s{i}"} for i in range(5)])
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 3)
    tables.write_xlsx(tmp_path / "x.xlsx", [(ds, text, typed_frame(text, ds))])
    workbook = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert workbook.sheetnames == ["services", "services (2)", "services (3)"]
    ids = [r[0] for s in workbook.worksheets for r in s.iter_rows(min_row=2, values_only=True)]
    assert ids == [f"s{i}" for i in range(5)]


def test_the_archive_holds_everything_and_is_deterministic(
    rich: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, site = rich
    with zipfile.ZipFile(site / "donnees" / "achats-publics.zip") as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for expected in (
            "datapackage.json",
            "marches.csv",
            "marches.json",
            "marches.parquet",
            "schemas/marches.json",
            "achats-publics.xlsx",
            "decp.json",
            "ocds.json",
            "nouveautes.json",
        ):
            assert expected in names
            assert archive.read(expected) == (site / "donnees" / expected).read_bytes()
        assert not [n for n in names if n.startswith("marches-20")]
        archive.extractall(tmp_path / "archive")
    report = Package(str(tmp_path / "archive" / "datapackage.json")).validate()
    assert report.valid


def test_each_dataset_has_a_dictionary_page_from_its_schema(rich: tuple[Path, Path]) -> None:
    from achats_ouverts.datafolder import schemas

    _data, site = rich
    for ds in schemas.DATASETS:
        html = (site / "donnees" / ds.name / "index.html").read_text(encoding="utf-8")
        for field in ds.fields:
            assert f'id="champ-{field["name"]}"' in html
        assert f"<caption>Colonnes du jeu « {ds.title} »</caption>" in html
    html = (site / "donnees" / "marches" / "index.html").read_text(encoding="utf-8")
    assert "<li>Appel d&#39;offres ouvert</li>" in html  # allowed values of procedure
    assert "<code>2024-03-12</code>" in html  # example of dateNotification
    assert "date (AAAA-MM-JJ), <strong>obligatoire</strong>" in html


# --- Standard formats ----------------------------------------------------------------------------


def test_decp_json_is_valid_against_the_official_schema(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    schema = read(reference_file("decp-2022_marches-concessions_schema_v2.0.3.json"))
    document = read(site / "donnees" / "decp.json")
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
    assert not errors, [e.message for e in errors[:5]]
    records = document["marches"]["marche"]
    assert [r["id"] for r in records] == ["20240001", "20250002"]  # 20250003 has no nature
    dates = []
    for record in records:
        dates += [record["dateNotification"], record["datePublicationDonnees"]]
        for m in record.get("modifications", []):
            mod = m["modification"]
            dates += [
                mod["dateNotificationModification"],
                mod["datePublicationDonneesModification"],
            ]
    assert len(dates) == 8
    assert all(ISO_DATE.match(d) for d in dates)
    modified = records[1]
    assert modified["objet"] == FORMULA
    # The official semantics: the marché at notification, each modification what it set.
    assert (modified["montant"], modified["dureeMois"]) == (55000, 12)
    assert modified["titulaires"] == [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": LILLE_SME}},
        {"titulaire": {"typeIdentifiant": "SIRET", "id": PARIS_LARGE}},
    ]
    assert [m["modification"]["id"] for m in modified["modifications"]] == [1, 2]
    assert modified["modifications"][1]["modification"]["montant"] == 61500.5
    assert modified["modifications"][1]["modification"]["titulaires"] == [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": PARIS_LARGE}}
    ]
    assert modified["considerationsEnvironnementales"] == {
        "considerationEnvironnementale": ["Clause environnementale", "Critère environnemental"]
    }
    html = (site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "champ « nature » vide : 1" in html


def ocds_validator() -> jsonschema.Draft4Validator:
    release = read(reference_file("ocds-1.1.5_release-schema.json"))
    package = read(reference_file("ocds-1.1.5_release-package-schema.json"))
    registry: Registry[Any] = Registry().with_resource(
        release["id"], RefResource.from_contents(release, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(package, registry=registry)


def test_ocds_release_package_is_valid_offline(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    document = read(site / "donnees" / "ocds.json")
    errors = list(ocds_validator().iter_errors(document))
    assert not errors, [(list(e.absolute_path), e.message) for e in errors[:5]]
    releases = document["releases"]
    planning = [r for r in releases if "planning" in r["tag"]]
    awards = [r for r in releases if "award" in r["tag"]]
    assert len(planning) == 4
    assert len(awards) == 3
    assert all(r["ocid"].startswith("ocds-demo00-") for r in releases)
    attributed = next(r for r in planning if r["tender"]["id"] == "2025-lyc-003")
    award = next(r for r in awards if r["awards"][0]["id"] == RENOVATION["uid"])
    assert attributed["ocid"] == award["ocid"]  # one contracting process, two stages
    assert attributed["tender"]["status"] == "complete"
    second = next(r for r in awards if r["awards"][0]["id"] == SOFTWARE["uid"])
    suppliers = [p for p in second["parties"] if "supplier" in p["roles"]]
    assert {p["identifier"]["id"] for p in suppliers} == {LILLE_SME, PARIS_LARGE}
    # The award at notification, the contract as modified.
    assert second["awards"][0]["value"] == {"amount": 55000, "currency": "EUR"}
    assert [s["id"] for s in second["awards"][0]["suppliers"]] == [
        f"FR-RCS-{LILLE_SME}",
        f"FR-RCS-{PARIS_LARGE}",
    ]
    assert second["contracts"][0]["value"] == {"amount": 61500.5, "currency": "EUR"}
    assert all(p["identifier"]["scheme"] == "FR-RCS" for p in suppliers)
    assert len(second["contracts"][0]["amendments"]) == 2
    # The schema must reject what is wrong, or the test above proves nothing.
    broken = {**document, "releases": [{**releases[0], "tag": ["inconnu"]}]}
    assert list(ocds_validator().iter_errors(broken))


def test_dcat_catalogue_parses_back_without_blank_nodes(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    turtle = rdflib.Graph().parse(
        data=(site / "donnees" / "catalog.ttl").read_bytes(), format="turtle"
    )
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
        warnings.simplefilter("ignore", DeprecationWarning)
        jsonld = rdflib.Graph().parse(
            data=(site / "donnees" / "catalog.jsonld").read_bytes(), format="json-ld"
        )
    assert isomorphic(turtle, jsonld)
    assert not [t for triple in turtle for t in triple if isinstance(t, rdflib.BNode)]
    datasets = sorted(turtle.subjects(RDF.type, DCAT.Dataset))
    # the seven datasets, the flat file and the CSV of each analysis
    assert len(datasets) == 8 + len(analyses.REGISTRY)
    assert (
        rdflib.URIRef("https://achats-ouverts.example.fr/donnees/marches-a-plat/#jeu") in datasets
    )
    base = "https://achats-ouverts.example.fr/"
    marches = rdflib.URIRef(f"{base}donnees/marches/#jeu")
    assert str(turtle.value(marches, DCTERMS.identifier)) == f"{REGION_BUYER}-marches"
    assert turtle.value(marches, DCTERMS.conformsTo) == rdflib.URIRef(
        f"{base}donnees/schemas/marches.json"
    )
    assert turtle.value(marches, DCTERMS.license) == rdflib.URIRef(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    )
    assert turtle.value(marches, DCTERMS.publisher) is not None
    assert turtle.value(marches, DCAT.contactPoint) is not None
    period = turtle.value(marches, DCTERMS.temporal)
    assert str(turtle.value(period, DCAT.startDate)) == "2024-03-01"
    assert str(turtle.value(period, DCAT.endDate)) == "2025-06-10"
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    checked = 0
    for dist in turtle.objects(marches, DCAT.distribution):
        url = str(turtle.value(dist, DCAT.downloadURL))
        content = (site / url.removeprefix(base)).read_bytes()
        assert int(turtle.value(dist, DCAT.byteSize)) == len(content)
        checksum = turtle.value(dist, spdx.checksum)
        assert (
            str(turtle.value(checksum, spdx.checksumValue)) == hashlib.sha256(content).hexdigest()
        )
        assert str(turtle.value(dist, DCAT.mediaType)).startswith(
            "http://www.iana.org/assignments/media-types/"
        )
        checked += 1
    assert checked == 7  # CSV, JSON, Parquet, DECP, OCDS, XLSX, ZIP


def test_pages_carry_schema_org_json_ld(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    home = [json.loads(x) for x in links(site / "index.html").jsonld]
    assert home[0]["@type"] == "GovernmentOrganization"
    assert home[0]["identifier"]["value"] == REGION_BUYER
    dataset = [json.loads(x) for x in links(site / "donnees" / "marches" / "index.html").jsonld]
    assert dataset[0]["@type"] == "Dataset"
    assert dataset[0]["creator"]["@type"] == "GovernmentOrganization"
    assert dataset[0]["temporalCoverage"] == "2024-03-01/2025-06-10"
    assert len(dataset[0]["distribution"]) == 7


def test_no_data_can_close_the_json_ld_script(tmp_path: Path) -> None:
    data = write_rich_data(tmp_path / "data")
    editeur = data / "editeur.yaml"
    text = editeur.read_text(encoding="utf-8")
    text = text.replace(
        "nom: Région Hauts-de-France", 'nom: "Région </script><script>alert(1)</script>"'
    )
    editeur.write_text(text, encoding="utf-8")
    build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
    for page in ("index.html", "donnees/index.html", "donnees/marches/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "alert(1)</script>" not in html, page
        blocks = links(tmp_path / "site" / page).jsonld
        assert blocks
        assert "</script>" in json.dumps(json.loads(blocks[0]), ensure_ascii=False)


# --- Feeds ---------------------------------------------------------------------------------------


def test_every_feed_parses_without_error(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    feeds = sorted(p for p in (site / "flux").glob("*.xml") if p.name != "sitemap.xml")
    # CPV divisions, départements of the publisher, main feeds, categories, then the pairs the
    # programme has a purchase in: CPV 45 in the Nord and the Pas-de-Calais, Travaux in both.
    assert len(feeds) == 45 + 5 + 3 + 3 + 2 + 2
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path.name, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.id.startswith("tag:achats-ouverts.example.fr,2026:")
        for entry in parsed.entries:
            assert entry.id.startswith("tag:achats-ouverts.example.fr,2026:")


def test_upcoming_feeds_hold_open_purchases_by_division_and_departement(
    rich: tuple[Path, Path],
) -> None:
    _data, site = rich

    def ids(name: str) -> list[str]:
        parsed = feedparser.parse((site / "flux" / name).read_bytes())
        return [e.id.rsplit("/", 1)[-1] for e in parsed.entries]

    assert ids("achats-a-venir.xml") == ["2026-lyc-002", "2026-lyc-001", "2026-num-004"]
    assert ids("achats-a-venir-cpv-45.xml") == ["2026-lyc-002", "2026-lyc-001"]
    assert ids("achats-a-venir-cpv-72.xml") == ["2026-num-004"]
    assert ids("achats-a-venir-departement-59.xml") == ["2026-lyc-001"]
    assert ids("achats-a-venir-departement-62.xml") == ["2026-lyc-002"]
    assert ids("achats-a-venir-departement-80.xml") == []
    assert ids("achats-a-venir-cpv-45-departement-59.xml") == ["2026-lyc-001"]
    assert ids("achats-a-venir-travaux-departement-62.xml") == ["2026-lyc-002"]
    assert ids("achats-a-venir-services.xml") == ["2026-num-004"]
    assert not (site / "flux" / "achats-a-venir-cpv-72-departement-59.xml").exists(), (
        "only the pairs the programme has a purchase in"
    )
    parsed = feedparser.parse((site / "flux" / "achats-a-venir.xml").read_bytes())
    assert parsed.feed.updated == "2025-10-06T00:00:00+00:00"  # latest date in the data
    launched = parsed.entries[0]
    assert launched.link == "https://achats-ouverts.example.fr/achats-a-venir/2026-lyc-002/"
    assert "dossier de consultation : https://marches.example.fr/c/1" in launched.summary
    assert launched.title == "Réfection des toitures <b>urgentes</b>"
    recent = feedparser.parse((site / "flux" / "marches-attribues.xml").read_bytes())
    assert [e.id.rsplit("/", 1)[-1] for e in recent.entries] == [c["uid"] for c in CONTRACTS[::-1]]
    assert "Logiciels <Libres> & Cie" in recent.entries[1].summary


def test_the_calendar_reads_back_with_stable_uids_and_a_fixed_stamp(
    rich: tuple[Path, Path],
) -> None:
    _data, site = rich
    calendar = Calendar.from_ical((site / "flux" / "achats-a-venir.ics").read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "achat-2026-lyc-001-lancement@achats-ouverts.example.fr",
        "achat-2026-lyc-002-date-limite@achats-ouverts.example.fr",
    ]
    deadline = events["achat-2026-lyc-002-date-limite@achats-ouverts.example.fr"]
    assert deadline["dtstart"].dt.isoformat() == "2025-11-14"
    stamps = {e["dtstamp"].dt.isoformat() for e in events.values()}
    assert stamps == {"2025-06-30T00:00:00+00:00"}  # the reference date of the data


def test_list_pages_announce_their_feeds_and_show_how_to_subscribe(
    rich: tuple[Path, Path],
) -> None:
    _data, site = rich
    for page in ("index.html", "donnees/index.html"):
        parsed = links(site / page)
        feeds = {a["href"].rsplit("/", 1)[-1]: a for a in parsed.alternates}
        assert set(feeds) >= {"achats-a-venir.xml", "marches-attribues.xml", "nouveautes.xml"}
        for alternate in parsed.alternates:
            assert alternate["type"] == "application/atom+xml"
            assert ((site / page).parent / alternate["href"]).resolve().is_file()
        html = (site / page).read_text(encoding="utf-8")
        assert '<h2 id="s-abonner">S\'abonner</h2>' in html
        assert "lecteur de flux" in html
    feeds_page = links(site / "flux" / "index.html")
    assert any(a["type"] == "text/calendar" for a in feeds_page.alternates)


# --- Sitemap -------------------------------------------------------------------------------------


def test_the_sitemap_lists_every_page(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    urls = set(re.findall(r"<loc>([^<]+)</loc>", text))
    base = "https://achats-ouverts.example.fr/"
    pages = {
        base + p.relative_to(site).parent.as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
    }
    pages = {u.replace(base + "/", base) for u in pages}
    assert urls == pages
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", text)) == {"2025-06-30"}


def test_the_sitemap_includes_detail_pages_and_splits_past_the_protocol_limit(
    tmp_path: Path,
) -> None:
    from achats_ouverts.building.build import take_mkdocs_pages
    from achats_ouverts.exports.sitemap import sitemap_files
    from achats_ouverts.model.loading import load
    from achats_ouverts.output import artifacts, urls
    from achats_ouverts.output.context import BuildContext
    from achats_ouverts.pages import sitemap
    from achats_ouverts.settings import Limits
    from achats_ouverts.validation.runner import validate
    from tests.fixtures.folders import make_data_dir

    data = load(validate(make_data_dir(tmp_path / "d"), Limits(), None, calculations=REGISTRY))
    site = tmp_path / "site"
    site.mkdir()
    base = data.publisher.url_site
    (site / "sitemap.xml").write_text(
        f"<urlset><url><loc>{base}</loc></url><url><loc>{base}marches/_gabarit/</loc></url>"
        f"<url><loc>{base}donnees/</loc></url></urlset>",
        encoding="utf-8",
    )
    (site / "sitemap.xml.gz").write_bytes(b"")
    files = tmp_path / "fichiers"
    ctx = BuildContext(data, tmp_path / "docs", files, site)
    ctx.put(artifacts.MKDOCS_PAGES, take_mkdocs_pages(site, base))
    assert not list(site.iterdir()), "MkDocs' sitemap files give way to the site's"
    ctx.put(artifacts.DETAIL_PAGES, ("marches/b/", "marches/a/"))
    ctx.put(artifacts.PURCHASE_PAGES, ("achats-a-venir/2026-x/",))
    ctx.put(artifacts.FEED_PAGES, ("flux/achats-a-venir/",))
    sitemap.produce_sitemap(ctx)
    urls_listed = re.findall(r"<loc>([^<]+)</loc>", (files / "sitemap.xml").read_text("utf-8"))
    assert urls_listed == [
        base,
        f"{base}achats-a-venir/2026-x/",
        f"{base}donnees/",
        f"{base}flux/achats-a-venir/",
        f"{base}marches/a/",
        f"{base}marches/b/",
    ]
    assert (
        gzip.decompress((files / "sitemap.xml.gz").read_bytes())
        == (files / "sitemap.xml").read_bytes()
    )
    split = sitemap_files(
        [f"{base}p{i}/" for i in range(50_001)],
        base,
        "2025-01-01",
        urls.SITEMAP,
        urls.sitemap_part,
    )
    assert sorted(split) == ["sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml"]
    assert b"<sitemapindex" in split["sitemap.xml"]
    assert split["sitemaps/sitemap-2.xml"].count(b"<url>") == 1


# --- Determinism ---------------------------------------------------------------------------------


def test_two_builds_of_the_same_data_give_the_same_bytes(
    rich: tuple[Path, Path], tmp_path: Path
) -> None:
    """The second build runs in another process with another hash seed (set and dict order)."""
    data, site = rich
    again = tmp_path / "site"
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        [sys.executable, "-m", "achats_ouverts", "build", str(data), "-o", str(again)],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )

    first, second = folder_digests(site), folder_digests(again)
    assert first == second
    assert len([p for p in first if p.startswith(("donnees/", "flux/"))]) > 100


# --- Data changelog ------------------------------------------------------------------------------


def test_the_first_release_says_it_is_the_first(rich: tuple[Path, Path]) -> None:
    _data, site = rich
    history = read(site / "donnees" / "nouveautes.json")["publications"]
    assert len(history) == 1
    assert history[0]["premiere"] is True
    assert labelled(history[0], "numero", "date") == {"numero": 1, "date": "2025-06-30"}
    html = (site / "nouveautes" / "index.html").read_text(encoding="utf-8")
    assert "Première publication : 3\u00a0marchés et 4\u00a0achats à venir." in html
    assert "C'est la première publication de ces données sur ce site" in html


def changed_data(target: Path) -> Path:
    """The rich data one release later: a new contract, a modified one, a removed one, and
    upcoming purchases added, removed or moved to another status."""
    from tests.fixtures.folders import CONTRACT_SUPPLIER, contract, make_data_dir
    from tests.fixtures.opendata_folder import (
        AWARDED,
        CONTRACT_SUPPLIERS,
        LAUNCHED,
        MODIFICATIONS,
        PLANNED,
        SUPPLIERS,
        UPCOMING_BASE,
    )

    new = contract(id="20250009", objet="Fourniture de mobilier", dateNotification="2025-06-20")
    first = {**RENOVATION, "objet": "Rénovation complète de la demi-pension"}
    contracts_now = [first, SOFTWARE, new]
    suppliers_now = [s for s in CONTRACT_SUPPLIERS if s["uid"] != CLEANING["uid"]]
    suppliers_now.append({**CONTRACT_SUPPLIER, "uid": new["uid"]})
    upcoming_now = [
        {**PLANNED, "statut": "lancé", "dateLancement": "2025-06-25"},
        LAUNCHED,
        AWARDED,
        {**UPCOMING_BASE, "id": "2026-lyc-005", "objet": "Clos et couvert", "statut": "prévu"},
    ]
    return make_data_dir(
        target,
        marches=contracts_now,
        marches_titulaires=suppliers_now,
        modifications=MODIFICATIONS,
        titulaires=SUPPLIERS,
        achats_a_venir=upcoming_now,
    )


def test_the_changelog_records_every_change_and_carries_the_history_forward(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    first = write_rich_data(tmp_path / "v1")
    build(Settings(data_dir=first, output_dir=out, project_dir=ROOT))
    v1 = (out / "donnees" / "nouveautes.json").read_bytes()
    build(Settings(data_dir=first, output_dir=out, project_dir=ROOT))
    assert (out / "donnees" / "nouveautes.json").read_bytes() == v1, "a rebuild added a release"

    build(Settings(data_dir=changed_data(tmp_path / "v2"), output_dir=out, project_dir=ROOT))
    history = read(out / "donnees" / "nouveautes.json")["publications"]
    assert [r["numero"] for r in history] == [1, 2]
    assert history[0] == read_json_bytes(v1)["publications"][0]
    latest = history[1]
    assert latest["premiere"] is False
    assert [m["uid"] for m in latest["nouveaux"]] == [REGION_BUYER + "20250009"]
    assert labelled_each(latest["modifies"], "uid", "champs") == [
        {"uid": RENOVATION["uid"], "champs": ["objet"]}
    ]
    assert [m["uid"] for m in latest["supprimes"]] == [CLEANING["uid"]]
    assert latest["supprimes"][0]["objet"] == "Nettoyage des locaux"
    assert latest["achats_statut"] == [
        {
            "id": "2026-lyc-001",
            "objet": "Restructuration de la demi-pension",
            "avant": "prévu",
            "apres": "lancé",
        }
    ]
    assert [a["id"] for a in latest["achats_nouveaux"]] == ["2026-lyc-005"]
    assert [a["id"] for a in latest["achats_retires"]] == ["2026-num-004"]
    html = (out / "nouveautes" / "index.html").read_text(encoding="utf-8")
    assert "Marchés retirés de la publication (1)" in html
    assert CLEANING["uid"] in html
    feed = feedparser.parse((out / "flux" / "nouveautes.xml").read_bytes())
    assert not feed.bozo
    assert [e.id.rsplit("/", 1)[-1] for e in feed.entries] == ["2", "1"]
    assert "1\u00a0nouveau marché, 1\u00a0marché modifié, 1\u00a0marché retiré" in (
        feed.entries[0].summary
    )

    v2 = (out / "donnees" / "nouveautes.json").read_bytes()
    copy = tmp_path / "copie-publiee"
    shutil.copytree(out, copy)
    other = tmp_path / "ailleurs"
    build(
        Settings(data_dir=tmp_path / "v2", output_dir=other, project_dir=ROOT, previous_site=copy)
    )
    assert (other / "donnees" / "nouveautes.json").read_bytes() == v2


def test_a_release_sums_up_only_the_lists_that_changed() -> None:
    from achats_ouverts.pages.changelog import LISTS, summary

    release: dict[str, Any] = {name: [] for name in LISTS}
    release.update(nouveaux=[{"uid": "a"}], supprimes=[{"uid": "b"}, {"uid": "c"}])
    assert summary(release) == "1\u00a0nouveau marché, 2\u00a0marchés retirés."


def test_a_previous_publication_without_its_files_where_the_downloads_are_stops_the_build(
    tmp_path: Path,
) -> None:
    """If the downloads moved, comparing with nothing would record no change, build after build:
    the build stops and says where it looked, and the published site stays as it was."""
    from achats_ouverts.errors import BuildError

    out = tmp_path / "site"
    data = write_rich_data(tmp_path / "v1")
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    previous = tmp_path / "copie-publiee"
    shutil.copytree(out, previous)
    (previous / "donnees").rename(previous / "telechargements")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    with pytest.raises(BuildError, match=r"n'a pas de fichier donnees/marches\.csv.*--precedent"):
        build(Settings(data_dir=data, output_dir=out, project_dir=ROOT, previous_site=previous))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    empty = tmp_path / "vide"
    empty.mkdir()
    first = tmp_path / "premiere"
    build(Settings(data_dir=data, output_dir=first, project_dir=ROOT, previous_site=empty))
    history = read(first / "donnees" / "nouveautes.json")["publications"]
    assert [r["premiere"] for r in history] == [True], "an empty folder is no publication"


def read_json_bytes(content: bytes) -> Any:
    return json.loads(content.decode("utf-8"))


def test_json_lines_escape_text_and_keep_numbers_exact() -> None:
    import pandas as pd

    from achats_ouverts.datafolder import schemas
    from achats_ouverts.exports import tables
    from achats_ouverts.model.loading import typed_frame

    ds = schemas.dataset("indicateurs-declares")
    text = pd.DataFrame(
        {
            "indicateur_id": ["delai-paiement", "heures"],
            "annee": ["2024", "2025"],
            "valeur": ["1234567.89", "+5"],
            "source": ['Rapport "annuel"\\ 2024\nsuite\tfin', "é / <b>"],
            "commentaire": ["", "x"],
        }
    )
    lines = tables.json_lines(text, typed_frame(text, ds), ds).to_pylist()
    rows = [json.loads(line) for line in lines]
    assert rows[0] == {
        "indicateur_id": "delai-paiement",
        "annee": 2024,
        "valeur": 1234567.89,
        "source": 'Rapport "annuel"\\ 2024\nsuite\tfin',
        "commentaire": None,
    }
    assert '"valeur":1234567.89,' in lines[0]  # the validated text, not a float's rounding
    assert rows[1]["valeur"] == 5
    assert rows[1]["source"] == "é / <b>"


def test_decp_json_imports_back_to_the_same_contracts(
    rich: tuple[Path, Path], tmp_path: Path
) -> None:
    """Round trip through the importer of the import issue (runs once it is on main)."""
    pytest.importorskip("achats_ouverts.importing")
    import pandas as pd

    from achats_ouverts.cli import run
    from achats_ouverts.datafolder import schemas
    from achats_ouverts.model.loading import typed_frame

    data, site = rich
    target = tmp_path / "importe"
    shutil.copytree(data, target)
    assert run(["import", str(site / "donnees" / "decp.json"), "-o", str(target)]) == 0

    def table(folder: Path, name: str) -> pd.DataFrame:
        text = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        return typed_frame(text, schemas.dataset(name)).reset_index(drop=True)

    records = read(site / "donnees" / "decp.json")["marches"]["marche"]
    exported = [r["acheteur"]["id"] + r["id"] for r in records]
    assert exported == [RENOVATION["uid"], SOFTWARE["uid"]]
    keys = {
        "marches": ["uid"],
        "marches-titulaires": ["uid", "titulaire_typeIdentifiant", "titulaire_id"],
        "modifications": ["uid", "modification_id"],
    }
    for name, key in keys.items():
        before = table(data, name)
        before = before[before["uid"].isin(exported)].sort_values(key).reset_index(drop=True)
        after = table(target, name).sort_values(key).reset_index(drop=True)
        # The buying service is this site's own column, not a DECP field.
        columns = [c for c in before.columns if c != "acheteur_service_id"]
        pd.testing.assert_frame_equal(after[columns], before[columns], check_dtype=False)


@pytest.mark.browser
def test_the_publication_pages_have_no_accessibility_violation(
    rich: tuple[Path, Path], new_page: Any
) -> None:
    from tests.fixtures import browser

    _data, site = rich
    with browser.serve(site) as url:
        for path in ("donnees/", "donnees/marches/", "flux/", "nouveautes/", ""):
            for viewport in (browser.DESKTOP, browser.MOBILE):
                page = new_page(viewport)
                seen = browser.watch(page, url)
                page.goto(url + path, wait_until="load")
                assert browser.axe_violations(page) == [], (path, viewport)
                assert not seen.external_requests
                assert not seen.console_errors


def test_the_departement_of_a_place_of_execution() -> None:
    import pandas as pd

    from achats_ouverts.model.aggregates import execution_departement

    cases = [
        ("59350", "Code commune", "59"),
        ("2A004", "Code commune", "2A"),
        ("97105", "Code commune", "971"),
        ("02691", "Code commune", "02"),
        ("80000", "Code postal", "80"),
        ("20000", "Code postal", ""),  # Corsica: 2A or 2B, the postal code cannot tell
        ("62", "Code département", "62"),
        ("32", "Code région", ""),
        ("FR", "Code pays", ""),
        ("", "", ""),
    ]
    codes = pd.Series([code for code, _kind, _departement in cases])
    kinds = pd.Series([kind for _code, kind, _departement in cases])
    expected = [departement for _code, _kind, departement in cases]
    assert execution_departement(codes, kinds).tolist() == expected
