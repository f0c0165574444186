"""Import rules one by one: value normalisation, then how a record becomes canonical rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from achats_ouverts.importing import normalise as n
from achats_ouverts.importing.conversion import build_contract
from achats_ouverts.importing.records import (
    Notes,
    Position,
    RawContract,
    RawModification,
    RawSupplier,
    Rejected,
)
from tests.fixtures.companies import LA_POSTE, LILLE_SME, OTHER_SUPPLIER, REGION_BUYER

# --- Values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso", "normalised"),
    [
        ("2024-03-12", "2024-03-12", False),
        ("2018-12-17+01:00", "2018-12-17", True),
        ("2019-03-04+02:00", "2019-03-04", True),
        ("2024-03-12T10:30:00", "2024-03-12", True),
        ("2024-03-12Z", "2024-03-12", True),
        ("12/03/2024", "2024-03-12", True),
        (date(2024, 3, 12), "2024-03-12", False),
        (datetime(2024, 3, 12, 0, 0), "2024-03-12", False),
    ],
)
def test_dates_are_normalised_to_iso(raw: Any, iso: str, normalised: bool) -> None:
    assert n.parse_date(raw) == n.DateValue(iso, normalised)


@pytest.mark.parametrize("raw", ["2024-02-30", "0222-04-29", "September, 16 2021", "", "2024"])
def test_unusable_dates(raw: str) -> None:
    with pytest.raises(n.Unusable):
        n.parse_date(raw)


def test_date_format_of_an_export() -> None:
    assert n.parse_date_format("01/02/2021", "%d/%m/%Y") == "2021-02-01"
    assert n.parse_date_format("pas une date", "%d/%m/%Y") == "pas une date"


@pytest.mark.parametrize(
    ("raw", "decimal_mark", "thousands", "expected"),
    [
        ("14 700,00", ",", (" ", "\u00a0", "\u202f"), Decimal("14700.00")),
        ("14\u00a0700,00", ",", (" ", "\u00a0", "\u202f"), Decimal("14700.00")),
        ("1\u202f820\u202f542,5", ",", (" ", "\u00a0", "\u202f"), Decimal("1820542.5")),
        ("1.234.567,89", ",", (".",), Decimal("1234567.89")),
        ("575000", ".", (), Decimal("575000")),
        ("1.0E17", ".", (), Decimal("1.0E17")),
        (575000, ".", (), Decimal("575000")),
        (123457.87, ".", (), Decimal("123457.87")),
    ],
)
def test_numbers(
    raw: Any, decimal_mark: str, thousands: tuple[str, ...], expected: Decimal
) -> None:
    assert n.parse_decimal(raw, decimal_mark, thousands) == expected


@pytest.mark.parametrize("raw", ["12,5", "NC", "1 200", True, "12.5.3"])
def test_numbers_refused_without_a_declared_format(raw: Any) -> None:
    with pytest.raises(n.Unusable):
        n.parse_decimal(raw)


def test_numbers_are_written_with_a_point_and_no_exponent() -> None:
    assert n.number_text(Decimal("1.0E17")) == "100000000000000000"
    assert n.number_text(Decimal("14700.00")) == "14700"
    assert n.number_text(123457.87) == "123457.87"
    assert n.number_text(Decimal("0.10")) == "0.1"


def test_amounts_below_one_euro_are_unusable() -> None:
    assert n.positive_amount("1") == "1"
    for raw in (0, "0", "-5", "0.5"):
        with pytest.raises(n.Unusable):
            n.positive_amount(raw)


def test_durations_round_up() -> None:
    assert n.positive_integer("12") == ("12", False)
    assert n.positive_integer(Decimal("2.5")) == ("3", True)
    with pytest.raises(n.Unusable):
        n.positive_integer("0")


def test_booleans_from_every_spelling() -> None:
    assert [n.boolean(x) for x in (True, "oui", "1", "TRUE", False, "non", "0")] == [
        "true",
        "true",
        "true",
        "true",
        "false",
        "false",
        "false",
    ]
    with pytest.raises(n.Unusable):
        n.boolean("peut-être")


def test_sentinels_and_spreadsheet_errors_are_empty() -> None:
    assert n.text("NC") is None
    assert n.text("#N/A") is None
    assert n.text("  ") is None
    assert n.text("Objet\x07 du marché") == n.Text("Objet du marché", True)


def test_siret_keeps_leading_zeros_and_repairs_spaces() -> None:
    assert n.siret("04555025800029") == n.Siret("04555025800029")
    assert n.siret("23 350 001 600 040") == n.Siret("23350001600040", "siret-reformate")
    assert n.siret("4555025800029") == n.Siret("04555025800029", "siret-zero-restaure")
    assert n.siret(int(LA_POSTE)) == n.Siret(LA_POSTE)  # La Poste: its own rule


@pytest.mark.parametrize("raw", ["21750001630066", "868768687576575", "214356", "884123902", ""])
def test_invalid_sirets(raw: str) -> None:
    with pytest.raises(n.Unusable):
        n.siret(raw)


def test_cpv_codes() -> None:
    assert n.cpv_code("45000000-7") == n.Cpv("45000000-7", False)
    assert n.cpv_code("45210000") == n.Cpv("45210000", False)
    assert n.cpv_code("9310000") == n.Cpv("09310000", True)
    assert n.cpv_code("9310000-5") == n.Cpv("09310000-5", True)
    for raw in ("00000000-1", "74000000-9", "4521", "CPV"):
        with pytest.raises(n.Unusable):
            n.cpv_code(raw)


def test_enumerations_ignore_case_accents_and_know_synonyms() -> None:
    codes = ("Code commune", "Code région")
    assert n.choice("Code région", codes) == n.Choice("Code région", False)
    assert n.choice("code région", codes) == n.Choice("Code région", True)
    assert n.choice("CODE REGION", codes) == n.Choice("Code région", True)
    aliases = n.TYPES_IDENTIFIANT_ALIASES
    assert n.choice("Siret", ("SIRET", "TVA"), aliases) == n.Choice("SIRET", True)
    assert n.choice("TVA_INTRACOMMUNAUTAIRE", ("SIRET", "TVA"), aliases).value == "TVA"
    with pytest.raises(n.Unusable):
        n.choice("Code planète", codes)


def test_geographic_codes_get_their_leading_zero_back() -> None:
    assert n.geo_code("2", r"^([0-9]{2}|2A|2B|97[1-8])$", 2) == "02"
    assert n.geo_code("2a", r"^([0-9]{2}|2A|2B|97[1-8])$", 2) == "2A"


# --- Records -----------------------------------------------------------------------------------

POSITION = Position("essai.json", "marches.marche[0]")


def raw_contract(**values: Any) -> RawContract:
    base: dict[str, Any] = {
        "id": "2024-001",
        "acheteur_id": REGION_BUYER,
        "objet": "Travaux",
        "dateNotification": "2024-03-01",
        "montant": 100000,
        "nature": "Marché",
        "procedure": "Procédure adaptée",
        "codeCPV": "45000000-7",
    }
    base.update(values)
    return RawContract(POSITION, base, [RawSupplier("SIRET", LILLE_SME)])


def build(raw: RawContract) -> tuple[Any, list[tuple[str | None, str, str]]]:
    notes = Notes(raw.position)
    contract = build_contract(raw, notes)
    return contract, [(note.field, note.code, note.severity) for note in notes.items]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"id": ""}, "identifiant-manquant"),
        ({"acheteur_id": "21750001630066"}, "acheteur-invalide"),
        ({"acheteur_id": None}, "acheteur-invalide"),
        ({"dateNotification": "2024-13-01"}, "date-notification-invalide"),
        ({"dateNotification": None}, "date-notification-invalide"),
        ({"montant": 0}, "montant-invalide"),
        ({"montant": "NC"}, "montant-invalide"),
        ({"id": "x" * 60}, "identifiant-trop-long"),
    ],
)
def test_each_rejection_reason(values: dict[str, Any], code: str) -> None:
    with pytest.raises(Rejected) as caught:
        build(raw_contract(**values))
    assert caught.value.code == code


def test_a_contract_without_subject_is_kept_and_says_so() -> None:
    contract, notes = build(raw_contract(objet=None, codeCPV="45210000"))
    assert contract.values["objet"] == (
        "Objet non renseigné dans les données source (CPV 45210000 : Travaux de construction)"
    )
    assert notes == [("objet", "objet-manquant", "correction")]


def test_2019_vocabulary_is_mapped_to_2022() -> None:
    contract, notes = build(
        raw_contract(
            nature="Accord-cadre",
            formePrix="Ferme et actualisable",
            procedure="Marché négocié sans publicité ni mise en concurrence préalable",
        )
    )
    assert contract.values["nature"] == "Marché"
    assert contract.values["techniques"] == "Accord-cadre"
    assert contract.values["typesPrix"] == "Définitif actualisable"
    assert contract.values["formePrix"] == ""
    assert contract.values["procedure"] == (
        "Marché passé sans publicité ni mise en concurrence préalable"
    )
    assert notes == [("procedure", "procedure-ancienne", "correction")]
    contract, _ = build(raw_contract(nature="Marché Subséquent"))
    assert contract.values["modalitesExecution"] == "Marchés subséquents"


def test_multi_valued_fields_are_joined_checked_and_deduplicated() -> None:
    contract, notes = build(
        raw_contract(
            techniques=["Concours", "Accord-cadre", "Concours"],
            considerationsSociales="Clause sociale, Pas de considération sociale",
            considerationsEnvironnementales=["Sans objet"],
            typesPrix=["Définitif ferme", "Prix magique"],
        )
    )
    assert contract.values["techniques"] == "Concours, Accord-cadre"
    assert contract.values["considerationsSociales"] == "Clause sociale"
    assert contract.values["considerationsEnvironnementales"] == (
        "Pas de considération environnementale"
    )
    assert contract.values["typesPrix"] == "Définitif ferme"
    assert ("considerationsSociales", "valeur-incoherente", "correction") in notes
    assert ("typesPrix", "valeur-non-autorisee", "rejet-partiel") in notes


def test_optional_fields_in_error_are_set_aside_not_the_contract() -> None:
    contract, notes = build(
        raw_contract(
            codeCPV="20190128-1",
            offresRecues=0,
            tauxAvance=10,
            ccag="CCAG inventé",
            origineUE=0.5,
            origineFrance=0.8,
            marcheInnovant="peut-être",
            datePublicationDonnees="bientôt",
        )
    )
    for name in ("codeCPV", "offresRecues", "tauxAvance", "ccag", "origineFrance"):
        assert contract.values[name] == "", name
    assert contract.values["origineUE"] == "0.5"
    assert sorted(code for _, code, _ in notes) == [
        "cpv-invalide",
        "date-invalide",
        "valeur-incoherente",
        "valeur-invalide",
        "valeur-invalide",
        "valeur-invalide",
        "valeur-non-autorisee",
    ]
    assert all(severity == "rejet-partiel" for _, _, severity in notes)


def test_repairs_are_counted_as_corrections() -> None:
    contract, notes = build(
        raw_contract(
            acheteur_id="200 053 742 00017",
            codeCPV="9310000",
            dureeMois="2.5",
            lieuExecution_typeCode="code commune",
            dateNotification="2024-03-01+01:00",
        )
    )
    assert contract.values["acheteur_id"] == REGION_BUYER
    assert contract.values["codeCPV"] == "09310000"
    assert contract.values["dureeMois"] == "3"
    assert contract.values["lieuExecution_typeCode"] == "Code commune"
    assert contract.values["dateNotification"] == "2024-03-01"
    assert sorted(code for _, code, _ in notes) == [
        "cpv-zero-restaure",
        "date-normalisee",
        "entier-arrondi",
        "siret-reformate",
        "valeur-reformulee",
    ]


def test_invalid_suppliers_are_set_aside_and_repeats_removed() -> None:
    raw = raw_contract()
    raw.titulaires = [
        RawSupplier("SIRET", LILLE_SME, "Menuiseries"),
        RawSupplier("Siret", LILLE_SME),
        RawSupplier("SIRET", "868768687576575"),
        RawSupplier(None, OTHER_SUPPLIER),
        RawSupplier("TVA", "FR 12 345678901"),
        RawSupplier("PLANETE", "X1"),
    ]
    contract, notes = build(raw)
    assert contract.suppliers == [
        ("SIRET", LILLE_SME),
        ("SIRET", OTHER_SUPPLIER),
        ("TVA", "FR12345678901"),
    ]
    assert [code for _, code, _ in notes] == [
        "valeur-reformulee",
        "titulaire-en-double",
        "titulaire-invalide",
        "type-identifiant-deduit",
        "titulaire-invalide",
    ]
    assert contract.known_suppliers[0].nom == "Menuiseries"


def test_modifications_apply_in_id_order() -> None:
    raw = raw_contract(montant=100000, dureeMois=12)
    raw.modifications = [
        RawModification(2, "2024-09-01", "2024-09-05", montant=150000),
        RawModification(
            1,
            "2024-06-01",
            "2024-06-03",
            montant=120000,
            duree_mois=18,
            titulaires=[RawSupplier("SIRET", OTHER_SUPPLIER)],
        ),
        RawModification(3, "2024-10-01", None, duree_mois=24),
    ]
    contract, notes = build(raw)
    assert notes == []
    assert (contract.values["montant"], contract.values["montantActuel"]) == ("100000", "150000")
    assert (contract.values["dureeMois"], contract.values["dureeMoisActuelle"]) == ("12", "24")
    assert contract.initial_suppliers == [("SIRET", LILLE_SME)]
    assert contract.suppliers == [("SIRET", OTHER_SUPPLIER)]
    assert contract.modification_rows("U") == [
        ["U", "1", "2024-06-01", "2024-06-03", "120000", "18", f"SIRET:{OTHER_SUPPLIER}"],
        ["U", "2", "2024-09-01", "2024-09-05", "150000", "", ""],
        ["U", "3", "2024-10-01", "", "", "24", ""],
    ]


def test_unusable_modifications_are_set_aside() -> None:
    raw = raw_contract(montant=100000)
    raw.modifications = [
        RawModification(None, "2024-06-01", montant=5),
        RawModification(1, "pas de date", montant=200000),
        RawModification(2, "2024-07-01", montant=0),
        RawModification(2, "2024-08-01", montant=300000),
    ]
    contract, notes = build(raw)
    assert contract.values["montant"] == "100000"
    assert [code for _, code, _ in notes] == [
        "modification-invalide",
        "modification-invalide",
        "valeur-invalide",
        "modification-en-double",
    ]
    assert [row[1] for row in contract.modification_rows("U")] == ["2"]


def test_same_content_gives_the_same_fingerprint() -> None:
    first, _ = build(raw_contract())
    second, _ = build(raw_contract(montant="100000"))
    third, _ = build(raw_contract(montant=100001))
    assert first.digest() == second.digest()
    assert first.digest() != third.digest()


def test_key_table_grows_and_keeps_every_key() -> None:
    from achats_ouverts.importing.keys import KeyTable, key_of

    table = KeyTable(capacity=4)
    keys = [key_of(f"uid-{i}") for i in range(5000)]
    for i, key in enumerate(keys):
        table[key] = i + 1
    table[keys[0]] = 99
    assert len(table) == 5000
    assert table.get(keys[0]) == 99
    assert all(table.get(key) == i + 1 for i, key in enumerate(keys[1:], start=1))
    assert table.get(key_of("absent")) is None
    assert key_of("absent") not in table
    assert table.nbytes <= 64 * 5000
