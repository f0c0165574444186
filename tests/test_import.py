"""The importer on small files written by the tests: every format, positions in the report,
duplicates and shared identifiers, data safety, and the command line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from achats_ouverts.cli import run
from achats_ouverts.importing import FileUnreadable, ImportOptions, import_files
from achats_ouverts.importing import importer as importer_module
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.validation import validate
from tests.fixtures.companies import LILLE_SME, OTHER_BUYER, OTHER_SUPPLIER, REGION_BUYER
from tests.fixtures.decp_json import export_decp_2022, marche
from tests.fixtures.files import folder_digests, read_csv, write_json
from tests.fixtures.folders import make_data_dir
from tests.fixtures.labels import labelled, labelled_each


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def report(data_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((data_dir / "import-rapport.json").read_text("utf-8"))
    return data


def positions(data_dir: Path, code: str) -> list[str]:
    return [p["position"] for p in report(data_dir)["problemes"] if p["code"] == code]


def assert_valid(data_dir: Path) -> None:
    result = validate(data_dir, calculations=REGISTRY)
    errors = [p.line() for p in result.report.problems if p.severity == 0]
    assert errors == []


# --- DECP 2022 JSON ----------------------------------------------------------------------------


def test_decp_2022_json_with_modifications_and_concessions(tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "decp.json",
        {
            "marches": {
                "marche": [
                    marche(
                        "A1",
                        montant=100000,
                        modifications=[
                            {
                                "modification": {
                                    "id": 2,
                                    "dateNotificationModification": "2024-09-01",
                                    "datePublicationDonneesModification": "2024-09-02",
                                    "montant": 150000,
                                }
                            },
                            {
                                "modification": {
                                    "id": 1,
                                    "dateNotificationModification": "2024-06-01",
                                    "datePublicationDonneesModification": "2024-06-02",
                                    "montant": 130000,
                                    "dureeMois": 18,
                                    "titulaires": [
                                        {
                                            "titulaire": {
                                                "typeIdentifiant": "SIRET",
                                                "id": OTHER_SUPPLIER,
                                            }
                                        }
                                    ],
                                }
                            },
                        ],
                    ),
                    marche("A2", montant=0),
                    "pas un marché",
                ],
                "contrat-concession": [{"id": "C1"}, {"id": "C2"}],
            }
        },
    )
    data = tmp_path / "data"
    result = import_files([source], data)
    s = result.summary
    counts = {"read": 5, "imported": 1, "rejected_records": 2, "concessions": 2, "modifications": 2}
    assert labelled(s, *counts) == counts
    assert dict(s.rejected) == {"montant-invalide": 1, "enregistrement-illisible": 1}
    contracts = read_csv(data / "marches.csv")
    # Values at notification kept, current values after the modifications in id order.
    assert [
        (c["uid"], c["montant"], c["montantActuel"], c["dureeMois"], c["dureeMoisActuelle"])
        for c in contracts
    ] == [(REGION_BUYER + "A1", "100000", "150000", "12", "18")]
    assert read_csv(data / "marches-titulaires.csv") == [
        {
            "uid": REGION_BUYER + "A1",
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": LILLE_SME,
            "titulaireInitial": "true",
            "titulaireActuel": "false",
        },
        {
            "uid": REGION_BUYER + "A1",
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": OTHER_SUPPLIER,
            "titulaireInitial": "false",
            "titulaireActuel": "true",
        },
    ]
    assert [m["modification_id"] for m in read_csv(data / "modifications.csv")] == ["1", "2"]
    assert positions(data, "montant-invalide") == ["marches.marche[1]"]
    assert positions(data, "enregistrement-illisible") == ["marches.marche[2]"]
    assert_valid(data)


def test_a_broken_json_file_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "casse.json"
    text = json.dumps({"marches": {"marche": [marche("A1"), marche("A2")]}})
    source.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(FileUnreadable, match="JSON invalide"):
        import_files([source], tmp_path / "data")
    assert not (tmp_path / "data").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["casse.json"]


# --- DECP 2022 XML -----------------------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<marches>
  <marche>
    <id>X1</id>
    <acheteur><id>{buyer}</id></acheteur>
    <nature>Marché</nature>
    <objet>Nettoyage &amp; entretien</objet>
    <codeCPV>90910000</codeCPV>
    <techniques><technique>Accord-cadre</technique></techniques>
    <modalitesExecution><modaliteExecution>Bons de commande</modaliteExecution></modalitesExecution>
    <marcheInnovant>non</marcheInnovant>
    <attributionAvance>oui</attributionAvance>
    <procedure>Appel d'offres ouvert</procedure>
    <lieuExecution><code>02691</code><typeCode>Code commune</typeCode></lieuExecution>
    <dureeMois>48</dureeMois>
    <dateNotification>2024-05-15</dateNotification>
    <datePublicationDonnees>2024-05-25</datePublicationDonnees>
    <montant>575000.50</montant>
    <considerationsSociales>
      <considerationSociale>Clause sociale</considerationSociale>
      <considerationSociale>Critère social</considerationSociale>
    </considerationsSociales>
    <titulaires>
      <titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>{supplier}</id></titulaire>
      <titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>{other}</id></titulaire>
    </titulaires>
    <modifications>
      <modification>
        <id>1</id>
        <dateNotificationModification>2024-10-01</dateNotificationModification>
        <datePublicationDonneesModification>2024-10-02</datePublicationDonneesModification>
        <montant>600000</montant>
      </modification>
    </modifications>
  </marche>
  <contrat-concession><id>C1</id></contrat-concession>
  <marche>
    <id>X2</id>
    <acheteur><id>{buyer}</id></acheteur>
    <objet>Sans date</objet>
    <montant>50000</montant>
  </marche>
</marches>
"""


def test_decp_2022_xml_with_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "decp.xml"
    source.write_text(
        XML.format(buyer=REGION_BUYER, supplier=LILLE_SME, other=OTHER_SUPPLIER), "utf-8"
    )
    data = tmp_path / "data"
    result = import_files([source], data)
    assert labelled(result.summary, "imported", "concessions") == {"imported": 1, "concessions": 1}
    (row,) = read_csv(data / "marches.csv")
    assert row["objet"] == "Nettoyage & entretien"
    assert row["lieuExecution_code"] == "02691"
    assert row["considerationsSociales"] == "Clause sociale, Critère social"
    assert (row["marcheInnovant"], row["attributionAvance"]) == ("false", "true")
    assert (row["montant"], row["montantActuel"]) == ("575000.5", "600000")
    assert len(read_csv(data / "marches-titulaires.csv")) == 2
    assert positions(data, "date-notification-invalide") == ["ligne 37"]
    assert_valid(data)


def test_xml_with_a_doctype_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "entites.xml"
    source.write_text(
        '<?xml version="1.0"?><!DOCTYPE marches [<!ENTITY a "aaaa">]><marches></marches>',
        encoding="utf-8",
    )
    with pytest.raises(FileUnreadable, match="DOCTYPE"):
        import_files([source], tmp_path / "data")


# --- DECP 2019 JSON ----------------------------------------------------------------------------


def test_decp_2019_json_keeps_names_and_maps_the_vocabulary(tmp_path: Path) -> None:
    record = {
        "_type": "Marché",
        "uid": REGION_BUYER + "2019001",
        "id": "2019001",
        "acheteur": {"id": REGION_BUYER, "nom": "Région Hauts-de-France"},
        "nature": "Accord-cadre",
        "objet": "Entretien",
        "codeCPV": "9310000-5",
        "procedure": "Procédure négociée avec mise en concurrence préalable",
        "lieuExecution": {"code": "59", "typeCode": "Code département", "nom": "Nord"},
        "dureeMois": 12,
        "dateNotification": "2019-01-15+01:00",
        "datePublicationDonnees": "2019-02-01+01:00",
        "montant": 50273.41,
        "formePrix": "Ferme",
        "titulaires": [
            {"typeIdentifiant": "SIRET", "id": LILLE_SME, "denominationSociale": "BEYER"}
        ],
        "modifications": [
            {
                "objetModification": "Avenant 1",
                "dateNotificationModification": "2019-02-15+01:00",
                "datePublicationDonneesModification": "2019-03-04+01:00",
                "montant": 57379.41,
            }
        ],
    }
    concession = {"_type": "Contrat de concession", "id": "C"}
    source = write_json(tmp_path / "decp2019.json", {"marches": [record, record, concession]})
    data = tmp_path / "data"
    result = import_files([source], data)
    s = result.summary
    counts = {"read": 3, "imported": 1, "duplicates": 1, "concessions": 1, "modifications": 1}
    assert labelled(s, *counts) == counts
    (row,) = read_csv(data / "marches.csv")
    assert (row["techniques"], row["typesPrix"], row["codeCPV"]) == (
        "Accord-cadre",
        "Définitif ferme",
        "09310000-5",
    )
    assert (row["dateNotification"], row["montant"], row["montantActuel"]) == (
        "2019-01-15",
        "50273.41",
        "57379.41",
    )
    assert row["procedure"] == "Procédure avec négociation"
    assert read_csv(data / "titulaires.csv")[0]["titulaire_nom"] == "BEYER"
    assert 'nom: "Région Hauts-de-France"' in (data / "editeur.yaml").read_text("utf-8")
    assert positions(data, "doublon-exact") == ["marches[1]"]
    assert dict(s.corrections) == {
        "cpv-zero-restaure": 1,
        "date-normalisee": 4,
        "procedure-ancienne": 1,
    }
    assert_valid(data)


# --- Shared identifiers, buyer filter ---------------------------------------------------------


def test_shared_ids_are_kept_with_a_stable_uid_and_buyers_filtered(tmp_path: Path) -> None:
    other = marche("L1", acheteur={"id": OTHER_BUYER})
    records = [marche("L1", objet="Lot 1"), marche("L1", objet="Lot 2"), other]
    source = write_json(tmp_path / "lots.json", {"marches": {"marche": records}})
    data = tmp_path / "data"
    result = import_files([source], data)
    uids = [row["uid"] for row in read_csv(data / "marches.csv")]
    assert uids == [REGION_BUYER + "L1", REGION_BUYER + "L1-2", OTHER_BUYER + "L1"]
    assert result.summary.shared_id == 1
    assert positions(data, "identifiant-partage") == ["marches.marche[1]"]
    assert result.publisher_siret == REGION_BUYER
    again = import_files([source], tmp_path / "again")
    assert folder_digests(tmp_path / "again") == folder_digests(data)
    assert again.summary == result.summary
    filtered = import_files([source], tmp_path / "one", ImportOptions(acheteur=OTHER_BUYER))
    assert filtered.summary.other_buyers == 2
    assert [row["uid"] for row in read_csv(tmp_path / "one" / "marches.csv")] == [
        OTHER_BUYER + "L1"
    ]
    assert f'siret: "{OTHER_BUYER}"' in (tmp_path / "one" / "editeur.yaml").read_text("utf-8")


# --- National tabular CSV ----------------------------------------------------------------------

TABULAR_HEADER = (
    "uid,id,acheteur_id,acheteur_nom,titulaire_id,titulaire_typeIdentifiant,titulaire_nom,"
    "objet,codeCPV,montant,dureeMois,dateNotification,datePublicationDonnees,"
    "modification_id,donneesActuelles,titulaire_departement_code,titulaire_region_code,"
    "acheteur_region_code,acheteur_departement_code\n"
)


def tab_row(ident: str, supplier: str, amount: str, date: str, mod: str = "", **kw: str) -> str:
    cells = {
        "uid": REGION_BUYER + ident,
        "id": ident,
        "acheteur_id": REGION_BUYER,
        "acheteur_nom": "CONSEIL REGIONAL",
        "titulaire_id": supplier,
        "titulaire_typeIdentifiant": "SIRET",
        "titulaire_nom": f"ENTREPRISE {supplier[-4:]}",
        "objet": kw.get("objet", "Travaux"),
        "codeCPV": "45210000",
        "montant": amount,
        "dureeMois": kw.get("duree", "12"),
        "dateNotification": date,
        "datePublicationDonnees": date,
        "modification_id": mod,
        "donneesActuelles": kw.get("actuel", ""),
        "titulaire_departement_code": "2",
        "titulaire_region_code": "32",
        "acheteur_region_code": "32",
        "acheteur_departement_code": "59",
    }
    return ",".join(cells.values()) + "\n"


def test_tabular_versions_by_modification_id(tmp_path: Path) -> None:
    source = tmp_path / "decp.csv"
    source.write_text(
        TABULAR_HEADER
        + tab_row("T1", LILLE_SME, "100000", "2024-03-01", "0", actuel="false")
        + tab_row("T1", OTHER_SUPPLIER, "100000", "2024-03-01", "0", actuel="false")
        + tab_row("T1", LILLE_SME, "120000", "2024-06-01", "1", duree="18", actuel="true")
        + tab_row("T1", LILLE_SME, "120000", "2024-06-01", "1", duree="18", actuel="true")
        + tab_row("", LILLE_SME, "1", "2024-06-01"),
        encoding="utf-8",
    )
    data = tmp_path / "data"
    result = import_files([source], data)
    s = result.summary
    counts = {"read": 5, "kept": 3, "imported": 1, "duplicates": 1, "rejected_records": 1}
    assert labelled(s, *counts) == counts
    (row,) = read_csv(data / "marches.csv")
    # The first version (modification_id 0) gives the values at notification.
    assert (row["dateNotification"], row["montant"], row["dureeMois"]) == (
        "2024-03-01",
        "100000",
        "12",
    )
    assert (row["montantActuel"], row["dureeMoisActuelle"]) == ("120000", "18")
    assert [
        (r["titulaire_id"], r["titulaireInitial"], r["titulaireActuel"])
        for r in read_csv(data / "marches-titulaires.csv")
    ] == [(LILLE_SME, "true", "true"), (OTHER_SUPPLIER, "true", "false")]
    (mod,) = read_csv(data / "modifications.csv")
    values = {
        "modification_id": "1",
        "montant": "120000",
        "dureeMois": "18",
        "titulaires": f"SIRET:{LILLE_SME}",
    }
    assert labelled(mod, *values) == values
    suppliers = read_csv(data / "titulaires.csv")
    assert labelled_each(suppliers, "titulaire_id", "titulaire_departement_code") == [
        {"titulaire_id": OTHER_SUPPLIER, "titulaire_departement_code": "02"},
        {"titulaire_id": LILLE_SME, "titulaire_departement_code": "02"},
    ]
    assert positions(data, "identifiant-manquant") == ["ligne 6"]
    assert positions(data, "doublon-exact") == ["ligne 5"]
    editeur = (data / "editeur.yaml").read_text("utf-8")
    assert 'nom: "CONSEIL REGIONAL"' in editeur
    assert 'code: "32"' in editeur
    assert_valid(data)


def test_tabular_versions_by_date_and_lots_under_one_id(tmp_path: Path) -> None:
    source = tmp_path / "decp.csv"
    source.write_text(
        TABULAR_HEADER
        # versions of one contract, told apart by their notification dates (file not sorted)
        + tab_row("V1", LILLE_SME, "90000", "2024-08-01")
        + tab_row("V1", LILLE_SME, "80000", "2024-07-01")
        # two lots published under one id: two amounts on the same date
        + tab_row("L1", LILLE_SME, "50000", "2024-07-01", objet="Lot 1")
        + tab_row("L1", OTHER_SUPPLIER, "70000", "2024-07-01", objet="Lot 1"),
        encoding="utf-8",
    )
    data = tmp_path / "data"
    result = import_files([source], data)
    rows = {r["uid"]: r for r in read_csv(data / "marches.csv")}
    v1 = rows[REGION_BUYER + "V1"]
    assert (v1["dateNotification"], v1["montant"], v1["montantActuel"]) == (
        "2024-07-01",
        "80000",
        "90000",
    )
    assert {rows[REGION_BUYER + "L1"]["montant"], rows[REGION_BUYER + "L1-2"]["montant"]} == {
        "50000",
        "70000",
    }
    assert result.summary.shared_id == 1
    (mod,) = read_csv(data / "modifications.csv")
    values = {
        "uid": REGION_BUYER + "V1",
        "dateNotificationModification": "2024-08-01",
        "montant": "90000",
    }
    assert labelled(mod, *values) == values
    assert_valid(data)


# --- In-house exports --------------------------------------------------------------------------

MAPPING = """
encodage: latin-1
separateur: ";"
format_date: jj/mm/aaaa
nombres:
  decimal: ","
  milliers: [" ", "\\u00a0", "\\u202f", "."]
colonnes:
  id: N° marché
  objet: Objet
  montant: Montant HT
  dateNotification: Date de notification
  titulaire_id: SIRET titulaire
  titulaire_typeIdentifiant: Type
  titulaire_nom: Titulaire
  lieuExecution_typeCode: Type lieu
  lieuExecution_code: Lieu
valeurs:
  titulaire_typeIdentifiant:
    Siret: SIRET
constantes:
  acheteur_id: "{buyer}"
"""


def test_in_house_csv_latin1_semicolon_crlf_french_numbers(tmp_path: Path) -> None:
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING.format(buyer=REGION_BUYER), encoding="utf-8")
    source = tmp_path / "export.csv"
    spaced = " ".join([LILLE_SME[:3], LILLE_SME[3:6], LILLE_SME[6:9], LILLE_SME[9:]])
    header = "N° marché;Objet;Montant HT;Date de notification;SIRET titulaire;Type;Titulaire"
    roof = "2021-01;Réfection toiture;14\u00a0700,00;01/02/2021"
    lines = [
        header + ";Type lieu;Lieu",
        f"{roof};{spaced};Siret;Société Générale d'Été;code commune;02691",
        f"{roof};{OTHER_SUPPLIER};Siret;Deux;code commune;02691",
        "2021-02;Étude;1.234.567,89;15/03/2021;;;;;",
        "2021-03;Sans montant;NC;15/03/2021;;;;;",
    ]
    source.write_bytes("\r\n".join(lines).encode("latin-1") + b"\r\n")
    before = source.read_bytes()
    data = tmp_path / "data"
    result = import_files([source], data, ImportOptions(mapping=mapping))
    assert source.read_bytes() == before
    s = result.summary
    assert labelled(s, "read", "imported", "kept") == {"read": 4, "imported": 2, "kept": 3}
    assert dict(s.rejected) == {"montant-invalide": 1}
    rows = read_csv(data / "marches.csv")
    assert labelled_each(rows, "id", "montant", "dateNotification") == [
        {"id": "2021-01", "montant": "14700", "dateNotification": "2021-02-01"},
        {"id": "2021-02", "montant": "1234567.89", "dateNotification": "2021-03-15"},
    ]
    assert rows[0]["lieuExecution_typeCode"] == "Code commune"
    assert rows[0]["lieuExecution_code"] == "02691"
    assert [r["titulaire_id"] for r in read_csv(data / "marches-titulaires.csv")] == [
        LILLE_SME,
        OTHER_SUPPLIER,
    ]
    assert read_csv(data / "titulaires.csv")[1]["titulaire_nom"] == "Société Générale d'Été"
    assert positions(data, "montant-invalide") == ["ligne 5"]
    assert positions(data, "siret-reformate") == ["lignes 2, 3, titulaires[0]"]
    assert_valid(data)


def test_in_house_xlsx(tmp_path: Path) -> None:
    from datetime import date

    import openpyxl

    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(
        "ligne_entete: 2\ncolonnes:\n  id: Numéro\n  objet: Objet\n  montant: Montant\n"
        "  dateNotification: Notifié le\n  acheteur_id: SIRET acheteur\n",
        encoding="utf-8",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Liste des marchés 2024"])
    sheet.append(["Numéro", "Objet", "Montant", "Notifié le", "SIRET acheteur"])
    sheet.append([20240001, "Fournitures", 45000.5, date(2024, 2, 1), REGION_BUYER])
    sheet.append([None, None, None, None, None])
    sheet.append(["20240002", "Services", "1e11", date(2024, 3, 1), int(REGION_BUYER)])
    source = tmp_path / "export.xlsx"
    workbook.save(source)
    data = tmp_path / "data"
    import_files([source], data, ImportOptions(mapping=mapping))
    rows = read_csv(data / "marches.csv")
    assert labelled_each(rows, "id", "montant", "dateNotification") == [
        {"id": "20240001", "montant": "45000.5", "dateNotification": "2024-02-01"},
        {"id": "20240002", "montant": "100000000000", "dateNotification": "2024-03-01"},
    ]
    assert_valid(data)


def test_a_mapping_naming_an_unknown_field_or_column(tmp_path: Path) -> None:
    from achats_ouverts.importing.inhouse import MappingError

    source = tmp_path / "export.csv"
    source.write_text("Numéro;Objet\n1;x\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("colonnes:\n  id: Numéro\n  montantt: Montant\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml:3 colonnes\.montantt : « montantt »"):
        import_files([source], tmp_path / "d", ImportOptions(mapping=mapping))
    mapping.write_text(
        "colonnes:\n  id: Numéro\n  montant: Montant\nconstantes:\n  acheteur_id: '1'\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="« Montant » introuvable"):
        import_files([source], tmp_path / "d", ImportOptions(mapping=mapping))
    assert not (tmp_path / "d").exists()


# --- Data folder: new, existing, atomic --------------------------------------------------------


def test_existing_folder_keeps_everything_but_the_contract_tables(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    (data / "notes.txt").write_text("à garder", encoding="utf-8")
    before = folder_digests(data)
    source = write_json(tmp_path / "decp.json", {"marches": {"marche": [marche("N1")]}})
    result = import_files([source], data)
    assert not result.created
    after = folder_digests(data)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {"marches.csv", "marches-titulaires.csv", "import-rapport.json"}
    assert set(after) == {*before, "import-rapport.json"}
    # The supplier reference kept its rows (none were learnt from the 2022 file).
    assert after["titulaires.csv"] == before["titulaires.csv"]
    assert [r["uid"] for r in read_csv(data / "marches.csv")] == [REGION_BUYER + "N1"]
    assert_valid(data)


def test_an_interrupted_import_leaves_the_previous_folder_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_data_dir(tmp_path / "data")
    before = folder_digests(data)
    records = [marche(f"I{i}") for i in range(10)]
    source = write_json(tmp_path / "decp.json", {"marches": {"marche": records}})
    calls = {"n": 0}
    original = importer_module._State.add

    def interrupted(self: Any, raw: Any, acheteur: str | None) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        original(self, raw, acheteur)

    monkeypatch.setattr(importer_module._State, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_files([source], data)
    assert folder_digests(data) == before
    calls["n"] = 0
    with pytest.raises(KeyboardInterrupt):
        import_files([source], tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "decp.json"]


def test_round_trip_of_a_decp_2022_export(tmp_path: Path) -> None:
    """Our CSVs exported as a standard DECP 2022 JSON import back to the same contracts."""
    source = write_json(
        tmp_path / "decp.json",
        {
            "marches": {
                "marche": [
                    marche("R1", origineUE=0.75, origineFrance=0.5, idAccordCadre="AC-1"),
                    marche(
                        "R2",
                        modifications=[
                            {
                                "modification": {
                                    "id": 1,
                                    "dateNotificationModification": "2024-06-01",
                                    "datePublicationDonneesModification": "2024-06-02",
                                    "montant": 130000.5,
                                }
                            }
                        ],
                    ),
                ]
            }
        },
    )
    first = tmp_path / "first"
    import_files([source], first)
    exported = write_json(tmp_path / "export.json", export_decp_2022(first))
    second = tmp_path / "second"
    import_files([exported], second)
    for name in ("marches.csv", "marches-titulaires.csv", "modifications.csv"):
        assert read_csv(second / name) == read_csv(first / name), name


# --- Command line ------------------------------------------------------------------------------


def test_cli_summary_and_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "decp.json",
        {"marches": {"marche": [marche("C1"), marche("C1"), marche("C2", montant=0)]}},
    )
    code, out, err = cli(capsys, "import", str(source), "-o", str(tmp_path / "data"))
    assert (code, err) == (0, "")
    data = tmp_path / "data"
    assert out == (
        "Fichiers : decp.json (decp-2022-json)\n"
        "  Enregistrements lus                                  3\n"
        "  Marchés importés                                     1\n"
        "  Rejetés                                              1\n"
        "    montant-invalide                                   1\n"
        "  Doublons exacts écartés                              1\n"
        "  Conservés malgré un identifiant partagé              0\n"
        "  Modifications appliquées                             0\n"
        "  Contrats de concession ignorés                       0\n"
        "  Autres acheteurs écartés (--acheteur)                0\n"
        "  Corrections (avertissements)                         0\n"
        "  Valeurs écartées                                     0\n"
        "  Entreprises nommées (titulaires.csv)                 0\n"
        f"Écrit dans {data} (nouveau dossier de données).\n"
        "Rapport détaillé (position de chaque correction et de chaque rejet) : "
        f"{data / 'import-rapport.json'}\n"
    )
    code, _, _ = cli(capsys, "validate", str(data))
    assert code == 0


def test_cli_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    only = write_json(tmp_path / "c.json", {"marches": {"contrat-concession": [{"id": "C"}]}})
    code, out, err = cli(capsys, "import", str(only), "-o", str(tmp_path / "d"))
    assert code == 1
    assert "  Contrats de concession ignorés                       1\n" in out
    assert err == f"Erreur : aucun marché importé : rien n'a été écrit dans {tmp_path / 'd'}\n"
    assert not (tmp_path / "d").exists()
    code, _, err = cli(capsys, "import", str(tmp_path / "absent.json"), "-o", str(tmp_path / "d"))
    assert (code, err) == (2, f"Erreur : fichier introuvable : {tmp_path / 'absent.json'}\n")
    code, _, err = cli(capsys, "import", str(only), "-o", "d", "--acheteur", "123")
    assert (code, err) == (
        2,
        "Erreur : --acheteur : « 123 » n'est pas un SIRET : 3 chiffres au lieu de 14\n",
    )
    csv_file = tmp_path / "export.csv"
    csv_file.write_text("a;b\n1;2\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(csv_file), "-o", str(tmp_path / "d"))
    assert code == 2
    assert err.startswith("Erreur : export.csv : format non reconnu comme DECP ; pour un export")
    broken = tmp_path / "broken.xml"
    broken.write_text("<marches><marche><id>1</id></marches>", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(broken), "-o", str(tmp_path / "d"))
    assert code == 1
    assert err.startswith("Erreur : broken.xml : XML invalide ligne 1")
    assert err.endswith("; import annulé, rien n'a été écrit\n")


def test_concession_scan(tmp_path: Path) -> None:
    from achats_ouverts.importing.decp2022 import may_hold_concessions

    cases = {
        '{"marches": {"marche": [], "contrat-concession": []}}': False,
        '{"marches": {"marche": [], "contrat-concession" : [ ]}}': False,
        '{"marches": {"marche": []}}': False,
        '{"marches": {"contrat-concession": [{"id": "C"}]}}': True,
        '{"marches": {"marche": [], "contrat-concession":\n[{"id": "C"}]}}': True,
    }
    for text, expected in cases.items():
        path = tmp_path / "f.json"
        path.write_text(" " * (1 << 20) + text, encoding="utf-8")
        assert may_hold_concessions(path) is expected, text
        path.write_text(text, encoding="utf-8")
        assert may_hold_concessions(path) is expected, text


def test_existing_folder_warnings(tmp_path: Path) -> None:
    from tests.fixtures.folders import write_table

    data = make_data_dir(tmp_path / "data")
    write_table(
        data,
        "achats-a-venir",
        [
            {
                "id": "a1",
                "objet": "x",
                "categorie": "Travaux",
                "statut": "attribué",
                "uidMarche": "X",
            }
        ],
    )
    records = [marche("W1"), marche("W2", acheteur={"id": OTHER_BUYER})]
    source = write_json(tmp_path / "decp.json", {"marches": {"marche": records}})
    result = import_files([source], data)
    assert result.warnings == [
        f"1 acheteur(s) importé(s) autre(s) que celui d'editeur.yaml ({REGION_BUYER}), par exemple "
        f"{OTHER_BUYER} : utiliser --acheteur {REGION_BUYER} pour ne garder que ses marchés",
        "achats-a-venir.csv : 1 achat(s) renvoient (uidMarche) à un marché absent des données "
        "importées, par exemple « X » : corriger uidMarche",
    ]


def test_forcing_the_wrong_format_finds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_json(tmp_path / "decp.json", {"marches": {"marche": [marche("F1")]}})
    code, _, err = cli(
        capsys, "import", str(source), "-o", str(tmp_path / "d"), "--format", "decp-2019-json"
    )
    assert code == 1
    assert err.endswith(
        "(aucun enregistrement trouvé : vérifier le format du fichier ou --format)\n"
    )


def test_json_files_with_a_byte_order_mark(tmp_path: Path) -> None:
    text = json.dumps({"marches": {"marche": [marche("B1")]}})
    source = tmp_path / "bom.json"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_files([source], tmp_path / "d").summary.imported == 1
    text = json.dumps({"marches": [{**marche("B2"), "_type": "Marché"}]})
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_files([source], tmp_path / "e").summary.imported == 1


def test_the_benchmark_inputs_hold_the_same_contracts_in_both_forms(tmp_path: Path) -> None:
    """`scripts/bench_import.py --format csv` measures the tabular importer on the very contracts of
    its DECP 2022 JSON: both generated forms import to identical tables, modifications included."""
    scripts = Path(__file__).resolve().parents[1] / "scripts"
    spec = importlib.util.spec_from_file_location(
        "generate_decp2022", scripts / "generate_decp2022.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.generate(tmp_path / "decp.json", 40)
    generator.generate_tabular(tmp_path / "decp.csv", 40)
    from_json, from_csv = tmp_path / "from-json", tmp_path / "from-csv"
    import_files([tmp_path / "decp.json"], from_json)
    import_files([tmp_path / "decp.csv"], from_csv)
    for name in ("marches.csv", "marches-titulaires.csv", "modifications.csv"):
        assert read_csv(from_csv / name) == read_csv(from_json / name), name
    assert len(read_csv(from_csv / "marches.csv")) == 40
    assert len(read_csv(from_csv / "modifications.csv")) == 4
