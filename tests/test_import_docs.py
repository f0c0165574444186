"""The README documents the import command and its options."""

from __future__ import annotations

from tests.fixtures.paths import ROOT


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
