"""Every problem code a user can meet is declared in the catalogue and listed in the README.

Three proofs: the source (no problem is made with a literal code, each entry is used, the
importer's codes are the declared ones), the test session (every problem and import note made
while the tests ran has a declared code and severity, recorded by `tests.emitted_codes`), and the
README (its tables are the catalogue's).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from achats_ouverts.datafolder import problem_codes, schemas
from achats_ouverts.datafolder.problem_codes import (
    CODES,
    IMPORT_CODES,
    catalogue,
    checks,
    entries,
    files,
)
from achats_ouverts.importing import records
from achats_ouverts.validation import rules
from tests import emitted_codes
from tests.support import ROOT

SOURCE = ROOT / "src" / "achats_ouverts"
CATALOGUE = SOURCE / "datafolder" / "problem_codes"
CODE_LIKE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
CATALOGUED = {entry.code for entry in CODES}
MAKERS = {"Problem", "error", "warning", "notice", "flag", "problem", "_limit_problem"}
"""Whatever makes a problem, or takes a problem code (typed `Code` elsewhere: mypy checks)."""


def callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(keyword.value for keyword in call.keywords)]


def calls(folder: Path) -> Iterator[tuple[str, ast.Call]]:
    """Every call in the modules of `folder`, with the module's path relative to the package."""
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield str(path.relative_to(SOURCE)), node


def literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def constant(entry: problem_codes.Code) -> str:
    """The name of an entry in the catalogue module."""
    names = [name for module in (files, checks) for name, v in vars(module).items() if v is entry]
    (name,) = set(names)
    return name


def test_catalogue_entries_are_complete_and_named_after_their_code() -> None:
    assert len(CATALOGUED) == len(CODES)
    for entry in CODES:
        assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", entry.code), entry.code
        assert constant(entry).endswith(entry.code.upper().replace("-", "_")), entry.code
        assert entry.stages, entry.code
        assert entry.where, entry.code
        assert entry.meaning.endswith("."), entry.code
        assert entry.fix.endswith("."), entry.code
    assert len({entry.code for entry in IMPORT_CODES}) == len(IMPORT_CODES)
    gravities = {entries.REJECTED, entries.SET_ASIDE, entries.CORRECTED, entries.INFORMATION}
    for item in IMPORT_CODES:
        assert CODE_LIKE.match(item.code), item.code
        assert item.meaning.endswith("."), item.code
        assert item.kinds, item.code
        assert set(item.kinds) <= gravities, item.code
    assert {entries.REJECTED, entries.SET_ASIDE, entries.CORRECTED} == {
        records.REJECTION,
        records.PARTIAL,
        records.CORRECTION,
    }


def test_no_problem_is_made_with_a_literal_code() -> None:
    found = [
        f"{module}:{call.lineno} {callee(call)}({text!r})"
        for module, call in calls(SOURCE)
        if callee(call) in MAKERS and not module.startswith("datafolder/problem_codes/")
        for text in map(literal, arguments(call))
        if text is not None and (CODE_LIKE.match(text) or text in CATALOGUED)
    ]
    assert found == [], "utiliser l'entrée du catalogue (datafolder/problem_codes/)"


def test_problems_are_made_only_through_the_catalogue() -> None:
    makers = {module for module, call in calls(SOURCE) if callee(call) == "Problem"}
    assert makers == {"datafolder/problem_codes/entries.py"}


def test_every_entry_of_the_catalogue_is_used() -> None:
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if CATALOGUE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
    unused = [entry.code for entry in CODES if constant(entry) not in names]
    assert unused == []


def test_each_rule_reports_where_its_code_says() -> None:
    for rule in rules.RULES:
        where = rule.code.where
        assert f"`{schemas.dataset(rule.dataset).path}`" in where, rule.code.code
        assert f"`{rule.field}`" in where, rule.code.code
        for name in rule.reads:
            schemas.dataset(name)


def importer_codes() -> set[tuple[str, str]]:
    """(code, gravité) of every code the importer's source writes in a note or a rejection."""
    kinds = {
        "fix": records.CORRECTION,
        "drop": records.PARTIAL,
        "Siret": records.CORRECTION,  # a SIRET's repair is noted as a correction
        "Rejected": records.REJECTION,
        "Unreadable": records.REJECTION,
        "_required_text": records.REJECTION,
    }
    found: set[tuple[str, str]] = set()
    for _, call in calls(SOURCE / "importing"):
        name = callee(call)
        if name not in (*kinds, "Note"):
            continue
        texts = [text for text in map(literal, arguments(call)) if text and CODE_LIKE.match(text)]
        if name == "Note":
            severity = call.args[3]
            kind = literal(severity) or getattr(records, getattr(severity, "id", ""), "")
        else:
            kind = kinds[name]
        found.update((text, kind) for text in texts)
    for path in (SOURCE / "importing").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = getattr(node, "targets", [])
            if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in targets] == [
                "repair"
            ]:
                for constant in ast.walk(node.value):
                    text = literal(constant) if isinstance(constant, ast.expr) else None
                    if text and CODE_LIKE.match(text):
                        found.add((text, records.CORRECTION))
    return found


def test_the_import_codes_are_those_the_importer_writes() -> None:
    written = importer_codes()
    declared = {(item.code, kind) for item in IMPORT_CODES for kind in item.kinds}
    assert written - declared == set()
    assert {item.code for item in IMPORT_CODES} == {code for code, _ in written}


def test_the_readme_lists_every_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert problem_codes.fill_readme(readme) == readme, "python scripts/problem_codes.py"
    for entry in CODES:
        assert f"| `{entry.code}` | {entry.severity.label} |" in readme
    for item in IMPORT_CODES:
        assert f"| `{item.code}` |" in readme


def test_the_readme_tables_are_rewritten_between_their_markers() -> None:
    stale = "avant\n<!-- codes-validation:debut -->\nPÉRIMÉ\n<!-- codes-validation:fin -->\n"
    stale += "<!-- codes-import:debut -->\n<!-- codes-import:fin -->\naprès\n"
    filled = problem_codes.fill_readme(stale)
    assert "PÉRIMÉ" not in filled
    assert filled.startswith("avant\n<!-- codes-validation:debut -->\n| Code |")
    assert filled.endswith(catalogue.import_table() + "<!-- codes-import:fin -->\naprès\n")
    with pytest.raises(ValueError, match="codes-import"):
        problem_codes.fill_readme(stale.replace("<!-- codes-import:fin -->", ""))


def test_every_code_the_test_session_met_is_catalogued() -> None:
    """Runs last (see tests.emitted_codes): every problem and import note the tests made."""
    declared = {(entry.code, entry.severity.name) for entry in CODES}
    assert emitted_codes.PROBLEMS - declared == set()
    declared_notes = {(item.code, kind) for item in IMPORT_CODES for kind in item.kinds}
    assert emitted_codes.NOTES - declared_notes == set()
