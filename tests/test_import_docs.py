"""The README documents the import command and its options, and the layering rule holds."""

from __future__ import annotations

import ast

from tests.support import ROOT

ALLOWED = {
    "achats_ouverts",
    "achats_ouverts.settings",
    "achats_ouverts.report",
    "achats_ouverts.errors",
    "achats_ouverts.vocabulary",
    "achats_ouverts.contracts",
    "achats_ouverts.cpv",
    "achats_ouverts.config",
    "achats_ouverts.datafolder",
}


def test_readme_explains_how_to_import() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Importer ses données" in readme
    for text in (
        "achats-ouverts import",
        "--acheteur",
        "--mapping",
        "--format",
        "exemples/correspondance-export-interne.yaml",
        "import-rapport.json",
    ):
        assert text in readme, text


def test_importing_uses_only_the_stages_before_reading() -> None:
    for path in sorted((ROOT / "src" / "achats_ouverts" / "importing").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                if module.startswith("achats_ouverts") and not module.startswith(
                    "achats_ouverts.importing"
                ):
                    assert module in ALLOWED, f"{path.name} imports {module}"
                if module == "achats_ouverts":
                    for alias in node.names:
                        name = f"achats_ouverts.{alias.name}"
                        assert alias.name == "__version__" or name in ALLOWED, name
