"""The buyer's identity (`identite` in `editeur.yaml`): colours checked for AA contrast with a
French error that measures and proposes, a logo from the data folder, and the theme's palette set
from them at build, not in code or CSS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from achats_ouverts import colours
from achats_ouverts.building import build
from achats_ouverts.datafolder import config
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import urls
from achats_ouverts.settings import Settings
from achats_ouverts.validation import validate
from tests.fixtures.folders import make_data_dir
from tests.fixtures.paths import DATA, ROOT


def demo_identity() -> dict[str, str]:
    identity: dict[str, str] = yaml.safe_load((DATA / "editeur.yaml").read_text("utf-8"))[
        "identite"
    ]
    return identity


def with_identity(data: Path, **values: str) -> Path:
    """The folder's editeur.yaml with `identite` replaced by `values`."""
    path = data / "editeur.yaml"
    text = path.read_text(encoding="utf-8")
    block = "identite:\n" + "".join(f'  {key}: "{value}"\n' for key, value in values.items())
    text = re.sub(r"^identite:\n(?:  .*\n)*", block, text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return data


def identity_problems(data: Path) -> list[tuple[str | None, str, str, str]]:
    return [
        (p.field, p.code, p.message, p.fix)
        for p in validate(data, calculations=REGISTRY).report.problems
        if p.file == "editeur.yaml" and (p.field or "").startswith("identite")
    ]


def test_the_demo_colours_pass_aa_both_ways() -> None:
    """White on the header's colour, and each colour as text on the white page: 4.5:1."""
    identity = demo_identity()
    for key in ("couleur_principale", "couleur_accent"):
        assert colours.contrast(identity[key], colours.WHITE) >= colours.TEXT_CONTRAST, key
    assert colours.contrast(config.DEFAULT_PRIMARY, colours.WHITE) >= colours.TEXT_CONTRAST
    assert colours.contrast(config.DEFAULT_ACCENT, colours.WHITE) >= colours.TEXT_CONTRAST


def test_a_pale_colour_is_refused_with_its_contrast_and_a_darker_one(tmp_path: Path) -> None:
    data = with_identity(
        make_data_dir(tmp_path / "data"), couleur_principale="#7f9fff", couleur_accent="#2e7d32"
    )
    [(field, code, message, fix)] = identity_problems(data)
    assert (field, code) == ("identite.couleur_principale", "contraste-insuffisant")
    assert message == (
        "le blanc sur « #7f9fff » (et « #7f9fff » sur le blanc) a un contraste de 2,53:1 ; "
        "le RGAA exige 4,5:1 au moins (critère 3.2)"
    )
    suggested = re.search(r"« (#[0-9a-f]{6}) »", fix)
    assert suggested is not None
    assert colours.contrast(suggested.group(1), colours.WHITE) >= 4.5
    assert fix.startswith("choisir une couleur plus foncée, par exemple")
    assert not validate(data, calculations=REGISTRY).ok


def test_a_colour_that_is_not_rrggbb_is_refused(tmp_path: Path) -> None:
    data = with_identity(make_data_dir(tmp_path / "data"), couleur_accent="bleu")
    assert [(f, c) for f, c, _, _ in identity_problems(data)] == [
        ("identite.couleur_accent", "couleur-invalide")
    ]


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("absent.svg", "le logo « absent.svg » est introuvable dans le dossier de données"),
        ("logo.gif", "« logo.gif » n'est pas une image SVG ou PNG"),
        ("../editeur.svg", "le logo « ../editeur.svg » est introuvable dans le dossier de données"),
    ],
)
def test_a_logo_must_be_an_image_of_the_data_folder(
    tmp_path: Path, logo: str, message: str
) -> None:
    data = make_data_dir(tmp_path / "data")
    (tmp_path / "editeur.svg").write_text("<svg/>", encoding="utf-8")
    (data / "logo.gif").write_bytes(b"GIF89a")
    with_identity(data, couleur_principale="#004a8f", logo=logo)
    assert [(c, m) for _, c, m, _ in identity_problems(data)] == [("logo-invalide", message)]


def test_the_build_sets_the_palette_and_the_logo_from_editeur_yaml(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    logo = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
        '<rect width="4" height="4" fill="#fff"/></svg>'
    )
    (data / "mon-logo.svg").write_text(logo, encoding="utf-8")
    with_identity(data, couleur_principale="#00457C", couleur_accent="#2d6e35", logo="mon-logo.svg")
    out = tmp_path / "site"
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    css = (out / urls.THEME_CSS).read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #00457c;" in css
    assert "--md-accent-fg-color: #2d6e35;" in css
    assert (out / urls.publisher_logo(".svg")).read_text(encoding="utf-8") == logo
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="custom" data-md-color-accent="custom"' in home
    assert f'href="{urls.THEME_CSS}"' in home
    assert f'src="{urls.publisher_logo(".svg")}"' in home
    site_css = (ROOT / "site_src" / "assets").glob("*.css")
    for sheet in site_css:  # the theme's colours are not written in the site's own CSS
        assert "--md-primary-fg-color" not in sheet.read_text(encoding="utf-8")
        assert "--md-accent-fg-color" not in sheet.read_text(encoding="utf-8")
