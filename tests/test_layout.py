"""The layout of the tests: each test company is spelled once, in `tests/fixtures/companies.py`."""

from __future__ import annotations

from achats_ouverts.identifiers import siret_valid
from tests.fixtures import companies
from tests.fixtures.paths import ROOT

TESTS = ROOT / "tests"
COMPANIES = {
    name: value
    for name, value in vars(companies).items()
    if name.isupper() and isinstance(value, str)
}


def test_every_test_siret_passes_the_siret_check() -> None:
    sirets = {name: value for name, value in COMPANIES.items() if value.isdigit()}
    assert len(sirets) >= 8, "the test companies are named in tests/fixtures/companies.py"
    assert [name for name, value in sirets.items() if not siret_valid(value)] == []


def test_no_test_file_spells_a_test_company_identifier() -> None:
    spelled = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != TESTS / "fixtures" / "companies.py"
        for name, value in COMPANIES.items()
        if value in path.read_text(encoding="utf-8")
    ]
    assert spelled == [], "use the constant of tests/fixtures/companies.py"
