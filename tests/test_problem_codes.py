"""Every problem code a user can meet is declared in the catalogue and listed in the README.

Three proofs: the source (no problem is made with a literal code, each entry is used, the
importer's codes are the declared ones), the test session (every problem and import note made
while the tests ran has a declared code and severity, recorded by
`tests.fixtures.emitted_codes`), and the README (its tables are the catalogue's).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from achats_ouverts.building import guard
from achats_ouverts.datafolder import problem_codes, ranges, schemas, yaml_safe
from achats_ouverts.datafolder.problem_codes import (
    CODES,
    IMPORT_CODES,
    OUTPUT_CODES,
    catalogue,
    checks,
    configuration,
    entries,
    files,
    output,
)
from achats_ouverts.importing import records
from achats_ouverts.validation import reading, rules
from tests.fixtures import emitted_codes
from tests.fixtures.paths import ROOT

SOURCE = ROOT / "src" / "achats_ouverts"
CATALOGUE = SOURCE / "datafolder" / "problem_codes"
CODE_LIKE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
CATALOGUED = {entry.code for entry in CODES}
OUTPUT_CATALOGUED = {entry.code for entry in OUTPUT_CODES}
MAKERS = {
    "Problem",
    "error",
    "warning",
    "notice",
    "flag",
    "problem",
    "_limit_problem",
    "YamlRefused",
    "OutputRefused",
}
"""Whatever makes a problem or a refusal, or takes a problem code (typed `Code` or `OutputCode`
elsewhere: mypy checks)."""
SPEAKING_OTHER_CODES = {
    "validation/table_schema.py": "the error types of frictionless, which it reproduces",
    "tools/benchmark.py": "compares its errors with frictionless's own",
}
"""Modules that may spell a catalogued code for another reason than making a problem (the
importer's folder too: its codes share names with the validation's)."""


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


def constant(entry: problem_codes.Code | problem_codes.OutputCode) -> str:
    """The name of an entry in the catalogue module."""
    modules = (configuration, files, checks, output)
    names = [name for module in modules for name, v in vars(module).items() if v is entry]
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


def test_output_entries_are_complete_and_named_after_their_code() -> None:
    assert len(OUTPUT_CATALOGUED) == len(OUTPUT_CODES) > 0
    assert not OUTPUT_CATALOGUED & CATALOGUED
    for entry in OUTPUT_CODES:
        assert re.match(r"^sortie-[a-z0-9]+(-[a-z0-9]+)*$", entry.code), entry.code
        assert constant(entry) == entry.code.upper().replace("-", "_"), entry.code
        assert entry.where, entry.code
        assert entry.meaning.endswith("."), entry.code
        assert entry.fix.endswith("."), entry.code


def test_each_refusal_of_the_output_folder_exits_as_its_entry_says() -> None:
    busy = output.SORTIE_VERROUILLEE
    assert guard.OutputBusy("").exit_code == busy.exit_status == 1
    for entry in OUTPUT_CODES:
        if entry is not busy:
            refused = guard.OutputRefused(Path("site"), entry, "message", "correction")
            assert refused.exit_code == entry.exit_status == 2, entry.code
            assert str(refused) == f"« site » [{entry.code}] message — correction"


def test_the_limits_the_catalogue_names_are_the_tools() -> None:
    """The meanings name the limits in words; the limits live in the modules that apply them."""

    def spelled(number: int) -> str:
        return f"{number:,}".replace(",", " ")

    assert f"plus de {yaml_safe.MAX_DEPTH} niveaux" in configuration.YAML_TROP_PROFOND.meaning
    nodes = configuration.YAML_ALIAS_EXCESSIFS.meaning
    assert f"plus de {spelled(yaml_safe.MAX_NODES)} valeurs" in nodes
    assert yaml_safe.MAX_BYTES == 1 << 20
    assert "1 Mio" in configuration.FICHIER_TROP_GROS.meaning
    assert f"plus de {reading.MAX_COLUMNS} colonnes" in files.TROP_DE_COLONNES.meaning
    assert f"plus de {reading.MAX_COLUMNS} cellules" in files.LIGNE_TROP_LARGE.meaning
    digits = ranges.NUMBER_INTEGER_DIGITS, ranges.NUMBER_DECIMALS
    assert "plus de {} chiffres avant le point ou {} après".format(*digits) in (
        checks.NOMBRE_NON_STANDARD.meaning
    )
    assert f"plus de {ranges.INTEGER_DIGITS} chiffres" in checks.ENTIER_NON_STANDARD.meaning
    implausible = checks.VALEUR_IMPLAUSIBLE.meaning
    years = f"{ranges.EARLIEST_DATE.year}-{ranges.LATEST_DATE.year}"
    assert f"hors de la période {years}" in implausible
    maxima = ranges.INTEGER_MAXIMA
    assert maxima["dureeMois"] == maxima["dureeMoisPrevue"]
    assert f"plus de {spelled(maxima['dureeMois'])} mois" in implausible
    counts = {maxima[name] for name in ("offresRecues", "nombreLots", "modification_id")}
    (count,) = counts  # one bound for the three, as the meaning says
    assert f"plus de {spelled(count)} offres, lots ou modifications" in implausible
    assert f"une année après {maxima['annee']}" in implausible


def test_no_module_spells_a_catalogued_code() -> None:
    """Codes are spelled in the catalogue only: elsewhere, its entries are named."""
    found = [
        f"{module}:{node.lineno} {node.value!r}"
        for path in sorted(SOURCE.rglob("*.py"))
        if not (module := str(path.relative_to(SOURCE))).startswith(
            ("datafolder/problem_codes/", "importing/")
        )
        and module not in SPEAKING_OTHER_CODES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CODE_LIKE.match(node.value)
        and node.value in CATALOGUED | OUTPUT_CATALOGUED
    ]
    assert found == [], "utiliser l'entrée du catalogue (datafolder/problem_codes/)"


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
    unused = [entry.code for entry in (*CODES, *OUTPUT_CODES) if constant(entry) not in names]
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
    for refusal in OUTPUT_CODES:
        assert f"| `{refusal.code}` | {refusal.exit_status} |" in readme


def test_the_readme_tables_are_rewritten_between_their_markers() -> None:
    stale = "avant\n<!-- codes-sortie:debut -->\nANCIEN\n<!-- codes-sortie:fin -->\nentre\n"
    stale += "<!-- codes-validation:debut -->\nPÉRIMÉ\n<!-- codes-validation:fin -->\n"
    stale += "<!-- codes-import:debut -->\n<!-- codes-import:fin -->\naprès\n"
    filled = problem_codes.fill_readme(stale)
    assert "PÉRIMÉ" not in filled
    assert filled.startswith(
        f"avant\n<!-- codes-sortie:debut -->\n{catalogue.output_table()}"
        "<!-- codes-sortie:fin -->\nentre\n<!-- codes-validation:debut -->\n| Code |"
    )
    assert filled.endswith(catalogue.import_table() + "<!-- codes-import:fin -->\naprès\n")
    with pytest.raises(ValueError, match="codes-import"):
        problem_codes.fill_readme(stale.replace("<!-- codes-import:fin -->", ""))
    with pytest.raises(ValueError, match="codes-sortie"):
        problem_codes.fill_readme(stale.replace("<!-- codes-sortie:debut -->", ""))


def test_every_code_the_test_session_met_is_catalogued() -> None:
    """Runs last (see tests.fixtures.emitted_codes): every problem and import note made."""
    declared = {(entry.code, entry.severity.name) for entry in CODES}
    assert emitted_codes.PROBLEMS - declared == set()
    declared_notes = {(item.code, kind) for item in IMPORT_CODES for kind in item.kinds}
    assert emitted_codes.NOTES - declared_notes == set()
    assert emitted_codes.REFUSALS <= OUTPUT_CATALOGUED
