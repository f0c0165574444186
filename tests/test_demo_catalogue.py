"""The demonstration catalogue: data files shipped with the package, read into typed values and
checked at start, every mistake reported with its file, line and entry."""

from __future__ import annotations

import fnmatch
import shutil
import tomllib
from pathlib import Path

import pytest

from achats_ouverts.datafolder import schemas
from achats_ouverts.settings import DEMO_CATALOGUE_DIR, PACKAGE_DIR
from achats_ouverts.tools import demo
from tests.fixtures.labels import labelled
from tests.fixtures.paths import ROOT


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue, to break."""
    path = tmp_path / "catalogue"
    shutil.copytree(DEMO_CATALOGUE_DIR, path)
    return path


def line_of(path: Path, text: str) -> int:
    """The line where `text` first appears in the file."""
    content = path.read_text(encoding="utf-8")
    assert text in content, text
    return content[: content.index(text)].count("\n") + 1


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file by `new`; the line where it was."""
    line = line_of(path, old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return line


def error_of(catalogue: Path) -> str:
    with pytest.raises(demo.CatalogueError) as caught:
        demo.load_world(catalogue)
    return str(caught.value)


def test_the_shipped_catalogue_reads_and_holds_the_demo_world() -> None:
    world = demo.load_world()
    assert len(world.services) == 7
    assert len(world.places.communes) == 36
    assert [c.nom for c in world.poles][:3] == ["Lille", "Amiens", "Roubaix"]
    assert {c.region for c in world.places.communes} == {"32"}
    assert len(world.families) == 22
    assert sum(len(family.templates) for family in world.families) >= 100
    assert world.families[0].lots == world.families[1].lots  # one list, shared by a YAML alias
    assert world.names.legal_forms["TPE"] == ("", "", "SARL", "EURL")


def test_every_catalogue_file_is_package_data() -> None:
    """A non-editable install ships what `[tool.setuptools.package-data]` lists, nothing else."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["achats_ouverts"]
    files = sorted(DEMO_CATALOGUE_DIR.iterdir())
    assert [f.name for f in files] == [
        "declared_indicators.yaml",
        "families.yaml",
        "lycees.yaml",
        "names.yaml",
        "places.yaml",
        "services.yaml",
        "trades.yaml",
    ]
    for file in files:
        relative = file.relative_to(PACKAGE_DIR).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_output_follows_the_catalogue_files(catalogue: Path) -> None:
    replace(
        catalogue / "services.yaml", "nom: Direction des lycées", "nom: Direction de l'éducation"
    )
    data = demo.generate(contracts=50, world=demo.load_world(catalogue))
    first = dict(
        zip(schemas.dataset("services").field_names, data.rows("services")[0], strict=True)
    )
    assert labelled(first, "service_id", "service_nom") == {
        "service_id": "lycees",
        "service_nom": "Direction de l'éducation",
    }


def test_a_value_of_the_wrong_type_names_file_line_and_entry(catalogue: Path) -> None:
    line = replace(catalogue / "families.yaml", "median: 270000", "median: beaucoup")
    assert error_of(catalogue) == (
        f"{catalogue / 'families.yaml'}:{line} families.0.median (« travaux-lycees ») : "
        "un nombre attendu, trouvé « beaucoup »"
    )


def test_a_text_written_as_a_number_says_to_quote_it(catalogue: Path) -> None:
    line = replace(catalogue / "declared_indicators.yaml", 'value: "34.2"', "value: 34.2")
    assert error_of(catalogue) == (
        f"{catalogue / 'declared_indicators.yaml'}:{line} indicators.0.values.0.value "
        "(« delai-paiement ») : un texte attendu, trouvé « 34.2 » "
        "(écrire le texte entre guillemets)"
    )


def test_a_missing_key_is_named(catalogue: Path) -> None:
    replace(catalogue / "families.yaml", "    sigma: 0.75\n", "")
    line = replace(
        catalogue / "families.yaml", "  - key: travaux-lycees", "  - key: travaux-lycees"
    )
    assert error_of(catalogue) == (
        f"{catalogue / 'families.yaml'}:{line} families.0 (« travaux-lycees ») : "
        "clé « sigma » manquante"
    )


def test_an_unknown_key_is_a_typo_not_a_silent_default(catalogue: Path) -> None:
    line = replace(catalogue / "trades.yaml", "    hdf: 0.85\n", "    hdf: 0.85\n    densite: 2\n")
    assert error_of(catalogue) == (
        f"{catalogue / 'trades.yaml'}:{line + 1} trades.desamiantage.densite : clé inconnue "
        "« densite » : clés possibles words, hdf, categories, density, eu"
    )


def test_a_reference_to_nothing_is_rejected(catalogue: Path) -> None:
    line = replace(catalogue / "families.yaml", "service: lycees", "service: lycee")
    message = error_of(catalogue)
    assert message.startswith(
        f"{catalogue / 'families.yaml'}:{line} families.0.service (« travaux-lycees ») : "
        "service « lycee » inconnu : environnement-energie, formation-apprentissage,"
    )


def test_a_lycee_in_an_unknown_commune_is_rejected(catalogue: Path) -> None:
    line = replace(catalogue / "lycees.yaml", '"59017"', '"59999"')
    assert error_of(catalogue) == (
        f"{catalogue / 'lycees.yaml'}:{line} lycees.0.commune : commune « 59999 » absente des "
        "communes de la région (places.yaml)"
    )


def test_a_placeholder_the_scope_cannot_fill_is_rejected(catalogue: Path) -> None:
    line = replace(
        catalogue / "families.yaml",
        '"Réfection de la toiture du {lycee}"',
        '"Réfection de la toiture à {ville}"',
    )
    message = error_of(catalogue)
    assert message.startswith(f"{catalogue / 'families.yaml'}:{line} families.0.templates.5.text")
    assert message.endswith(
        " : « {ville} » ne peut pas être rempli avec « scope: lycee » : "
        "{annee}, {corps}, {lot}, {lycee}, {n}, {num}"
    )


def test_a_commune_listed_twice_is_rejected(catalogue: Path) -> None:
    replace(catalogue / "places.yaml", '"80021", nom: Amiens', '"59350", nom: Lille bis')
    line = line_of(catalogue / "places.yaml", '"59350", nom: Lille bis')
    assert error_of(catalogue) == (
        f"{catalogue / 'places.yaml'}:{line} communes.1 : commune « 59350 » en double"
    )


def test_a_family_the_rules_name_cannot_disappear(catalogue: Path) -> None:
    replace(catalogue / "families.yaml", "key: maitrise-oeuvre", "key: maitrise-d-oeuvre")
    assert error_of(catalogue).endswith(
        "famille « maitrise-oeuvre » absente : les règles du générateur la nomment"
    )


def test_a_yaml_syntax_error_has_its_line(catalogue: Path) -> None:
    line = replace(catalogue / "names.yaml", "legal_forms:", "legal_forms: [")
    message = error_of(catalogue)
    # The parser stops at the list's second entry, where it expected « , » or « ] ».
    assert message.startswith(f"{catalogue / 'names.yaml'}:{line + 2} : syntaxe YAML incorrecte")
