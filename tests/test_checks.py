"""Every check code, each with a tiny fixture asserting (file, row, field, code)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.validation import validate
from tests.fixtures import hostile
from tests.fixtures.companies import LA_POSTE, PARIS_LARGE, REGION_BUYER
from tests.fixtures.folders import (
    CONTRACT,
    CONTRACT_SUPPLIER,
    SUPPLIER_ROW,
    contract,
    make_data_dir,
)
from tests.fixtures.labels import Located, labelled, projection
from tests.fixtures.paths import reference_file

UPCOMING = {
    "id": "2027-lyc-001",
    "objet": "Restructuration de la demi-pension",
    "codeCPV": "45214200",
    "categorie": "Travaux",
    "service_id": "lycees",
    "montantEstime": "850000",
    "dateLancementPrevue": "2027-03-01",
    "procedurePrevue": "Appel d'offres ouvert",
    "statut": "prévu",
}


def found(tmp_path: Path, **tables: list[dict[str, str]]) -> list[Located]:
    return projection(
        validate(make_data_dir(tmp_path / "d", **tables), calculations=REGISTRY).report.sorted()
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"codeCPV": "4521420"}, "codeCPV", "cpv-invalide"),
        ({"codeCPV": "11000000"}, "codeCPV", "cpv-invalide"),
        ({"codeCPV": "45214200-23"}, "codeCPV", "cpv-invalide"),
        (
            {"datePublicationDonnees": "2024-02-01"},
            "datePublicationDonnees",
            "notification-apres-publication",
        ),
        ({"datePublicationDonnees": "2024-05-02"}, "datePublicationDonnees", "publication-tardive"),
        ({"montant": "39999.99"}, "montant", "montant-sous-seuil"),
        ({"tauxAvance": "10"}, "tauxAvance", "taux-avance-hors-bornes"),
        ({"attributionAvance": "false"}, "tauxAvance", "avance-incoherente"),
        ({"origineUE": "0.5", "origineFrance": "0.6"}, "origineFrance", "origine-incoherente"),
        (
            {
                "considerationsEnvironnementales": "Clause environnementale, "
                "Pas de considération environnementale"
            },
            "considerationsEnvironnementales",
            "valeur-incoherente",
        ),
        (
            {"considerationsSociales": "Clause sociales"},
            "considerationsSociales",
            "valeur-non-autorisee",
        ),
        ({"techniques": "Accord-cadre, Accord-cadre"}, "techniques", "valeur-non-autorisee"),
        ({"uid": "autre-uid"}, "uid", "uid-incoherent"),
        (
            {"id": "12345678901234567", "uid": REGION_BUYER + "12345678901234567"},
            "id",
            "id-trop-long",
        ),
        ({"procedure": "Appel d'offre ouvert"}, "procedure", "constraint-error"),
        ({"objet": ""}, "objet", "constraint-error"),
        ({"objet": "=SOMME(A1:A2)"}, "objet", "cellule-formule"),
        ({"acheteur_service_id": "inconnu"}, "acheteur_service_id", "foreign-key"),
        ({"offresRecues": "0"}, "offresRecues", "constraint-error"),
    ],
)
def test_contract_checks(tmp_path: Path, changes: dict[str, str], field: str, code: str) -> None:
    row = contract(**changes)
    supplier = {**CONTRACT_SUPPLIER, "uid": row["uid"]}
    assert ("marches.csv", 2, field, code) in found(
        tmp_path, marches=[row], marches_titulaires=[supplier]
    )


def test_enum_error_suggests_the_closest_value(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d", marches=[contract(procedure="Appel d'offre ouvert")])
    (problem,) = [
        p for p in validate(data, calculations=REGISTRY).report.problems if p.field == "procedure"
    ]
    assert problem.fix.startswith("vouliez-vous dire « Appel d'offres ouvert » ?")


def test_duplicate_uid(tmp_path: Path) -> None:
    result = found(tmp_path, marches=[CONTRACT, CONTRACT])
    assert ("marches.csv", 3, "uid", "unique-error") in result


def test_supplier_checks(tmp_path: Path) -> None:
    unknown = {**CONTRACT_SUPPLIER, "titulaire_id": LA_POSTE}
    orphan = {**CONTRACT_SUPPLIER, "uid": "inconnu"}
    bad_siret = {**CONTRACT_SUPPLIER, "titulaire_id": "1234"}
    vat = {**CONTRACT_SUPPLIER, "titulaire_typeIdentifiant": "TVA", "titulaire_id": "BE0123456789"}
    result = found(
        tmp_path,
        marches=[CONTRACT, contract(id="20240002")],
        marches_titulaires=[CONTRACT_SUPPLIER, unknown, orphan, bad_siret, vat],
        titulaires=[SUPPLIER_ROW, {**SUPPLIER_ROW, "titulaire_id": "1234"}],
    )
    assert ("marches-titulaires.csv", 3, "titulaire_id", "titulaire-non-reference") in result
    assert ("marches-titulaires.csv", 4, "uid", "foreign-key") in result
    assert ("marches-titulaires.csv", 5, "titulaire_id", "siret-invalide") in result
    assert ("titulaires.csv", 3, "titulaire_id", "siret-invalide") in result
    assert ("marches.csv", 3, "uid", "marche-sans-titulaire") in result
    assert not [r for r in result if r.row == 6 and r.code == "siret-invalide"]


def test_modification_checks(tmp_path: Path) -> None:
    early = {
        "uid": CONTRACT["uid"],
        "modification_id": "1",
        "dateNotificationModification": "2024-01-01",
        "montant": "150000",
    }
    result = found(tmp_path, modifications=[early])
    assert (
        "modifications.csv",
        2,
        "dateNotificationModification",
        "modification-avant-notification",
    ) in result
    # The modification sets 150 000 € but marches.csv says the current amount is 120 000 €.
    assert ("marches.csv", 2, "montantActuel", "montant-incoherent") in result


def test_upcoming_checks(tmp_path: Path) -> None:
    rows = [
        {**UPCOMING, "id": "a", "montantEstime": ""},
        {
            **UPCOMING,
            "id": "b",
            "montantEstime": "",
            "montantEstimeMin": "9",
            "montantEstimeMax": "5",
        },
        {**UPCOMING, "id": "c", "dateLancementPrevue": ""},
        {**UPCOMING, "id": "d", "statut": "lancé"},
        {**UPCOMING, "id": "e", "statut": "attribué"},
        {**UPCOMING, "id": "f", "statut": "en cours"},
        {**UPCOMING, "id": "g", "urlConsultation": "javascript:alert(1)"},
        {**UPCOMING, "id": "h", "uidMarche": "inexistant"},
    ]
    result = found(tmp_path, achats_a_venir=rows)
    name = "achats-a-venir.csv"
    assert (name, 2, "montantEstime", "montant-estime-manquant") in result
    assert (name, 3, "montantEstimeMin", "fourchette-inversee") in result
    assert (name, 4, "dateLancementPrevue", "date-lancement-manquante") in result
    assert (name, 5, "urlConsultation", "consultation-sans-adresse") in result
    assert (name, 6, "uidMarche", "attribution-sans-marche") in result
    assert (name, 7, "statut", "constraint-error") in result
    assert (name, 8, "urlConsultation", "constraint-error") in result
    assert (name, 9, "uidMarche", "foreign-key") in result


def test_declared_indicator_checks(tmp_path: Path) -> None:
    rows = [
        {"indicateur_id": "inconnu", "annee": "2024", "valeur": "1", "source": "s"},
        {"indicateur_id": "part-pme-nombre", "annee": "2024", "valeur": "1", "source": "s"},
        {"indicateur_id": "delai-paiement", "annee": "2024", "valeur": "28", "source": "s"},
        {"indicateur_id": "delai-paiement", "annee": "2024", "valeur": "29", "source": "s"},
    ]
    result = found(tmp_path, indicateurs_declares=rows)
    assert ("indicateurs-declares.csv", 2, "indicateur_id", "indicateur-inconnu") in result
    assert ("indicateurs-declares.csv", 3, "indicateur_id", "indicateur-calcule") in result
    assert ("indicateurs-declares.csv", 5, "indicateur_id, annee", "primary-key") in result


def test_cpv_check_digit_and_unknown_codes_with_the_full_nomenclature(tmp_path: Path) -> None:
    nomenclature = reference_file("cpv-2008_fr_avec-parent.csv")
    rows = [
        contract(id="1", codeCPV="45214200-2"),
        contract(id="2", codeCPV="45214200-7"),
        contract(id="3", codeCPV="45999999"),
    ]
    links = [{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows]
    data = make_data_dir(tmp_path / "d", marches=rows, marches_titulaires=links)
    result = validate(data, cpv_path=nomenclature, calculations=REGISTRY).report.projection()
    assert ("marches.csv", 2, "codeCPV", "cpv-invalide") not in result
    assert ("marches.csv", 3, "codeCPV", "cpv-invalide") in result
    assert ("marches.csv", 4, "codeCPV", "cpv-inconnu") in result


def test_policy_errors_name_file_and_line(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d")
    text = (data / "politique.yaml").read_text(encoding="utf-8")
    text = text.replace("indicateurs: [part-sous-traitance]", "indicateurs: [part-sous-traitanse]")
    text = text.replace(
        "    unite: jours\n    sens: baisse\n    type: déclaré",
        "    unite: jours\n    sens: bas\n    type: déclaré",
        1,
    )
    (data / "politique.yaml").write_text(text, encoding="utf-8")
    problems = [
        p
        for p in validate(data, calculations=REGISTRY).report.problems
        if p.file == "politique.yaml"
    ]
    lines = text.splitlines()
    by_code = {p.code: p for p in problems}
    unknown = by_code["indicateur-inconnu"]
    assert "part-sous-traitanse" in lines[unknown.row - 1]
    wrong = by_code["valeur-non-autorisee"]
    assert "sens: bas" in lines[wrong.row - 1]


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d")
    (data / "editeur.yaml").write_text("nom: Région\nsiret: [\n", encoding="utf-8")
    (problem,) = [
        p for p in validate(data, calculations=REGISTRY).report.problems if p.file == "editeur.yaml"
    ]
    assert labelled(problem, "code", "row") == {"code": "yaml-invalide", "row": 3}


def test_outdated_schema_copy_is_a_warning(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d")
    (data / "schemas" / "marches.json").write_text("{}", encoding="utf-8")
    report = validate(data, calculations=REGISTRY).report
    assert report.ok
    assert ("schemas/marches.json", None, None, "schema-different") in report.projection()


def test_accessibility_and_legal_notice_settings_are_checked(tmp_path: Path) -> None:
    """The statement must not claim conformity without an audit, its contact and multi-year
    plan must be usable addresses, and the legal notices need a director and a host."""
    data = make_data_dir(tmp_path / "d")
    text = (data / "editeur.yaml").read_text(encoding="utf-8")
    text = text.replace("etat: non conforme", "etat: partiellement conforme")
    text = text.replace("  contact: achats-ouverts@example.fr", '  contact: "pas une adresse"')
    text = text.replace('schema_pluriannuel: ""', "schema_pluriannuel: javascript:alert(1)")
    text = text.replace("hebergeur:", "ancien_hebergeur:")
    (data / "editeur.yaml").write_text(text, encoding="utf-8")
    report = validate(data, calculations=REGISTRY).report
    found = {
        (p.field, p.code, p.severity.name) for p in report.problems if p.file == "editeur.yaml"
    }
    assert found == {
        ("accessibilite.etat", "conformite-sans-audit", "WARNING"),
        ("accessibilite.contact", "email-invalide", "ERROR"),
        ("accessibilite.schema_pluriannuel", "url-invalide", "ERROR"),
        ("hebergeur", "mentions-legales-incompletes", "WARNING"),
    }


def test_publisher_warnings_alone_do_not_block(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d")
    text = (data / "editeur.yaml").read_text(encoding="utf-8")
    text = text.replace("etat: non conforme", "etat: totalement conforme")
    (data / "editeur.yaml").write_text(text, encoding="utf-8")
    result = validate(data, calculations=REGISTRY)
    assert result.ok
    assert result.publisher is not None
    assert [p.code for p in result.report.problems] == ["conformite-sans-audit"]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "marker"),
    [
        ("editeur.yaml", "nom: Région Hauts-de-France\n", "", "champ-manquant", None),
        ("editeur.yaml", "nom: Région Hauts-de-France", 'nom: ""', "champ-vide", 'nom: ""'),
        ("editeur.yaml", "demo: true", "demo: oui", "type-invalide", "demo: oui"),
        ("editeur.yaml", '["02", "59"', '["2", "59"', "departement-invalide", '["2", "59"'),
        ("editeur.yaml", 'code: "32"', 'code: "3"', "region-invalide", 'code: "3"'),
        ("editeur.yaml", '00017"', '00018"', "siret-invalide", "20005374200018"),
        ("editeur.yaml", ".fr/\n", ".fr\n", "url-invalide", "url_site:"),
        ("politique.yaml", "- id: axe-1\n", "- id: Axe 1\n", "identifiant-invalide", "Axe 1"),
        ("politique.yaml", "id: action-1-2", "id: action-1-1", "identifiant-duplique", "-1-1"),
        (
            "politique.yaml",
            "    type: déclaré\n    cibles: {2022: 30,",
            "    type: déclaré\n    calcul: part_pme_nombre\n    cibles: {2022: 30,",
            "calcul-inattendu",
            "calcul: part_pme_nombre",
        ),
        ("politique.yaml", "{2022: 30,", "{2022: trente,", "cible-invalide", "trente"),
    ],
)
def test_configuration_problems_name_file_and_line(
    tmp_path: Path, file: str, old: str, new: str, code: str, marker: str | None
) -> None:
    data = make_data_dir(tmp_path / "d")
    text = (data / file).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    (data / file).write_text(text, encoding="utf-8")
    found = [
        p
        for p in validate(data, calculations=REGISTRY).report.problems
        if (p.file, p.code) == (file, code)
    ]
    assert found
    if marker is not None:
        assert marker in text.splitlines()[found[0].row - 1]


def test_configuration_not_in_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d")
    (data / "politique.yaml").write_bytes("titre: Politique\nadoption: Adoptée\n".encode("cp1252"))
    found = validate(data, calculations=REGISTRY).report.projection()
    assert ("politique.yaml", 2, None, "encodage-invalide") in found


def test_configuration_that_cannot_be_read_or_is_an_alias_bomb_is_refused(
    tmp_path: Path,
) -> None:
    data = make_data_dir(tmp_path / "d")
    (data / "politique.yaml").unlink()
    (data / "politique.yaml").symlink_to("politique.yaml")  # a loop: the system refuses it
    text = hostile.publisher_with(hostile.alias_bomb(7))
    (data / "editeur.yaml").write_text(text, "utf-8")
    bomb, unreadable = validate(data, calculations=REGISTRY).report.sorted()
    assert labelled(bomb, "file", "code") == {
        "file": "editeur.yaml",
        "code": "yaml-alias-excessifs",
    }
    assert bomb.row is not None
    assert text.splitlines()[bomb.row - 1].startswith("  n5: &n5 [*n4, ")  # 9**6 values
    expected = {"file": "politique.yaml", "row": None, "code": "fichier-illisible"}
    assert labelled(unreadable, *expected) == expected
    assert unreadable.message.startswith("lecture impossible (")


def test_folder_problems(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d", marches=[], marches_titulaires=[])
    (data / "datapackage.json").unlink()
    report = validate(data, cpv_path=tmp_path / "absente.csv", calculations=REGISTRY).report
    found = report.projection()
    assert ("marches.csv", None, None, "aucun-marche") in found
    assert ("datapackage.json", None, None, "datapackage-different") in found
    assert ("editeur.yaml", None, "nomenclature_cpv", "nomenclature-absente") in found


# --- Values at notification and current values -----------------------------------------------


def problems_of(tmp_path: Path, **tables: list[dict[str, str]]) -> list[tuple]:
    """(file, row, field, code, message) of every problem."""
    result = validate(make_data_dir(tmp_path / "d", **tables), calculations=REGISTRY)
    return [(p.file, p.row, p.field, p.code, p.message) for p in result.report.problems]


def test_the_decp_threshold_is_the_one_in_force_at_notification(tmp_path: Path) -> None:
    """25 000 € HT for a contract notified in 2019, 40 000 € HT since 1 January 2020."""
    rows = [
        contract(
            id="20190001", dateNotification="2019-12-31", datePublicationDonnees="", montant="30000"
        ),
        contract(
            id="20190002",
            dateNotification="2019-06-03",
            datePublicationDonnees="",
            montant="24999.99",
        ),
        contract(
            id="20200001", dateNotification="2020-01-02", datePublicationDonnees="", montant="30000"
        ),
    ]
    result = problems_of(
        tmp_path,
        marches=rows,
        marches_titulaires=[{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
    )
    below = [(row, message) for _, row, _, code, message in result if code == "montant-sous-seuil"]
    assert [row for row, _ in below] == [3, 4]
    assert "(25\u202f000\xa0€ HT jusqu'au 31 décembre 2019)" in below[0][1]
    assert "(40\u202f000\xa0€ HT depuis le 1er janvier 2020)" in below[1][1]


def test_small_contracts_published_on_purpose_make_one_line(tmp_path: Path) -> None:
    rows = [contract(id=f"2024{i:04d}", montant="1200") for i in range(1, 6)]
    data = make_data_dir(
        tmp_path / "d",
        marches=rows,
        marches_titulaires=[{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
    )
    editeur = data / "editeur.yaml"
    editeur.write_text(
        editeur.read_text("utf-8") + "marches_sous_seuil_publies: true\n", encoding="utf-8"
    )
    report = validate(data, calculations=REGISTRY).report
    found = [p for p in report.problems if p.code.startswith(("montant-sous", "marches-sous"))]
    assert [(p.file, p.row, p.field, p.code, p.severity.label) for p in found] == [
        ("marches.csv", None, "montant", "marches-sous-seuil-publies", "information")
    ]
    assert found[0].message.startswith("5 marchés sous le seuil de publication des DECP")


def test_current_values_follow_the_last_modification_or_the_notification(
    tmp_path: Path,
) -> None:
    modified = contract(id="20240002", montantActuel="150000", dureeMoisActuelle="12")
    unmodified_but_changed = contract(id="20240003", montantActuel="130000", dureeMoisActuelle="14")
    consistent = contract(id="20240004", montantActuel="150000", dureeMoisActuelle="18")
    rows = [CONTRACT, modified, unmodified_but_changed, consistent]
    mod = {
        "modification_id": "1",
        "dateNotificationModification": "2024-06-01",
        "montant": "150000",
        "dureeMois": "18",
    }
    result = found(
        tmp_path,
        marches=rows,
        marches_titulaires=[{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
        modifications=[{**mod, "uid": modified["uid"]}, {**mod, "uid": consistent["uid"]}],
    )
    flagged = [r for r in result if r[3] in ("montant-incoherent", "duree-incoherente")]
    assert sorted(flagged) == [
        ("marches.csv", 3, "dureeMoisActuelle", "duree-incoherente"),
        ("marches.csv", 4, "dureeMoisActuelle", "duree-incoherente"),
        ("marches.csv", 4, "montantActuel", "montant-incoherent"),
    ]


def test_current_suppliers_follow_the_last_list_of_a_modification(tmp_path: Path) -> None:
    other = PARIS_LARGE
    second = contract(id="20240002")
    links = [
        # Replaced by a modification: initial only, then the newcomer current only.
        {**CONTRACT_SUPPLIER, "titulaireActuel": "false"},
        {**CONTRACT_SUPPLIER, "titulaire_id": other, "titulaireInitial": "false"},
        # No modification, yet said replaced; and a row neither initial nor current.
        {**CONTRACT_SUPPLIER, "uid": second["uid"], "titulaireActuel": "false"},
        {
            **CONTRACT_SUPPLIER,
            "uid": second["uid"],
            "titulaire_id": other,
            "titulaireInitial": "false",
            "titulaireActuel": "false",
        },
    ]
    mod = {
        "uid": CONTRACT["uid"],
        "modification_id": "1",
        "dateNotificationModification": "2024-06-01",
        "titulaires": f"SIRET:{other}",
    }
    result = found(
        tmp_path,
        marches=[CONTRACT, second],
        marches_titulaires=links,
        modifications=[mod],
        titulaires=[SUPPLIER_ROW, {**SUPPLIER_ROW, "titulaire_id": other}],
    )
    assert [r for r in result if r[3] == "titulaire-incoherent"] == [
        ("marches-titulaires.csv", 4, "titulaireActuel", "titulaire-incoherent"),
        ("marches-titulaires.csv", 5, "titulaireActuel", "titulaire-incoherent"),
    ]
    assert ("marches.csv", 3, "uid", "marche-sans-titulaire") in result
    assert ("marches.csv", 2, "uid", "marche-sans-titulaire") not in result


def test_a_folder_written_before_the_current_columns_gets_one_line_each(tmp_path: Path) -> None:
    """A data folder from before `montantActuel`, `dureeMoisActuelle`, `titulaireInitial` and
    `titulaireActuel` gets the missing columns reported once, not one problem per row."""
    data = make_data_dir(tmp_path / "d", marches=[CONTRACT, contract(id="20240002")])
    for name, columns in (
        ("marches", ["montantActuel", "dureeMoisActuelle"]),
        ("marches-titulaires", ["titulaireInitial", "titulaireActuel"]),
    ):
        path = data / f"{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.drop(columns=columns).to_csv(path, index=False)
    result = validate(data, calculations=REGISTRY).report.projection()
    about = [
        r
        for r in result
        if r[2] in ("montantActuel", "dureeMoisActuelle", "titulaireInitial", "titulaireActuel")
    ]
    assert sorted(about) == [
        ("marches-titulaires.csv", 1, "titulaireActuel", "colonne-manquante"),
        ("marches-titulaires.csv", 1, "titulaireInitial", "colonne-manquante"),
        ("marches.csv", 1, "dureeMoisActuelle", "colonne-absente"),
        ("marches.csv", 1, "montantActuel", "colonne-manquante"),
    ]
