"""The demonstration data generator: determinism, validity against the schemas, and the shape of
the fictitious data that the site's pages and indicators rely on (counts, totals, shares)."""

from __future__ import annotations

import json
import shutil
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from frictionless import Package, Resource, Schema
from stdnum.be import vat as be_vat
from stdnum.fr import siret

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import config, schemas, writing
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.tools import demo
from tests.fixtures.companies import REGION_BUYER
from tests.fixtures.labels import labelled, labelled_each
from tests.fixtures.paths import DATA, reference_file

REF_DATE = demo.DEFAULT_REFERENCE_DATE
FULL_YEARS = ("2022", "2023", "2024", "2025")

HDF_COMMUNES = {
    "59350": "Lille", "80021": "Amiens", "59512": "Roubaix", "59599": "Tourcoing",
    "59183": "Dunkerque", "62193": "Calais", "62160": "Boulogne-sur-Mer", "62041": "Arras",
    "62498": "Lens", "60057": "Beauvais", "60159": "Compiègne", "60175": "Creil",
    "02691": "Saint-Quentin", "02722": "Soissons", "02408": "Laon", "59606": "Valenciennes",
    "59178": "Douai", "59122": "Cambrai", "80001": "Abbeville", "59392": "Maubeuge",
    "59017": "Armentières", "59009": "Villeneuve-d'Ascq", "59172": "Denain",
    "59295": "Hazebrouck", "59328": "Lambersart", "59271": "Grande-Synthe", "59279": "Halluin",
    "59360": "Loos", "59343": "Lesquin", "62510": "Liévin", "62119": "Béthune",
    "62765": "Saint-Omer", "62108": "Berck", "62427": "Hénin-Beaumont",
    "62178": "Bruay-la-Buissière", "62215": "Carvin",
}  # fmt: skip
REGION_OF_DEPARTEMENT = {
    "02": "32", "59": "32", "60": "32", "62": "32", "80": "32", "75": "11", "92": "11",
    "93": "11", "51": "44", "67": "44", "76": "28", "14": "28", "69": "84", "44": "52",
    "33": "75", "35": "53",
}  # fmt: skip
ENVIRONMENT_TARGETS = {"2022": 0.65, "2023": 0.75, "2024": 0.85, "2025": 0.92, "2026": 0.96}
SOCIAL = {"Clause sociale", "Critère social", "Clause sociale, Critère social"}
PROCEDURES_FORMAL = {"Appel d'offres ouvert", "Appel d'offres restreint"}


# --- Helpers ------------------------------------------------------------------------------------


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def day(text: str) -> date:
    return date.fromisoformat(text)


class SchemaError(NamedTuple):
    resource: str
    row: int | None
    field: str | None
    type: str
    note: str


def errors_of(report: Any) -> list[SchemaError]:
    """Every error of a frictionless report: its resource, row, field, type and note."""
    return [
        SchemaError(
            task.name,
            getattr(error, "row_number", None),
            getattr(error, "field_name", None),
            error.type,
            error.note,
        )
        for task in report.tasks
        for error in task.errors
    ]


def validate_package(descriptor: Path) -> list[SchemaError]:
    report = Package(str(descriptor)).validate(limit_errors=0)
    assert len(report.tasks) == len(schemas.DATASETS)
    for task in report.tasks:
        assert not task.warnings, task.warnings
    return errors_of(report)


def schema_of(data_dir: Path, name: str, *, foreign_keys: bool) -> Schema:
    descriptor = json.loads((data_dir / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    if not foreign_keys:
        descriptor.pop("foreignKeys", None)
    return Schema.from_descriptor(descriptor)


def share(values: Iterable[bool]) -> float:
    items = list(values)
    return sum(items) / len(items)


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "data"
    demo.write_demo(path)
    return path


@pytest.fixture(scope="module")
def t(demo_dir: Path) -> dict[str, pd.DataFrame]:
    return {ds.name: read(demo_dir / ds.path) for ds in schemas.DATASETS}


@pytest.fixture(scope="module")
def marches(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = t["marches"].copy()
    frame["year"] = frame["dateNotification"].str[:4]
    frame["amount"] = frame["montant"].astype(float)
    return frame


# --- Determinism and the committed folder -------------------------------------------------------


def test_two_generations_are_byte_identical(tmp_path: Path) -> None:
    demo.write_demo(tmp_path / "a")
    demo.write_demo(tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert len(first) == 7 + 7 + 7 + 1  # CSVs, schemas, examples, datapackage.json
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    assert demo.generate(seed=7).rows("marches") != demo.generate().rows("marches")


def test_committed_data_matches_the_generator(demo_dir: Path) -> None:
    generated = files(demo_dir)
    committed = {name: (DATA / name).read_bytes() for name in generated if (DATA / name).is_file()}
    assert sorted(set(generated) - set(committed)) == [], "run scripts/generate_demo.py"
    drifted = [name for name in generated if generated[name] != committed[name]]
    assert drifted == [], "data/ drifted from the generator: run scripts/generate_demo.py"


def test_hand_written_configuration_is_left_alone(tmp_path: Path) -> None:
    names = (config.PUBLISHER_FILE, config.POLICY_FILE)
    for name in names:
        (tmp_path / name).write_text(f"# {name} écrit à la main\n", encoding="utf-8")
    before = {name: (tmp_path / name).stat().st_mtime_ns for name in names}
    demo.write_demo(tmp_path)
    for name in names:
        assert (tmp_path / name).read_text(encoding="utf-8") == f"# {name} écrit à la main\n"
        assert (tmp_path / name).stat().st_mtime_ns == before[name]


def test_streaming_writer_writes_the_same_bytes(tmp_path: Path) -> None:
    data = demo.generate()
    for ds in schemas.DATASETS:
        writing.write_csv(tmp_path / "a.csv", ds.field_names, data.rows(ds.name))
        writing.write_csv_rows(tmp_path / "b.csv", ds.field_names, data.rows(ds.name))
        assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_rows_follow_the_schema_column_order(demo_dir: Path) -> None:
    data = demo.generate()
    for ds in schemas.DATASETS:
        header = (demo_dir / ds.path).read_text(encoding="utf-8").split("\n", 1)[0]
        assert header == ",".join(ds.field_names)
        assert {len(row) for row in data.rows(ds.name)} == {len(ds.field_names)}


def test_package_says_the_data_are_fictitious(demo_dir: Path) -> None:
    package = json.loads((demo_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert "FICTIVES" in package["title"]
    assert "FICTIF" in package["description"]
    assert [r["name"] for r in package["resources"]] == [ds.name for ds in schemas.DATASETS]


# --- Validity against the Table Schemas ---------------------------------------------------------


def test_generated_package_is_valid_with_foreign_keys(demo_dir: Path) -> None:
    errors = validate_package(demo_dir / "datapackage.json")
    assert errors == [], errors[:20]


def test_validation_catches_a_broken_reference(demo_dir: Path, tmp_path: Path) -> None:
    """The package check above really follows the foreign keys."""
    copy = tmp_path / "data"
    shutil.copytree(demo_dir, copy)
    path = copy / "marches-titulaires.csv"
    header, first, rest = path.read_text(encoding="utf-8").split("\n", 2)
    path.write_text(
        "\n".join([header, REGION_BUYER + "29990001" + first[22:], rest]), encoding="utf-8"
    )
    errors = validate_package(copy / "datapackage.json")
    assert labelled_each(errors, "resource", "row", "type") == [
        {"resource": "marches-titulaires", "row": 2, "type": "foreign-key"}
    ]


def test_examples_are_valid_on_their_own(demo_dir: Path) -> None:
    examples = demo_dir / "schemas" / "exemples"
    for ds in schemas.DATASETS:
        assert 3 <= len(read(examples / ds.path)) <= 5, ds.name
        schema = schema_of(demo_dir, ds.name, foreign_keys=False)
        report = Resource(path=ds.path, basepath=str(examples), schema=schema).validate(
            limit_errors=0
        )
        errors = errors_of(report)
        assert errors == [], (ds.name, errors[:10])


def test_examples_hold_together_as_a_package(demo_dir: Path) -> None:
    examples = demo_dir / "schemas" / "exemples"
    resources = [
        Resource(
            name=ds.name,
            path=ds.path,
            basepath=str(examples),
            schema=schema_of(demo_dir, ds.name, foreign_keys=True),
        )
        for ds in schemas.DATASETS
    ]
    report = Package(resources=resources, basepath=str(examples)).validate(limit_errors=0)
    errors = errors_of(report)
    assert errors == [], errors[:10]
    rows = {ds.name: read(examples / ds.path) for ds in schemas.DATASETS}
    suppliers = set(
        zip(
            rows["titulaires"].titulaire_typeIdentifiant,
            rows["titulaires"].titulaire_id,
            strict=True,
        )
    )
    links = rows["marches-titulaires"]
    assert set(zip(links.titulaire_typeIdentifiant, links.titulaire_id, strict=True)) <= suppliers
    assert set(rows["marches"].uid) == set(links.uid)
    assert set(rows["achats-a-venir"].statut) == {"prévu", "lancé", "attribué"}


def test_schema_accepts_consultation_urls(demo_dir: Path) -> None:
    examples = demo_dir / "schemas" / "exemples"
    schema = schema_of(demo_dir, "achats-a-venir", foreign_keys=False)
    report = Resource(path="achats-a-venir.csv", basepath=str(examples), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_5000_contracts_validate(tmp_path: Path) -> None:
    data = demo.write_demo(tmp_path, contracts=5000)
    assert len(data.rows("marches")) == 5000
    assert len(read(tmp_path / "marches.csv")) == 5000
    errors = validate_package(tmp_path / "datapackage.json")
    assert errors == [], errors[:20]


def test_contract_count_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        demo.generate(contracts=0)


def test_every_date_stays_before_an_earlier_reference_date() -> None:
    reference = date(2025, 6, 30)
    data = demo.generate(contracts=800, reference_date=reference)
    names = schemas.dataset("marches").field_names
    notified = [day(row[names.index("dateNotification")]) for row in data.rows("marches")]
    published = [day(row[names.index("datePublicationDonnees")]) for row in data.rows("marches")]
    assert len(notified) == 800
    assert max(notified) <= reference
    assert max(published) <= reference
    assert min(notified).year == 2022
    column = schemas.dataset("modifications").field_names.index(
        "datePublicationDonneesModification"
    )
    assert max(day(row[column]) for row in data.rows("modifications")) <= reference


# --- The buyer, its services and its contracts --------------------------------------------------


def test_contracts_identify_the_buyer(marches: pd.DataFrame) -> None:
    assert set(marches.acheteur_id) == {REGION_BUYER}
    assert (marches.uid == marches.acheteur_id + marches.id).all()
    assert marches.id.str.len().max() <= 16
    assert marches.uid.is_unique
    assert list(marches.uid) == sorted(marches.uid)
    assert len(marches) == demo.DEFAULT_CONTRACTS


def test_seven_buying_services(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    services = t["services"]
    assert len(services) == 7
    assert (services.service_nom.str.startswith("Direction ")).all()
    assert (marches.acheteur_service_id != "").all()
    assert set(marches.acheteur_service_id) == set(services.service_id)


def test_contracts_per_year(marches: pd.DataFrame) -> None:
    counts = marches.year.value_counts()
    assert sorted(counts.index) == ["2022", "2023", "2024", "2025", "2026"]
    for year in FULL_YEARS:
        assert 400 <= counts[year] <= 700, (year, counts[year])
    assert 300 <= counts["2026"] <= 600
    assert max(day(d) for d in marches.dateNotification) <= REF_DATE


def test_amounts_per_year(marches: pd.DataFrame) -> None:
    assert marches.amount.min() >= 40_000
    assert (marches.montant.str.fullmatch(r"[0-9]+\.[0-9]{2}")).all()
    totals = marches.groupby("year").amount.sum()
    for year in FULL_YEARS:
        assert 230e6 * 0.85 <= totals[year] <= 230e6 * 1.15, (year, totals[year])
    works = marches[marches.codeCPV.str.startswith("45")]
    assert (works.amount >= 2_000_000).sum() >= 5  # a few large works contracts
    assert works.amount.max() >= 5_000_000
    # log-normal: a long right tail, the mean well above the median
    assert marches.amount.mean() > 1.5 * marches.amount.median()


def test_cpv_codes(marches: pd.DataFrame) -> None:
    codes = marches.codeCPV
    assert 0.002 <= share(codes == "") <= 0.03
    filled = codes[codes != ""]
    assert filled.str.fullmatch(r"[0-9]{8}-[0-9]").all()
    divisions = set(filled.str[:2])
    expected = {"45", "60", "30", "48", "72", "15", "39", "90", "79", "71", "80", "34", "50", "09"}
    assert divisions >= expected
    works = marches[codes.str.startswith("45")]
    assert works.amount.sum() > marches[codes.str.startswith("60")].amount.sum()


def test_cpv_codes_are_real_with_their_check_digit(marches: pd.DataFrame) -> None:
    nomenclature = cpv.read_nomenclature(reference_file("cpv-2008_fr_avec-parent.csv"))
    world = demo.load_world()
    catalogue = {lot.cpv for family in world.families for lot in family.lots} | {
        code for family in world.families for template in family.templates for code in template.cpvs
    }
    used = set(marches.codeCPV[marches.codeCPV != ""])
    assert len(catalogue) >= 60
    for code in sorted(catalogue | used):
        assert code[:8] in nomenclature, code
        assert nomenclature.check_digits[code[:8]] == code[-1], code


def test_procedures_follow_the_thresholds(
    t: dict[str, pd.DataFrame], marches: pd.DataFrame
) -> None:
    unmodified = marches[~marches.uid.isin(t["modifications"].uid) & (marches.procedure != "")]
    works = unmodified.ccag == "Travaux"  # also known when the CPV code is missing
    threshold = works.map({True: 5_538_000, False: 221_000})
    above, below = (
        unmodified[unmodified.amount >= threshold],
        unmodified[unmodified.amount < threshold],
    )
    assert (above.procedure != "Procédure adaptée").all()
    assert share(above.procedure.isin(PROCEDURES_FORMAL)) >= 0.75
    assert share(below.procedure == "Procédure adaptée") >= 0.75
    counts = Counter(marches.procedure)
    assert counts["Procédure avec négociation"] > 0
    assert counts["Marché passé sans publicité ni mise en concurrence préalable"] > 0
    assert 0 < counts["Dialogue compétitif"] <= 15
    assert share(marches.nature == "Marché") >= 0.97


def test_ccag_follows_the_cpv(marches: pd.DataFrame) -> None:
    def expected(code: str) -> str:
        if code.startswith("45"):
            return "Travaux"
        if code.startswith("712"):
            return "Maitrise d'œuvre"
        if code[:2] in ("30", "48", "72"):
            return "Techniques de l'information et de la communication"
        if code[:2] in ("73", "79"):
            return "Prestations intellectuelles"
        return "Fournitures courantes et services"

    filled = marches[marches.codeCPV != ""]
    assert [
        c for c, e in zip(filled.ccag, filled.codeCPV.map(expected), strict=True) if c != e
    ] == []


def test_framework_agreements(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    framework = marches.techniques == "Accord-cadre"
    assert 0.3 <= share(framework) <= 0.4
    assert set(marches.modalitesExecution[framework]) == {"Bons de commande", "Marchés subséquents"}
    subsequent = marches[marches.idAccordCadre != ""]
    modified = set(t["modifications"].uid)
    assert 10 <= len(subsequent) <= 0.06 * len(marches)
    parents = marches.set_index("id")
    for row in subsequent.itertuples():
        parent = parents.loc[row.idAccordCadre]
        assert parent.techniques == "Accord-cadre"
        assert parent.modalitesExecution == "Marchés subséquents"
        assert parent.dateNotification <= row.dateNotification
        assert row.objet.startswith(parent.objet)
        if row.uid not in modified:
            assert float(row.montant) <= float(parent.montant)


def test_prices_and_origins(marches: pd.DataFrame) -> None:
    orders = marches[marches.modalitesExecution == "Bons de commande"]
    assert share(orders.formePrix.isin(["Unitaire", "Mixte"])) >= 0.95
    origins = marches[marches.origineUE != ""]
    assert len(origins) >= 100
    assert set(origins.codeCPV.str[:2]) <= {"15", "34", "18", ""}
    assert (origins.origineFrance.astype(float) <= origins.origineUE.astype(float)).all()
    assert (marches.origineFrance[marches.origineUE == ""] == "").all()


def test_advances_offers_and_flags(marches: pd.DataFrame) -> None:
    advance = marches.attributionAvance == "true"
    assert 0.4 <= share(advance) <= 0.6
    assert (marches.tauxAvance[~advance] == "").all()
    rates = marches.tauxAvance[advance].astype(float)
    assert rates.between(0, 1).all()
    assert 0.6 <= share(rates == 0.1) <= 0.85
    assert (rates == 0).sum() > 0
    assert rates.max() <= 0.3
    offers = marches.offresRecues.astype(int)
    assert offers.between(1, 12).all()
    assert 0.15 <= share(offers == 1) <= 0.2
    assert 0.015 <= share(marches.marcheInnovant == "true") <= 0.045
    assert 0.15 <= share(marches.sousTraitanceDeclaree == "true") <= 0.25


def test_places_of_execution(marches: pd.DataFrame) -> None:
    places = marches[marches.lieuExecution_typeCode != ""]
    assert share(marches.lieuExecution_typeCode == "") < 0.02
    communes = places[places.lieuExecution_typeCode == "Code commune"]
    assert set(communes.lieuExecution_code) <= set(HDF_COMMUNES)
    region = places[places.lieuExecution_typeCode == "Code région"]
    assert set(region.lieuExecution_code) == {"32"}
    departements = places[places.lieuExecution_typeCode == "Code département"]
    assert set(departements.lieuExecution_code) == {"02", "59", "60", "62", "80"}
    lycees = communes[communes.objet.str.contains(" du lycée ")]
    for row in lycees.itertuples():
        assert f" à {HDF_COMMUNES[row.lieuExecution_code]}" in row.objet


def test_considerations(marches: pd.DataFrame) -> None:
    environment = marches.considerationsEnvironnementales
    social = marches.considerationsSociales
    for year, target in ENVIRONMENT_TARGETS.items():
        rows = marches.year == year
        measured = share(environment[rows] != v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE)
        assert abs(measured - target) <= 0.05, (year, measured)
    assert 0.25 <= share(social.isin(SOCIAL)) <= 0.35
    assert 0.02 <= share(social == "Marché réservé") <= 0.045
    for column in (environment, social):
        combined = column[column.str.contains("Pas de ") & column.str.contains(", ")]
        assert combined.empty


def test_publication_dates(marches: pd.DataFrame) -> None:
    delays = [
        (day(p) - day(n)).days
        for n, p in zip(marches.dateNotification, marches.datePublicationDonnees, strict=True)
    ]
    assert min(delays) >= 0
    assert 0.015 <= share(d > v.DELAI_PUBLICATION_JOURS for d in delays) <= 0.045
    assert share(5 <= d <= 50 for d in delays) >= 0.85
    assert 5 <= statistics.median(delays) <= 50
    assert max(day(p) for p in marches.datePublicationDonnees) <= REF_DATE


# --- Suppliers ----------------------------------------------------------------------------------


def test_supplier_register(t: dict[str, pd.DataFrame]) -> None:
    suppliers = t["titulaires"]
    assert 700 <= len(suppliers) <= 900
    assert suppliers.titulaire_nom.is_unique
    french = suppliers[suppliers.titulaire_typeIdentifiant == "SIRET"]
    assert all(siret.is_valid(number) for number in french.titulaire_id)
    assert not french.titulaire_id.str.startswith(v.LA_POSTE_SIREN).any()
    european = suppliers[suppliers.titulaire_typeIdentifiant == "TVA"]
    assert 0.003 <= len(european) / len(suppliers) <= 0.025
    assert all(be_vat.is_valid(number) for number in european.titulaire_id)
    assert (european.titulaire_commune_code == "").all()
    assert (european.titulaire_region_code == "").all()
    assert set(suppliers.titulaire_typeIdentifiant) == {"SIRET", "TVA"}
    assert list(
        zip(suppliers.titulaire_typeIdentifiant, suppliers.titulaire_id, strict=True)
    ) == sorted(zip(suppliers.titulaire_typeIdentifiant, suppliers.titulaire_id, strict=True))


def test_suppliers_are_mostly_from_the_region(t: dict[str, pd.DataFrame]) -> None:
    french = t["titulaires"][t["titulaires"].titulaire_typeIdentifiant == "SIRET"]
    local = french[french.titulaire_region_code == "32"]
    assert 0.7 <= len(local) / len(t["titulaires"]) <= 0.85
    assert set(local.titulaire_departement_code) == {"02", "59", "60", "62", "80"}
    for row in french.itertuples():
        assert row.titulaire_departement_code == row.titulaire_commune_code[:2]
        assert REGION_OF_DEPARTEMENT[row.titulaire_departement_code] == row.titulaire_region_code
    for row in local.itertuples():
        assert HDF_COMMUNES[row.titulaire_commune_code] == row.titulaire_commune_nom


def test_supplier_categories(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    categories = t["titulaires"].titulaire_categorie
    known = categories[categories != ""]
    for category, expected in {"TPE": 0.25, "PME": 0.45, "ETI": 0.2, "GE": 0.1}.items():
        assert abs(share(known == category) - expected) <= 0.07, category
    big = t["titulaires"].set_index("titulaire_id").titulaire_categorie.isin(["ETI", "GE"])
    links = t["marches-titulaires"].merge(marches[["uid", "amount"]], on="uid")
    links["big"] = links.titulaire_id.map(big)
    large = links[links.amount >= 1_500_000]
    assert large.big.mean() > links[links.amount < 1_500_000].big.mean() + 0.15


def test_contract_suppliers(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    links = t["marches-titulaires"]
    assert set(zip(links.titulaireInitial, links.titulaireActuel, strict=True)) == {
        ("true", "true"),
        ("true", "false"),
        ("false", "true"),
    }
    replaced = set(t["modifications"].uid[t["modifications"].titulaires != ""])
    steady = links[~links.uid.isin(replaced)]
    assert (steady.titulaireInitial == "true").all()
    assert (steady.titulaireActuel == "true").all()
    current = links[links.titulaireActuel == "true"]
    assert (
        current.groupby("uid")
        .size()
        .equals(links[links.titulaireInitial == "true"].groupby("uid").size())
    ), "a modification replaces one supplier by another"
    per_contract = current.groupby("uid").size()
    assert set(per_contract.index) == set(marches.uid)
    grouped = marches.set_index("uid").typeGroupementOperateurs != "Pas de groupement"
    assert 0.06 <= grouped.mean() <= 0.1
    assert set(marches.typeGroupementOperateurs[grouped.to_numpy()]) == {"Conjoint", "Solidaire"}
    assert (per_contract[grouped[grouped].index].between(2, 4)).all()
    assert (per_contract[grouped[~grouped].index] == 1).all()
    assert list(links.uid) == sorted(links.uid)
    used = set(zip(links.titulaire_typeIdentifiant, links.titulaire_id, strict=True))
    register = set(
        zip(t["titulaires"].titulaire_typeIdentifiant, t["titulaires"].titulaire_id, strict=True)
    )
    assert used <= register
    in_modifications = {
        tuple(item.split(":"))
        for cell in t["modifications"].titulaires
        if cell
        for item in cell.split(v.MULTI_SEPARATOR)
    }
    changed = (t["modifications"].titulaires != "").sum()
    # Every company holds or held a contract: the rest are former holders replaced by a change.
    assert used | in_modifications <= register
    assert len(register - used - in_modifications) <= changed


# --- Modifications ------------------------------------------------------------------------------


def test_modifications(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    mods = t["modifications"]
    assert 0.08 <= mods.uid.nunique() / len(marches) <= 0.13
    contracts_by_uid = marches.set_index("uid")
    links = t["marches-titulaires"].groupby("uid")
    changed_suppliers = 0
    for uid, group in mods.groupby("uid", sort=False):
        contract = contracts_by_uid.loc[uid]
        assert list(group.modification_id) == [str(i) for i in range(1, len(group) + 1)]
        assert len(group) <= 3
        dates = [day(d) for d in group.dateNotificationModification]
        assert dates == sorted(dates)
        assert dates[0] > day(contract.dateNotification)
        for notified, published in zip(
            dates, group.datePublicationDonneesModification, strict=True
        ):
            assert notified <= day(published) <= REF_DATE
        assert (
            (group.montant != "").any()
            or (group.dureeMois != "").any()
            or (group.titulaires != "").any()
        )
        amounts = [float(a) for a in group.montant if a]
        assert amounts == sorted(amounts)
        if amounts:
            assert contract.montantActuel == f"{amounts[-1]:.2f}"
            assert float(contract.montant) < amounts[0], "the amount at notification is kept"
        else:
            assert contract.montantActuel == contract.montant
        durations = [d for d in group.dureeMois if d]
        if durations:
            assert contract.dureeMoisActuelle == durations[-1]
            assert not contract.dureeMois or int(contract.dureeMois) < int(durations[0])
        else:
            assert contract.dureeMoisActuelle == contract.dureeMois
        lists = [cell for cell in group.titulaires if cell]
        if lists:
            changed_suppliers += 1
            rows = links.get_group(uid)
            listed = [item.split(":") for item in lists[-1].split(v.MULTI_SEPARATOR)]
            pairs = zip(rows.titulaire_typeIdentifiant, rows.titulaire_id, strict=True)
            keys = [list(pair) for pair in pairs]
            initial = [k for k, i in zip(keys, rows.titulaireInitial, strict=True) if i == "true"]
            # Rows: the suppliers at notification in their order, then the newcomers in the
            # order of the modification's list; the current ones are those of that list.
            assert keys == [*initial, *(k for k in listed if k not in initial)]
            current = [k for k, c in zip(keys, rows.titulaireActuel, strict=True) if c == "true"]
            assert sorted(current) == sorted(listed)
    first_amounts = mods[(mods.modification_id == "1") & (mods.montant != "")]
    growth = first_amounts.montant.astype(float) / first_amounts.uid.map(
        lambda uid: float(contracts_by_uid.loc[uid].montantActuel)
    )
    assert (growth <= 1.0 + 1e-9).all()  # the first new total never exceeds the final one
    assert list(mods.uid) == sorted(mods.uid)


# --- Upcoming purchases -------------------------------------------------------------------------


def quarter_end(text: str) -> date:
    year, quarter = int(text[:4]), int(text[-1])
    return (date(year + quarter // 4, quarter % 4 * 3 + 1, 1)) - timedelta(days=1)


def planned_end(row: Any) -> date:
    if row.dateLancementPrevue:
        return day(row.dateLancementPrevue)
    return quarter_end(row.trimestreLancementPrevu)


def test_upcoming_purchases(t: dict[str, pd.DataFrame]) -> None:
    achats = t["achats-a-venir"]
    assert 120 <= len(achats) <= 180
    assert list(achats.id) == sorted(achats.id)
    assert achats.id.is_unique
    assert set(achats.statut) == set(v.STATUTS_ACHAT)
    assert (achats.service_id != "").all()
    assert achats.contact.str.fullmatch(r"[a-z-]+@example\.fr").all()
    assert (achats.categorie == achats.codeCPV.map(cpv.category)).all()
    assert ((achats.dateLancementPrevue == "") != (achats.trimestreLancementPrevu == "")).all()
    single = achats.montantEstime != ""
    ranged = (achats.montantEstimeMin != "") & (achats.montantEstimeMax != "")
    assert (single != ranged).all()
    assert ranged.any()
    low, high = achats.montantEstimeMin[ranged].astype(float), achats.montantEstimeMax[ranged]
    assert (low <= high.astype(float)).all()
    assert (achats.nombreLots.astype(int) >= 1).all()
    assert (achats.marcheReserve == "true").sum() >= 1
    assert set(achats.accessiblePME) == {"true", "false"}
    assert (achats.considerationsEnvironnementalesPrevues != "").all()


def test_planned_purchases_are_in_the_next_18_months(t: dict[str, pd.DataFrame]) -> None:
    planned = t["achats-a-venir"][t["achats-a-venir"].statut == "prévu"]
    assert len(planned) >= 80
    for row in planned.itertuples():
        start = day(row.dateLancementPrevue) if row.dateLancementPrevue else None
        if start is not None:
            assert REF_DATE < start <= REF_DATE + timedelta(days=549)
        else:
            assert quarter_end(row.trimestreLancementPrevu) > REF_DATE
            assert quarter_end(row.trimestreLancementPrevu) <= REF_DATE + timedelta(days=640)
        assert day(row.dateAnnonce) <= REF_DATE
        assert not row.dateLancement
        assert not row.urlConsultation
        assert not row.uidMarche


def test_launched_and_awarded_purchases(t: dict[str, pd.DataFrame], marches: pd.DataFrame) -> None:
    achats = t["achats-a-venir"]
    launched = achats[achats.statut.isin(["lancé", "attribué"])]
    on_time = late = 0
    for row in launched.itertuples():
        launch = day(row.dateLancement)
        assert date(2025, 1, 1) <= day(row.dateAnnonce) < launch <= REF_DATE
        assert row.urlConsultation.startswith("https://marchespublics.example.fr/")
        assert day(row.dateLimiteRemiseOffres) > launch
        if launch <= planned_end(row):
            on_time += 1
        else:
            late += 1
    assert on_time >= 5
    assert late >= 5
    awarded = achats[achats.statut == "attribué"]
    assert len(awarded) >= 10
    assert awarded.uidMarche.is_unique
    by_uid = marches.set_index("uid")
    for row in awarded.itertuples():
        contract = by_uid.loc[row.uidMarche]
        assert contract.year in ("2025", "2026")
        assert labelled(contract, "objet", "codeCPV") == labelled(row, "objet", "codeCPV")
        assert contract.acheteur_service_id == row.service_id
        assert day(row.dateLimiteRemiseOffres) < day(contract.dateNotification)
    for statut in ("reporté", "abandonné"):
        rows = achats[achats.statut == statut]
        assert len(rows) >= 3
        assert (rows.dateLancement == "").all()
        assert (rows.uidMarche == "").all()
        assert all(date(2025, 1, 1) <= day(d) <= REF_DATE for d in rows.dateAnnonce)


# --- Declared indicators ------------------------------------------------------------------------


def test_declared_indicators(t: dict[str, pd.DataFrame]) -> None:
    policy, problems = config.load_policy(DATA, calculations=REGISTRY)
    assert policy is not None, problems
    declared = {ind.id for ind in policy.indicateurs if not ind.computed}
    rows = t["indicateurs-declares"]
    assert set(rows.indicateur_id) == declared
    expected = {
        "delai-paiement": (34, 27),
        "part-egalim": (38, 55),
        "heures-insertion": (110_000, 175_000),
        "economies-achats": (3_000_000, 6_500_000),
        "taux-dematerialisation": (82, 97),
    }
    for indicator, group in rows.groupby("indicateur_id"):
        assert list(group.annee) == list(FULL_YEARS)
        values = list(group.valeur.astype(float))
        first, last = expected[str(indicator)]
        assert values[0] == pytest.approx(first, rel=0.05)
        assert values[-1] == pytest.approx(last, rel=0.05)
        assert values == sorted(values, reverse=first > last)
        assert (group.source != "").all()
    assert (rows.commentaire != "").sum() >= 3
