"""The layout of the tests: what test modules share lives in `tests/fixtures/`, no test module
imports another, and each test company is spelled once, in `tests/fixtures/companies.py`."""

from __future__ import annotations

import ast
from pathlib import Path

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


def imported_test_modules(path: Path) -> list[str]:
    """The test modules (`tests.test_…`) that the Python file at `path` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = "tests" if node.level else ""  # a relative import, from within tests/
            module = ".".join(part for part in (package, node.module) if part)
            if module == "tests":
                found += [f"tests.{alias.name}" for alias in node.names]
            else:
                found.append(module)
    return [name for name in found if name.startswith("tests.test_")]


def test_no_test_module_imports_another() -> None:
    imports = {
        path.relative_to(ROOT).as_posix(): imported_test_modules(path)
        for path in sorted(TESTS.rglob("*.py"))
    }
    assert len(imports) > 40
    assert {path: names for path, names in imports.items() if names} == {}, (
        "move what test modules share into tests/fixtures/"
    )


def test_tests_holds_only_test_modules_and_the_fixtures_package() -> None:
    helpers = [
        path.name
        for path in sorted(TESTS.glob("*.py"))
        if not path.name.startswith("test_") and path.name not in {"conftest.py", "__init__.py"}
    ]
    assert helpers == [], "a helper shared by tests goes into tests/fixtures/"
    assert (TESTS / "fixtures" / "__init__.py").is_file()
