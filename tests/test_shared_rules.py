"""The small rules every stage shares, written once: the SIRET check and French wording."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.fr import siret as stdnum_siret

from achats_ouverts.french import fold, plural, quarter_code, quarter_label, quarter_start
from achats_ouverts.identifiers import LA_POSTE_HEAD_OFFICE, luhn_digit, luhn_valid, siret_valid
from tests.fixtures.companies import LILLE_SME, REGION_BUYER


def siret_corpus() -> list[str]:
    """Random numbers, numbers whose SIREN key is right, whole SIRETs with both keys right, La
    Poste's numbering, and values that are not 14 ASCII digits."""
    rng = random.Random(7)
    values = [f"{rng.randrange(10**14):014d}" for _ in range(5_000)]
    sirens = [value[:8] + luhn_digit(value[:8]) for value in values]
    values += [siren + value[9:13] for siren, value in zip(sirens, values, strict=True)]
    values = [value if len(value) == 14 else value + luhn_digit(value) for value in values]
    values += [f"356000000{rng.randrange(10**5):05d}" for _ in range(2_000)]
    values += [
        LA_POSTE_HEAD_OFFICE,
        LILLE_SME,
        REGION_BUYER,
        "٧٣٢٨٢٩٣٢٠٠٠٠٧٤",
        "123",
        "7328293200007 ",
    ]
    return values


def test_the_siret_check_agrees_with_python_stdnum() -> None:
    values = siret_corpus()
    accepted = [value for value in values if siret_valid(value)]
    assert len(accepted) > 2_000, "the corpus holds many valid SIRETs"
    for value in values:
        assert siret_valid(value) == stdnum_siret.is_valid(value), value


def test_luhn_digit_completes_a_number() -> None:
    assert luhn_valid("7992739871" + luhn_digit("7992739871"))
    assert luhn_digit("7992739871") == "3"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0\u00a0marché"),
        (1, "1\u00a0marché"),
        (2, "2\u00a0marchés"),
        (2700, "2\u202f700\u00a0marchés"),
    ],
)
def test_plural_groups_digits_and_keeps_the_singular_for_zero_and_one(
    count: int, expected: str
) -> None:
    assert plural(count, "marché") == expected


def test_plural_with_an_irregular_form() -> None:
    assert plural(3, "nouvel achat", "nouveaux achats") == "3\u00a0nouveaux achats"


def test_quarters() -> None:
    assert quarter_code(date(2027, 2, 28)) == "2027-T1"
    assert quarter_code(date(2027, 12, 1)) == "2027-T4"
    assert quarter_label("2027-T1") == "1er trimestre 2027"
    assert quarter_label("2027-T3") == "3e trimestre 2027"
    assert quarter_label("2027-T9") == "2027-T9"
    assert quarter_start("2027-T2") == "2027-04-01"


def test_fold_ignores_case_accents_spaces_and_ligatures() -> None:
    assert fold("Œuvre d'art") == fold("oeuvre-d-art") == "oeuvredart"
    assert fold("Lycée  Faidherbe") == "lyceefaidherbe"
